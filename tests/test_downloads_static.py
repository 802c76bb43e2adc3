"""The downloads as static files: content-hashed names, the same bytes from every process, and
a folder that holds only the current data version."""

from __future__ import annotations

import hashlib
from datetime import date

from explorer import downloads


def test_publish_writes_every_download_under_its_content_hash(dataset, tmp_path):
    names = downloads.publish(dataset, tmp_path)
    assert set(names) == set(downloads.BY_KEY)
    for key, name in names.items():
        content = (tmp_path / name).read_bytes()
        assert content == downloads.file_bytes(dataset, key)
        digest = hashlib.sha256(content).hexdigest()[: downloads.HASH_CHARS]
        stem, _, ext = downloads.BY_KEY[key].file_name.partition(".")
        assert name == f"{stem}-{digest}.{ext}"


def test_publishing_again_gives_the_same_names_and_drops_stale_files(dataset, tmp_path):
    first = downloads.publish(dataset, tmp_path)
    (tmp_path / "stalins-shadow-events-000000000000.csv").write_text("old version")
    again = downloads.publish(dataset, tmp_path)
    assert again == first  # the GeoPackage too: GDAL's write time is fixed
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(first.values())


def test_static_href_follows_the_base_path():
    assert downloads.static_href("", "a-1.csv") == "/app/static/downloads/a-1.csv"
    assert (
        downloads.static_href("/explorer/", "a-1.csv") == "/explorer/app/static/downloads/a-1.csv"
    )


def test_downloads_html_links_every_file_and_escapes_its_text():
    names = {item.key: f"{item.key}-0123456789ab.x" for item in downloads.DOWNLOADS}
    html = downloads.downloads_html(
        names, "explorer", "v1", "https://h/explorer/sources?a=1&b=<2>", date(2026, 1, 2)
    )
    for item in downloads.DOWNLOADS:
        assert (
            f'<a href="/explorer/app/static/downloads/{names[item.key]}" '
            f'download="{item.file_name}"' in html
        )
    assert html.count("Cite as: ") == len(downloads.DOWNLOADS)
    assert "b=&lt;2&gt;" in html and "<2>" not in html
