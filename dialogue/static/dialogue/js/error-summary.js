// After a failed save, the box listing every error takes the focus, so the page scrolls
// to it and a screen reader reads it; each entry links to its field. Following a link
// puts the cursor in the field and shows it in the middle of the window, with its label
// and row around it, not at the very top edge. A file of its own: the
// Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!field) {
        return;
      }
      event.preventDefault();
      history.replaceState(null, "", link.hash);
      field.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  });
})();
