"""Entry point (run with `make run`): page set-up, the data, the view state, the shared sidebar,
then the page the address names.

URL paths: the map is the root (`/`, also answered at `/map` for older links), then
`/timeline`, `/story` and `/sources`. See explorer/session.py for how the address and the view
state are kept in step.
"""

import streamlit as st

from explorer import frame, process, session, sidebar
from geodata import DataError

st.set_page_config(page_title="Stalin's Shadow", page_icon="🗺️", layout="wide")
try:
    data = frame.dataset()
except DataError as error:
    frame.data_error_page(error)
    st.stop()
process.freeze_loaded()  # only the process's first run does anything (explorer/process.py)

# The default page is served at the root; its own pathname is only reserved, so it takes one
# that no link uses, and the hidden page answers `/map` links by switching to the root.


def _old_map_path() -> None:
    st.switch_page(MAP, query_params=st.query_params.to_dict())


MAP = st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="index", default=True)
navigation = st.navigation(
    [
        MAP,
        st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:"),
        st.Page("pages/story.py", title="Story", icon=":material/auto_stories:"),
        st.Page("pages/sources.py", title="Sources", icon=":material/menu_book:"),
        st.Page(
            lambda: st.switch_page(MAP, query_params=st.query_params.to_dict()),
            title="Map",
            url_path="map",
            visibility="hidden",
        ),
    ]
)
session.begin_run(navigation.url_path or "index", data.features.index)
frame.app_style()
navigation.run()
# After the page: a page may set the state itself (the story's stop), and the map is drawn
# before the sidebar's widget code loads.
sidebar.sidebar()
session.write_url()
