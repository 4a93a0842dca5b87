// The world map's slider and play button (/map): the page draws both maps at one month;
// this loads every contributor-month and mission-month figure once (/map/data.json) and
// steps the maps through the months by changing their rows in place: no request per frame.
// The rows it makes are those of bluehelmet.query.atlas.Atlas.at, field for field, so a
// map's "Download data" (its link follows the month) and its tooltip say the same.
(function () {
  "use strict";
  var box = document.getElementById("map-controls");
  if (!box) { return; }
  var slider = box.querySelector(".slider"), shown = box.querySelector(".month"), play = box.querySelector(".play");
  var missing = document.querySelector(".map-missing");
  var measure = box.dataset.measure, atlas = null, timer = null, busy = Promise.resolve(), ids = null;
  box.hidden = false;

  function view(name) {
    var el = document.getElementById("chart-" + name);
    if (!el) { return Promise.resolve(null); }
    if (el.vegaView) { return Promise.resolve(el.vegaView); }
    return new Promise(function (done) { el.addEventListener("chart-ready", function () { done(el.vegaView); }, {once: true}); });
  }

  function contributorsAt(i) {
    var month = atlas.months[i], everybody = 0, rows = [];
    atlas.totals.forEach(function (t) { everybody += t[i]; });
    Object.keys(atlas.contributors).forEach(function (iso3) {
      var c = atlas.contributors[iso3], j = i - c.first;
      if (j < 0 || j >= c.values[0].length) { return; }
      var row = {month: month, contributor: iso3, contributor_name: c.name}, total = 0;
      atlas.types.forEach(function (t, k) { row[t] = c.values[k][j]; total += c.values[k][j]; });
      if (!total) { return; }
      row.personnel = total;
      row.share_pct = everybody ? Math.round(100000 * total / everybody) / 1000 : null;
      row.m49 = c.m49;
      row.shown = row[measure];
      row.page = "/countries/" + encodeURIComponent(c.name);
      rows.push(row);
    });
    rows.sort(function (a, b) { return b.personnel - a.personnel || (a.contributor < b.contributor ? -1 : 1); });
    return rows;
  }

  function missionsAt(i) {
    var month = atlas.months[i], rows = [];
    Object.keys(atlas.missions).forEach(function (acronym) {
      var m = atlas.missions[acronym], v = m.values[i - m.first];
      if (v === undefined || v === null || !v || m.lon === null) { return; }
      rows.push({month: month, mission: acronym, name: m.name, personnel: v, hq: m.hq, longitude: m.lon,
                 latitude: m.lat, page: "/missions/" + acronym});
    });
    rows.sort(function (a, b) { return b.personnel - a.personnel || (a.mission < b.mission ? -1 : 1); });
    // labels clear those of larger missions nearby, as web/charts.py _place_labels does
    var placed = [];
    rows.forEach(function (r) {
      r.label_latitude = null;
      [r.latitude, r.latitude - 3.5].some(function (lat) {
        if (placed.some(function (p) { return Math.abs(r.longitude - p[0]) < 14 && Math.abs(lat - p[1]) < 3; })) {
          return false;
        }
        placed.push([r.longitude, lat]);
        r.label_latitude = lat;
        return true;
      });
    });
    return rows;
  }

  function sourceLine(month) {
    var names = atlas.datasets.filter(function (d) { return d.first <= month && month <= d.last; })
      .map(function (d) { return d.name; });
    return "Source: " + (names.join("; ") || "no source file") + " · bluehelmet database built " + atlas.built;
  }

  function put(v, rows, month) {
    if (!v) { return Promise.resolve(); }
    v.change("chart", vega.changeset().remove(function () { return true; }).insert(rows));
    v.signal("month", month).signal("source", sourceLine(month));
    return v.runAsync();
  }

  function show(i) {
    var month = atlas.months[i], rows = contributorsAt(i);
    slider.value = String(i);
    shown.textContent = month;
    var h1 = document.querySelector("main h1");
    if (h1) { h1.textContent = h1.textContent.replace(/\d{4}-\d{2}$/, month); }
    box.dataset.month = month;
    var lost = rows.filter(function (r) { return !r.m49 || (ids && !ids.has(r.m49)); }).map(function (r) { return r.contributor_name; });
    var missions = missionsAt(i), says = [];
    if (lost.length) { says.push("not drawn at " + month + " (no shape on the 1:110m map): " + lost.join(", ")); }
    // a month the mission data lack (2018-03..2019-08) is a gap, not a world without missions
    if (!missions.length) { says.push("no mission figures for " + month + ": the missions map is empty"); }
    if (missing) {
      missing.hidden = !says.length;
      missing.textContent = says.join("; ");
    }
    // the month is part of the address and of every download, so what is shown can be cited
    var url = new URL(window.location.href);
    url.searchParams.set("month", month);
    window.history.replaceState(null, "", url);
    document.querySelectorAll("a.download-data").forEach(function (a) {
      var u = new URL(a.href, window.location.href);
      u.searchParams.set("month", month);
      a.href = u.pathname + u.search;
    });
    busy = busy.then(function () {
      return Promise.all([view("contributors_map").then(function (v) { return put(v, rows, month); }),
                          view("missions_map").then(function (v) { return put(v, missions, month); })]);
    }).then(function () { box.dataset.shown = month; });
    return busy;
  }

  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    play.textContent = "\u25B6 Play";
  }

  slider.addEventListener("input", function () { stop(); show(Number(slider.value)); });
  play.addEventListener("click", function () {
    if (timer) { stop(); return; }
    var i = Number(slider.value);
    if (i >= atlas.months.length - 1) { i = 0; }
    play.textContent = "\u275A\u275A Pause";
    show(i);
    timer = setInterval(function () {
      if (Number(slider.value) >= atlas.months.length - 1) { stop(); return; }
      show(Number(slider.value) + 1);
    }, 300);
  });
  document.querySelector("form.map-form select[name=measure]").addEventListener("change", function (e) {
    e.target.form.submit();
  });

  Promise.all([fetch(box.dataset.src).then(function (r) { return r.json(); }),
               fetch("/static/vendor/countries-110m.json").then(function (r) { return r.json(); })])
    .then(function (got) {
      atlas = got[0];
      ids = new Set(got[1].objects.countries.geometries.map(function (g) { return g.id; }));
      slider.max = String(atlas.months.length - 1);
      slider.value = String(Math.max(0, atlas.months.indexOf(box.dataset.month)));
      slider.disabled = false;
      play.disabled = false;
      box.dataset.ready = "true";
    });
}());
