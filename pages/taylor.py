"""Placeholder until this page lands."""

import streamlit as st

st.title("taylor")
st.info("This page is being written.")
