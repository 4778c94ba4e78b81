// "Add a row" for the session form's tables. Without JavaScript the page already
// offers empty rows; this only adds more, by copying the <template> row and
// numbering it like Django's formsets (prefix-__prefix__-field → prefix-N-field).
(function () {
  "use strict";
  function setUp(fieldset) {
    var prefix = fieldset.getAttribute("data-formset");
    var total = fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = fieldset.querySelector("template[data-empty-row]");
    var list = fieldset.querySelector("[data-rows]");
    var button = fieldset.querySelector("[data-add-row]");
    if (!total || !template || !list || !button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      list.appendChild(row);
      total.value = String(index + 1);
      row.dispatchEvent(new CustomEvent("formset:added", { bubbles: true }));
      var first = row.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset]").forEach(setUp);
  });
})();
