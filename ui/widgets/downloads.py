"""Export: the runs on screen as CSV and the animated figure as a standalone HTML, made when clicked."""

from __future__ import annotations

import streamlit as st

from ui import export
from ui.i18n import t


def export_buttons(page: str, runs, figure=None, fields=(), container=None) -> None:
    where = container or st
    row = where.container(horizontal=True, gap="small")
    row.download_button(t("controls.csv"), data=lambda: export.trajectories_csv(runs, fields),
                        file_name=f"{page}-runs.csv", mime="text/csv", icon=":material/table:",
                        key=f"_{page}_csv", on_click="ignore", help=t("controls.csv_help"))
    if figure is not None:
        row.download_button(t("controls.html"), data=lambda: export.figure_html(figure, page),
                            file_name=f"{page}-figure.html", mime="text/html", icon=":material/movie:",
                            key=f"_{page}_html", on_click="ignore", help=t("controls.html_help"))
