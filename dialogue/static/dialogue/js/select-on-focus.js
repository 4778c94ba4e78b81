// Fields marked data-select-on-focus select their whole text when focused, ready to
// copy (the calendar feed's address). A file of its own: the Content-Security-Policy
// allows no inline script or event handler.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
      field.addEventListener("focus", function () {
        field.select();
      });
    });
  });
})();
