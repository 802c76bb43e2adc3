"""The data as files to take away: layers as GeoJSON and GeoPackage, tables as CSV, each with a
citation line and the licences of what it is made from.

The files are published as static files (`publish`): ./static/downloads/<name>-<content hash>.<ext>,
served by every replica at <base path>/app/static/downloads/ (`server.enableStaticServing`), so a
download works whichever process the proxy sends it to, and a new data version is a new address
that no cache can confuse with the old one. Never from one process's media store.

The files hold exactly the shipped data: list cells are written as in the CSV files (items joined
by ';'), and `read_back_*` turn a downloaded file into the same frame that `export_*` made, which
the tests compare. Nothing here touches Streamlit.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from html import escape as esc
from pathlib import Path

import geopandas as gpd
import pandas as pd

from explorer.i18n import N_, _
from geodata import schema
from geodata.datapackage import PACKAGE_FILE
from geodata.loader import (
    CLAIMS_FILE,
    DATA_DIR,
    EVENTS_FILE,
    FEATURES_FILE,
    SOURCES_FILE,
    STORY_FILE,
    Dataset,
)

ROOT = Path(__file__).resolve().parent.parent
PUBLISH_DIR = ROOT / "static" / "downloads"
STATIC_PREFIX = "app/static/downloads"
HASH_CHARS = 12
GPKG_DATE = "2000-01-01T00:00:00.000Z"

PROJECT = N_("Stalin's Shadow: Russia and Iran, 1941–2025")
LIST_SEPARATOR = ";"
NATURAL_EARTH = "Natural Earth Admin 0 – Countries, 1:10m (public domain)"
PROJECT_LICENCE = N_(
    "The project's own texts and derived data are under CC BY 4.0 (credit \"Stalin's Shadow "
    'contributors"); its code is under the MIT licence.'
)

TABLE_COLUMNS = {
    "events": list(schema.EVENT_COLUMNS),
    "sources": list(schema.SOURCE_COLUMNS),
    "claims": list(schema.CLAIM_COLUMNS),
    "story": list(schema.STORY_COLUMNS),
}


@dataclass(frozen=True)
class Download:
    """One downloadable file: what it is, how to cite it, and the licences behind it."""

    key: str
    label: str
    file_name: str
    mime: str
    description: str
    licence: str
    cite_name: str  # what the citation calls it ("layers", "events"…)


DOWNLOADS = (
    Download(
        "layers-geojson",
        N_("Layers (GeoJSON)"),
        "stalins-shadow-layers.geojson",
        "application/geo+json",
        N_(
            "Every historical feature (zones, republics, lines, routes, sites) in one "
            "FeatureCollection, EPSG:4326, with its names in several languages, dates, "
            "certainty, summary, derivation and sources."
        ),
        N_(
            "Borders from Natural Earth Admin 0 – Countries, 1:10m (public domain); zones and "
            "republics derived from them and from the towns named in the cited documents; site "
            "coordinates from the cited pages."
        ),
        N_("layers"),
    ),
    Download(
        "layers-gpkg",
        N_("Layers (GeoPackage)"),
        "stalins-shadow-layers.gpkg",
        "application/geopackage+sqlite3",
        N_(
            "The same features as a GeoPackage with one table per period layer "
            "(occupation, crisis, modern)."
        ),
        N_(
            "Borders from Natural Earth Admin 0 – Countries, 1:10m (public domain); zones and "
            "republics derived from them and from the towns named in the cited documents; site "
            "coordinates from the cited pages."
        ),
        N_("layers"),
    ),
    Download(
        "events",
        N_("Events (CSV)"),
        "stalins-shadow-events.csv",
        "text/csv",
        N_(
            "The chronology: one row per event, with its date at its true precision, places, "
            "period, certainty and sources."
        ),
        N_("Summaries written for the project in its own words; each row cites its sources."),
        N_("events"),
    ),
    Download(
        "sources",
        N_("Sources (CSV)"),
        "stalins-shadow-sources.csv",
        "text/csv",
        N_(
            "The bibliography: title, publisher, link, date read, kind and licence of every source."
        ),
        N_(
            "Bibliographic details only; each cited work keeps its own licence and is not included."
        ),
        N_("sources"),
    ),
    Download(
        "claims",
        N_("Claims (CSV)"),
        "stalins-shadow-claims.csv",
        "text/csv",
        N_(
            "What the article claims: each claim paraphrased, with its verdict, explanation and "
            "sources."
        ),
        N_("Paraphrases and verdicts written for the project; each row cites its sources."),
        N_("claims"),
    ),
    Download(
        "story",
        N_("Story stops (CSV)"),
        "stalins-shadow-story.csv",
        "text/csv",
        N_(
            "The guided tour: each stop's date, layers, outlined features, view, narrative and "
            "sources."
        ),
        N_("Narratives written for the project in its own words; each stop cites its sources."),
        N_("story stops"),
    ),
    Download(
        "datapackage",
        N_("Schema (Data Package)"),
        "stalins-shadow-datapackage.json",
        "application/json",
        N_(
            "A Frictionless Data Package describing every data file: columns, types, allowed "
            "values, keys and licences, generated from the schema the validator uses."
        ),
        N_("Written for the project; under CC BY 4.0 like the data it describes."),
        N_("schema"),
    ),
)
BY_KEY = {d.key: d for d in DOWNLOADS}
DATA_FILES = (FEATURES_FILE, EVENTS_FILE, SOURCES_FILE, CLAIMS_FILE, STORY_FILE)


def data_version(data_dir: Path = DATA_DIR, files: Iterable[str] = DATA_FILES) -> str:
    """A short fingerprint of the data files: the same files always give the same version."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode("utf-8") + b"\0" + (data_dir / name).read_bytes())
    return digest.hexdigest()[:10]


