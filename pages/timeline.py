"""Timeline: every event on a time axis, filtered and searchable, each linked to the map."""

import streamlit as st

from explorer import pages_ui, ui

pages_ui.ensure_app_navigation()
data = ui.dataset()
state = pages_ui.shared_sidebar(data)
st.title("Timeline, 1941–2025")
ui.show_notices()
pages_ui.timeline_page(data, state)
