"""Entry point: page set-up and navigation (run with `make run`)."""

import streamlit as st

st.set_page_config(page_title="Stalin's Shadow", page_icon="🗺️", layout="wide")
navigation = st.navigation([st.Page("pages/map.py", title="Map", icon="🗺️", default=True)])
navigation.run()
