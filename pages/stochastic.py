"""Placeholder until this page lands."""

import streamlit as st

st.title("stochastic")
st.info("This page is being written.")
