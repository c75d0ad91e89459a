// Category filter for profile pages. Without JavaScript every card stays visible
// and the chips stay hidden; nothing here fetches anything, so file:// works.
(function () {
  "use strict";

  function setUpFilters(group) {
    var section = group.closest("section") || document;
    var cards = Array.prototype.slice.call(section.querySelectorAll("article.card"));
    var chips = Array.prototype.slice.call(group.querySelectorAll("button.chip"));
    var counter = section.querySelector("[data-result-count]");

    function show(category) {
      var visible = 0;
      cards.forEach(function (card) {
        var match = category === null || card.getAttribute("data-category") === category;
        card.hidden = !match;
        if (match) { visible += 1; }
      });
      chips.forEach(function (chip) {
        var isAll = chip.hasAttribute("data-filter-all");
        var active = isAll ? category === null : chip.getAttribute("data-category") === category;
        chip.setAttribute("aria-pressed", active ? "true" : "false");
      });
      if (counter) {
        counter.textContent = category === null
          ? cards.length + (cards.length === 1 ? " paper" : " papers")
          : visible + " of " + cards.length + " papers";
      }
    }

    chips.forEach(function (chip) {
      chip.addEventListener("click", function () {
        var pressed = chip.getAttribute("aria-pressed") === "true";
        var category = chip.hasAttribute("data-filter-all") || pressed ? null : chip.getAttribute("data-category");
        show(category);
      });
    });
    group.hidden = false;
  }

  // "Copy BibTeX" buttons: shown only where the clipboard can be used.
  function setUpCopy(button) {
    var source = button.parentNode.querySelector(".bibtex");
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Select and copy the text above";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-filters]"), setUpFilters);
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), setUpCopy);
  });
})();
