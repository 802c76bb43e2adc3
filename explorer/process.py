"""Once per server process: keep the garbage collector off what lives as long as the process.

Streamlit runs every session's script in threads of one interpreter. After the app has loaded
its modules and data (~140,000 tracked objects: pandas, GeoPandas, Altair's schema, Folium), a
full collection scans them all and holds the interpreter for 0.1-1 s, stalling every session.
`runner.postScriptGC = false` (.streamlit/config.toml) stops Streamlit's collection after each
run; `freeze_loaded` moves what is loaded by then out of the collector's reach (gc.freeze), so
the collections Python still makes on its own stay short. Objects made later are collected as
usual.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_loaded() -> bool:
    """Collect once, then freeze every object alive; only the first call does anything.
    Returns whether this call froze."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        gc.collect()
        gc.freeze()
        _frozen = True
        return True
