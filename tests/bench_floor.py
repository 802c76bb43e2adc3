"""The least page that draws the app's map, for the benchmark: a title, and the map's st.html
block (explorer/map_element) in the same column as on the map page, nothing else (no sidebar,
no panel, no element that reports clicks). Its first draw is the floor of the design: no map
page that draws this map through st.html can be quicker."""

import streamlit as st

from explorer import frame, map_element
from explorer.map_page import MAP_HEIGHT, MAP_KEY
from explorer.state import ViewState


@st.cache_resource
def map_block() -> str:
    """The map page's default map block, made once (as the app caches it)."""
    payload = map_element.payload(frame.map_builder(ViewState())())
    src = map_element.runtime_url()
    return map_element.map_block(payload, key=MAP_KEY, height=MAP_HEIGHT, src=src)


st.set_page_config(page_title="Stalin's Shadow", layout="wide")
st.title("Stalin's Shadow")
col_map, _ = st.columns([3, 2], gap="medium")
col_map.html(map_block(), unsafe_allow_javascript=True)
