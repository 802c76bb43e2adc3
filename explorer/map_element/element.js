// The Stalin's Shadow map element: a Streamlit components-v2 element that mounts a Leaflet map
// composed by Folium, in the page itself (no iframe).
//
// data = {name, hash, script, html, css, height, leafletBase}
//   script, html, css: what Folium rendered (its <script src>/<link> tags are dropped: Leaflet
//                      comes from the app's own static folder);
//   hash:     digest of the three; the map is rebuilt only when it changes.
// The data stays the same while only the selection changes, so a click's rerun does not resend
// the map. What changes often (the outlined features, a view to show) comes through a second,
// tiny element (control.js) that leaves it in window.__stalinsShadow.wanted[name]; this module
// applies it whenever either side changes.
// Sends: trigger "clicked" (a feature id, at once, no debounce) and state "view" (once the map
// comes to rest after a pan or zoom).
//
// Streamlit calls the default export on mount and again, with the same parentElement, whenever
// `data` changes; per-instance state therefore lives in a WeakMap keyed by parentElement.

const instances = new WeakMap();
const shared = (window.__stalinsShadow = window.__stalinsShadow || { maps: {}, wanted: {} });
const HIGHLIGHT = { color: "#ffd400", weight: 5, opacity: 1, fill: false };
const VIEW_SETTLE_MS = 300;
let leafletPromise = null;

function loadLeaflet(base) {
  if (window.L && window.L.map) return Promise.resolve(window.L);
  if (!leafletPromise) {
    leafletPromise = new Promise((resolve, reject) => {
      // The preload element (preload.js) may have started the download already.
      let script = document.querySelector("script[data-ss-leaflet]");
      if (!script) {
        script = document.createElement("script");
        script.src = base + "leaflet.js";
        script.dataset.ssLeaflet = "1";
        document.head.appendChild(script);
      }
      script.addEventListener("load", () => resolve(window.L));
      script.addEventListener("error", () => {
        leafletPromise = null;
        script.remove();
        reject(new Error("could not load " + script.src));
      });
      if (window.L && window.L.map) resolve(window.L);
    });
  }
  return leafletPromise.then((L) => {
    mark("ss:leaflet-ready");
    // Leaflet guesses its image folder from CSS on document.body, which a shadow root hides.
    L.Icon.Default.imagePath = base + "images/";
    return L;
  });
}

function viewOf(map) {
  const c = map.getCenter();
  return { lat: +c.lat.toFixed(4), lon: +c.lng.toFixed(4), zoom: map.getZoom() };
}

function destroy(inst) {
  clearTimeout(inst.timer);
  if (inst.map) {
    inst.view = viewOf(inst.map); // keep the user's view across a rebuild
    inst.map.remove();
  }
  if (inst.wrap) inst.wrap.remove();
  inst.map = inst.wrap = inst.hash = inst.outline = null;
  inst.layers = new Map();
}

function outline(inst, L, selected) {
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

function build(inst, data, L) {
  destroy(inst);
  const wrap = document.createElement("div");
  wrap.className = "ss-map-wrap";
  wrap.style.height = data.height + "px";
  wrap.innerHTML = data.html;
  const style = document.createElement("style");
  style.textContent = data.css;
  wrap.prepend(style);
  inst.parent.appendChild(wrap); // attached before L.map so that Leaflet can measure it

  const hook = (layer) => {
    const props = layer.feature && layer.feature.properties;
    if (!props || !props.id || layer.__ssHooked) return;
    layer.__ssHooked = true;
    inst.layers.set(props.id, layer);
    layer.on("click", () => inst.api.setTriggerValue("clicked", props.id));
  };
  // Folium's script calls L.map("map_<id>"): find that div inside our (shadow) root, and hook
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
  new Function("L", data.script)(scopedL);
  mark("ss:script-done");
  if (!map) throw new Error("the Folium script made no map");
  if (inst.view) map.setView([inst.view.lat, inst.view.lon], inst.view.zoom, { animate: false });

  map.on("movestart", () => clearTimeout(inst.timer));
  // A reader who zooms or drags before the first requested view arrives keeps their view.
  map.once("zoomstart dragstart", () => (inst.touched = true));
  map.on("moveend", () => {
    clearTimeout(inst.timer);
    inst.timer = setTimeout(() => {
      const v = viewOf(map);
      const s = inst.sent;
      if (s && s.lat === v.lat && s.lon === v.lon && s.zoom === v.zoom) return;
      inst.sent = v;
      // Say which view request this answers, so that Python can tell a late report of the
      // reader's old view from a move made after the app asked for a new one.
      inst.api.setStateValue("view", { ...v, viewId: inst.viewId || null });
    }, VIEW_SETTLE_MS);
  });
  Object.assign(inst, { map, wrap, hash: data.hash, outlineKey: null });
  window.__stalinsShadowMap = map; // for the browser tests and the benchmark
  inst.builds += 1;
  wrap.dataset.builds = String(inst.builds);
}

function apply(inst) {
  // Show what the control element asked for: the outline, and a view when its id is new.
  const wanted = shared.wanted[inst.name];
  if (!inst.map || !wanted || !window.L) return;
  if (wanted.view && wanted.viewId !== inst.viewId) {
    const first = inst.viewId === undefined;
    inst.viewId = wanted.viewId;
    if (first && inst.touched) {
      outline(inst, window.L, wanted.selected);
      return;
    }
    const v = wanted.view;
    inst.map.setView([v.lat, v.lon], v.zoom, { animate: false });
    // Leaflet snaps the centre to whole pixels: what it shows now is the view asked for, and
    // not a move of the reader's to report.
    inst.sent = viewOf(inst.map);
  }
  outline(inst, window.L, wanted.selected);
}
shared.apply = (name) => {
  const inst = shared.maps[name];
  if (inst) apply(inst);
};

function update(inst, data, L) {
  inst.name = data.name;
  shared.maps[data.name] = inst;
  if (inst.hash !== data.hash) build(inst, data, L);
  if (inst.wrap.style.height !== data.height + "px") {
    inst.wrap.style.height = data.height + "px";
    inst.map.invalidateSize();
  }
  apply(inst);
}

function mark(name) {
  // Timings for the benchmark's breakdown (read with performance.getEntriesByType("mark")).
  if (!performance.getEntriesByName(name).length) performance.mark(name);
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  mark("ss:element-called");
  let inst = instances.get(parentElement);
  if (!inst) {
    inst = { parent: parentElement, gen: 0, builds: 0, layers: new Map() };
    instances.set(parentElement, inst);
  }
  const gen = ++inst.gen;
  inst.api = { setStateValue, setTriggerValue }; // the latest callbacks
  loadLeaflet(data.leafletBase)
    .then((L) => {
      if (inst.gen === gen && !inst.dead) update(inst, data, L); // only the latest call
    })
    .catch((err) => console.error("map element:", err));
  // Streamlit keeps only the latest call's cleanup and runs it on unmount.
  return () => {
    if (inst.gen !== gen) return;
    inst.dead = true;
    if (shared.maps[inst.name] === inst) delete shared.maps[inst.name];
    destroy(inst);
    instances.delete(parentElement);
  };
}
