/* nvreport's explorer: the actor × theme matrix and the passages behind each cell.
   Report text is shown through text nodes only, never parsed as markup. */
(function () {
  "use strict";
  var started = performance.now();

  function json(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }
  var D = json("nv-data");
  var P = json("nv-passages");
  var BASES = json("nv-bases");
  var parsed = performance.now();

  var STATE = ["Nämns inte", "Saknas", "Planeras", "Pågår",
    "Läst delvis: nämns inte i den lästa delen", "Rapporten kunde inte läsas", "Ingen rapport"];
  var STATE_SHORT = ["Nämns inte", "Saknas", "Planeras", "Pågår", "Läst delvis", "Oläsbar",
    "Ingen rapport"];
  var TYPES = { region: "Regioner", rss: "Kommunerna i länet gemensamt", kommun: "Kommuner",
    "": "Okänd aktörstyp" };
  var TYPE_ONE = { region: "region", rss: "kommunerna i länet", kommun: "kommun", "": "" };
  var NOVELTY = ["", "Ny text", "Omarbetad text", "Upprepad från förra årets rapport"];
  var UP = { 1: "↑", 2: "↑", 4: "↑" };
  var DOWN = { 5: "↓", 6: "↓" };
  var PAGE = 50;

  function changeText(code, before, after) {
    switch (code) {
      case 1: return "Nytt sedan " + before + ": pågår, nämndes inte eller saknades då";
      case 2: return "Planerades " + before + ", pågår " + after;
      case 3: return "Planeras både " + before + " och " + after;
      case 4: return "Planeras " + after + ", nämndes inte eller saknades " + before;
      case 5: return "Pågick " + before + ", planeras bara " + after;
      case 6: return "Pågick eller planerades " + before + ", nämns inte eller saknas " + after;
      case 7: return "Samma status " + before + " och " + after;
      case 8: return "Ingen rapport " + before + ": jämförs inte";
      case 9: return "Ingen rapport " + after + ": jämförs inte";
      case 10: return "En rapport kunde inte läsas " + before + " eller " + after + ": jämförs inte";
      case 11: return "En rapport lästes bara delvis " + before + " eller " + after + ": jämförs inte";
      default: return "";
    }
  }

  function number(n) {
    var text = String(n), out = "";
    while (text.length > 3) {
      out = "\u00a0" + text.slice(-3) + out;
      text = text.slice(0, -3);
    }
    return text + out;
  }

  function passagesWord(n) {
    return number(n) + (n === 1 ? " stycke" : " stycken");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function $(id) {
    return document.getElementById(id);
  }

  // --- indexes ------------------------------------------------------------------------
  var NT = D.themes.length;
  var NP = P.length;
  var pRow = new Int32Array(NP);
  var rowPassages = D.rows.map(function () { return []; });
  var counts = new Int32Array(D.rows.length * NT);
  for (var i = 0; i < NP; i++) {
    var r = D.files[P[i][0]][3];
    pRow[i] = r;
    if (r < 0) continue;
    rowPassages[r].push(i);
    var tags = P[i][5];
    if (D.new_only && P[i][4] === 3) continue; // repeated text counts for nothing
    for (var k = 0; k < tags.length; k++) counts[r * NT + tags[k][0]]++;
  }
  var lower = new Array(NP);

  // --- state ----------------------------------------------------------------------------
  var S = { year: D.years.length ? D.years.length - 1 : -1, theme: -1, status: -1, type: -1,
    lan: -1, query: "", cell: null };
  var multiYear = D.years.length > 1 ||
    (D.years.length > 0 && D.rows.some(function (row) { return row[3] < 0; }));

  function rowShown(r) {
    var row = D.rows[r];
    if (multiYear && row[3] !== S.year) return false;
    if (S.type >= 0 && row[1] !== S.type) return false;
    if (S.lan >= 0 && row[2] !== S.lan) return false;
    if (S.status >= 0) {
      if (S.theme >= 0) return row[6][S.theme] === S.status;
      return row[6].indexOf(S.status) >= 0;
    }
    return true;
  }

  function themesShown() {
    var out = [];
    for (var t = 0; t < NT; t++) if (S.theme < 0 || S.theme === t) out.push(t);
    return out;
  }

  // --- filters --------------------------------------------------------------------------
  function option(select, value, label) {
    var node = el("option", null, label);
    node.value = String(value);
    select.appendChild(node);
    return node;
  }

  function fillFilters() {
    var theme = $("theme");
    D.areas.forEach(function (area, a) {
      var group = el("optgroup");
      group.label = area[1];
      D.themes.forEach(function (item, t) {
        if (item[2] === a) option(group, t, item[1]);
      });
      if (group.children.length) theme.appendChild(group);
    });
    D.themes.forEach(function (item, t) {
      if (item[2] < 0) option(theme, t, item[1]);
    });
    D.types.forEach(function (type, n) {
      option($("type"), n, TYPES[type] !== undefined ? TYPES[type] : type);
    });
    D.lans.forEach(function (lan, n) {
      option($("lan"), n + 1, lan);
    });
    if (multiYear) {
      $("year-filter").hidden = false;
      D.years.forEach(function (year, n) { option($("year"), n, String(year)); });
      if (D.rows.some(function (row) { return row[3] < 0; })) option($("year"), -1, "Okänt år");
      $("year").value = String(S.year);
    }
  }

  function readFilters() {
    S.year = multiYear ? Number($("year").value) : S.year;
    S.theme = $("theme").value === "" ? -1 : Number($("theme").value);
    S.status = $("status").value === "" ? -1 : Number($("status").value);
    S.type = $("type").value === "" ? -1 : Number($("type").value);
    S.lan = $("lan").value === "" ? -1 : Number($("lan").value);
    if (S.cell && (!rowShown(S.cell.r) || (S.theme >= 0 && S.theme !== S.cell.t))) S.cell = null;
  }

  // --- the matrix -----------------------------------------------------------------------
  function legend() {
    var list = $("legend");
    [3, 2, 1, 0, 4, 5].concat(multiYear ? [6] : []).forEach(function (state) {
      var item = el("li");
      item.appendChild(el("span", "swatch s" + state));
      item.appendChild(document.createTextNode(STATE[state]));
      list.appendChild(item);
    });
    if (D.rows.some(function (row) { return row[7]; })) {
      var up = el("li");
      up.textContent = "↑ mer än året före, ↓ mindre (bland aktörer med rapport båda åren)";
      list.appendChild(up);
    }
  }

  function cellTitle(r, t) {
    var row = D.rows[r], state = row[6][t], n = counts[r * NT + t];
    var text = row[0] + " – " + D.themes[t][1] + ": " + STATE[state];
    if (n) text += " (" + passagesWord(n) + ")";
    if (row[7] && row[7][t] && row[3] > 0) {
      text += ". " + changeText(row[7][t], D.years[row[3] - 1], D.years[row[3]]);
    }
    return text;
  }

  function renderMatrix() {
    var table = $("matrix");
    var themes = themesShown();
    var head = el("thead");
    var areas = el("tr", "areas");
    var corner = el("th", "corner", "Aktör");
    corner.rowSpan = 2;
    areas.appendChild(corner);
    var last = null, span = null;
    themes.forEach(function (t) {
      var a = D.themes[t][2];
      if (span && a === last) {
        span.colSpan += 1;
      } else {
        span = el("th", null, a >= 0 ? D.areas[a][1] : "");
        span.title = a >= 0 ? D.areas[a][1] : "";
        span.scope = "colgroup";
        span.colSpan = 1;
        areas.appendChild(span);
        last = a;
      }
    });
    head.appendChild(areas);
    var names = el("tr", "themes");
    themes.forEach(function (t) {
      var th = el("th", S.cell && S.cell.t === t ? "chosen" : null);
      th.scope = "col";
      th.title = D.themes[t][1];
      th.appendChild(el("span", null, D.themes[t][1]));
      names.appendChild(th);
    });
    head.appendChild(names);
    var body = el("tbody");
    var shown = 0, group = null;
    for (var r = 0; r < D.rows.length; r++) {
      if (!rowShown(r)) continue;
      var row = D.rows[r];
      if (row[1] !== group) {
        group = row[1];
        var size = 0;
        for (var s = r; s < D.rows.length && D.rows[s][1] === group; s++) if (rowShown(s)) size++;
        var heading = el("tr", "group");
        var label = el("th", null, (TYPES[D.types[group]] || D.types[group]) + " (" + size + ")");
        label.colSpan = themes.length + 1;
        label.scope = "colgroup";
        heading.appendChild(label);
        body.appendChild(heading);
      }
      shown++;
      var tr = el("tr");
      var name = el("th", null, row[0]);
      name.scope = "row";
      var lan = row[2] ? D.lans[row[2] - 1] : "";
      if (lan) name.appendChild(el("small", null, lan));
      name.title = row[0] + (lan ? ", " + lan : "") + (row[5] ? ". " + row[5] : "");
      tr.appendChild(name);
      for (var n = 0; n < themes.length; n++) {
        var t = themes[n], state = row[6][t], count = counts[r * NT + t];
        var td = el("td");
        var button = el("button", "cell s" + state, count ? String(count) : "");
        button.type = "button";
        button.setAttribute("data-r", String(r));
        button.setAttribute("data-t", String(t));
        button.title = cellTitle(r, t);
        button.setAttribute("aria-label", button.title);
        button.setAttribute("aria-pressed", S.cell && S.cell.r === r && S.cell.t === t ? "true" : "false");
        if (S.status >= 0 && state !== S.status) button.className += " dim";
        var change = row[7] ? row[7][t] : 0;
        if (UP[change] || DOWN[change]) {
          var mark = el("span", UP[change] ? "move up" : "move down", UP[change] || DOWN[change]);
          mark.setAttribute("aria-hidden", "true");
          button.appendChild(mark);
        }
        td.appendChild(button);
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    table.textContent = "";
    table.appendChild(head);
    table.appendChild(body);
    $("matrix-empty").hidden = shown > 0;
  }

  // --- the passages ---------------------------------------------------------------------
  var found = [], rendered = 0;

  function words(query) {
    return query.toLowerCase().split(/\s+/).filter(function (word) { return word; });
  }

  function lowerText(i) {
    var text = lower[i];
    if (text === undefined) text = lower[i] = P[i][3].toLowerCase();
    return text;
  }

  function tagOf(i, t) {
    var tags = P[i][5];
    for (var k = 0; k < tags.length; k++) if (tags[k][0] === t) return tags[k];
    return null;
  }

  function search() {
    var query = words(S.query);
    var theme = S.cell ? S.cell.t : S.theme;
    var out = [];
    // the passages in the matrix's order: row by row, each report's in its order
    var rows = [];
    if (S.cell) {
      rows.push(S.cell.r);
    } else {
      for (var r = 0; r < D.rows.length; r++) {
        var row = D.rows[r];
        if (multiYear && row[3] !== S.year) continue;
        if (S.type >= 0 && row[1] !== S.type) continue;
        if (S.lan >= 0 && row[2] !== S.lan) continue;
        rows.push(r);
      }
    }
    for (var m = 0; m < rows.length; m++) {
      var source = rowPassages[rows[m]];
      for (var n = 0; n < source.length; n++) filter(source[n], theme, query, out);
    }
    return out;
  }

  function filter(i, theme, query, out) {
    if (theme >= 0) {
      var tag = tagOf(i, theme);
      if (!tag || (S.status >= 0 && tag[1] !== S.status)) return;
    } else if (S.status >= 0) {
      var any = false, tags = P[i][5];
      for (var k = 0; k < tags.length; k++) if (tags[k][1] === S.status) any = true;
      if (!any) return;
    }
    if (query.length) {
      var text = lowerText(i);
      for (var q = 0; q < query.length; q++) if (text.indexOf(query[q]) < 0) return;
    }
    out.push(i);
  }

  function hitRanges(i) {
    var query = words(S.query), text = lowerText(i), out = [];
    if (!query.length || text.length !== P[i][3].length) return out;
    query.forEach(function (word) {
      var at = text.indexOf(word);
      while (at >= 0) {
        out.push(at, at + word.length);
        at = text.indexOf(word, at + word.length);
      }
    });
    return out;
  }

  function covered(ranges, a, b) {
    for (var k = 0; k < ranges.length; k += 2) if (ranges[k] <= a && b <= ranges[k + 1]) return true;
    return false;
  }

  function textWithEvidence(text, sentences, terms, hits) {
    var cuts = [0, text.length].concat(sentences, terms, hits)
      .filter(function (x) { return x >= 0 && x <= text.length; })
      .sort(function (a, b) { return a - b; });
    var out = el("p", "text");
    for (var k = 0; k + 1 < cuts.length; k++) {
      var a = cuts[k], b = cuts[k + 1];
      if (a === b) continue;
      var node = document.createTextNode(text.slice(a, b));
      if (covered(hits, a, b)) {
        var hit = el("span", "hit");
        hit.appendChild(node);
        node = hit;
      }
      if (covered(terms, a, b)) {
        var strong = el("strong", "term");
        strong.appendChild(node);
        node = strong;
      }
      if (covered(sentences, a, b)) {
        var mark = el("mark", "evidence");
        mark.appendChild(node);
        node = mark;
      }
      out.appendChild(node);
    }
    return out;
  }

  function link(file, page) {
    var base = BASES[file[4]];
    var shown = (base ? base.text : "") + file[0];
    var where = el("span", "where");
    if (base && file[1]) {
      var a = el("a", null, page ? "Öppna rapporten på sidan " + page : "Öppna rapporten");
      var href = base.href + file[1];
      if (page && file[2] === "pdf") {
        href += "#page=" + page;
        shown += "#page=" + page;
      }
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener";
      where.appendChild(a);
      where.appendChild(document.createTextNode(" "));
    } else if (page) {
      where.appendChild(document.createTextNode("Sidan " + page + " "));
    }
    where.appendChild(el("span", "path", shown));
    return where;
  }

  function item(i) {
    var p = P[i], file = D.files[p[0]], row = D.rows[file[3]];
    var focus = S.cell ? S.cell.t : S.theme;
    var tags = p[5].slice();
    var main = focus >= 0 ? tagOf(i, focus) : null;
    if (main) tags.sort(function (a, b) { return (b === main) - (a === main); });
    var li = el("li", "passage b" + (main ? main[1] : Math.max.apply(null, tags.map(function (tag) { return tag[1]; }))));
    li.setAttribute("data-p", String(i));
    var meta = el("div", "meta");
    meta.appendChild(el("span", "actor", row[0]));
    var about = [TYPE_ONE[D.types[row[1]]], row[2] ? D.lans[row[2] - 1] : "",
      row[3] >= 0 ? String(D.years[row[3]]) : ""].filter(function (x) { return x; });
    if (about.length) meta.appendChild(el("span", "about", about.join(", ")));
    tags.forEach(function (tag) {
      var chip = el("span", "chip s" + tag[1], D.themes[tag[0]][1] + ": " + STATE_SHORT[tag[1]]);
      if (tag === main) chip.className += " main";
      meta.appendChild(chip);
    });
    if (p[4]) meta.appendChild(el("span", "novelty", NOVELTY[p[4]]));
    li.appendChild(meta);
    var sentences = [], terms = [];
    (main ? [main] : p[5]).forEach(function (tag) {
      sentences = sentences.concat(tag[2]);
      terms = terms.concat(tag[3]);
    });
    li.appendChild(textWithEvidence(p[3], sentences, terms, hitRanges(i)));
    var source = el("div", "source");
    var section = D.sections[p[2]];
    source.appendChild(el("span", "section", section ? "Avsnitt: " + section : "Utan avsnittsrubrik"));
    source.appendChild(link(file, p[1]));
    li.appendChild(source);
    return li;
  }

  function renderMore() {
    var list = $("list"), stop = Math.min(found.length, rendered + PAGE);
    var fragment = document.createDocumentFragment();
    for (; rendered < stop; rendered++) fragment.appendChild(item(found[rendered]));
    list.appendChild(fragment);
    var left = found.length - rendered;
    $("more").hidden = left <= 0;
    $("more").textContent = "Visa fler (" + number(left) + " kvar)";
  }

  function renderList() {
    found = search();
    rendered = 0;
    $("list").textContent = "";
    var parts = [];
    var note = "";
    if (S.cell) {
      var row = D.rows[S.cell.r], state = row[6][S.cell.t];
      parts.push(row[0] + " om " + D.themes[S.cell.t][1] + ": " + STATE[state].toLowerCase());
      if (row[4] === 2) note = "Rapporten kunde inte läsas" + (row[5] ? ": " + row[5] : ".");
      else if (row[4] === 1) note = "Rapporten lästes bara delvis" + (row[5] ? ": " + row[5] : ".");
      else if (state === 0) note = "Aktörens rapport nämner inte temat.";
    } else if (S.theme >= 0) {
      parts.push(D.themes[S.theme][1]);
    }
    if (S.status === 0 && !found.length) {
      note = note || "Stycken finns bara för teman som nämns: välj en annan status för att se stycken.";
    }
    if (S.query) parts.push("med ”" + S.query + "”");
    $("list-summary").textContent = passagesWord(found.length) + (parts.length ? " – " + parts.join(", ") : "");
    $("list-note").textContent = note;
    $("list-note").hidden = !note;
    $("show-all").hidden = !S.cell;
    renderMore();
  }

  // --- events ---------------------------------------------------------------------------
  function update(matrix) {
    readFilters();
    if (matrix) {
      renderSummary();
      renderMatrix();
    }
    renderList();
  }

  ["year", "theme", "status", "type", "lan"].forEach(function (id) {
    $(id).addEventListener("change", function () { update(true); });
  });
  var timer = null;
  $("query").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      S.query = $("query").value.trim();
      renderList();
    }, 150);
  });
  $("filters").addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    S.query = $("query").value.trim();
    renderList();
  });
  $("reset").addEventListener("click", function () {
    ["theme", "status", "type", "lan"].forEach(function (id) { $(id).value = ""; });
    $("query").value = "";
    S.query = "";
    S.cell = null;
    if (multiYear) $("year").value = String(D.years.length - 1);
    update(true);
  });
  $("matrix").addEventListener("click", function (event) {
    var button = event.target.closest("button.cell");
    if (!button) return;
    var r = Number(button.getAttribute("data-r")), t = Number(button.getAttribute("data-t"));
    S.cell = S.cell && S.cell.r === r && S.cell.t === t ? null : { r: r, t: t };
    var pressed = $("matrix").querySelectorAll('button.cell[aria-pressed="true"]');
    for (var k = 0; k < pressed.length; k++) pressed[k].setAttribute("aria-pressed", "false");
    if (S.cell) button.setAttribute("aria-pressed", "true");
    var heads = $("matrix").querySelectorAll("tr.themes th");
    var themes = themesShown();
    for (var h = 0; h < heads.length; h++) {
      heads[h].className = S.cell && themes[h] === S.cell.t ? "chosen" : "";
    }
    renderList();
    if (S.cell) $("list-heading").scrollIntoView({ block: "start" });
  });
  $("show-all").addEventListener("click", function () {
    S.cell = null;
    renderMatrix();
    renderList();
  });
  $("more").addEventListener("click", renderMore);
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; }) && rendered < found.length) {
        renderMore();
      }
    }, { rootMargin: "600px" }).observe($("more"));
  }

  // --- start ----------------------------------------------------------------------------
  function renderSummary() {
    var actors = 0, files = 0, passages = 0;
    for (var a = 0; a < D.rows.length; a++) {
      if (multiYear && D.rows[a][3] !== S.year) continue;
      actors++;
      passages += rowPassages[a].length;
    }
    for (var f = 0; f < D.files.length; f++) {
      var row = D.files[f][3];
      if (row >= 0 && (!multiYear || D.rows[row][3] === S.year)) files++;
    }
    var year = multiYear ? (S.year >= 0 ? String(D.years[S.year]) : "Okänt år") + ": " : "";
    $("summary").textContent = year + number(actors) + (actors === 1 ? " aktör, " : " aktörer, ") +
      number(files) + (files === 1 ? " läst rapport, " : " lästa rapporter, ") +
      passagesWord(passages) + " med teman. Taxonomi: " +
      [D.taxonomy.name, D.taxonomy.version].filter(function (x) { return x; }).join(" ") + ".";
  }

  if (D.new_only) {
    $("help").textContent += " Räknat på ny och omarbetad text: stycken som upprepas " +
      "från förra årets rapport räknas inte (men visas, märkta).";
  }
  fillFilters();
  legend();
  renderSummary();
  $("colophon").textContent = "Skapad av " + D.generator + ". En aktörs status för ett tema " +
    "sammanfattar alla dess stycken om temat: pågår före planeras före saknas. " +
    "Bara stycken som tagits med ett tema finns med här; alla stycken finns i passages.csv.";
  renderMatrix();
  renderList();
  window.nvExplorer = { ready: true, loadMs: performance.now(), scriptMs: started,
    parsedMs: parsed, passages: NP };
  document.documentElement.setAttribute("data-ready", "true");
})();
