"""Placeholder until this page lands."""

import streamlit as st

st.title("lookahead")
st.info("This page is being written.")
