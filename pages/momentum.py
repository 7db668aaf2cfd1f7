"""Placeholder until this page lands."""

import streamlit as st

st.title("momentum")
st.info("This page is being written.")
