// The version form asks before you leave it with changes you have not saved: "Preview on the
// holder page", the status buttons and every other link show the saved version, and leaving
// would lose what you typed. Saving the form (its own submit) never asks.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("offerversion_form");
  if (!form) {
    return;
  }
  var changed = false;
  function markChanged() {
    changed = true;
  }
  form.addEventListener("input", markChanged);
  form.addEventListener("change", markChanged);
  form.addEventListener("submit", function () {
    changed = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (changed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
