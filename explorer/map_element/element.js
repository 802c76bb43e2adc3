// The map's v2 element: carries clicks and views from a map already drawn to Python.
//
// The map itself is drawn by the runtime (draw.js) from a st.html block, which needs no
// components-v2 runtime and so appears first. This element loads later, adopts the map of its
// name (no second draw) and sends what the reader did, including anything done before it came.
// data = {name}
// Sends: trigger "clicked" (a feature id, at once, no debounce) and state "view" (once the map
// comes to rest after a pan or zoom).
//
// Streamlit calls the default export on mount and again whenever `data` changes; it keeps only
// the latest call's cleanup and runs it on unmount.

function registry() {
  const shared = (window.__stalinsShadow = window.__stalinsShadow || {});
  shared.maps = shared.maps || {};
  shared.wanted = shared.wanted || {};
  shared.queue = shared.queue || [];
  shared.links = shared.links || {};
  return shared;
}

export default function (component) {
  const { data, setStateValue, setTriggerValue } = component;
  const shared = registry();
  const link = { setStateValue, setTriggerValue };
  const name = data.name;
  // Until the runtime is loaded, leave the link where it will find it.
  shared.links[name] = link;
  if (shared.adopt) shared.adopt(name, link);
  return () => {
    if (shared.links[name] === link) delete shared.links[name];
    if (shared.release) shared.release(name, link, true);
  };
}
