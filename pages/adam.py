"""Placeholder until this page lands."""

import streamlit as st

st.title("adam")
st.info("This page is being written.")
