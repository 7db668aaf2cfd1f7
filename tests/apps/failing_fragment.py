"""A script with one fragment that raises on demand, and nothing else around it: no app.py guard."""

import streamlit as st

from ui import widgets

st.session_state.setdefault("kept", 7)
st.number_input("Kept", key="kept")


@widgets.fragment
def part() -> None:
    if st.button("Break", key="break"):
        raise RuntimeError("a drawing bug")
    st.markdown("drawn")


part()
