// The warning before a staff session ends, and "Stay signed in" (lexp_site/staff_session.py).
// The page says how many seconds are left; the warning shows when fewer than data-warn-before
// remain. The button posts to the refresh address (the request itself keeps the session going)
// and starts the count again from what the server answers. Typing is never lost either way: a
// save after the end brings the form back filled in after logging in.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) {
    return;
  }
  var text = document.getElementById("session-warning-text");
  var button = document.getElementById("stay-signed-in");
  var token = box.querySelector("input[name=csrfmiddlewaretoken]").value;
  var warnBefore = Number(box.dataset.warnBefore);
  var endsAt = 0;
  var canExtend = true;
  var timer = null;

  function show() {
    var left = endsAt - Date.now();
    if (left <= 0) {
      text.textContent = "Your session has ended. If you were typing in a form, press Save: nothing is saved, " +
        "and after you log in again the form comes back with your typing.";
      button.hidden = true;
      box.hidden = false;
      return;
    }
    if (left > warnBefore * 1000) {
      box.hidden = true;
      timer = window.setTimeout(show, left - warnBefore * 1000);
      return;
    }
    var minutes = Math.max(1, Math.ceil(left / 60000));
    // A count of minutes, not a clock time: the browser's clock may be in another time zone than New York.
    text.textContent = "Your session ends in about " + minutes + " minute" + (minutes === 1 ? "" : "s") +
      (canExtend ? "." : ", 12 hours after you logged in: save your work now.");
    button.hidden = !canExtend;
    box.hidden = false;
    timer = window.setTimeout(show, Math.min(left, 30000));
  }

  function start(secondsLeft, extendable) {
    endsAt = Date.now() + secondsLeft * 1000;
    canExtend = extendable;
    window.clearTimeout(timer);
    show();
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    fetch(box.dataset.refreshUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      button.disabled = false;
      if (answer.signed_in) {
        start(answer.seconds_left, answer.can_extend);
      } else {
        start(0, false);
      }
    }).catch(function () {
      button.disabled = false;
      text.textContent = "Could not reach the server to keep you signed in. Check your connection and try again.";
    });
  });

  start(Number(box.dataset.secondsLeft), box.dataset.canExtend === "true");
})();
