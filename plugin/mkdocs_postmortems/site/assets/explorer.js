/* mkdocs-postmortems incident explorer: filters and sorts the static incidents table.
 *
 * Plain JavaScript, no dependencies, no network: the rows carry their own data attributes,
 * so the explorer also works when the site is opened from disk. Without JavaScript the page
 * is the full static table. The filter state lives in the URL, so a view can be shared.
 */
(function () {
  "use strict";

  var FILTERS = ["q", "severity", "status", "service", "tag", "year", "period", "sort"];
  var LISTS = { service: "services", tag: "tags" };
  // Rows shown at once: a browser lays out 10,000 table rows slowly, so the explorer shows
  // the first matches and a button for more; the count is always the full count.
  var PAGE = 500;
  var QUERY = "query";

  function setup(form) {
    var table = document.querySelector("[data-pm-incidents]");
    if (!table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var counter = document.querySelector("[data-pm-count]");
    var records = rows.map(function (row, index) {
      var data = row.dataset;
      return {
        row: row,
        index: index,
        title: data.title || "",
        severity: data.severity || "",
        rank: Number(data.severityRank || 99),
        status: data.status || "",
        services: data.services ? data.services.split("|") : [],
        tags: data.tags ? data.tags.split("|") : [],
        year: data.year || "",
        // A period is a month (2026-03) or a quarter (2026-Q1): the insights charts link here.
        periods: [data.month || "", data.quarter || ""],
        duration: data.duration === "" ? -1 : Number(data.duration),
      };
    });

    function state() {
      var values = {};
      FILTERS.forEach(function (name) {
        var field = form.elements[name];
        values[name] = field ? field.value.trim() : "";
      });
      return values;
    }

    function matches(record, values) {
      if (values.q && record.title.indexOf(values.q.toLowerCase()) < 0) return false;
      if (values.severity && record.severity !== values.severity) return false;
      if (values.status && record.status !== values.status) return false;
      if (values.year && record.year !== values.year) return false;
      if (values.period && record.periods.indexOf(values.period) < 0) return false;
      for (var name in LISTS) {
        if (values[name] && record[LISTS[name]].indexOf(values[name]) < 0) return false;
      }
      return true;
    }

    var ORDER = {
      date: function (a, b) { return a.index - b.index; },
      "date-asc": function (a, b) { return b.index - a.index; },
      duration: function (a, b) { return b.duration - a.duration || a.index - b.index; },
      severity: function (a, b) { return a.rank - b.rank || a.index - b.index; },
    };

    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button pm-more";
    more.hidden = true;
    table.parentNode.insertBefore(more, table.nextSibling);
    var page = Number(form.dataset.pageSize) || PAGE;
    var limit = page;
    var order = "date";
    var matching = [];

    function show() {
      var shown = 0;
      records.forEach(function (record) {
        var visible = record.match && shown < limit;
        if (visible) shown += 1;
        if (record.row.hidden === visible) record.row.hidden = !visible;
      });
      var rest = matching.length - shown;
      more.hidden = rest <= 0;
      more.textContent = "Show " + Math.min(rest, page) + " more of " + rest;
    }

    function apply(writeUrl) {
      var values = state();
      matching = [];
      records.forEach(function (record) {
        record.match = matches(record, values);
        if (record.match) matching.push(record);
      });
      var wanted = values.sort in ORDER ? values.sort : "date";
      if (wanted !== order) {
        // Moving rows is the expensive part: only when the order really changes.
        records.sort(ORDER[wanted]);
        var fragment = document.createDocumentFragment();
        records.forEach(function (record) { fragment.appendChild(record.row); });
        body.appendChild(fragment);
        order = wanted;
      }
      limit = page;
      show();
      if (counter) counter.textContent = String(matching.length);
      if (writeUrl) {
        var params = new URLSearchParams();
        FILTERS.forEach(function (name) {
          if (values[name] && !(name === "sort" && values[name] === "date")) {
            params.set(name, values[name]);
          }
        });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    more.addEventListener("click", function () {
      limit += page;
      show();
    });

    var params = new URLSearchParams(location.search);
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      var value = params.get(name);
      if (field && value !== null) field.value = option(field, value);
    });
    form.addEventListener("input", function () { apply(true); });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply(false);
  }

  // A value from the address as the select spells it: "?severity=sev1" selects "SEV1".
  function option(field, value) {
    if (!field.options) return value;
    var wanted = value.toLowerCase();
    for (var i = 0; i < field.options.length; i += 1) {
      if (field.options[i].value.toLowerCase() === wanted) return field.options[i].value;
    }
    return value;
  }

  function find() {
    // The Pagefind search page, when the site is built with the pagefind option. The query
    // and the filters live in the address (?query=...&severity=SEV1), so a search can be
    // shared and survives a reload. Not "q": mkdocs-material opens its own search on "q".
    var element = document.querySelector("[data-pm-find]");
    if (!element || element.dataset.pmReady || typeof window.PagefindUI !== "function") return;
    element.dataset.pmReady = "1";
    var ui = new window.PagefindUI({
      element: "#" + element.id,
      bundlePath: element.dataset.bundle,
      showImages: false,
      showSubResults: true,
    });
    var input = element.querySelector(".pagefind-ui__search-input");
    // Pagefind's box has only a placeholder for a name; screen readers need a label.
    if (input && !input.getAttribute("aria-label")) input.setAttribute("aria-label", "Search incidents");
    var params = new URLSearchParams(location.search);
    var filters = {};
    params.forEach(function (value, name) {
      if (name !== QUERY) (filters[name] = filters[name] || []).push(value);
    });
    if (Object.keys(filters).length) ui.triggerFilters(filters);
    if (params.get(QUERY)) ui.triggerSearch(params.get(QUERY));

    function remember() {
      var state = new URLSearchParams();
      var box = element.querySelector(".pagefind-ui__search-input");
      if (box && box.value.trim()) state.set(QUERY, box.value.trim());
      element.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        state.append(box.name, box.value);
      });
      var query = state.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
    element.addEventListener("input", remember);
    element.addEventListener("change", remember);
    // The clear button empties the box without an input event.
    element.addEventListener("click", function () { setTimeout(remember, 0); });
  }

  function start() {
    var form = document.querySelector("form[data-pm-explorer]");
    if (form && !form.dataset.pmReady) {
      form.dataset.pmReady = "1";
      setup(form);
    }
    find();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    // mkdocs-material's instant navigation swaps pages without a reload.
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
