// Where focus goes when a page comes back from the form (no inline script: the CSP allows none).
// - Errors: the summary of them, so a screen reader reads it first and a keyboard user starts from it:
//   each message links to its field.
// - An answer: its heading (tabindex="-1"), so a screen reader announces the answer, not the page's start.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector(".error-summary") || document.querySelector("#answer-title[tabindex]");
  if (target) {
    target.focus();
  }
});
