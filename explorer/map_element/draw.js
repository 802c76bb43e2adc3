// The map's runtime: draws a Folium map in the page as soon as its st.html block arrives, before
// (and without) Streamlit's components-v2 runtime. The v2 element (element.js) loads later and
// adopts the map already drawn to carry clicks and views back to Python.
//
// explorer/assets.py bundles this file after Leaflet into one static, content-hashed file
// (static/stalins_shadow/map-<hash>.js), wrapped as (function (LEAFLET_CSS) { ... })("<css>").
// The browser caches it across states and sessions; each map state sends only its own payload.
//
// Registry (the contract the tests and the benchmark read; nothing else is global):
//   window.__stalinsShadow.maps[name] = {map, wrap, hash, ...}  (wrap.dataset.builds counts builds)
//   window.__stalinsShadow.wanted[name] = {selected, view, viewId}  (from the small st.html block)
//   window.__stalinsShadow.queue = [[host, data], ...]  (draws waiting for this runtime)
//   window.__stalinsShadow.fetches[url] = a promise of a map's data file (the basemap)
//   window.__stalinsShadow.runtime = "loading" | "ready" | "failed"  (set by the loader script)
"use strict";

const shared = window.__stalinsShadow;
const L = window.L;
const HIGHLIGHT = { color: "#ffd400", weight: 5, opacity: 1, fill: false };
const VIEW_SETTLE_MS = 300;
// Where this file is served from: the app's static URL under whatever base path the app has.
const SELF = document.currentScript ? document.currentScript.src : "";
const LEAFLET_BASE = new URL("../vendor/leaflet/", SELF || location.href).href;
const CSS_TEXT =
  LEAFLET_CSS.split("url(images/").join("url(" + LEAFLET_BASE + "images/") +
  "\n:host { display: block; width: 100%; }" +
  "\n.ss-map-wrap { display: block; width: 100%; height: 100%; position: relative; }" +
  "\n.ss-map-error { box-sizing: border-box; height: 100%; display: flex; align-items: center;" +
  " justify-content: center; padding: 1rem; text-align: center; font: 14px/1.4 sans-serif;" +
  " color: #7a1f1f; background: #f6f1e4; border: 1px solid #d9cfb8; }";
L.Icon.Default.imagePath = LEAFLET_BASE + "images/";

function mark(name) {
  // Timings for the benchmark's breakdown (read with performance.getEntriesByType("mark")).
  if (!performance.getEntriesByName(name).length) performance.mark(name);
}

function viewOf(map) {
  const c = map.getCenter();
  return { lat: +c.lat.toFixed(4), lon: +c.lng.toFixed(4), zoom: map.getZoom() };
}

function rootOf(host) {
  // Each map draws in its own shadow root: Leaflet's and Folium's styles stay inside it.
  if (!host.shadowRoot) {
    host.replaceChildren(); // a loader's message, if any
    const root = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = CSS_TEXT;
    root.appendChild(style);
  }
  return host.shadowRoot;
}

function instance(name) {
  let inst = shared.maps[name];
  if (!inst) {
    inst = { name, builds: 0, layers: new Map(), pending: {}, link: shared.links[name] || null };
    shared.maps[name] = inst;
  }
  return inst;
}

function destroy(inst) {
  // inst.view (the reader's last view) survives: a rebuild of the same map keeps it.
  clearTimeout(inst.timer);
  if (inst.map) {
    try {
      inst.map.remove();
    } catch (err) {
      // a map whose DOM Streamlit already dropped can fail to unhook; it is gone either way
    }
  }
  if (inst.wrap) inst.wrap.remove();
  inst.map = inst.wrap = inst.hash = inst.outline = null;
  inst.outlineKey = null;
  inst.layers = new Map();
}

function showError(host, message) {
  // A failure is said inside the map's box (and in the console), never a blank box.
  const root = rootOf(host);
  for (const old of root.querySelectorAll(".ss-map-error, .ss-map-wrap")) old.remove();
  const box = document.createElement("div");
  box.className = "ss-map-error";
  box.setAttribute("role", "alert");
  box.textContent = message;
  root.appendChild(box);
  console.error("map:", message);
}

