"""Placeholder until this page lands."""

import streamlit as st

st.title("conclusion")
st.info("This page is being written.")
