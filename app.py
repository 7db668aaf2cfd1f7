"""Entry point: `streamlit run app.py`."""

import streamlit as st

st.set_page_config(page_title="How optimizers learn", page_icon="🧭", layout="wide")
st.title("How gradient-based optimizers work")
st.write("From gradient descent to Adam and Lookahead.")
