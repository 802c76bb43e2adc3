// The map's control element: carries what changes often (the features to outline, a view to
// show) to the map element of the same name, without resending the map itself.
// data = {name, selected, view, viewId}

const shared = (window.__stalinsShadow = window.__stalinsShadow || { maps: {}, wanted: {} });

export default function ({ data }) {
  shared.wanted[data.name] = { selected: data.selected, view: data.view, viewId: data.viewId };
  if (shared.apply) shared.apply(data.name);
}
