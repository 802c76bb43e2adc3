"""The map element's payload: Folium's output without CDN tags, stable for the same map."""

from __future__ import annotations

import json
import re

from streamlit import config

from explorer import assets, map_element
from explorer.mapbuild import build_map
from explorer.panel import events_html
from explorer.state import ViewState
from explorer.visibility import events_of
from geodata.dates import PartialDate


def payload(dataset, state: ViewState) -> dict:
    return map_element.payload(build_map(dataset.features, dataset.context, state))


def test_payload_carries_the_map_without_cdn_tags(dataset):
    data = payload(dataset, ViewState())
    assert "L.map(" in data["script"] and '"soviet-zone"' in data["script"]
    assert 'class="folium-map"' in data["html"]
    for text in (data["script"], data["html"], data["css"], *data["blobs"].values()):
        assert "<script src" not in text and "<link" not in text
        assert "cdn.jsdelivr" not in text and "cdnjs" not in text
    assert ".leaflet-interactive:focus" in data["css"]


def test_same_map_same_hash_other_map_other_hash(dataset):
    first, again = payload(dataset, ViewState()), payload(dataset, ViewState())
    assert first["hash"] == again["hash"]
    later = payload(dataset, ViewState(PartialDate(2016, 8), ("modern",)))
    assert later["hash"] != first["hash"]


def test_payload_stays_small(dataset):
    data = payload(dataset, ViewState())
    size = sum(len(data[k].encode("utf-8")) for k in ("script", "html", "css"))
    assert size < 100_000, f"the map's per-state payload is {size} bytes"


def test_the_basemap_leaves_the_script_as_one_shared_blob(dataset):
    first = payload(dataset, ViewState())
    later = payload(dataset, ViewState(PartialDate(2016, 8), ("modern",)))
    assert len(first["blobs"]) == 1 and first["blobs"].keys() == later["blobs"].keys()
    (text,) = first["blobs"].values()
    assert len(text) > 100_000 and json.loads(text)["type"] == "FeatureCollection"
    assert "_add(__ssData[0]);" in first["script"]
    assert '"soviet-zone"' in first["script"]  # the history layer stays with its state


def test_split_data_leaves_small_or_odd_calls_alone():
    big = json.dumps({"type": "FeatureCollection", "features": [{"x": "y" * 120_000}]})
    script = f"a_add({{'not': json}});\nb_add({big});\nc_add({{}});\nb_add({big});"
    out, blobs = map_element.split_data(script)
    assert out == "a_add({'not': json});\nb_add(__ssData[0]);\nc_add({});\nb_add(__ssData[0]);"
    assert list(blobs.values()) == [big]


def test_runtime_bundles_leaflet_its_css_and_the_draw_code():
    bundle = assets.runtime_bundle()
    assert bundle.startswith(assets.leaflet_dist().joinpath("leaflet.js").read_text()[:200])
    assert ".leaflet-container" in bundle and "function draw(host, data)" in bundle
    name = assets.runtime_name()
    assert re.fullmatch(r"stalins_shadow/map-[0-9a-f]{16}\.js", name)
    assert (assets.STATIC_DIR / name).read_text(encoding="utf-8") == bundle


def test_static_url_follows_the_base_path():
    before = config.get_option("server.baseUrlPath")
    try:
        for base, expected in (("", "/app/static"), ("explorer", "/explorer/app/static")):
            config.set_option("server.baseUrlPath", base)
            assert assets.static_url() == expected
        config.set_option("server.baseUrlPath", "/a/b/")
        assert assets.runtime_url().startswith("/a/b/app/static/stalins_shadow/map-")
    finally:
        config.set_option("server.baseUrlPath", before)


def test_the_map_block_is_stable_and_nothing_in_it_closes_its_script():
    evil = {
        "hash": "h1",
        "script": "var a = '</script><script>window.__xss = 1</script><!--';",
        "html": "<div id='m'></div>",
        "css": "</style>",
    }
    body = map_element.map_block(evil, key="k", height=640, src="/app/static/x.js")
    assert body == map_element.map_block(evil, key="k", height=640, src="/app/static/x.js")
    assert body.count("</script>") == 1 and body.endswith("</script>")
    assert body.count("<script>") == 1 and "<!--" not in body
    assert 'class="ss-map-host" style="height:640px"' in body
    evil["blobs"] = {"d1": "{}"}
    body = map_element.map_block(evil, key="k2", height=640, src="/explorer/app/static/x.js")
    assert '"blobs":["/explorer/app/static/data-d1.json"]' in body
    wanted = map_element.wanted_block("k</script>", ("a", "b"), None, "initial")
    assert wanted.count("</script>") == 1
    assert '"selected":["a","b"]' in wanted


def test_events_block_lists_every_event_escaped(dataset):
    events = [e._asdict() for e in events_of(dataset.events, "republic-of-mahabad").itertuples()]
    html = events_html(events, dataset.sources)
    assert f"Events ({len(events)})" in html
    assert html.count('class="event"') == len(events)
    evil = [{**events[0], "title": "<script>x</script>"}]
    assert "<script>x" not in events_html(evil, dataset.sources)


def test_a_read_only_static_folder_keeps_the_data_in_the_script(dataset, monkeypatch):
    data = payload(dataset, ViewState())

    def refuse(digest: str, text: str):
        raise PermissionError("read-only")

    monkeypatch.setattr(map_element, "write_blob", refuse)
    body = map_element.map_block(data, key="ro", height=500, src="/app/static/x.js")
    assert "__ssData" not in body and '"blobs":[]' in body
    (text,) = data["blobs"].values()
    assert map_element.script_json(text)[1:-1][:2000] in body


def test_previews_are_shared_files_named_by_content_and_slots_escape(monkeypatch):
    """A click fills the page's slots from these files before its rerun (draw.js showPreview)."""
    written: dict[str, str] = {}
    monkeypatch.setattr(map_element, "write_blob", lambda d, t: written.setdefault(d, t))
    parts = {"head": "<h2>Tabriz</h2>", "body": "<ol></ol>"}
    urls = map_element.preview_urls({"tabriz": parts, "twin": dict(parts)}, "/p/app/static/x.js")
    assert urls["tabriz"] == urls["twin"]  # the same content is the same file
    assert urls["tabriz"].startswith("/p/app/static/data-") and len(written) == 1
    assert json.loads(next(iter(written.values()))) == parts
    body = map_element.map_block(
        {"hash": "hp", "script": "", "html": "", "css": ""},
        key="kp",
        height=300,
        src="/p/app/static/x.js",
        previews=lambda: {"tabriz": parts},
    )
    assert f'"previews":{{"tabriz":"{urls["tabriz"]}"}}' in body
    slot = map_element.preview_slot('k"><script>', "head", "<b>x</b>")
    assert slot.startswith('<div data-ss-slot="head" data-ss-map="k&quot;&gt;&lt;script&gt;">')
    assert slot.endswith("<b>x</b></div>")

    def refuse(digest: str, text: str):
        raise PermissionError("read-only")

    monkeypatch.setattr(map_element, "write_blob", refuse)
    assert map_element.preview_urls({"tabriz": parts}, "/app/static/x.js") == {}
