// A filter box above long lists (<select data-search="label">): typing hides the options
// that do not contain the text, so an organization is found among hundreds without
// scrolling. The select itself is what the form posts; without JavaScript it works as is.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKC").toLowerCase();
  }
  function enhance(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.setAttribute("aria-label", select.getAttribute("data-search"));
    box.placeholder = select.getAttribute("data-search");
    if (select.id) box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var shown = !option.value || !wanted || fold(option.text).indexOf(wanted) !== -1;
        option.hidden = !shown;
        if (shown && option.value && first === null) first = option;
      });
      // One match: choose it, as a person would.
      var matches = Array.prototype.filter.call(select.options, function (option) {
        return option.value && !option.hidden;
      });
      if (wanted && matches.length === 1) select.value = first.value;
    });
  }
  function enhanceWithin(root) {
    root.querySelectorAll("select[data-search]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () {
    enhanceWithin(document);
  });
  document.addEventListener("formset:added", function (event) {
    enhanceWithin(event.target);
  });
})();
