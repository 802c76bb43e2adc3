"""Story: a guided tour from the 1941 invasion to the June 2025 war, one map view per stop."""

import streamlit as st

from explorer import map_adapter, pages_ui, story, ui

pages_ui.ensure_app_navigation()
map_adapter.preload()
data = ui.dataset()
stops = story.stops(data.story)
state, stop = pages_ui.story_sidebar(data, stops)
st.title("The story, 1941–2025")
ui.show_notices()
pages_ui.story_page(data, state, stop, stops)
