// Django's autocomplete boxes (select2) name their combobox only by the value shown in it,
// and that value's own box by nothing: empty, neither has an accessible name. Name both by
// the field's <label> as well.
(function () {
    "use strict";

    function labelFor(select) {
        var label = select.id && document.querySelector('label[for="' + select.id + '"]');
        if (label && !label.id) {
            label.id = select.id + "-label";
        }
        return label;
    }

    function nameBoxes(root) {
        root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            var container = select.nextElementSibling;
            var label = labelFor(select);
            if (!label || !container || !container.classList.contains("select2")) {
                return;
            }
            container.querySelectorAll("[role=combobox], [role=textbox]").forEach(function (box) {
                var names = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
                if (names.indexOf(label.id) === -1) {
                    box.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
                }
            });
            container.querySelectorAll("input.select2-search__field").forEach(function (input) {
                input.setAttribute("aria-labelledby", label.id);
            });
        });
    }

    function addsSelect2(mutation) {
        return Array.prototype.some.call(mutation.addedNodes, function (node) {
            return node.nodeType === 1 && (node.classList.contains("select2") || node.querySelector(".select2"));
        });
    }

    // The admin builds its select2 boxes in a jQuery ready handler, which jQuery runs in a
    // task of its own, sometimes after the page's load event. Watching the document names a
    // box in the same task that built it, whenever that is (inline rows added later too).
    new MutationObserver(function (mutations) {
        if (mutations.some(addsSelect2)) {
            nameBoxes(document);
        }
    }).observe(document.documentElement, { childList: true, subtree: true });
    nameBoxes(document);
})();
