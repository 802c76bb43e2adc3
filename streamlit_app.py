"""Entry point: page set-up and navigation (run with `make run`).

Each page's URL path comes from its file name: /map (also the root), /timeline, /story, /sources.
"""

import streamlit as st

from explorer import process, ui
from explorer.pages_ui import keep_shared_state

st.set_page_config(page_title="Stalin's Shadow", page_icon="🗺️", layout="wide")
ui.dataset()  # loaded once per process, then kept out of the garbage collector's scans:
process.freeze_loaded()  # only the first run of the process does anything (explorer/process.py)
keep_shared_state()  # the sidebar's date and layers follow the reader from page to page
navigation = st.navigation(
    [
        st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
        st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:"),
        st.Page("pages/story.py", title="Story", icon=":material/auto_stories:"),
        st.Page("pages/sources.py", title="Sources", icon=":material/menu_book:"),
    ]
)
navigation.run()
