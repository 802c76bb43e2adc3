// Stalin's Shadow: the map's own small Leaflet plugins, embedded in Folium's script so that they
// run in both map backends (the components-v2 element, which runs the script inside a shadow
// root, and streamlit-folium's iframe). Nothing here looks elements up in `document`: all DOM
// work starts from the map's container.
//
// ssMapUX(L, map, history, tiles, opts) adds, to a Folium map:
// - names for every feature (aria-label, role, tabindex) and Enter/Space firing its click;
// - crowded or co-located place dots spread apart in pixels, with leader lines to the true spot;
// - labels (places, countries, seas) placed by priority, hiding those that would overlap;
// - a legend control that can be collapsed and moves to a corner where it covers no place;
// - reset-view and full-screen controls;
// - one-finger page scroll and two-finger map moves on touch screens, with a short hint;
// - removal of the online tile layer once its tiles have failed to load.
/* eslint-disable no-var */
function ssMapUX(L, map, history, tiles, opts) {
  "use strict";
  var container = map.getContainer();
  // The words the map says, in the reader's language (mapbuild passes them; English otherwise).
  var T = opts.text || {
    legend: "Legend",
    reset: "Reset the view",
    full: "Show the map full screen",
    leaveFull: "Leave full screen",
    twoFingers: "Use two fingers to move the map",
  };
  var DOT = opts.dotTarget || 24; // hit target of a place dot, in px (WCAG 2.5.8)
  var MAX_SHIFT = 56; // a dot is never drawn further than this from its true spot
  var RESERVE = 6; // how many of the most-cited places keep room for their label
  var SPREAD_FROM_ZOOM = 4; // below, the whole world is in view: spreading would be a tangle
  var sites = [];
  var features = [];

  function pane(name, z) {
    var p = map.getPane(name) || map.createPane(name);
    p.style.zIndex = String(z);
    p.style.pointerEvents = "none";
    return p;
  }
  // The map itself is a named region: a screen reader says what it is and how to work it.
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", opts.mapLabel || "Map");
  pane("ss-leaders", 420);
  var labelPane = pane("ss-labels", 450);

  // Leaflet focuses its container on every mouse press (for its keyboard handler) and then
  // restores the window's scroll, not that of the element the page scrolls in (Streamlit's
  // main area): a map whose bottom is off screen made the page move under the pointer between
  // press and release, and that first click was lost. Focus it without scrolling.
  var focusContainer = container.focus;
  container.focus = function () {
    focusContainer.call(container, { preventScroll: true });
  };
  // Leaflet's container scrolls when an element outside its box gets focus; keep it still.
  container.addEventListener("scroll", function () {
    container.scrollTop = 0;
    container.scrollLeft = 0;
  });

  // ---- names, focus and keyboard ---------------------------------------------------------
  function centreOf(layer) {
    return layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
  }

  function activate(layer, originalEvent) {
    var latlng = centreOf(layer);
    layer.fire(
      "click",
      {
        latlng: latlng,
        layerPoint: map.latLngToLayerPoint(latlng),
        containerPoint: map.latLngToContainerPoint(latlng),
        originalEvent: originalEvent,
      },
      true // propagate to the GeoJSON layer, as a pointer click does
    );
  }

  function nameFeature(layer) {
    var el = layer.getElement && layer.getElement();
    var props = layer.feature && layer.feature.properties;
    if (!el || !props || el.__ssNamed) return;
    el.__ssNamed = true;
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", props.aria || props.name || props.id);
    el.classList.add("ss-feature");
    el.dataset.featureId = props.id;

    L.DomEvent.on(el, "keydown", function (e) {
      if (e.key === "Enter" || e.key === " " || e.key === "Spacebar") {
        L.DomEvent.preventDefault(e);
        L.DomEvent.stopPropagation(e);
        activate(layer, e);
      }
    });
    L.DomEvent.on(el, "focus", function () {
      // Bring a feature reached with Tab into view, without moving Leaflet's panes by scrolling.
      var bounds = map.getBounds();
      var inView = layer.getLatLng
        ? bounds.contains(layer.getLatLng())
        : bounds.intersects(layer.getBounds());
      if (!inView) map.panTo(centreOf(layer), { animate: false });
    });
  }

  if (history) {
    history.eachLayer(function (layer) {
      if (!layer.feature) return;
      features.push(layer);
      nameFeature(layer);
      if (layer.getLatLng) {
        var p = layer.feature.properties;
        sites.push({
          layer: layer,
          id: p.id,
          rank: p.rank || 0,
          text: p.short || p.name,
          where: layer.getLatLng(),
          shown: layer.getLatLng(),
          rings: [],
        });
      }
    });
  }

  // ---- spreading crowded dots -------------------------------------------------------------
  var leaders = L.layerGroup().addTo(map);

  function spread() {
    var z = map.getZoom();
    var p = sites.map(function (s) {
      return map.project(s.where, z);
    });
    var q = p.map(function (pt) {
      return pt.clone();
    });
    var n = sites.length;
    // Points on the very same spot start on a small circle, in a fixed order.
    for (var i = 0; i < n && z >= SPREAD_FROM_ZOOM; i++) {
      var same = 0;
      for (var j = 0; j < i; j++) if (p[i].distanceTo(p[j]) < 0.5) same++;
      if (same) {
        var a = (same * 2 * Math.PI) / 3 - Math.PI / 2;
        q[i] = q[i].add(L.point(Math.cos(a), Math.sin(a)).multiplyBy(2));
      }
    }
    var steps = z >= SPREAD_FROM_ZOOM ? 300 : 0;
    var reserved = sites
      .map(function (s, k) {
        return k;
      })
      .filter(function (k) {
        return sites[k].label;
      })
      .sort(function (a, b) {
        return sites[b].rank - sites[a].rank || a - b;
      })
      .slice(0, RESERVE);
    for (var step = 0; step < steps; step++) {
      var moved = false;
      for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
          var d = q[j].subtract(q[i]);
          var dist = Math.sqrt(d.x * d.x + d.y * d.y);
          if (dist >= DOT) continue;
          var dir = dist > 1e-6 ? d.divideBy(dist) : L.point(1, 0);
          var push = dir.multiplyBy((DOT - dist) / 2 + 0.25);
          q[i] = q[i].subtract(push);
          q[j] = q[j].add(push);
          moved = true;
        }
      }
      // The most-cited places keep room for their label on their right: dots move out of it.
      reserved.forEach(function (r) {
        var lab = sites[r].label;
        var box = { x: q[r].x + 1, y: q[r].y - lab.h / 2 - 7, w: lab.w + 14, h: lab.h + 14 };
        for (var k = 0; k < n; k++) {
          if (k === r) continue;
          var up = q[k].y - box.y;
          var down = box.y + box.h - q[k].y;
          var right = box.x + box.w - q[k].x;
          if (q[k].x <= box.x || right <= 0 || up <= 0 || down <= 0) continue;
          var least = Math.min(up, down, right);
          if (least === up) q[k] = q[k].subtract(L.point(0, up + 0.25));
          else if (least === down) q[k] = q[k].add(L.point(0, down + 0.25));
          else q[k] = q[k].add(L.point(right + 0.25, 0));
          moved = true;
        }
      });
      for (i = 0; i < n; i++) {
        var off = q[i].subtract(p[i]);
        var len = Math.sqrt(off.x * off.x + off.y * off.y);
        if (len > MAX_SHIFT) q[i] = p[i].add(off.multiplyBy(MAX_SHIFT / len));
      }
      if (!moved) break;
    }
    leaders.clearLayers();
    sites.forEach(function (s, k) {
      var shown = map.unproject(q[k], z);
      s.shift = q[k].distanceTo(p[k]);
      s.shown = shown;
      s.layer.setLatLng(shown);
      s.rings.forEach(function (ring) {
        ring.setLatLng(shown);
      });
      if (s.shift > 2) {
        var opt = { pane: "ss-leaders", interactive: false };
        L.polyline([s.where, shown], L.extend({ color: "#333", weight: 1.2, opacity: 0.8 }, opt)).addTo(leaders);
        L.circleMarker(s.where, L.extend({ radius: 2.5, stroke: false, fillColor: "#333", fillOpacity: 0.9 }, opt)).addTo(leaders);
      }
    });
  }

  // The selection's outline (a yellow ring drawn by either backend) follows a moved dot.
  map.on("layeradd", function (e) {
    var l = e.layer;
    if (!(l instanceof L.CircleMarker) || l.feature || l.options.interactive !== false) return;
    if (l.options.color !== opts.highlight) return;
    var cls = l.options.className || "";
    var here = l.getLatLng();
    for (var k = 0; k < sites.length; k++) {
      var s = sites[k];
      var byName = cls.split(" ").indexOf("ss-ring--" + s.id) >= 0;
      if (byName || (!cls && s.shown.equals(here, 1e-9))) {
        s.rings = s.rings.filter(function (r) {
          return r._map;
        });
        s.rings.push(l);
        l.setLatLng(s.shown);
        return;
      }
    }
  });

  // ---- labels -----------------------------------------------------------------------------
  var labels = [];
  function addLabel(kind, text, latlng, rank, minZoom, site) {
    var el = L.DomUtil.create("div", "ss-label ss-label--" + kind, labelPane);
    el.textContent = text; // text, never HTML
    el.setAttribute("aria-hidden", "true"); // the features themselves carry the names
    el.dataset.text = text;
    var lab = { el: el, kind: kind, latlng: latlng, rank: rank, minZoom: minZoom || 0, site: site };
    labels.push(lab);
    if (site) site.label = lab;
  }
  sites.forEach(function (s) {
    addLabel("site", s.text, s.where, s.rank, 0, s);
  });
  (opts.countries || []).forEach(function (c) {
    addLabel("country", c[0], L.latLng(c[1], c[2]), c[4], c[3]);
  });
  (opts.seas || []).forEach(function (c) {
    addLabel("sea", c[0], L.latLng(c[1], c[2]), c[4], c[3]);
  });
  labels.forEach(function (lab) {
    lab.w = lab.el.offsetWidth || lab.el.textContent.length * 7;
    lab.h = lab.el.offsetHeight || 15;
  });
  labels.sort(function (a, b) {
    return b.rank - a.rank;
  });

  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  function layout() {
    // Greedy, by rank: each label takes the first free spot beside its dot (or its own point
    // for countries and seas); a label with no free spot inside the map is hidden.
    var z = map.getZoom();
    var size = map.getSize();
    var origin = map.containerPointToLayerPoint([0, 0]);
    var view = { x: origin.x, y: origin.y, w: size.x, h: size.y };
    var KEEP = 13; // the dot and its rim: no label covers a dot
    var taken = sites.map(function (s) {
      var c = map.latLngToLayerPoint(s.shown);
      return { x: c.x - KEEP / 2, y: c.y - KEEP / 2, w: KEEP, h: KEEP, site: s };
    });
    // No label under a control (zoom, tools, legend, scale, attribution).
    var frame = container.getBoundingClientRect();
    container.querySelectorAll(".leaflet-control").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (!r.width) return;
      taken.push({ x: origin.x + r.left - frame.left, y: origin.y + r.top - frame.top, w: r.width, h: r.height });
    });
    var placed = 0;
    labels.forEach(function (lab) {
      lab.el.style.display = "none";
      if (z < lab.minZoom) return;
      var c = map.latLngToLayerPoint(lab.site ? lab.site.shown : lab.latlng);
      var w = lab.w;
      var h = lab.h;
      var tries;
      if (lab.site) {
        var g = 8;
        tries = [
          [c.x + g, c.y - h / 2],
          [c.x - g - w, c.y - h / 2],
          [c.x + g - 2, c.y - g - h + 4],
          [c.x + g - 2, c.y + g - 4],
          [c.x - g - w + 2, c.y - g - h + 4],
          [c.x - g - w + 2, c.y + g - 4],
          [c.x - w / 2, c.y - g - h],
          [c.x - w / 2, c.y + g],
        ];
      } else {
        tries = [[c.x - w / 2, c.y - h / 2]];
      }
      for (var t = 0; t < tries.length; t++) {
        var box = { x: tries[t][0], y: tries[t][1], w: w, h: h };
        var inside =
          box.x >= view.x && box.y >= view.y && box.x + w <= view.x + view.w && box.y + h <= view.y + view.h;
        if (!inside) continue;
        var clash = taken.some(function (o) {
          return !(lab.site && o.site === lab.site) && overlaps(box, o);
        });
        if (clash) continue;
        taken.push(box);
        placed++;
        lab.el.style.display = "";
        L.DomUtil.setPosition(lab.el, L.point(Math.round(box.x), Math.round(box.y)));
        return;
      }
    });
    container.dataset.labels = String(placed);
  }

  // Dots are spread again after a zoom (their pixel distances change), labels laid out again
  // after any move. Leaflet ends every zoom with "moveend", so a zoom does both once; while the
  // map is being built (controls, legend, the first view) nothing is placed, then all once:
  // measured, the repeated passes were a third of the map's first draw.
  var building = true;
  var zoomed = true;
  map.on("zoomend viewreset", function () {
    zoomed = true;
  });

  // ---- controls ---------------------------------------------------------------------------
  var ICONS = {
    reset:
      '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M12 5a7 7 0 1 1-6.3 4H3l3.5-4 3.5 4H7.8A5 5 0 1 0 12 7z" fill="currentColor"/></svg>',
    full:
      '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M4 4h6v2H6v4H4zm10 0h6v6h-2V6h-4zM4 14h2v4h4v2H4zm14 0h2v6h-6v-2h4z" fill="currentColor"/></svg>',
  };

  function button(bar, cls, icon, label, onClick) {
    var b = L.DomUtil.create("button", "ss-button " + cls, bar);
    b.type = "button";
    b.innerHTML = icon; // a constant of this file
    b.setAttribute("aria-label", label);
    b.title = label;
    L.DomEvent.on(b, "click", function (e) {
      L.DomEvent.stop(e);
      onClick(b);
    });
    return b;
  }

  function home(animate) {
    var h = opts.home;
    if (!h.fixed && h.fit && container.clientWidth < h.narrow) {
      // Keep the core region clear of the zoom and tool buttons down the left edge, so the
      // westmost places of Kurdistan (Oshnavieh, Piranshahr) and their names are not under them.
      var bar = container.querySelector(".leaflet-top.leaflet-left");
      var left = bar ? Math.ceil(bar.getBoundingClientRect().width) + 4 : 4;
      map.fitBounds(h.fit, {
        animate: animate,
        paddingTopLeft: [left, 4],
        paddingBottomRight: [4, 4],
      });
    } else {
      map.setView([h.lat, h.lon], h.zoom, { animate: animate });
    }
  }

  function rootOf() {
    return container.getRootNode ? container.getRootNode() : document;
  }
  function isFull() {
    return rootOf().fullscreenElement === container || container.classList.contains("ss-pseudo-full");
  }
  function setFullLabel(b) {
    var on = isFull();
    var label = on ? T.leaveFull : T.full;
    b.setAttribute("aria-pressed", on ? "true" : "false");
    b.setAttribute("aria-label", label);
    b.title = label;
    setTimeout(function () {
      map.invalidateSize();
    }, 50);
  }
  function toggleFull(b) {
    if (container.classList.contains("ss-pseudo-full")) {
      container.classList.remove("ss-pseudo-full");
    } else if (rootOf().fullscreenElement === container) {
      document.exitFullscreen();
      return;
    } else if (container.requestFullscreen && document.fullscreenEnabled) {
      container.requestFullscreen().catch(function () {
        container.classList.add("ss-pseudo-full");
        setFullLabel(b);
      });
      return;
    } else {
      // No Fullscreen API (an iPhone, a frame without permission): fill the window instead.
      container.classList.add("ss-pseudo-full");
    }
    setFullLabel(b);
  }

  var Tools = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var bar = L.DomUtil.create("div", "leaflet-bar ss-tools");
      button(bar, "ss-reset", ICONS.reset, T.reset, function () {
        home(true);
      });
      var full = button(bar, "ss-full", ICONS.full, T.full, toggleFull);
      full.setAttribute("aria-pressed", "false");
      document.addEventListener("fullscreenchange", function () {
        setFullLabel(full);
      });
      L.DomEvent.on(container, "keydown", function (e) {
        if (e.key === "Escape" && container.classList.contains("ss-pseudo-full")) toggleFull(full);
      });
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    },
  });
  new Tools().addTo(map);

  // ---- legend -----------------------------------------------------------------------------
  var CORNERS = ["topright", "bottomright", "bottomleft", "topleft"];
  var legendBox = null;
  var Legend = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "ss-legend map-legend");
      // The page can hide it where it shows the legend below the map instead (a phone):
      // `.ss-map-host::part(legend)` reaches it through the map's shadow root.
      box.setAttribute("part", "legend");
      var toggle = L.DomUtil.create("button", "ss-legend-toggle", box);
      toggle.type = "button";
      toggle.textContent = T.legend;
      var body = L.DomUtil.create("div", "ss-legend-body", box);
      body.id = container.id + "-legend";
      body.innerHTML = opts.legend.html; // escaped by mapbuild.legend_html
      toggle.setAttribute("aria-controls", body.id);
      var open = container.clientWidth >= opts.legend.narrow;
      // On a phone or a map beside a panel: smaller type, no headings.
      box.classList.toggle("ss-legend--compact", container.clientWidth < 2 * opts.legend.narrow);
      function show(isOpen) {
        open = isOpen;
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        box.classList.toggle("ss-legend--open", open);
        body.hidden = !open;
      }
      show(open);
      L.DomEvent.on(toggle, "click", function (e) {
        L.DomEvent.stop(e);
        show(!open);
        placeLegendAndLabels();
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  var legend = opts.legend && opts.legend.html ? new Legend().addTo(map) : null;
  if (legend) legendBox = legend.getContainer();

  function covered(rect, frame) {
    // How many dots a box (page coordinates) hides, from where Leaflet draws them: reading
    // each dot's box from the page made the browser lay it out again for every corner tried.
    var n = 0;
    sites.forEach(function (s) {
      if (!s.layer._map) return;
      var p = map.latLngToContainerPoint(s.shown);
      var r = s.layer.getRadius ? s.layer.getRadius() : 6;
      var x = frame.left + p.x;
      var y = frame.top + p.y;
      if (x - r < rect.right && rect.left < x + r && y - r < rect.bottom && rect.top < y + r) n++;
    });
    return n;
  }

  function moveLegend(corner) {
    // Like Control.setPosition, but keeps the same element (and so its state and focus).
    var parts = corner.match(/^(top|bottom)(left|right)$/);
    var target = container.querySelector(".leaflet-" + parts[1] + ".leaflet-" + parts[2]);
    if (parts[1] === "bottom") target.insertBefore(legendBox, target.firstChild);
    else target.appendChild(legendBox);
  }

  function placeLegend() {
    // Put the legend in the first corner where it hides no place (focus stays where it was).
    if (!legend) return;
    var active = rootOf().activeElement;
    var best = null;
    var frame = container.getBoundingClientRect();
    for (var k = 0; k < CORNERS.length; k++) {
      moveLegend(CORNERS[k]);
      var hidden = covered(legendBox.getBoundingClientRect(), frame);
      if (best === null || hidden < best.hidden) best = { corner: CORNERS[k], hidden: hidden };
      if (!hidden) break;
    }
    moveLegend(best.corner);
    container.dataset.legendCorner = best.corner;
    container.dataset.legendHides = String(best.hidden);
    if (active && legendBox.contains(active) && rootOf().activeElement !== active) {
      active.focus({ preventScroll: true });
    }
  }

  function placeLegendAndLabels() {
    if (building) return;
    if (zoomed) spread();
    zoomed = false;
    placeLegend();
    layout(); // after the legend, so that no label hides under it
  }
  map.on("moveend resize", placeLegendAndLabels);
  // A map drawn before its box has its size (an iframe still loading, a hidden tab) places its
  // labels and legend again once the box is measured or resized.
  if (window.ResizeObserver) {
    var lastSize = "";
    new ResizeObserver(function () {
      var now = container.clientWidth + "x" + container.clientHeight;
      if (now === lastSize || !container.clientWidth) return;
      lastSize = now;
      map.invalidateSize({ pan: false }); // fires "resize": labels and legend are placed again
      placeLegendAndLabels();
    }).observe(container);
  }

  // ---- the online tiles -------------------------------------------------------------------
  // Built unattached (mapbuild): they join the map after its first paint, below the history
  // and above the vector basemap (their pane says where, not the order of adding).
  if (tiles) {
    requestAnimationFrame(function () {
      setTimeout(function () {
        if (map._container && !map.hasLayer(tiles)) tiles.addTo(map);
      }, 0);
    });
    var failed = 0;
    var loaded = 0;
    tiles.on("tileload", function () {
      loaded++;
    });
    tiles.on("tileerror", function () {
      // No internet: drop the layer so that the vector basemap shows and nothing retries.
      if (++failed >= 2 && !loaded && map.hasLayer(tiles)) map.removeLayer(tiles);
    });
  }

  // ---- touch: one finger scrolls the page, two move the map ------------------------------
  var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  if (opts.gestures && (coarse || L.Browser.mobile)) {
    map.dragging.disable(); // leaves touch-action: pan-x pan-y, so the page scrolls
    container.classList.add("ss-two-finger");
    var hint = L.DomUtil.create("div", "ss-gesture-hint", container);
    hint.textContent = T.twoFingers;
    hint.setAttribute("role", "status");
    var timer = null;
    container.addEventListener(
      "touchmove",
      function (e) {
        if (e.touches.length === 1) {
          hint.classList.add("ss-gesture-hint--shown");
          clearTimeout(timer);
          timer = setTimeout(function () {
            hint.classList.remove("ss-gesture-hint--shown");
          }, 1500);
        } else {
          hint.classList.remove("ss-gesture-hint--shown");
        }
      },
      { passive: true }
    );
    // A mouse on a touch screen drags as usual.
    container.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "mouse" && !map.dragging.enabled()) map.dragging.enable();
    }, true);
  }

  if (!opts.home.fixed) home(false); // a narrow map fits the core region instead
  building = false;
  placeLegendAndLabels();
  return { spread: spread, layout: layout, sites: sites, features: features };
}
