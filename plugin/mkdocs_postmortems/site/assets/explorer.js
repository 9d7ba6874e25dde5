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
  // Rows shown at once (the form's data-page-size, from pages.SHOWN): a browser lays out
  // 10,000 table rows slowly, so the explorer shows the first matches and a button for more;
  // the count is always the full count.
  var PAGE = 100;
  var QUERY = "query";

  function setup(form) {
    var table = document.querySelector("[data-pm-incidents]");
    if (!table) return;
    var body = table.tBodies[0];
    var counter = document.querySelector("[data-pm-count]");
    // A team's own fields (extra_fields): a select named x-NAME filters on data-x-NAME.
    var extras = Array.prototype.map.call(
      form.querySelectorAll("select[data-pm-extra]"),
      function (select) { return select.name; }
    );
    var filters = FILTERS.concat(extras);
    var root = table.dataset.root || "";
    var source = table.dataset.source;
    // On large knowledge bases the page lists only the newest incidents; the others come
    // from explorer.json, and their rows are built when they are first shown.
    var records = Array.prototype.slice.call(body.rows).map(fromRow);
    var loaded = !source;

    function fromRow(row, index) {
      var data = row.dataset;
      return {
        id: data.id,
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
        extra: extras.reduce(function (found, name) {
          var value = row.getAttribute("data-" + name);
          found[name] = value ? value.split("|") : [];
          return found;
        }, {}),
      };
    }

    // One incident of explorer.json (keys from pages.explorer_data).
    function fromData(item, index) {
      return {
        id: item.i,
        row: null,
        item: item,
        index: index,
        title: item.t.toLowerCase(),
        severity: item.s,
        rank: item.r,
        status: item.st,
        services: item.sv,
        tags: item.tg,
        year: item.y,
        periods: [item.m, item.q],
        duration: item.du === "" ? -1 : item.du,
        extra: extras.reduce(function (found, name) {
          found[name] = (item.x && item.x[name]) || [];
          return found;
        }, {}),
      };
    }

    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    }

    function cell(row, label, className) {
      var node = element("td", className);
      node.dataset.label = label;
      row.appendChild(node);
      row.appendChild(document.createTextNode(" "));
      return node;
    }

    function badge(parent, className, text) {
      parent.appendChild(document.createTextNode(" "));
      parent.appendChild(element("span", className, text));
    }

    // The same row as index_incidents.html and the badges of render.py (a browser test
    // compares the two), built with textContent: every value stays text.
    function build(item) {
      var row = element("tr");
      var data = row.dataset;
      data.id = item.i;
      data.severity = item.s;
      data.severityRank = item.r;
      data.status = item.st;
      data.services = item.sv.join("|");
      data.tags = item.tg.join("|");
      data.year = item.y;
      data.month = item.m;
      data.quarter = item.q;
      data.started = item.d;
      data.duration = item.du;
      data.title = item.t.toLowerCase();
      extras.forEach(function (name) {
        if (item.x && item.x[name]) row.setAttribute("data-" + name, item.x[name].join("|"));
      });
      cell(row, "Started", "pm-nowrap").textContent = item.dt;
      var severity = element("span", "pm-badge pm-sev pm-sev-" + item.r, item.s);
      severity.title = item.l;
      cell(row, "Severity", "pm-nowrap").appendChild(severity);
      var main = cell(row, "Incident", "pm-col-main");
      var link = element("a", "", item.t);
      link.href = root + item.u;
      main.appendChild(link);
      if (!item.v) badge(main, "pm-badge pm-invalid", "invalid");
      if (item.o) badge(main, "pm-badge pm-late", "write-up overdue");
      if (item.oi) {
        var noun = item.oi === 1 ? " action item overdue" : " action items overdue";
        badge(main, "pm-badge pm-late-items", item.oi + noun);
      }
      cell(row, "Status", "pm-nowrap").appendChild(
        element("span", "pm-badge pm-status pm-status-" + item.st, item.st)
      );
      var services = cell(row, "Services", "");
      item.sv.forEach(function (name, position) {
        if (position) services.appendChild(document.createTextNode(" "));
        services.appendChild(element("span", "pm-chip", name));
      });
      cell(row, "Duration", "pm-nowrap").textContent = item.dd;
      return row;
    }

    function rowOf(record) {
      if (!record.row) record.row = build(record.item);
      return record.row;
    }

    function state() {
      var values = {};
      filters.forEach(function (name) {
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
      for (var i = 0; i < extras.length; i += 1) {
        var extra = extras[i];
        if (values[extra] && record.extra[extra].indexOf(values[extra]) < 0) return false;
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
    var matching = [];
    var note = document.querySelector("[data-pm-static]");

    // The first matches, in order, are the table's rows: a browser lays out 10,000 rows
    // slowly, and rows of explorer.json are only built when shown.
    function show() {
      var shown = matching.slice(0, limit).map(rowOf);
      body.replaceChildren.apply(body, shown);
      var rest = matching.length - shown.length;
      more.hidden = rest <= 0;
      more.textContent = "Show " + Math.min(rest, page) + " more of " + rest;
    }

    function apply(writeUrl) {
      var values = state();
      if (writeUrl) remember(values);
      // Until explorer.json is in, the page's own rows stay as they are: filtering them
      // alone would show wrong counts. It is applied as soon as the data arrives.
      if (!loaded) return;
      matching = records.filter(function (record) { return matches(record, values); });
      matching.sort(ORDER[values.sort in ORDER ? values.sort : "date"]);
      limit = page;
      show();
      if (counter) counter.textContent = String(matching.length);
    }

    function remember(values) {
      var params = new URLSearchParams();
      filters.forEach(function (name) {
        if (values[name] && !(name === "sort" && values[name] === "date")) {
          params.set(name, values[name]);
        }
      });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    more.addEventListener("click", function () {
      limit += page;
      show();
    });

    var params = new URLSearchParams(location.search);
    filters.forEach(function (name) {
      var field = form.elements[name];
      var value = params.get(name);
      if (field && value !== null) field.value = option(field, value);
    });
    form.addEventListener("input", function () { apply(true); });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    if (loaded) {
      apply(false);
    } else {
      fetch(source)
        .then(function (response) {
          if (!response.ok) throw new Error(source + ": " + response.status);
          return response.json();
        })
        .then(function (items) {
          var rows = {};
          records.forEach(function (record) { rows[record.id] = record.row; });
          records = items.map(fromData);
          records.forEach(function (record) { record.row = rows[record.id] || null; });
          loaded = true;
          if (note) note.hidden = true;
          apply(false);
        })
        .catch(function (error) {
          // The page's own rows stay, with the links to every year: still usable.
          if (note) note.textContent = "The filters could not load every incident (" + error.message + ").";
        });
    }
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
    // A large site's index comes in several bundles (pagefind/, pagefind-2/, ...), named by
    // pagefind-bundles.js, a script: a page read from disk cannot fetch a list. Pagefind
    // searches them all and ranks their results together.
    var root = element.dataset.bundle.replace(/pagefind\/$/, "");
    var more = Array.isArray(window.pmPagefindBundles) ? window.pmPagefindBundles : [];
    var merged = more.map(function (name) { return { bundlePath: root + name }; });
    element.dataset.pmBundles = String(1 + merged.length);
    var ui = new window.PagefindUI({
      element: "#" + element.id,
      bundlePath: element.dataset.bundle,
      mergeIndex: merged,
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

  function followUp(form) {
    // The follow-up view (action-items page): filters the open action items by owner,
    // service, severity, status and due window. The page lists the most urgent ones; the
    // first filter loads every open item from follow-up.json (in the same order) and the
    // rows are built from it. The filter state lives in the URL, as the explorer's does.
    var table = document.querySelector("table[data-pm-items]");
    var counter = document.querySelector("[data-pm-items-count]");
    var note = document.querySelector("[data-pm-static]");
    var names = ["owner", "service", "severity", "status", "due"];
    var root = form.dataset.root || "";
    var page = Number(form.dataset.pageSize) || 200;
    var original = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
    var data = null;
    var loading = null;
    var shown = page;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button pm-more";
    more.hidden = true;
    if (table) table.parentNode.parentNode.insertBefore(more, table.parentNode.nextSibling);

    function text(tag, className, value) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (value !== undefined) node.textContent = value;
      return node;
    }

    function link(href, value, className) {
      var node = text(href ? "a" : "span", className, value);
      if (href) node.href = root + href;
      return node;
    }

    function cell(row, label, className) {
      var node = text("td", className);
      node.dataset.label = label;
      row.appendChild(node);
      row.appendChild(document.createTextNode(" "));
      return node;
    }

    // The same row as _follow_up.html, built with textContent: every value stays text.
    function build(item) {
      var row = text("tr", "pm-item-row" + (item.l ? " pm-overdue" : ""));
      var due = cell(row, "Due", "pm-nowrap pm-col-due");
      due.textContent = item.d || "\u2014";
      if (item.l) {
        due.appendChild(text("br"));
        due.appendChild(text("span", "pm-muted", item.l + (item.l === 1 ? " day" : " days") + " late"));
      }
      var state = cell(row, "Status", "pm-nowrap pm-col-status");
      state.appendChild(text("span", "pm-badge pm-item pm-item-" + item.st, item.st));
      if (item.l) {
        state.appendChild(document.createTextNode(" "));
        var late = text("span", "pm-badge pm-late", "overdue");
        late.title = item.l + " days past due";
        state.appendChild(late);
      }
      var action = cell(row, "Action", "pm-col-main");
      // Code spans as the code filter of render.py shows them: every other part of the
      // text between backticks, each part still text.
      item.a.split("`").forEach(function (part, index) {
        action.appendChild(index % 2 ? text("code", "", part) : document.createTextNode(part));
      });
      if (item.tk) {
        action.appendChild(document.createTextNode(" "));
        action.appendChild(text("span", "pm-muted pm-nowrap pm-ticket", item.tk));
      }
      cell(row, "Owner", "pm-col-owner").appendChild(link(data.owners[item.o], item.o, "pm-owner"));
      cell(row, "Priority", "pm-nowrap").textContent = item.p;
      var incident = cell(row, "Incident", "pm-col-main");
      var badge = text("span", "pm-badge pm-sev pm-sev-" + item.r, item.s);
      badge.title = item.sl;
      if (data.severity) {
        var wrap = link(data.severity + "#" + encodeURIComponent(item.s.toLowerCase()), undefined, "pm-badge-link");
        wrap.appendChild(badge);
        incident.appendChild(wrap);
      } else {
        incident.appendChild(badge);
      }
      incident.appendChild(document.createTextNode(" "));
      incident.appendChild(link(item.u, item.t));
      item.sv.forEach(function (name) {
        incident.appendChild(document.createTextNode(" "));
        incident.appendChild(link(data.services[name], name, "pm-chip"));
      });
      return row;
    }

    function values() {
      var found = {};
      names.forEach(function (name) { found[name] = form.elements[name].value; });
      return found;
    }

    function matches(item, want) {
      return (!want.owner || item.o === want.owner) &&
        (!want.service || item.sv.indexOf(want.service) >= 0) &&
        (!want.severity || item.s === want.severity) &&
        (!want.status || item.st === want.status) &&
        (!want.due || item.w === want.due ||
          (want.due === "soon" && item.w === "week"));
    }

    function remember(want) {
      var params = new URLSearchParams();
      names.forEach(function (name) { if (want[name]) params.set(name, want[name]); });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function draw() {
      var want = values();
      var body = table.tBodies[0];
      var any = names.some(function (name) { return want[name]; });
      if (!any) {
        body.replaceChildren.apply(body, original);
        if (counter) counter.textContent = data ? data.items.length : counter.dataset.total;
        if (note) note.hidden = false;
        more.hidden = true;
        return;
      }
      var found = data.items.filter(function (item) { return matches(item, want); });
      body.replaceChildren.apply(body, found.slice(0, shown).map(build));
      if (counter) counter.textContent = found.length;
      if (note) note.hidden = true;
      more.hidden = found.length <= shown;
      more.textContent = "Show " + Math.min(page, found.length - shown) + " more of " + (found.length - shown);
    }

    function apply(write) {
      var want = values();
      if (write) remember(want);
      shown = page;
      var any = names.some(function (name) { return want[name]; });
      if (!any || data) return draw();
      if (!loading) {
        loading = fetch(form.dataset.source)
          .then(function (response) {
            if (!response.ok) throw new Error(form.dataset.source + ": " + response.status);
            return response.json();
          })
          .then(function (payload) { data = payload; });
      }
      loading.then(draw).catch(function (error) {
        if (note) note.textContent = "The filters could not load the action items (" + error.message + ").";
      });
    }

    if (!table) return;
    if (counter) counter.dataset.total = counter.textContent;
    more.addEventListener("click", function () { shown += page; draw(); });
    var params = new URLSearchParams(location.search);
    names.forEach(function (name) {
      var value = params.get(name);
      if (value !== null) form.elements[name].value = option(form.elements[name], value);
    });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply(false);
  }

  // The theme's search dialog has no name (axe: aria-dialog-name); its label is the theme's
  // own placeholder text ("Search"), so the name follows the site's language.
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = document.querySelector(".md-search__input");
    if (dialog && !dialog.hasAttribute("aria-label") && !dialog.hasAttribute("aria-labelledby")) {
      dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
    }
  }

  function start() {
    nameSearchDialog();
    var form = document.querySelector("form[data-pm-explorer]");
    if (form && !form.dataset.pmReady) {
      form.dataset.pmReady = "1";
      setup(form);
    }
    var items = document.querySelector("form[data-pm-follow-up]");
    if (items && !items.dataset.pmReady) {
      items.dataset.pmReady = "1";
      followUp(items);
    }
    find();
  }

  // The page is parsed up to this script (the theme loads it at the end of the body), so
  // the explorer starts at once rather than after the theme's own start-up work.
  start();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    // mkdocs-material's instant navigation swaps pages without a reload.
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
