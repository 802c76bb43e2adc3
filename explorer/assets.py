"""Leaflet and the map's runtime for the browser, served by the app itself from ./static.

Leaflet is installed from PyPI (the `django-js-lib-leaflet` package ships Leaflet 1.9.4's dist
files); `ensure_static` copies them into ./static/vendor/leaflet, which Streamlit serves at
/app/static/ when `server.enableStaticServing` is on, and writes the map's runtime: Leaflet, its
stylesheet and explorer/map_element/draw.js in one file whose name carries a digest of its
content (static/stalins_shadow/map-<digest>.js), so that browsers may cache it for good. Nothing
of this is committed. Behind a proxy the app lives under `server.baseUrlPath`: `static_url()`
reads it at run time, so the map's assets follow it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor" / "leaflet"
RUNTIME_DIR = STATIC_DIR / "stalins_shadow"
DRAW_JS = ROOT / "explorer" / "map_element" / "draw.js"
# Without a base path (streamlit-folium's iframe reads these; the element uses static_url()).
STATIC_URL = "/app/static"
LEAFLET_JS_URL = f"{STATIC_URL}/vendor/leaflet/leaflet.js"
LEAFLET_CSS_URL = f"{STATIC_URL}/vendor/leaflet/leaflet.css"
LEAFLET_ESM_URL = f"{STATIC_URL}/vendor/leaflet/leaflet-src.esm.js"
_FILES = ("leaflet.js", "leaflet.css", "leaflet-src.esm.js", "images")


def leaflet_dist() -> Path:
    """Where the installed Leaflet dist files are."""
    package = importlib.resources.files("js_lib_leaflet")
    return Path(str(package)) / "static" / "js_lib_leaflet"


def static_url() -> str:
    """The URL of ./static as the browser sees it, under the app's `server.baseUrlPath`."""
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{STATIC_URL}" if base else STATIC_URL


def runtime_bundle() -> str:
    """Leaflet, then draw.js wrapped in a function that receives Leaflet's stylesheet."""
    dist = leaflet_dist()
    leaflet = (dist / "leaflet.js").read_text(encoding="utf-8")
    css = (dist / "leaflet.css").read_text(encoding="utf-8")
    draw = DRAW_JS.read_text(encoding="utf-8")
    return f"{leaflet}\n;(function (LEAFLET_CSS) {{\n{draw}\n}})({json.dumps(css)});\n"


@functools.cache
def runtime_name() -> str:
    """Write the runtime bundle under its digest (once per process); its name under ./static."""
    text = runtime_bundle().encode("utf-8")
    name = f"stalins_shadow/map-{hashlib.sha256(text).hexdigest()[:16]}.js"
    target = STATIC_DIR / name
    if not target.exists() or target.read_bytes() != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(text)
        tmp.replace(target)  # atomic: a browser never gets half a file
    return name


def runtime_url() -> str:
    """The runtime bundle's URL for this run (the base path can differ between servers)."""
    return f"{static_url()}/{runtime_name()}"


_WRITTEN: set[str] = set()


def write_blob(digest: str, text: str) -> Path:
    """Write a map's data file under its digest (once per process); the name never changes
    meaning, so the browser may keep it."""
    target = RUNTIME_DIR / f"data-{digest}.json"
    if digest not in _WRITTEN:
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)  # atomic: a browser never gets half a file
        _WRITTEN.add(digest)
    return target


def blob_url(digest: str, runtime: str) -> str:
    """A data file's URL, beside the runtime's (`runtime_url()`, which carries the base path)."""
    return f"{runtime.rsplit('/', 1)[0]}/data-{digest}.json"


def ensure_static(target: Path = VENDOR_DIR) -> Path:
    """Copy Leaflet into the static folder unless an identical copy is there, and write the
    runtime bundle; cheap when done."""
    runtime_name()
    source = leaflet_dist()
    for name in _FILES:
        src, dst = source / name, target / name
        if src.is_dir():
            for item in src.iterdir():
                _copy(item, dst / item.name)
        else:
            _copy(src, dst)
    return target


def _copy(src: Path, dst: Path) -> None:
    if dst.exists() and dst.stat().st_size == src.stat().st_size:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_suffix(dst.suffix + ".tmp")
    shutil.copyfile(src, tmp)
    tmp.replace(dst)  # atomic: a browser never gets half a file


if __name__ == "__main__":
    print(f"Leaflet copied to {ensure_static()}")
