// After a failed save, the box listing every error takes the focus, so the page scrolls
// to it and a screen reader reads it; each entry links to its field. A file of its
// own: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });
})();
