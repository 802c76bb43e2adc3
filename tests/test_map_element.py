"""The map element's payload: Folium's output without CDN tags, stable for the same map."""

from __future__ import annotations

from explorer import map_element
from explorer.mapbuild import build_map
from explorer.panel import events_html
from explorer.state import ViewState
from explorer.visibility import events_of
from geodata.dates import PartialDate


def payload(dataset, state: ViewState) -> dict[str, str]:
    return map_element.payload(build_map(dataset.features, dataset.context, state))


def test_payload_carries_the_map_without_cdn_tags(dataset):
    data = payload(dataset, ViewState())
    assert "L.map(" in data["script"] and '"soviet-zone"' in data["script"]
    assert 'class="folium-map"' in data["html"]
    for text in data.values():
        assert "<script src" not in text and "<link" not in text
        assert "cdn.jsdelivr" not in text and "cdnjs" not in text
    assert ".leaflet-interactive:focus" in data["css"]


def test_same_map_same_hash_other_map_other_hash(dataset):
    first, again = payload(dataset, ViewState()), payload(dataset, ViewState())
    assert first["hash"] == again["hash"]
    later = payload(dataset, ViewState(PartialDate(2016, 8), ("modern",)))
    assert later["hash"] != first["hash"]


def test_payload_stays_small(dataset):
    size = sum(len(v.encode("utf-8")) for v in payload(dataset, ViewState()).values())
    assert size < 300_000, f"the map payload is {size} bytes"


def test_leaflet_css_points_at_the_apps_own_images():
    css = map_element.element_css()
    assert "url(/app/static/vendor/leaflet/images/" in css
    assert "url(images/" not in css


def test_events_block_lists_every_event_escaped(dataset):
    events = [e._asdict() for e in events_of(dataset.events, "republic-of-mahabad").itertuples()]
    html = events_html(events, dataset.sources)
    assert f"Events ({len(events)})" in html
    assert html.count('class="event"') == len(events)
    evil = [{**events[0], "title": "<script>x</script>"}]
    assert "<script>x" not in events_html(evil, dataset.sources)
