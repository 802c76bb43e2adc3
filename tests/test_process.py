"""The once-per-process freeze of what the app has loaded (explorer/process.py)."""

from __future__ import annotations

import gc

from explorer import process


def test_freeze_loaded_freezes_once(monkeypatch):
    monkeypatch.setattr(process, "_frozen", False)
    try:
        assert process.freeze_loaded() is True
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert process.freeze_loaded() is False  # later runs: nothing to do
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
