"""Notes for the lecturer: the places where the deck is loose, each with the exact statement, collapsed at the
end of the page (presenter mode leaves them out: they are for the one at the lectern, not for the screen)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui.i18n import t
from ui.widgets.presenter import presenting


def lecturer_notes(notes: Sequence[str]) -> None:
    """One collapsed section holding ``notes`` (markdown, already in the session's language)."""
    if not notes or presenting():
        return
    with st.expander(t("lecturer_notes.heading"), icon=":material/school:"):
        st.markdown("\n".join(f"- {note}" for note in notes))


__all__ = ["lecturer_notes"]
