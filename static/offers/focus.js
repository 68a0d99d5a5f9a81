// After a form comes back with errors, move focus to the summary of them, so a screen reader
// reads it first and a keyboard user starts from it: each message links to its field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
