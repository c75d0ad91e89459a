// Research profiles: filters, search, sort and folding on profile pages; search on the index.
// Everything works from file:// (no fetch); without JavaScript every card stays visible,
// in the server's order (newest first, under year headings), with full abstracts.
(function () {
  "use strict";

  var SORTS = ["newest", "oldest", "score", "title", "type"];
  var NO_CATEGORY = "none";

  // Lowercase, accents removed: "Zoë" and "zoe" compare equal.
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function textOf(card, selector) {
    var element = card.querySelector(selector);
    return element ? element.textContent : "";
  }

  function plural(count, noun) {
    return count + " " + noun + (count === 1 ? "" : "s");
  }

  // ---- URL state: ?cat=CL,CV&q=words&sort=score&code=1 --------------------------------------

  var NARROW = "(max-width: 40rem)";  // a phone: the charts start folded, the first papers in view

  // The known values a comma-separated parameter names (``decode`` maps each first).
  function listParam(params, name, known, decode) {
    var raw = params.get(name);
    return (raw ? raw.split(",") : []).map(decode || String).filter(function (value) {
      return known.indexOf(value) !== -1;
    });
  }

  function readState(knownCategories, knownTypes, knownYears) {
    var params = new URLSearchParams(window.location.search);
    var sort = params.get("sort");
    return {
      cats: listParam(params, "cat", knownCategories, function (code) { return code === NO_CATEGORY ? "" : code; }),
      types: listParam(params, "type", knownTypes),
      years: listParam(params, "years", knownYears),
      selected: params.get("selected") === "1",
      q: params.get("q") || "",
      sort: SORTS.indexOf(sort) !== -1 ? sort : "newest",
      code: params.get("code") === "1"
    };
  }

  function writeState(state, push) {
    var params = new URLSearchParams();
    if (state.cats.length) {
      params.set("cat", state.cats.map(function (code) { return code || NO_CATEGORY; }).join(","));
    }
    if (state.q) { params.set("q", state.q); }
    if (state.sort !== "newest") { params.set("sort", state.sort); }
    if (state.code) { params.set("code", "1"); }
    if (state.types.length) { params.set("type", state.types.join(",")); }
    if (state.years.length) { params.set("years", state.years.join(",")); }
    if (state.selected) { params.set("selected", "1"); }
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    try {
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    } catch (error) {
      // Some browsers refuse history changes on file:// pages; filtering still works.
    }
  }

  // ---- Folding long abstracts ----------------------------------------------------------------

  // Clamp every long abstract to a few lines behind a "Show more" button.  All the classes are set
  // first and all the heights read after: one layout for the page, not one per card (thousands of
  // cards would otherwise take minutes).
  function foldAbstracts(abstracts) {
    abstracts.forEach(function (abstract) { abstract.classList.add("clamped"); });
    var long = new Set(abstracts.filter(function (abstract) {
      return abstract.scrollHeight > abstract.clientHeight + 2;
    }));
    abstracts.forEach(function (abstract) {
      if (long.has(abstract)) { addShowMore(abstract); } else { abstract.classList.remove("clamped"); }
    });
  }

  function addShowMore(abstract) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "show-more";
    button.textContent = "Show more";
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () {
      var expanded = abstract.classList.toggle("clamped") === false;
      button.textContent = expanded ? "Show less" : "Show more";
      button.setAttribute("aria-expanded", expanded ? "true" : "false");
    });
    abstract.parentNode.insertBefore(button, abstract.nextSibling);
  }

  // ---- Profile pages -------------------------------------------------------------------------

  function compareBy(sort, order) {
    return function (a, b) {
      if (sort === "oldest") {
        var dateA = a.getAttribute("data-date"), dateB = b.getAttribute("data-date");
        if (!dateA !== !dateB) { return dateA ? -1 : 1; }
        if (dateA !== dateB) { return dateA < dateB ? -1 : 1; }
      } else if (sort === "score") {
        var scoreA = parseFloat(a.getAttribute("data-score")), scoreB = parseFloat(b.getAttribute("data-score"));
        if (isNaN(scoreA) !== isNaN(scoreB)) { return isNaN(scoreA) ? 1 : -1; }
        if (!isNaN(scoreA) && scoreA !== scoreB) { return scoreB - scoreA; }
      } else if (sort === "type") {
        var rank = Number(a.getAttribute("data-type-rank")) - Number(b.getAttribute("data-type-rank"));
        if (rank) { return rank; }
      } else if (sort === "title") {
        var byTitle = fold(textOf(a, ".card-title")).localeCompare(fold(textOf(b, ".card-title")));
        if (byTitle) { return byTitle; }
      }
      return order.get(a) - order.get(b);
    };
  }

  function setUpPapers(section) {
    var list = section.querySelector("[data-cards]");
    var cards = all(list, "article.card");
    var order = new Map(cards.map(function (card, index) { return [card, index]; }));
    var filters = section.querySelector("[data-filters]");
    var allChip = filters && filters.querySelector("[data-filter-all]");  // no chips when no paper has a category
    var chips = filters ? all(filters, "button[data-category]") : [];
    var search = section.querySelector("[data-search]");
    var sort = section.querySelector("[data-sort]");
    var codeToggle = section.querySelector("[data-code-filter]");  // absent when no paper has code
    var selectedToggle = section.querySelector("[data-selected-filter]");  // absent when none is selected
    var typeChips = all(section, "[data-type-filters] button[data-type]");  // absent with one type only
    var knownTypes = typeChips.map(function (chip) { return chip.getAttribute("data-type"); });
    var yearChips = all(section, "[data-year-filters] button[data-years]");  // absent with one year only
    var knownYears = yearChips.map(function (chip) { return chip.getAttribute("data-years"); });
    var searching = false;  // typing goes on one search: one history entry, pushed at its first key
    var counter = section.querySelector("[data-result-count]");
    var empty = section.querySelector("[data-empty]");
    var known = chips.map(function (chip) { return chip.getAttribute("data-category"); });
    var haystack = new Map(cards.map(function (card) {
      return [card, fold([".card-title", ".authors", ".venue", ".abstract", ".affiliation", ".note", ".tags"].map(function (part) {
        return textOf(card, part);
      }).join(" "))];
    }));
    var state = readState(known, knownTypes, knownYears);

    function matchesText(card) {
      var text = haystack.get(card);
      return fold(state.q).split(/\s+/).every(function (term) { return !term || text.indexOf(term) !== -1; });
    }

    function matchesCode(card) {
      return !state.code || card.getAttribute("data-code") === "1";
    }

    function inYears(card, range) {
      var year = Number(card.getAttribute("data-year")), bounds = range.split("-").map(Number);
      return year >= bounds[0] && year <= bounds[1];
    }

    function matchesSelected(card) {
      return !state.selected || card.getAttribute("data-selected") === "1";
    }

    // The chip groups: each chip's count is the cards that clicking it alone would show, so a
    // group counts the cards every *other* filter lets through.
    var groups = [
      { key: "cats", chips: chips, attribute: "data-category", all: allChip,
        has: function (card, code) { return card.getAttribute("data-category") === code; } },
      { key: "types", chips: typeChips, attribute: "data-type",
        has: function (card, type) { return card.getAttribute("data-type") === type; } },
      { key: "years", chips: yearChips, attribute: "data-years", has: inYears }
    ];

    function inGroup(card, group) {
      var chosen = state[group.key];
      return !chosen.length || chosen.some(function (value) { return group.has(card, value); });
    }

    // For each card the other filters let through, whether each chip group does (worked out once
    // per change, then read for the cards shown and for every group's counts).
    function groupVerdicts() {
      var verdicts = new Map();
      cards.forEach(function (card) {
        if (matchesText(card) && matchesCode(card) && matchesSelected(card)) {
          verdicts.set(card, groups.map(function (group) { return inGroup(card, group); }));
        }
      });
      return verdicts;
    }

    // Whether every filter but the chip group numbered ``skipped`` (-1: none) lets the card through.
    function passes(verdicts, card, skipped) {
      var verdict = verdicts.get(card);
      return Boolean(verdict) && verdict.every(function (ok, index) { return ok || index === skipped; });
    }

    function showCounts(verdicts, group, index) {
      var candidates = cards.filter(function (card) { return passes(verdicts, card, index); });
      group.chips.forEach(function (chip) {
        var value = chip.getAttribute(group.attribute);
        chip.querySelector(".count").textContent = candidates.filter(function (card) { return group.has(card, value); }).length;
        chip.setAttribute("aria-pressed", state[group.key].indexOf(value) !== -1 ? "true" : "false");
      });
      if (group.all) {
        group.all.querySelector(".count").textContent = candidates.length;
        group.all.setAttribute("aria-pressed", state[group.key].length ? "false" : "true");
      }
    }

    // The list in the order of ``state.sort``, under year (or type) headings; the cards are moved
    // only when the sort changes, and a change of filter only shows or hides the headings.
    var arranged = null;  // {sort, sections: [{heading, cards}]}

    function arrange() {
      if (!arranged || arranged.sort !== state.sort) {
        arranged = { sort: state.sort, sections: ordered() };
      }
      arranged.sections.forEach(function (section) {
        var empty = !section.cards.some(function (card) { return !card.hidden; });
        if (section.heading.hidden !== empty) { section.heading.hidden = empty; }
      });
    }

    function ordered() {
      var sorted = cards.slice().sort(compareBy(state.sort, order));
      var grouped = state.sort === "newest" || state.sort === "oldest" || state.sort === "type";
      var sections = [], section = null, fragment = document.createDocumentFragment();
      sorted.forEach(function (card) {
        var label = state.sort === "type" ? card.getAttribute("data-type-label") : card.getAttribute("data-year") || "Undated";
        if (grouped && (!section || section.label !== label)) {
          var heading = document.createElement("h3");
          heading.className = "year-heading";
          heading.setAttribute("data-year-heading", label);
          heading.textContent = label;
          fragment.appendChild(heading);
          section = { label: label, heading: heading, cards: [] };
          sections.push(section);
        }
        if (section) { section.cards.push(card); }
        fragment.appendChild(card);
      });
      list.textContent = "";
      list.appendChild(fragment);
      return sections;
    }

    function apply() {
      var verdicts = groupVerdicts(), visible = 0;
      cards.forEach(function (card) {
        var hide = !passes(verdicts, card, -1);
        if (card.hidden !== hide) { card.hidden = hide; }
        if (!hide) { visible += 1; }
      });
      groups.forEach(function (group, index) { showCounts(verdicts, group, index); });
      if (codeToggle) { codeToggle.setAttribute("aria-pressed", state.code ? "true" : "false"); }
      if (selectedToggle) { selectedToggle.setAttribute("aria-pressed", state.selected ? "true" : "false"); }
      if (search.value !== state.q) { search.value = state.q; }
      sort.value = state.sort;
      arrange();
      counter.textContent = visible === cards.length
        ? plural(cards.length, "paper")
        : visible + " of " + plural(cards.length, "paper");
      empty.hidden = visible !== 0;
    }

    function update(change, push) {
      change();
      apply();
      writeState(state, push);
      searching = false;
    }

    if (allChip) { allChip.addEventListener("click", function () { update(function () { state.cats = []; }, true); }); }
    if (codeToggle) {
      codeToggle.addEventListener("click", function () { update(function () { state.code = !state.code; }, true); });
    }
    if (selectedToggle) {
      selectedToggle.addEventListener("click", function () { update(function () { state.selected = !state.selected; }, true); });
    }
    // A plain click shows that value alone (or all again); Shift-, Ctrl- or Cmd-click adds or removes it.
    function chipGroup(groupChips, attribute, key) {
      groupChips.forEach(function (chip) {
        chip.addEventListener("click", function (event) {
          var value = chip.getAttribute(attribute);
          var chosen = state[key].indexOf(value) !== -1;
          update(function () {
            if (event.shiftKey || event.ctrlKey || event.metaKey) {
              state[key] = chosen ? state[key].filter(function (other) { return other !== value; }) : state[key].concat([value]);
            } else {
              state[key] = chosen && state[key].length === 1 ? [] : [value];
            }
          }, true);
        });
      });
    }
    chipGroup(chips, "data-category", "cats");
    chipGroup(typeChips, "data-type", "types");
    chipGroup(yearChips, "data-years", "years");
    sort.addEventListener("change", function () { update(function () { state.sort = sort.value; }, true); });
    search.addEventListener("input", function () {
      var first = !searching;
      update(function () { state.q = search.value; }, first);
      searching = true;
    });
    section.querySelector("[data-clear]").addEventListener("click", function () {
      update(function () {
        state.cats = []; state.types = []; state.years = []; state.q = ""; state.code = false; state.selected = false;
      }, true);
      search.focus();
    });
    window.addEventListener("popstate", function () {
      state = readState(known, knownTypes, knownYears);
      searching = false;
      apply();
    });

    foldAbstracts(all(list, "[data-abstract]"));
    if (filters) { filters.hidden = false; }
    all(section, "[data-type-filters], [data-year-filters]").forEach(function (group) { group.hidden = false; });
    section.querySelector("[data-toolbar]").hidden = false;
    apply();
  }

  // ---- Copy BibTeX ---------------------------------------------------------------------------

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

  // ---- Index page: search over every paper of the site ---------------------------------------

  function setUpSiteSearch(box) {
    var index = window.PAPER_INDEX || [];
    var input = box.querySelector("input");
    var results = box.querySelector("[data-site-results]");
    var status = box.querySelector("[data-site-status]");
    var folded = index.map(function (paper) { return fold([paper.t, paper.a, paper.v, paper.y].join(" ")); });

    function show() {
      var terms = fold(input.value).split(/\s+/).filter(Boolean);
      results.textContent = "";
      if (!terms.length) { status.textContent = ""; return; }
      var found = index.filter(function (paper, position) {
        return terms.every(function (term) { return folded[position].indexOf(term) !== -1; });
      });
      status.textContent = found.length ? plural(found.length, "paper") + " found" : "No paper matches.";
      found.slice(0, 50).forEach(function (paper) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "papers/" + paper.i + "/index.html";
        link.textContent = paper.t;
        var meta = document.createElement("span");
        meta.className = "result-meta";
        meta.textContent = [paper.y, paper.p.map(function (profile) { return profile[1]; }).join(", ")]
          .filter(Boolean).join(" · ");
        item.appendChild(link);
        item.appendChild(meta);
        results.appendChild(item);
      });
    }

    input.addEventListener("input", show);
    box.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    all(document, "section.papers").forEach(setUpPapers);
    all(document, "[data-copy]").forEach(setUpCopy);
    if (window.matchMedia && window.matchMedia(NARROW).matches) {
      all(document, "[data-fold-narrow]").forEach(function (details) { details.open = false; });
    }
    all(document, "[data-site-search]").forEach(setUpSiteSearch);
  });
})();
