"""Adaptive step sizes: every parameter gets its own step size, set by the gradients it has seen."""

import streamlit as st

from ui import notices, widgets
from ui.catalog import BETA1_OPTIONS, BETA2_OPTIONS, RHO_OPTIONS, surface_key
from ui.figures.theme import label
from ui.i18n import t
from ui.pages import adaptive as ua
from ui.pages.adaptive_table import lecturer_notes
from ui.registry import widget_key
from ui.widgets import Chart, Export, Layout, Picture, StepParts, compute

PAGE, D, side = "adaptive", ua.DEFAULTS, st.sidebar
widgets.page_header(PAGE, t("adaptive.title"), ua.SCENES)
surface = widgets.surface_picker(PAGE, D.surface, D.surfaces)
kept = surface_key(surface)  # per-surface settings: every typed f keeps them under "custom"
start = widgets.start_picker(PAGE, surface)
steps = widgets.steps_slider(PAGE, D.steps[kept], D.steps_high, scope=(kept,))
side.markdown(t("adaptive.sidebar_heading"))
knobs = widgets.HeroControls(PAGE)  # beside the picture
lr = knobs.select_slider("lr", t("adaptive.lr"), ua.LR_OPTIONS, D.lr[kept], scope=(kept,),
                         help=t("adaptive.lr_help"))
rho = widgets.select_slider(side, PAGE, "rho", t("adaptive.rho"), RHO_OPTIONS, D.rho,
                             help=t("adaptive.rho_help"))
beta1 = widgets.select_slider(side, PAGE, "beta1", t("adaptive.beta1"), BETA1_OPTIONS, D.beta1,
                               help=t("adaptive.beta1_help"))
beta2 = widgets.select_slider(side, PAGE, "beta2", t("adaptive.beta2"), BETA2_OPTIONS, D.beta2,
                               help=t("adaptive.beta2_help"))

settings = {m: ua.hyper(m, lr, rho, beta1, beta2) for m in ua.METHODS}
options = widgets.run_options(PAGE, steps, schedule=False)  # each method's own t̃ is the page: no schedule on top
runs = {m: compute.run(compute.spec(m, **settings[m]), surface.name, start, steps, tol=options.tol)
        for m in ua.METHODS}


method = knobs.radio("method", t("adaptive.method"), ua.METHODS, 0, format_func=label, horizontal=True,
                     help=t("adaptive.method_help"))


def picture(built_at: int) -> Picture:
    """The paths and step sizes at a step, with the arrows of the method picked (scaled from that step on)."""
    paths = ua.step_figure(surface, runs, start, built_at, method, lr, height=widgets.hero_height())
    return widgets.tappable(PAGE, surface, Chart(paths.figure, "adaptive_paths", t("adaptive.chart_alt")),
                   under=lambda n: [("caption", ua.step_caption(runs[method], method, lr, n, paths.scales))])


def at_step(n: int, own) -> StepParts:
    """That step's numbers for the method picked."""
    return StepParts(
        numbers=[*([] if widgets.presenting() else [("latex", ua.KEY_RULE)]),
                 ("latex", ua.step_table(runs[method], method, settings[method], n))],
        export=Export({label(m): r for m, r in runs.items()}, fields=("accumulator", "step_size", "m", "v")))


widgets.step_view(PAGE, steps, at_step, picture=picture, controls=knobs, layout=Layout(numbers_below=True))
badges, notes = notices.run_report({label(m): r for m, r in runs.items()}, surface, t("notices.step_size_t"))
st.markdown(badges)
for note in notes:
    st.warning(note)

st.markdown(ua.intro())
for rule, words in ua.rules():
    maths, text = st.columns([1.15, 1], gap="medium", vertical_alignment="center")
    maths.latex(rule)
    text.markdown(words)

@widgets.fragment
def adagrad_table() -> None:
    """The deck's worked example, editable: an edit reruns only this table."""
    st.subheader(t("adaptive.table_heading"))
    edit, words = st.columns([1, 1.6], gap="medium")
    with edit:
        edited = st.data_editor(ua.gradients_table(), key=widget_key(PAGE, "grads"), num_rows="dynamic",
                                hide_index=True,
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
        st.session_state[widget_key(PAGE, "last_good_grads")] = grads.tolist()
    except ValueError as err:
        st.error(t("adaptive.last_valid_table", error=err))
        grads = st.session_state.get(widget_key(PAGE, "last_good_grads"), D.grads)
    table = ua.adagrad_table(grads)
    for k, col in enumerate(st.columns(2, gap="medium")):  # one narrow table per parameter: stacked on a phone
        sub = "₁₂"[k]
        col.dataframe(ua.parameter_table(table, k), hide_index=True, width="stretch",
                      column_config={"c": st.column_config.NumberColumn("c", help=t("adaptive.c_help"), format="%d"),
                                     f"t̃{sub}": st.column_config.TextColumn(
                                         f"t̃{sub}", help=t("adaptive.step_size_help", g=f"g{sub}"))})
    st.markdown(ua.table_summary(table))

adagrad_table()
widgets.lecturer_notes(lecturer_notes())
