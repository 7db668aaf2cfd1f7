"""Adaptive step sizes: every parameter gets its own step size, set by the gradients it has seen."""

import streamlit as st

from ui import adaptive as ua
from ui import compute, controls, notices
from ui.controls import page_header, start_picker, steps_slider, surface_picker
from ui.i18n import t
from ui.options import BETA1_OPTIONS, BETA2_OPTIONS, RHO_OPTIONS
from ui.theme import label

D, side = ua.DEFAULTS, st.sidebar
page_header("adaptive", t("adaptive.title"), ua.SCENES)
surface = surface_picker("adaptive", D.surface, D.surfaces)
start = start_picker("adaptive", surface)
steps = steps_slider(f"adaptive_{surface.name}", D.steps[surface.name], D.steps_high)
side.markdown(t("adaptive.sidebar_heading"))
lr_col, rule_col = st.columns([1, 1], gap="medium", vertical_alignment="center")
rule_col.latex(ua.KEY_RULE)
lr = controls.select_slider(lr_col, "lr", t("adaptive.lr"), ua.LR_OPTIONS, D.lr[surface.name],
                            key=f"adaptive_lr_{surface.name}", help=t("adaptive.lr_help"))
rho = controls.select_slider(side, "rho", t("adaptive.rho"), RHO_OPTIONS, D.rho, key="adaptive_rho",
                             help=t("adaptive.rho_help"))
beta1 = controls.select_slider(side, "beta1", t("adaptive.beta1"), BETA1_OPTIONS, D.beta1, key="adaptive_beta1",
                               help=t("adaptive.beta1_help"))
beta2 = controls.select_slider(side, "beta2", t("adaptive.beta2"), BETA2_OPTIONS, D.beta2,
                               key="adaptive_beta2", help=t("adaptive.beta2_help"))

settings = {m: ua.hyper(m, lr, rho, beta1, beta2) for m in ua.METHODS}
runs = {m: compute.run(compute.spec(m, **settings[m]), surface.name, start, steps) for m in ua.METHODS}


@st.fragment
def step_view(surface, start, runs: dict, settings: dict, lr: float, steps: int) -> None:
    """The paths and step sizes at one step, with that step's arrows and numbers: a step reruns only this part."""
    n = controls.step_controls("adaptive", steps)
    chart_col, numbers_col = st.columns([1.3, 1], gap="medium")
    with numbers_col:
        method = controls.radio(st, "method", t("adaptive.method"), ua.METHODS, 0, key="adaptive_method",
                                format_func=label, horizontal=True, help=t("adaptive.method_help"))
        st.latex(ua.step_table(runs[method], method, settings[method], n))
    paths = ua.step_figure(surface, runs, start, n, method, lr, height=400 if controls.presenting() else 540)
    controls.chart(chart_col, paths.figure, key="adaptive_paths",
                   alt=t("adaptive.chart_alt"))
    numbers_col.caption(ua.step_caption(runs[method], method, lr, n, paths.scales))
    controls.export_buttons("adaptive", {label(m): r for m, r in runs.items()}, paths.figure,
                            ("accumulator", "step_size", "m", "v"), container=numbers_col)
    controls.publish_link()


step_view(surface, start, runs, settings, lr, steps)
badges, notes = notices.run_report({label(m): r for m, r in runs.items()}, surface, t("notices.step_size_t"))
st.markdown(badges)
for note in notes:
    st.warning(note)

st.markdown(ua.intro())
for rule, words in ua.rules():
    maths, text = st.columns([1.15, 1], gap="medium", vertical_alignment="center")
    maths.latex(rule)
    text.markdown(words)

@st.fragment
def adagrad_table() -> None:
    """The deck's worked example, editable: an edit reruns only this table."""
    st.subheader(t("adaptive.table_heading"))
    edit, words = st.columns([1, 1.6], gap="medium")
    with edit:
        edited = st.data_editor(ua.gradients_table(), key="adaptive_grads", num_rows="dynamic", hide_index=True,
                                column_config={c: st.column_config.NumberColumn(
                                    c, help=t("adaptive.grad_help", w=f"W{c[1]}")) for c in ua.GRAD_COLUMNS},
                                width="stretch")
    with words:
        st.markdown(ua.table_text(D.max_rows))
        st.latex(ua.TABLE_LATEX)
    # The one error box this page keeps: a bad cell is a student's typing, not a failure, so say which cell
    # is wrong and go on with the last table that was valid (app.py's guard would only say "a problem").
    try:
        grads = ua.parse_gradients(edited, D.max_rows)
        st.session_state["adaptive_last_good_grads"] = grads.tolist()
    except ValueError as err:
        st.error(t("adaptive.last_valid_table", error=err))
        grads = st.session_state.get("adaptive_last_good_grads", D.grads)
    table = ua.adagrad_table(grads)
    for k, col in enumerate(st.columns(2, gap="medium")):  # one narrow table per parameter: stacked on a phone
        sub = "₁₂"[k]
        col.dataframe(ua.parameter_table(table, k), hide_index=True, width="stretch",
                      column_config={"c": st.column_config.NumberColumn("c", help=t("adaptive.c_help"), format="%d"),
                                     f"t̃{sub}": st.column_config.TextColumn(
                                         f"t̃{sub}", help=t("adaptive.step_size_help", g=f"g{sub}"))})
    st.markdown(ua.table_summary(table))
    controls.publish_link()


adagrad_table()
