"""Entry point (run with `make run`): page set-up, the data, the view state, the shared sidebar,
then the page the address names.

URL paths: the map is the root (`/`, also answered at `/map` for older links), then
`/timeline`, `/story` and `/sources`. See explorer/session.py for how the address and the view
state are kept in step.
"""

import streamlit as st

from explorer import frame, i18n, map_page, process, session, sidebar
from explorer.i18n import _
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


with i18n.using(session.early_lang()):  # page titles in the link's language from the first run
    MAP = st.Page(
        "pages/map.py", title=_("Map"), icon=":material/map:", url_path="index", default=True
    )
    PAGES = [
        MAP,
        st.Page("pages/timeline.py", title=_("Timeline"), icon=":material/timeline:"),
        st.Page("pages/story.py", title=_("Story"), icon=":material/auto_stories:"),
        st.Page("pages/sources.py", title=_("Sources"), icon=":material/menu_book:"),
    ]
navigation = st.navigation(
    [
        *PAGES,
        st.Page(
            lambda: st.switch_page(MAP, query_params=st.query_params.to_dict()),
            title=_("Map"),
            url_path="map",
            visibility="hidden",
        ),
    ]
)
session.begin_run(navigation.url_path or "index", data.features.index)
map_page.begin_first_paint(navigation.url_path or "index")
frame.app_style()
frame.language_setup()
navigation.run()
# After the page: a page may set the state itself (the story's stop), and the map is drawn
# before the sidebar's widget code loads. A session's first run of the map draws the map alone
# and leaves the sidebar for the run the map asks for once drawn (explorer/map_page.py).
if not map_page.first_paint():
    sidebar.sidebar()
session.write_url()