function emit(inst, kind, value) {
  // To Python through the v2 element once it has adopted the map; kept until then.
  const link = inst.link;
  if (kind === "clicked") {
    if (link) link.setTriggerValue("clicked", value);
    else inst.pending.clicked = value;
  } else {
    const s = inst.sent;
    if (s && s.lat === value.lat && s.lon === value.lon && s.zoom === value.zoom) return;
    // (value carries viewId too; sent compares the place only)
    if (link) {
      inst.sent = value;
      link.setStateValue("view", value);
    } else inst.pending.view = value;
  }
}

function previewOf(inst, id) {
  // A clicked feature's preview (the page's panel parts: explorer/map_element preview_slot),
  // fetched once when the pointer first rests on the feature; null if the map has none.
  const url = inst.previews && inst.previews[id];
  if (!url) return null;
  if (!shared.fetches[url]) {
    shared.fetches[url] = fetchJson(url);
    shared.fetches[url].catch(() => delete shared.fetches[url]); // a later click retries
  }
  return shared.fetches[url];
}

function showPreview(inst, id) {
  // Fill the page's preview slots for this map at once; the rerun the click asks for draws
  // the same content (and the controls that go with it) a moment later.
  inst.previewFor = id;
  const pending = previewOf(inst, id);
  if (!pending) return;
  pending.then(
    (parts) => {
      if (inst.previewFor !== id) return; // another click, or the page moved on
      const slots = document.querySelectorAll(
        '[data-ss-slot][data-ss-map="' + CSS.escape(inst.name) + '"]',
      );
      for (const slot of slots) {
        const part = parts[slot.dataset.ssSlot];
        if (typeof part === "string") slot.innerHTML = part; // escaped by the server (panel.py)
      }
    },
    () => {}, // no preview: the rerun draws the panel
  );
}

function outline(inst, selected) {
  const key = (selected || []).join(",");
  if (inst.outlineKey === key && inst.outline) return;
  if (inst.outline) inst.outline.remove();
  inst.outline = L.featureGroup();
  for (const id of selected || []) {
    const layer = inst.layers.get(id);
    if (!layer) continue;
    const shape = layer.getLatLng
      ? L.circleMarker(layer.getLatLng(), { ...HIGHLIGHT, radius: 11, interactive: false })
      : L.geoJSON(layer.feature, { style: HIGHLIGHT, interactive: false });
    inst.outline.addLayer(shape);
  }
  inst.outline.addTo(inst.map);
  inst.outlineKey = key;
}

function apply(inst) {
  // Show what the page asked for: the outline, and a view when its id is new.
  const wanted = shared.wanted[inst.name];
  if (!inst.map || !wanted) return;
  if (wanted.view && wanted.viewId !== inst.viewId) {
    inst.viewId = wanted.viewId;
    const v = wanted.view;
    const here = viewOf(inst.map);
    // A map already there is left alone: Leaflet would still fire "moveend" and every label
    // would be placed again (the first draw's own view is usually the one asked for).
    if (here.lat !== v.lat || here.lon !== v.lon || here.zoom !== v.zoom) {
      inst.map.setView([v.lat, v.lon], v.zoom, { animate: false });
    }
    // Leaflet snaps the centre to whole pixels: what it shows now is the view asked for, not a
    // move of the reader's to report.
    inst.sent = viewOf(inst.map);
  }
  // A selection the page made otherwise (the picker, Back) ends a click's pending preview.
  if (inst.previewFor && (wanted.selected || []).join(",") !== inst.previewFor) {
    inst.previewFor = null;
  }
  outline(inst, wanted.selected);
}