def citation(download: Download, version: str, url: str, accessed: date) -> str:
    """The line to cite a download with."""
    link = f" {url}." if url else ""
    return _(
        "{project} — {what}, file {file}, data version {version}. Retrieved {date}.{link}"
    ).format(
        project=_(PROJECT),
        what=_(download.cite_name),
        file=download.file_name,
        version=version,
        date=accessed.isoformat(),
        link=link,
    )


def _joined(value: object) -> object:
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value


def export_table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A table as its file holds it: the given columns, lists joined, all text, no index."""
    table = frame[columns].reset_index(drop=True)
    return table.apply(lambda column: column.map(_joined)).astype(str)


def export_features(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The features as the layer files hold them: the GeoJSON properties, lists joined."""
    columns = list(schema.FEATURE_PROPERTIES)
    table = export_table(features, columns)
    return gpd.GeoDataFrame(table, geometry=list(features.geometry), crs=features.crs)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a header row."""
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def geojson_bytes(layer: gpd.GeoDataFrame) -> bytes:
    """A layer as a GeoJSON FeatureCollection in EPSG:4326."""
    return layer.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def gpkg_bytes(layers: Mapping[str, gpd.GeoDataFrame]) -> bytes:
    """Several layers as one GeoPackage file, one table per layer."""
    import pyogrio

    # GDAL stamps each table with the time of writing unless OGR_CURRENT_DATE is set: a fixed
    # stamp makes the same data give the same bytes, so every replica publishes the same name.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "layers.gpkg"
        for name, layer in layers.items():
            layer.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def period_layers(features: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """The exported features split by period layer, in the layers' order."""
    layer = export_features(features)
    return {
        period: layer[layer["period"] == period].reset_index(drop=True) for period in schema.PERIODS
    }


