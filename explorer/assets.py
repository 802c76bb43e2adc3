"""Leaflet for the browser, served by the app itself from ./static (no CDN, works offline).

Leaflet is installed from PyPI (the `django-js-lib-leaflet` package ships Leaflet 1.9.4's dist
files); `ensure_static` copies them into ./static/vendor/leaflet, which Streamlit serves at
/app/static/ when `server.enableStaticServing` is on. Nothing of Leaflet is committed.
"""

from __future__ import annotations

import importlib.resources
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor" / "leaflet"
STATIC_URL = "/app/static"
LEAFLET_JS_URL = f"{STATIC_URL}/vendor/leaflet/leaflet.js"
LEAFLET_CSS_URL = f"{STATIC_URL}/vendor/leaflet/leaflet.css"
LEAFLET_ESM_URL = f"{STATIC_URL}/vendor/leaflet/leaflet-src.esm.js"
_FILES = ("leaflet.js", "leaflet.css", "leaflet-src.esm.js", "images")


def leaflet_dist() -> Path:
    """Where the installed Leaflet dist files are."""
    package = importlib.resources.files("js_lib_leaflet")
    return Path(str(package)) / "static" / "js_lib_leaflet"


def ensure_static(target: Path = VENDOR_DIR) -> Path:
    """Copy Leaflet into the static folder unless an identical copy is there; cheap when done."""
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
