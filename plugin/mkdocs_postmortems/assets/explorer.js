/* mkdocs-postmortems incident explorer: filters and sorts the static incidents table.
 *
 * Plain JavaScript, no dependencies, no network: the rows carry their own data attributes,
 * so the explorer also works when the site is opened from disk. Without JavaScript the page
 * is the full static table. The filter state lives in the URL, so a view can be shared.
 */
(function () {
  "use strict";

  var FILTERS = ["q", "severity", "status", "service", "tag", "year", "sort"];
  var LISTS = { service: "services", tag: "tags" };

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

    function apply(writeUrl) {
      var values = state();
      var visible = 0;
      records.forEach(function (record) {
        var show = matches(record, values);
        record.row.hidden = !show;
        if (show) visible += 1;
      });
      var sorted = records.slice().sort(ORDER[values.sort] || ORDER.date);
      var fragment = document.createDocumentFragment();
      sorted.forEach(function (record) { fragment.appendChild(record.row); });
      body.appendChild(fragment);
      if (counter) counter.textContent = String(visible);
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

    var params = new URLSearchParams(location.search);
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      var value = params.get(name);
      if (field && value !== null) field.value = value;
    });
    form.addEventListener("input", function () { apply(true); });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply(false);
  }

  function start() {
    var form = document.querySelector("form[data-pm-explorer]");
    if (form && !form.dataset.pmReady) {
      form.dataset.pmReady = "1";
      setup(form);
    }
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