def file_bytes(data: Dataset, key: str) -> bytes:
    """The content of a download."""
    if key == "datapackage":
        return (DATA_DIR / PACKAGE_FILE).read_bytes()
    if key == "layers-geojson":
        return geojson_bytes(export_features(data.features))
    if key == "layers-gpkg":
        return gpkg_bytes(period_layers(data.features))
    frame = {
        "events": data.events,
        "sources": data.sources,
        "claims": data.claims,
        "story": data.story,
    }[key]
    return csv_bytes(export_table(frame, TABLE_COLUMNS[key]))


def hashed_name(download: Download, content: bytes) -> str:
    """The published file's name: the download's name with a hash of its content before the
    extension (`stalins-shadow-events-<hash>.csv`)."""
    stem, dot, ext = download.file_name.partition(".")
    digest = hashlib.sha256(content).hexdigest()[:HASH_CHARS]
    return f"{stem}-{digest}{dot}{ext}"


def publish(data: Dataset, folder: Path = PUBLISH_DIR) -> dict[str, str]:
    """Write every download into `folder` under its hashed name; return key -> file name.

    Safe to run from several processes at once (each file is written to a temporary name and
    renamed), cheap when the files are there already, and it removes files of older data
    versions so the folder holds only what the pages link to.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for item in DOWNLOADS:
        content = file_bytes(data, item.key)
        name = hashed_name(item, content)
        target = folder / name
        if not (target.exists() and target.stat().st_size == len(content)):
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_bytes(content)
            tmp.replace(target)
        names[item.key] = name
    keep = set(names.values())
    for old in folder.iterdir():
        if old.name not in keep and not old.name.startswith("."):
            old.unlink(missing_ok=True)
    return names


def static_href(base_url_path: str, name: str) -> str:
    """The absolute path a published file is served at, under the app's base path."""
    base = base_url_path.strip("/")
    return "/" + "/".join(part for part in (base, STATIC_PREFIX, name) if part)


def downloads_html(
    names: Mapping[str, str], base_url_path: str, version: str, page_url: str, accessed: date
) -> str:
    """The downloads section as one block of HTML (one element instead of five per file): for
    each file its label and description, a link to its static copy, its citation and licence.
    All text escaped."""
    items = []
    for item in DOWNLOADS:
        href = static_href(base_url_path, names[item.key])
        cite = citation(item, version, page_url, accessed)
        items.append(
            f'<div class="download" data-download="{esc(item.key)}" style="border:1px solid '
            '#ddd;border-radius:0.5rem;padding:0.6rem 0.9rem;margin:0 0 0.6rem">'
            f'<p style="margin:0 0 0.3rem"><b>{esc(_(item.label))}</b> — '
            f"{esc(_(item.description))}</p>"
            f'<p style="margin:0 0 0.3rem"><a href="{esc(href)}" download="{esc(item.file_name)}" '
            f'type="{esc(item.mime)}">{esc(_("Download {file}").format(file=item.file_name))}'
            "</a></p>"
            f'<p class="cite" style="margin:0;font-size:0.85em;color:#555">'
            f'{esc(_("Cite as:"))} <span dir="auto">{esc(cite)}</span>'
            f"<br>{esc(_('Licence and attribution:'))} {esc(_(item.licence))}</p></div>"
        )
    return "".join(items)


def read_back_csv(content: bytes) -> pd.DataFrame:
    """A downloaded CSV as text cells (empty cells stay empty strings, not NaN)."""
    return pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)


def read_back_layer(content: bytes, layer: str | None = None) -> gpd.GeoDataFrame:
    """A downloaded GeoJSON or GeoPackage layer, with empty text as empty strings."""
    with tempfile.TemporaryDirectory() as folder:
        suffix = ".gpkg" if content[:16].startswith(b"SQLite format 3") else ".geojson"
        path = Path(folder) / f"download{suffix}"
        path.write_bytes(content)
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    text = [c for c in frame.columns if c != frame.geometry.name]
    frame[text] = frame[text].fillna("").astype(str)
    return frame


if __name__ == "__main__":
    from geodata import load_dataset

    for key, name in publish(load_dataset()).items():
        print(f"{key}: {PUBLISH_DIR / name}")
