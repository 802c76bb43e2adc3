"""Map explorer: the occupation zones, the two republics and the sites, through time."""

import streamlit as st

from explorer import map_adapter, pages_ui, ui

pages_ui.ensure_app_navigation()
map_adapter.preload()
data = ui.dataset()
# The state comes from the address first; the map is drawn before the sidebar's widgets, whose
# code the browser then loads while the map is already on screen (issue 12).
ui.sync_from_url(data)
st.title("Stalin's Shadow: Russia and Iran, 1941–2025")
ui.show_notices()
ui.map_and_panel()
state = ui.sidebar(data)
