"""Placeholder until this page lands."""

import streamlit as st

st.title("adaptive")
st.info("This page is being written.")
