"""The bare page the benchmark compares against: a title and a line of text."""

import streamlit as st

st.title("Stalin's Shadow")
st.write("A bare Streamlit page, served the same way as the app.")
