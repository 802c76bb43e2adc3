"""Sources: the bibliography, how each layer is drawn, the article's claims, and downloads."""

import streamlit as st

from explorer import pages_ui, ui

pages_ui.ensure_app_navigation()
data = ui.dataset()
pages_ui.shared_sidebar(data)
st.title("Sources and evidence")
ui.show_notices()
pages_ui.sources_page(data)
