// Sort a table (class "sortable") by the column whose heading button is pressed: numbers by their
// data-sort value, text as text; pressing again reverses. aria-sort tells screen readers the order.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headings = table.querySelectorAll("thead th");
    headings.forEach(function (heading, column) {
      var button = heading.querySelector("button.sort-button");
      if (!button) {
        return;
      }
      button.addEventListener("click", function () {
        var ascending = heading.getAttribute("aria-sort") !== "ascending";
        var numeric = button.dataset.numeric === "1";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column];
          var order = numeric
            ? parseFloat(x.dataset.sort) - parseFloat(y.dataset.sort)
            : x.textContent.trim().localeCompare(y.textContent.trim(), undefined, {numeric: true});
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headings.forEach(function (other) { other.removeAttribute("aria-sort"); });
        heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  });
});