function build(inst, host, data, blobs) {
  destroy(inst);
  const root = rootOf(host);
  for (const old of root.querySelectorAll(".ss-map-error, .ss-map-wrap")) old.remove();
  const wrap = document.createElement("div");
  wrap.className = "ss-map-wrap";
  wrap.innerHTML = data.html;
  const style = document.createElement("style");
  style.textContent = data.css;
  wrap.prepend(style);
  root.appendChild(wrap); // attached before L.map so that Leaflet can measure it

  const hook = (layer) => {
    const props = layer.feature && layer.feature.properties;
    if (!props || !props.id || layer.__ssHooked) return;
    layer.__ssHooked = true;
    inst.layers.set(props.id, layer);
    layer.on("mouseover", () => previewOf(inst, props.id));
    layer.on("click", () => {
      showPreview(inst, props.id);
      emit(inst, "clicked", props.id);
    });
  };
  // Folium's script calls L.map("map_<id>"): find that div inside our shadow root, and hook
  // every feature layer added to the map so that a click reports the feature's id.
  let map = null;
  const scopedL = Object.create(L);
  scopedL.map = (id, options) => {
    const el = typeof id === "string" ? wrap.querySelector("#" + CSS.escape(id)) : id;
    const created = L.map(el, options);
    created.on("layeradd", (e) => hook(e.layer));
    if (!map) map = created;
    return created;
  };
  mark("ss:script-start");
  try {
    new Function("L", "__ssData", data.script)(scopedL, blobs);
    if (!map) throw new Error("the Folium script made no map");
  } catch (err) {
    // Leave nothing half-made behind: the next update builds from a clean box.
    if (map) inst.map = map;
    inst.wrap = wrap;
    destroy(inst);
    console.error(err);
    showError(host, data.messages.draw.replace("{error}", err.message));
    return;
  }
  mark("ss:script-done");
  if (inst.view) map.setView([inst.view.lat, inst.view.lon], inst.view.zoom, { animate: false });
  map.on("movestart", () => clearTimeout(inst.timer));
  map.on("moveend", () => {
    inst.view = viewOf(map);
    clearTimeout(inst.timer);
    // A report names the view request it follows, so that Python can tell a late report of
    // the reader's old view from a move made after the app asked for a new one.
    const report = () => emit(inst, "view", { ...viewOf(map), viewId: inst.viewId || null });
    inst.timer = setTimeout(report, VIEW_SETTLE_MS);
  });
  const previews = data.previews || {}; // feature id -> the URL of its preview (previewOf)
  Object.assign(inst, { map, wrap, host, hash: data.hash, outlineKey: null, previews });
  inst.builds += 1;
  wrap.dataset.builds = String(inst.builds);
}

function fetchJson(url) {
  return fetch(url, { priority: "high" }).then((response) => {
    if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
    return response.json();
  });
}

function draw(host, data) {
  // Draw the map of `data` in `host` (a st.html block's div); the same map again draws nothing.
  if (!host.isConnected) return; // Streamlit dropped the block before the runtime arrived
  const inst = instance(data.name);
  if (inst.hash === data.hash && inst.host === host && inst.wrap && inst.wrap.isConnected) {
    apply(inst);
    return;
  }
  host.style.height = data.height + "px";
  const gen = (inst.gen = (inst.gen || 0) + 1);
  const urls = data.blobs || [];
  // The loader started these fetches; a failed one is forgotten so that a later map retries.
  const fetches = urls.map((url) => shared.fetches[url] || (shared.fetches[url] = fetchJson(url)));
  Promise.all(fetches).then(
    (blobs) => {
      if (inst.gen !== gen || !host.isConnected) return; // a newer map took its place
      mark("ss:data-ready");
      build(inst, host, data, blobs);
      apply(inst);
      if (inst.map) inst.view = viewOf(inst.map);
      afterPaint();
    },
    (err) => {
      for (const url of urls) delete shared.fetches[url];
      if (inst.gen !== gen || !host.isConnected) return;
      destroy(inst);
      showError(host, data.messages.data.replace("{error}", err.message));
      afterPaint();
    },
  );
}

function afterPaint() {
  // Once the browser has painted the map, ask for the page's other controls (a first run
  // leaves them out: explorer/map_element first_paint_trigger).
  if (!shared.painted) return;
  requestAnimationFrame(() => setTimeout(shared.painted, 0));
}

function adopt(name, link) {
  // The v2 element takes over the map's events; anything the reader did before is sent now.
  mark("ss:adopted");
  const inst = instance(name);
  inst.link = link;
  const { clicked, view } = inst.pending;
  inst.pending = {};
  if (view) emit(inst, "view", view);
  if (clicked) emit(inst, "clicked", clicked);
  return inst;
}

function release(name, link, unmounted) {
  const inst = shared.maps[name];
  if (!inst || inst.link !== link) return;
  inst.link = null;
  if (unmounted) {
    destroy(inst);
    delete shared.maps[name];
  }
}

function drain() {
  const queue = shared.queue.splice(0);
  for (const [host, data] of queue) draw(host, data);
}

function applyNamed(name) {
  if (shared.maps[name]) apply(shared.maps[name]);
}

Object.assign(shared, { draw, drain, adopt, release, apply: applyNamed });
shared.runtime = "ready";
mark("ss:runtime-ready");
drain();
