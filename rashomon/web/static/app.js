// Rashomon workbench: map, timeline, event cards, stories and reports over the read-only REST API.
//
// Report text is untrusted. Every piece of data reaches the page through text nodes (h() below turns
// strings into text nodes) or setAttribute on a fixed list of harmless attributes; no string is ever
// parsed as markup. Links are built from ids with encodeURIComponent, and a report's own URL is
// only linked when it is http(s).
"use strict";

(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const TYPE_COLORS = {
    "Battles": "#c62828",
    "Explosions/Remote violence": "#ef6c00",
    "Violence against civilians": "#6a1b9a",
    "Protests": "#2e7d32",
    "Riots": "#795548",
    "Strategic developments": "#1565c0",
  };
  const OTHER_COLOR = "#757575";
  const FIELD_ORDER = ["event_type", "date", "location", "actor1", "actor2", "fatalities"];
  const FIELD_NAMES = {
    event_type: "Type", sub_event_type: "Sub-type", date: "Date", location: "Place", actor1: "Actor 1",
    actor2: "Actor 2", fatalities: "Fatalities",
  };
  const PAGE = 50;
  const SHOWN_SOURCES = 2;  // sentences shown per claim before "more"
  const SAFE_ATTRS = new Set(["class", "href", "title", "id", "role", "tabindex", "type", "value", "name",
    "aria-label", "aria-current", "data-id", "data-field", "data-doc", "colspan", "scope", "lang", "dir"]);

  // ---- DOM helpers: data only ever becomes text ------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      else if (v !== null && v !== undefined) el.setAttribute(k, String(v));
    }
    append(el, children);
    return el;
  }
  function setAttrs(el, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "on") { for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn); continue; }
      if (!SAFE_ATTRS.has(k)) throw new Error("attribute not allowed: " + k);
      if (k === "href" && !/^(#|\/|https?:)/i.test(String(v))) continue;
      el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
  const $ = (sel) => document.querySelector(sel);

  const color = (type) => TYPE_COLORS[type] || OTHER_COLOR;
  const eventHref = (id) => "#/event/" + encodeURIComponent(id);
  const storyHref = (id) => "#/story/" + encodeURIComponent(id);
  function docHref(id, start, end) {
    let href = "#/doc/" + encodeURIComponent(id);
    if (Number.isInteger(start) && Number.isInteger(end)) href += "?start=" + start + "&end=" + end;
    return href;
  }
  function radius(fatalities) {
    if (!fatalities || fatalities < 0) return 4.5;
    return Math.min(24, 4.5 + 2.6 * Math.sqrt(fatalities));
  }
  function fmtDate(date, precision) {
    if (!date) return "date unknown";
    if (precision && precision !== "day") return date + " (" + precision + ")";
    return date;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ---- API ---------------------------------------------------------------------------------------------
  async function api(path, params) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v === null || v === undefined || v === "" || v === false) continue;
      if (Array.isArray(v)) v.forEach((x) => url.searchParams.append(k, x));
      else url.searchParams.set(k, String(v));
    }
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const detail = body && body.detail;
      const msg = Array.isArray(detail) ? detail.map((d) => (d.loc || []).slice(-1)[0] + ": " + d.msg).join("; ")
        : (detail || res.statusText);
      const err = new Error(String(msg));
      err.status = res.status;
      throw err;
    }
    return body;
  }
  function status(text, isError) {
    const el = $("#status");
    el.textContent = text || "";
    el.classList.toggle("error", !!isError);
  }

  // ---- state -------------------------------------------------------------------------------------------
  const state = {
    summary: null,
    events: [],          // brief items matching the filters
    total: 0,
    byId: new Map(),
    selected: null,      // event id shown in the card
    highlight: null,     // Set of event ids (a story's), others dimmed
    listPage: 0,
    filters: {},
    loadSeq: 0,
  };

  // ---- map ---------------------------------------------------------------------------------------------
  const W = 1000;  // world width in projected units (Mercator)
  const MAX_LAT = 85;
  function project(lon, lat) {
    const la = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI / 180;
    return [(lon + 180) / 360 * W, (1 - Math.log(Math.tan(Math.PI / 4 + la / 2)) / Math.PI) / 2 * W];
  }
  function unproject(x, y) {
    const lon = x / W * 360 - 180;
    const lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y / W))) * 180 / Math.PI;
    return [lon, lat];
  }
  const map = { svg: null, countries: null, labels: null, markers: null, vb: { x: 0, y: 150, w: W, h: 600 },
    fitted: false };

  function initMap() {
    const box = $("#map");
    map.svg = s("svg", { role: "img", "aria-label": "Map of events" });
    map.countries = s("g", { class: "countries" });
    map.labels = s("g", { class: "country-labels" });
    map.markers = s("g", { class: "markers" });
    map.svg.append(map.countries, map.labels, map.markers);
    box.insertBefore(map.svg, box.firstChild);
    box.appendChild(h("div", { class: "attribution" }, "Basemap: Natural Earth"));
    setView(map.vb);

    let drag = null;
    map.svg.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vb: { ...map.vb }, moved: false, id: e.pointerId };
    });
    map.svg.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const k = map.vb.w / map.svg.clientWidth;
      const dx = (e.clientX - drag.x) * k, dy = (e.clientY - drag.y) * k;
      if (!drag.moved && Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < 4) return;
      if (!drag.moved) { drag.moved = true; map.svg.setPointerCapture(drag.id); map.svg.classList.add("dragging"); }
      setView({ ...drag.vb, x: drag.vb.x - dx, y: drag.vb.y - dy });
    });
    const endDrag = () => {
      if (drag && drag.moved) { map.svg.classList.remove("dragging"); viewChanged(); }
      drag = null;
    };
    map.svg.addEventListener("pointerup", endDrag);
    map.svg.addEventListener("pointercancel", endDrag);
    map.svg.addEventListener("click", (e) => { if (map.svg.classList.contains("dragging")) e.stopPropagation(); }, true);
    map.svg.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = map.svg.getBoundingClientRect();
      zoom(Math.exp(-e.deltaY * 0.0015), (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
    }, { passive: false });
    $("#zoom-in").addEventListener("click", () => zoom(1.6, 0.5, 0.5));
    $("#zoom-out").addEventListener("click", () => zoom(1 / 1.6, 0.5, 0.5));
    $("#zoom-fit").addEventListener("click", () => { fitEvents(); viewChanged(); });
    new ResizeObserver(() => { setView(map.vb); drawTimeline(); }).observe(box);
  }

  let viewTimer = null;
  function viewChanged() {
    // with "in map view" ticked, the list follows the map
    if (!$("#filters").elements.inview.checked) return;
    clearTimeout(viewTimer);
    viewTimer = setTimeout(() => loadEvents(), 250);
  }

  function zoom(factor, fx, fy) {
    const vb = map.vb;
    const w = Math.max(0.5, Math.min(W * 1.2, vb.w / factor));
    const k = w / vb.w;
    setView({ x: vb.x + (vb.w - w) * fx, y: vb.y + (vb.h - vb.h * k) * fy, w, h: vb.h * k });
    viewChanged();
  }

  function setView(vb) {
    const cw = map.svg.clientWidth || 800, ch = map.svg.clientHeight || 500;
    // keep the box's aspect equal to the element's, around the same centre
    const cx = vb.x + vb.w / 2, cy = vb.y + vb.h / 2;
    const w = vb.w, hgt = w * ch / cw;
    map.vb = { x: cx - w / 2, y: cy - hgt / 2, w, h: hgt };
    map.svg.setAttribute("viewBox", [map.vb.x, map.vb.y, map.vb.w, map.vb.h].map((v) => v.toFixed(4)).join(" "));
    sizeMarkers();
  }

  function sizeMarkers() {
    const k = map.vb.w / (map.svg.clientWidth || 800);  // projected units per screen pixel
    for (const c of map.markers.querySelectorAll("circle")) {
      c.setAttribute("r", (Number(c.dataset.px) * k).toFixed(5));
    }
    // country names where the country is wide enough on screen to carry one
    for (const t of map.labels.childNodes) {
      const show = Number(t.dataset.w) / k > 60 && map.vb.w < W * 0.6;
      t.setAttribute("display", show ? "inline" : "none");
      if (show) t.setAttribute("font-size", (11 * k).toFixed(5));
    }
  }

  function currentBbox() {
    const [minlon, maxlat] = unproject(map.vb.x, map.vb.y);
    const [maxlon, minlat] = unproject(map.vb.x + map.vb.w, map.vb.y + map.vb.h);
    const clamp = (v, m) => Math.max(-m, Math.min(m, v));
    return [clamp(minlon, 180), clamp(minlat, 90), clamp(maxlon, 180), clamp(maxlat, 90)]
      .map((v) => v.toFixed(4)).join(",");
  }

  function fitEvents() {
    const pts = state.events.filter((e) => e.location.lat !== null && e.location.lon !== null)
      .map((e) => project(e.location.lon, e.location.lat));
    if (!pts.length) { setView({ x: 0, y: 150, w: W, h: 600 }); return; }
    let [x0, y0] = pts[0], [x1, y1] = pts[0];
    for (const [x, y] of pts) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    const minSpan = 12;  // ~4 degrees: keep the surroundings in view around a single place
    let w = Math.max(x1 - x0, minSpan) * 1.35, hh = Math.max(y1 - y0, minSpan) * 1.35;
    const aspect = (map.svg.clientWidth || 800) / (map.svg.clientHeight || 500);
    if (w / hh < aspect) w = hh * aspect;
    setView({ x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - w / aspect / 2, w, h: w / aspect });
    map.fitted = true;
  }

  function ringsPath(coords) {
    let d = "";
    for (const polygon of coords) {
      for (const ring of polygon) {
        let prev = null;
        for (let i = 0; i < ring.length; i++) {
          let [x, y] = project(ring[i][0], ring[i][1]);
          // keep rings that cross the antimeridian from spanning the whole world
          if (prev && Math.abs(x - prev[0]) > W / 2) x += x < prev[0] ? W : -W;
          d += (i ? "L" : "M") + x.toFixed(2) + " " + y.toFixed(2);
          prev = [x, y];
        }
        d += "Z";
      }
    }
    return d;
  }

  function labelPoint(coords) {
    // the centre of the bounding box of the country's largest polygon, in projected units, and its width
    let best = null;
    for (const polygon of coords) {
      const pts = polygon[0].map(([lon, lat]) => project(lon, lat));
      const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
      const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
      const area = (x1 - x0) * (y1 - y0);
      if (x1 - x0 < W / 2 && (!best || area > best.area)) best = { area, x: (x0 + x1) / 2, y: (y0 + y1) / 2, w: x1 - x0 };
    }
    return best ? [best.x, best.y, best.w] : null;
  }

  async function loadBasemap() {
    try {
      const res = await fetch("/static/countries.geo.json");
      const geo = await res.json();
      const frag = document.createDocumentFragment(), labels = document.createDocumentFragment();
      for (const f of geo.features) {
        const name = f.properties && f.properties.name ? f.properties.name : "";
        const path = s("path", { class: "country", d: ringsPath(f.geometry.coordinates) });
        path.appendChild(s("title", {}, name));
        frag.appendChild(path);
        const at = labelPoint(f.geometry.coordinates);
        if (name && at) {
          labels.appendChild(s("text", { class: "country-label", x: at[0], y: at[1], "text-anchor": "middle",
            display: "none", "data-w": at[2] }, name));
        }
      }
      map.countries.appendChild(frag);
      map.labels.appendChild(labels);
      sizeMarkers();
    } catch (e) {
      status("basemap could not be loaded: " + e.message, true);
    }
  }

  function drawMarkers() {
    clear(map.markers);
    const located = state.events.filter((e) => e.location.lat !== null && e.location.lon !== null);
    located.sort((a, b) => radius(b.fatalities) - radius(a.fatalities));  // small ones on top
    const frag = document.createDocumentFragment();
    for (const e of located) {
      const [x, y] = project(e.location.lon, e.location.lat);
      const px = radius(e.fatalities);
      const dim = state.highlight && !state.highlight.has(e.id);
      const g = s("g", { class: "event-marker", "data-id": e.id });
      if (e.disputed) {
        g.appendChild(s("circle", { class: "dispute-ring" + (dim ? " dim" : ""), cx: x, cy: y, "data-px": px + 3.5 }));
      }
      const c = s("circle", {
        class: "marker" + (e.id === state.selected ? " selected" : "") + (dim ? " dim" : ""),
        cx: x, cy: y, fill: color(e.event_type), "data-px": px, "data-id": e.id, tabindex: 0, role: "button",
        "aria-label": markerLabel(e),
        on: {
          click: () => { location.hash = eventHref(e.id); },
          keydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); location.hash = eventHref(e.id); } },
        },
      });
      c.appendChild(s("title", {}, markerLabel(e)));
      g.appendChild(c);
      frag.appendChild(g);
    }
    map.markers.appendChild(frag);
    sizeMarkers();
  }

  function markerLabel(e) {
    const parts = [fmtDate(e.date, e.date_precision), e.sub_event_type || e.event_type || "event",
      e.location.name || "place unknown"];
    if (e.fatalities !== null && e.fatalities !== undefined) parts.push(e.fatalities + " killed");
    if (e.disputed) parts.push("disputed: " + (e.conflicts || []).join(", "));
    return parts.join(" · ");
  }

  function markSelected() {
    for (const c of map.markers.querySelectorAll("circle.marker")) {
      c.classList.toggle("selected", c.dataset.id === state.selected);
    }
    const sel = map.markers.querySelector('circle.marker.selected');
    if (sel) map.markers.appendChild(sel.parentNode);  // draw on top
    drawTimeline();
  }

  function drawLegend() {
    const box = clear($("#legend"));
    const present = new Set(state.events.map((e) => e.event_type));
    const types = Object.keys(TYPE_COLORS).filter((t) => present.has(t));
    if ([...present].some((t) => !(t in TYPE_COLORS))) types.push("other");
    for (const t of types) {
      box.appendChild(h("div", { class: "row" },
        swatch(t === "other" ? OTHER_COLOR : color(t)), t));
    }
    const ring = s("svg", { width: 14, height: 14 }, s("circle", { cx: 7, cy: 7, r: 5.5, class: "dispute-ring" }));
    box.appendChild(h("div", { class: "row" }, ring, "sources disagree (disputed)"));
    box.appendChild(h("div", { class: "row note" }, "size: fatalities (1, 10, 100)"));
    const unlocated = state.events.filter((e) => e.location.lat === null || e.location.lon === null).length;
    if (unlocated) box.appendChild(h("div", { class: "row note" }, plural(unlocated, "event") + " without a place (in the list)"));
  }
  function swatch(c) {
    const span = h("span", { class: "swatch" });
    span.style.background = c;
    return span;
  }

  // ---- timeline ----------------------------------------------------------------------------------------
  const DAY = 86400000;
  const tl = { svg: null, bins: [], x0: 0, x1: 1, brush: null };

  function initTimeline() {
    tl.svg = s("svg", { role: "img", "aria-label": "Timeline of events: drag to choose dates" });
    $("#timeline").appendChild(tl.svg);
    let start = null, rect = null;
    const xOf = (e) => e.clientX - tl.svg.getBoundingClientRect().left;
    tl.svg.addEventListener("pointerdown", (e) => {
      if (!tl.bins.length || e.button !== 0) return;
      start = xOf(e);
      rect = s("rect", { class: "tl-brush", x: start, y: 4, width: 0, height: 84 });
      tl.svg.appendChild(rect);
      tl.svg.setPointerCapture(e.pointerId);
    });
    tl.svg.addEventListener("pointermove", (e) => {
      if (start === null) return;
      const x = xOf(e);
      rect.setAttribute("x", Math.min(x, start));
      rect.setAttribute("width", Math.abs(x - start));
    });
    tl.svg.addEventListener("pointerup", (e) => {
      if (start === null) return;
      const x = xOf(e);
      rect.remove();
      const a = Math.min(x, start), b = Math.max(x, start);
      start = null;
      if (b - a < 4) {  // a click: the bin under the pointer
        const bin = tl.bins.find((bn) => a >= bn.px0 - 1 && a <= bn.px1 + 1);
        if (bin && bin.items.length) setDates(bin.t0, bin.t1 - DAY);
        return;
      }
      setDates(tl.timeAt(a), tl.timeAt(b));
    });
  }

  function setDates(t0, t1) {
    const form = $("#filters");
    form.elements.start.value = new Date(t0).toISOString().slice(0, 10);
    form.elements.end.value = new Date(t1).toISOString().slice(0, 10);
    applyFilters();
  }

  function binStart(t, unit) {
    const d = new Date(t);
    if (unit === "day") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    if (unit === "week") { const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); return day - ((d.getUTCDay() + 6) % 7) * DAY; }
    if (unit === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    return Date.UTC(d.getUTCFullYear(), 0, 1);
  }
  function binNext(t, unit) {
    const d = new Date(t);
    if (unit === "day") return t + DAY;
    if (unit === "week") return t + 7 * DAY;
    if (unit === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  }

  function drawTimeline() {
    if (!tl.svg) return;
    clear(tl.svg);
    const width = tl.svg.clientWidth || 800, height = tl.svg.clientHeight || 120;
    const dated = state.events.filter((e) => e.date);
    const undated = state.events.length - dated.length;
    if (!dated.length) {
      tl.bins = [];
      tl.svg.appendChild(s("text", { class: "tl-note", x: 12, y: 24 }, state.events.length ? "no dated events" : "no events"));
      return;
    }
    const times = dated.map((e) => Date.parse(e.date + "T00:00:00Z"));
    let lo = Math.min(...times), hi = Math.max(...times);
    const span = (hi - lo) / DAY;
    const unit = span <= 90 ? "day" : span <= 700 ? "week" : span <= 365 * 12 ? "month" : "year";
    lo = binStart(lo - (span < 3 ? 2 * DAY : 0), unit);
    hi = binNext(binStart(hi + (span < 3 ? 2 * DAY : 0), unit), unit);
    const left = 12, right = width - 12, base = height - 26;
    tl.x0 = lo; tl.x1 = hi;
    const px = (t) => left + (t - lo) / (hi - lo) * (right - left);
    tl.timeAt = (x) => lo + (x - left) / (right - left) * (hi - lo);
    const bins = new Map();
    for (let t = lo; t < hi; t = binNext(t, unit)) bins.set(t, { t0: t, t1: binNext(t, unit), items: [] });
    dated.forEach((e, i) => { const b = bins.get(binStart(times[i], unit)); if (b) b.items.push(e); });
    tl.bins = [...bins.values()];
    const maxCount = Math.max(...tl.bins.map((b) => b.items.length));
    const top = 18;
    for (const b of tl.bins) {
      b.px0 = px(b.t0); b.px1 = px(b.t1);
      if (!b.items.length) continue;
      const bw = Math.max(1.5, b.px1 - b.px0 - 1);
      // stacked by type
      const byType = new Map();
      for (const e of b.items) byType.set(e.event_type, (byType.get(e.event_type) || 0) + 1);
      let y = base;
      for (const [type, n] of byType) {
        const hgt = n / maxCount * (base - top);
        y -= hgt;
        const r = s("rect", { class: "tl-bar", x: b.px0, y, width: bw, height: Math.max(hgt, 1), fill: color(type) });
        r.appendChild(s("title", {}, new Date(b.t0).toISOString().slice(0, 10) + " (" + unit + "): " + n + " × " + (type || "unknown type")));
        tl.svg.appendChild(r);
      }
    }
    tl.svg.appendChild(s("line", { class: "tl-axis", x1: left, x2: right, y1: base + 0.5, y2: base + 0.5 }));
    // labels: at most ~8, on bin starts
    const labelUnit = unit === "day" ? "day" : unit === "week" ? "month" : unit === "month" ? (span > 365 * 3 ? "year" : "month") : "year";
    let ticks = [];
    for (let t = binStart(lo, labelUnit); t < hi; t = binNext(t, labelUnit)) if (t >= lo) ticks.push(t);
    const every = Math.ceil(ticks.length / Math.max(2, Math.floor((right - left) / 90)));
    ticks = ticks.filter((_, i) => i % every === 0);
    for (const t of ticks) {
      const x = px(t);
      const iso = new Date(t).toISOString();
      const label = labelUnit === "year" ? iso.slice(0, 4) : labelUnit === "month" ? iso.slice(0, 7) : iso.slice(0, 10);
      tl.svg.appendChild(s("line", { class: "tl-axis", x1: x, x2: x, y1: base, y2: base + 4 }));
      tl.svg.appendChild(s("text", { class: "tl-label", x: x + 2, y: base + 16 }, label));
    }
    const sel = state.selected && state.byId.get(state.selected);
    if (sel && sel.date) {
      const x = px(Date.parse(sel.date + "T00:00:00Z"));
      tl.svg.appendChild(s("path", { class: "tl-selected", d: `M${x - 5} ${top - 6}L${x + 5} ${top - 6}L${x} ${top}Z` }));
    }
    if (undated) tl.svg.appendChild(s("text", { class: "tl-note", x: right, y: 14, "text-anchor": "end" }, undated + " undated"));
  }

  // ---- filters and loading -----------------------------------------------------------------------------
  function readFilters() {
    const f = $("#filters").elements;
    return {
      start: f.start.value, end: f.end.value, type: f.type.value, actor: f.actor.value.trim(),
      q: f.q.value.trim(), disputed: f.disputed.checked ? "true" : "", bbox: f.inview.checked ? currentBbox() : "",
    };
  }

  function applyFilters() {
    state.listPage = 0;
    loadEvents().then(() => {
      if (!location.hash || location.hash === "#/" || location.hash === "#") route();
    });
  }

  async function loadEvents() {
    const seq = ++state.loadSeq;
    const filters = readFilters();
    status("loading…");
    const items = [];
    let total = 0;
    try {
      for (let offset = 0; ; offset += 5000) {
        const page = await api("/api/events", { ...filters, view: "brief", limit: 5000, offset });
        total = page.total;
        items.push(...page.items);
        if (items.length >= total || !page.items.length || items.length >= 100000) break;
      }
    } catch (e) {
      if (seq === state.loadSeq) status(e.message, true);
      return;
    }
    if (seq !== state.loadSeq) return;  // a newer request is on its way
    state.filters = filters;
    state.events = items;
    state.total = total;
    state.byId = new Map(items.map((e) => [e.id, e]));
    const disputed = items.filter((e) => e.disputed).length;
    // records a stopped `rashomon analyze` left behind their reports: say so, and what mends them
    const stale = state.summary && state.summary.stale;
    status(plural(total, "event") + (disputed ? ", " + disputed + " disputed" : "") +
           (stale ? " \u00b7 note: " + plural(stale, "event record") + " not yet counting every report " +
                    "(an analyze run stopped early; run it again)" : ""));
    drawMarkers();
    drawLegend();
    drawTimeline();
    if (!map.fitted && items.length) fitEvents();
    if (currentView === "events") renderList();
  }

  async function initFilters() {
    const form = $("#filters");
    const select = form.elements.type;
    for (const t of state.summary.types) {
      select.appendChild(h("option", { value: t.event_type }, t.event_type + " (" + t.count + ")"));
      for (const sub of t.sub_event_types) {
        select.appendChild(h("option", { value: sub.sub_event_type }, "\u00a0\u00a0" + sub.sub_event_type + " (" + sub.count + ")"));
      }
    }
    form.addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
    form.addEventListener("reset", () => setTimeout(applyFilters, 0));
    form.elements.type.addEventListener("change", applyFilters);
    form.elements.disputed.addEventListener("change", applyFilters);
    form.elements.inview.addEventListener("change", applyFilters);
  }

  // ---- side panel views --------------------------------------------------------------------------------
  let currentView = "events";
  const side = () => $("#side");

  function setNav(name) {
    currentView = name;
    for (const a of document.querySelectorAll("nav a[data-nav]")) a.classList.toggle("active", a.dataset.nav === name);
  }

  function eventRow(e) {
    const li = h("li", { tabindex: 0, role: "link", "data-id": e.id, on: {
      click: () => { location.hash = eventHref(e.id); },
      keydown: (ev) => { if (ev.key === "Enter") location.hash = eventHref(e.id); },
    } },
    h("div", { class: "line1" }, dot(e.event_type), e.sub_event_type || e.event_type || "event", " — ",
      e.location.name || "place unknown", e.disputed ? [" ", h("span", { class: "badge disputed", title: "sources disagree on: " + (e.conflicts || []).join(", ") }, "disputed")] : null),
    h("div", { class: "line2" }, fmtDate(e.date, e.date_precision),
      [e.actor1, e.actor2].some(Boolean) ? " · " + [e.actor1 || "?", e.actor2].filter(Boolean).join(" vs ") : "",
      e.fatalities !== null && e.fatalities !== undefined ? " · " + e.fatalities + " killed" : "",
      " · " + plural(e.mentions, "mention")));
    return li;
  }
  function dot(type) {
    const d = h("span", { class: "type-dot", title: type || "unknown type" });
    d.style.background = color(type);
    return d;
  }

  function renderList() {
    setNav("events");
    state.highlight = null;
    const el = clear(side());
    const n = state.events.length;
    const pages = Math.max(1, Math.ceil(n / PAGE));
    state.listPage = Math.min(state.listPage, pages - 1);
    const from = state.listPage * PAGE;
    el.appendChild(h("h2", {}, plural(state.total, "event")));
    if (!n) { el.appendChild(h("p", { class: "empty" }, "No event matches these filters.")); return; }
    const list = h("ul", { class: "event-list" }, state.events.slice(from, from + PAGE).map(eventRow));
    el.appendChild(list);
    if (pages > 1) {
      el.appendChild(h("div", { class: "pager" },
        h("button", { type: "button", on: { click: () => { state.listPage--; renderList(); } } }, "‹ previous"),
        "page " + (state.listPage + 1) + " of " + pages,
        h("button", { type: "button", on: { click: () => { state.listPage++; renderList(); } } }, "next ›")));
      el.querySelectorAll(".pager button")[0].disabled = state.listPage === 0;
      el.querySelectorAll(".pager button")[1].disabled = state.listPage >= pages - 1;
    }
  }

  function valueText(field, value) {
    if (value === null || value === undefined) return "unknown";
    if (typeof value !== "object") return String(value);
    if (field === "location" || "lat" in value) {
      return [value.name, value.admin1, value.country].filter(Boolean).join(", ") || "unknown";
    }
    if ("best" in value) {
      const spread = value.low !== value.high && value.low !== undefined ? " (" + value.low + "–" + value.high + ")" : "";
      return value.best + spread;
    }
    if ("name" in value) return value.name + (value.kind ? " (" + value.kind + ")" : "");
    return JSON.stringify(value);
  }

  function recordedValue(ev, field) {
    if (field === "date") return ev.date ? fmtDate(ev.date, ev.date_precision) : "unknown";
    if (field === "event_type") return [ev.event_type, ev.sub_event_type].filter(Boolean).join(" — ") || "unknown";
    return valueText(field, ev[field]);
  }

  function renderCard(detail) {
    setNav("events");
    const ev = detail.event;
    state.selected = ev.id;
    state.highlight = null;
    drawMarkers();
    markSelected();
    const docs = new Map((detail.documents || []).map((d) => [d.doc_id || d.id, d]));
    const el = clear(side());
    const card = h("article", { class: "card", "data-id": ev.id });
    const conflicts = new Set(ev.conflicts || []);
    const loc = ev.location || {};
    card.append(
      h("div", { class: "headline" }, h("a", { href: "#/" }, "‹ all events"), detail.story ? [" · story: ",
        h("a", { href: storyHref(detail.story.id) }, detail.story.title || detail.story.id)] : null),
      h("h2", {}, dot(ev.event_type), (ev.sub_event_type || ev.event_type || "Event") + " — " +
        (loc.name || "place unknown") + ", " + fmtDate(ev.date, ev.date_precision)),
      conflicts.size ? h("p", {}, h("span", { class: "badge disputed" }, "disputed"),
        "Sources disagree on: " + [...conflicts].map((f) => FIELD_NAMES[f] || f).join(", ") + ".") : null,
      ev.summary ? h("p", { class: "summary" }, ev.summary) : null,
      h("dl", { class: "kv" },
        h("dt", {}, "Event id"), h("dd", {}, ev.id),
        h("dt", {}, "Confidence"), h("dd", {}, ev.confidence === null || ev.confidence === undefined ? "–" : String(ev.confidence)),
        loc.lat !== null && loc.lat !== undefined ? [h("dt", {}, "Coordinates"),
          h("dd", {}, loc.lat + ", " + loc.lon + (loc.geo_precision ? " (geo-precision " + loc.geo_precision + ")" : ""))] : null),
    );
    const claims = ev.claims || {};
    // disputed fields first: that is where the reader has to judge
    const fields = FIELD_ORDER.concat(Object.keys(claims).filter((f) => !FIELD_ORDER.includes(f)))
      .sort((a, b) => conflicts.has(b) - conflicts.has(a));
    const tbody = h("tbody");
    for (const field of fields) {
      let list = claims[field] || [];
      if (field === "location") {  // the most specific places first: towns before provinces and countries
        list = list.map((c, i) => [c, i]).sort((a, b) => placeRank(a[0]) - placeRank(b[0]) || a[1] - b[1])
          .map(([c]) => c);
      }
      if (!(field in ev) && !list.length) continue;
      const tr = h("tr", { class: conflicts.has(field) ? "disputed" : null, "data-field": field },
        h("th", { scope: "row" }, FIELD_NAMES[field] || field, conflicts.has(field) ? [h("br"), h("span", { class: "badge disputed" }, "disputed")] : null),
        h("td", {},
          field in ev ? h("div", { class: "recorded" }, recordedValue(ev, field)) : null,
          list.length ? h("div", { class: "claims" }, list.map((c) => claimBox(field, c, ev, docs))) : null));
      tbody.appendChild(tr);
    }
    card.appendChild(h("h3", {}, "Fields and the claims behind them"));
    card.appendChild(h("table", { class: "fields" }, tbody));
    const mentions = ev.mentions || [];
    card.appendChild(h("h3", {}, "Reports (" + mentions.length + " mentions)"));
    card.appendChild(h("ul", { class: "mentions" }, mentions.map((m) => h("li", {},
      sourceLine(m.doc_id, docs, m), m.attributed_to ? h("div", { class: "who" }, "according to ", m.attributed_to) : null,
      m.hedged ? h("span", { class: "badge hedged" }, "hedged") : null,
      h("blockquote", {}, m.sentence || "")))));
    el.appendChild(card);
    el.scrollTop = 0;
  }

  function sourceLine(docId, docs, m) {
    const d = docs.get(docId) || {};
    const source = (m && m.source) || d.source || "";
    const file = source.split(/[\\/]/).filter(Boolean).slice(-1)[0] || "";
    const name = (m && m.outlet) || d.outlet || d.title || file || docId;
    const published = (m && m.published) || d.published;
    return h("div", { class: "source" },
      h("a", { href: docHref(docId, m ? m.start : undefined, m ? m.end : undefined), "data-doc": docId,
        title: "Open the report with this sentence highlighted" }, name),
      published ? " · " + published : "",
      file && file !== name ? h("span", { class: "muted", title: source }, " · " + file) : "");
  }

  const PLACE_RANK = { locality: 0, feature: 0, admin3: 1, admin2: 2, admin1: 3, country: 4 };
  function placeRank(claim) {
    const kind = claim.value && typeof claim.value === "object" ? claim.value.kind : null;
    return kind in PLACE_RANK ? PLACE_RANK[kind] : 2.5;
  }

  function claimBox(field, c, ev, docs) {
    // the sentences behind a claim: its mention ids, else its own mention list, else its documents
    let sources = null;
    if (c.mention_ids && c.mention_ids.length) {
      const byId = new Map((ev.mentions || []).map((m) => [m.id, m]));
      sources = c.mention_ids.map((id) => byId.get(id)).filter(Boolean);
    }
    if (!sources || !sources.length) sources = c.mentions && c.mentions.length ? c.mentions : null;
    if (!sources) {
      const ids = new Set(c.doc_ids || []);
      sources = (ev.mentions || []).filter((m) => ids.has(m.doc_id));
      if (!sources.length) sources = (c.doc_ids || []).map((id) => ({ doc_id: id }));
    }
    const byDoc = new Map((ev.mentions || []).map((m) => [m.doc_id + ":" + m.start, m]));
    const who = (c.attributed_to || []).filter(Boolean);
    const support = c.support !== undefined && c.support !== null ? c.support : (c.doc_ids || []).length;
    return h("div", { class: "claim" },
      h("div", { class: "value" }, c.label !== undefined && c.label !== null ? String(c.label) : valueText(field, c.value)),
      h("div", { class: "support" }, plural(support, "source") + " · " + plural((c.doc_ids || []).length, "report")),
      who.length ? h("div", { class: "who" }, "according to ", [...new Set(who)].join("; ")) : null,
      c.hedged ? h("span", { class: "badge hedged", title: "every source of this claim hedges it (allegedly, reportedly…)" }, "hedged") : null,
      sourceList(sources.slice(0, SHOWN_SOURCES)),
      sources.length > SHOWN_SOURCES ? h("details", {},
        h("summary", {}, plural(sources.length - SHOWN_SOURCES, "more sentence")),
        sourceList(sources.slice(SHOWN_SOURCES))) : null);

    function sourceList(list) {
      return h("ul", { class: "sources" }, list.map((m) => {
        const full = byDoc.get(m.doc_id + ":" + m.start) || {};
        return h("li", {}, sourceLine(m.doc_id, docs, { ...full, ...m }),
          m.sentence ? h("blockquote", {}, m.sentence) : null);
      }));
    }
  }

  async function showEvent(id) {
    try {
      renderCard(await api("/api/events/" + encodeURIComponent(id)));
    } catch (e) {
      notFound(e);
    }
  }

  function notFound(e) {
    const el = clear(side());
    el.appendChild(h("p", { class: "empty" }, e.status === 404 ? "Not found: " + e.message : "Error: " + e.message));
    el.appendChild(h("a", { href: "#/" }, "‹ all events"));
  }

  async function showStories() {
    setNav("stories");
    state.highlight = null;
    try {
      const page = await api("/api/stories", { limit: 5000 });
      const el = clear(side());
      el.appendChild(h("h2", {}, plural(page.total, "story")));
      el.appendChild(h("ul", { class: "event-list" }, page.items.map((st) => h("li", {
        tabindex: 0, role: "link", on: { click: () => { location.hash = storyHref(st.id); },
          keydown: (ev) => { if (ev.key === "Enter") location.hash = storyHref(st.id); } },
      }, h("div", { class: "line1" }, st.title || st.id),
      h("div", { class: "line2" }, (st.start || "?") + (st.end && st.end !== st.start ? " – " + st.end : ""),
        " · " + plural(st.event_ids.length, "event") + " · " + plural(st.doc_ids.length, "report"))))));
    } catch (e) { notFound(e); }
  }

  async function showStory(id) {
    setNav("stories");
    let st;
    try { st = await api("/api/stories/" + encodeURIComponent(id)); } catch (e) { notFound(e); return; }
    state.highlight = new Set(st.event_ids);
    state.selected = null;
    drawMarkers();
    drawTimeline();
    const el = clear(side());
    el.append(
      h("div", { class: "headline muted" }, h("a", { href: "#/stories" }, "‹ all stories")),
      h("h2", {}, st.title || st.id),
      h("p", { class: "muted" }, (st.start || "?") + (st.end && st.end !== st.start ? " – " + st.end : "") + " · " +
        plural(st.events.length, "event") + " in time order · story " + st.id),
      h("ul", { class: "event-list story-events" }, st.events.map(eventRow)),
      h("h3", {}, "Reports (" + st.documents.length + ")"),
      h("ul", { class: "mentions" }, st.documents.map((d) => h("li", {},
        h("a", { href: docHref(d.id) }, d.title || (d.source || "").split(/[\\/]/).filter(Boolean).slice(-1)[0] || d.id),
        h("div", { class: "muted" }, [d.outlet, d.published, d.source].filter(Boolean).join(" · "))))));
    el.scrollTop = 0;
  }

  function textSegments(text, sentences, hl) {
    // cut the text at every sentence boundary and at the highlight, then give each piece its classes
    const cuts = new Set([0, text.length]);
    for (const sn of sentences) { cuts.add(sn.start); cuts.add(sn.end); }
    if (hl) { cuts.add(hl[0]); cuts.add(hl[1]); }
    const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
    const out = [];
    let si = 0;
    const sorted = [...sentences].sort((a, b) => a.start - b.start);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      while (si < sorted.length && sorted[si].end <= a) si++;
      const sn = si < sorted.length && sorted[si].start <= a && sorted[si].end >= b ? sorted[si] : null;
      out.push({ a, b, sentence: sn, hl: !!hl && a >= hl[0] && b <= hl[1] });
    }
    return out;
  }

  async function showDocument(id, params) {
    setNav("events");
    let doc;
    try { doc = await api("/api/documents/" + encodeURIComponent(id)); } catch (e) { notFound(e); return; }
    const start = parseInt(params.get("start"), 10), end = parseInt(params.get("end"), 10);
    const hl = Number.isInteger(start) && Number.isInteger(end) && end > start ? [start, end] : null;
    state.highlight = new Set(doc.event_ids);
    drawMarkers();
    const el = clear(side());
    const safeUrl = doc.url && /^https?:\/\//i.test(doc.url) ? doc.url : null;
    el.append(
      h("div", { class: "headline muted" }, h("a", { href: "#/" }, "‹ all events"),
        state.selected ? [" · ", h("a", { href: eventHref(state.selected) }, "back to the event")] : null,
        doc.story ? [" · ", h("a", { href: storyHref(doc.story) }, "its story")] : null),
      h("h2", { class: "doc-title" }, doc.title || "(untitled report)"),
      h("div", { class: "doc-meta" },
        h("div", {}, [doc.outlet || "outlet unknown", doc.published || "publication date unknown", doc.dateline].filter(Boolean).join(" · ")),
        h("div", {}, "Source: ", (doc.sources && doc.sources.length ? doc.sources : [doc.source]).join(", ")),
        safeUrl ? h("div", {}, "URL: ", h("a", { href: safeUrl }, safeUrl)) : (doc.url ? h("div", {}, "URL: ", doc.url) : null),
        doc.duplicate_of ? h("div", {}, "Repeats ", h("a", { href: docHref(doc.duplicate_of) }, doc.duplicate_of)) : null,
        h("div", {}, plural(doc.mentions.length, "event mention") + " in " +
          plural(doc.sentences.filter((x) => x.used).length, "sentence") + " (underlined)" +
          (doc.event_ids.length ? "; events: " : ""),
          doc.event_ids.map((eid, i) => [i ? ", " : "", h("a", { href: eventHref(eid) }, eid)]))),
    );
    const body = h("div", { class: "doc-text", lang: "en" });
    let marked = null;
    for (const seg of textSegments(doc.text, doc.sentences, hl)) {
      const piece = doc.text.slice(seg.a, seg.b);
      let node = document.createTextNode(piece);
      if (seg.sentence && seg.sentence.used) {
        const sn = seg.sentence;
        const span = h("span", { class: "used", title: "used by " + plural(sn.mention_ids.length, "mention") +
          (sn.event_ids.length ? " of " + sn.event_ids.join(", ") : "") });
        if (sn.event_ids.length) span.addEventListener("click", () => { location.hash = eventHref(sn.event_ids[0]); });
        span.appendChild(node);
        node = span;
      }
      if (seg.hl) {
        const mark = h("mark", {});
        mark.appendChild(node);
        node = mark;
        if (!marked) marked = mark;
      }
      body.appendChild(node);
    }
    el.appendChild(body);
    if (marked) { marked.id = "hl"; marked.scrollIntoView({ block: "center" }); } else el.scrollTop = 0;
  }

  // ---- routing -----------------------------------------------------------------------------------------
  function route() {
    const hash = location.hash.replace(/^#/, "") || "/";
    const [path, query] = hash.split("?");
    const params = new URLSearchParams(query || "");
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] === "event" && parts[1]) return showEvent(parts[1]);
    if (parts[0] === "story" && parts[1]) return showStory(parts[1]);
    if (parts[0] === "stories") return showStories();
    if (parts[0] === "doc" && parts[1]) return showDocument(parts[1], params);
    if (state.selected) { state.selected = null; markSelected(); }
    state.highlight = null;
    drawMarkers();
    return renderList();
  }

  async function main() {
    initMap();
    initTimeline();
    window.addEventListener("hashchange", route);
    try {
      state.summary = await api("/api/summary");
    } catch (e) {
      status("cannot reach the API: " + e.message, true);
      return;
    }
    await initFilters();
    await loadBasemap();
    await loadEvents();
    await route();
    document.body.dataset.ready = "true";
  }
  main();
})();
