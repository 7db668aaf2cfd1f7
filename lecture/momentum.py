"""Momentum: gradient descent zig-zags across a narrow valley; a velocity that remembers rolls along it."""

import streamlit as st

from ui import compute, controls, notices
from ui import momentum as um
from ui.controls import page_header, start_picker, steps_slider, surface_picker
from ui.i18n import t
from ui.theme import label

D = um.DEFAULTS
page_header("momentum", t("momentum.title"), um.SCENES)
surface = surface_picker("momentum", D.surface, D.surfaces)
start = start_picker("momentum", surface)
steps = steps_slider(f"momentum_{surface.name}", D.steps[surface.name], D.steps_high)

mu_col, lr_col, rule_col = st.columns([1, 1, 1.3], gap="medium", vertical_alignment="center")
mu = controls.slider(mu_col, "mu", t("momentum.mu"), 0.0, 0.99, D.mu, 0.01, key="momentum_mu",
                     help=t("momentum.mu_help"))
lr = controls.select_slider(lr_col, "lr", t("momentum.lr"), D.lr_options, D.lr[surface.name],
                            key=f"momentum_lr_{surface.name}", help=t("momentum.lr_help"))
rule_col.latex(um.RULE)

runs = {m: compute.run(compute.spec(m, **um.hyper(m, lr, mu)), surface.name, start, steps) for m in um.METHODS}


@st.fragment
def step_view(surface, start, runs: dict, lr: float, mu: float, steps: int) -> None:
    """The paths at one step, with that step's arrows and numbers: a step reruns only this part."""
    n = controls.step_controls("momentum", steps)
    chart_col, numbers_col = st.columns([1.1, 1], gap="medium")  # the table needs ~500 px for its longest line
    with numbers_col:
        method = controls.radio(st, "method", t("momentum.method"), um.METHODS, 1, key="momentum_method",
                                format_func=label, horizontal=True, help=t("momentum.method_help"))
        st.latex(um.step_table(runs[method], method, lr, mu, n))
    paths = um.trajectory_figure(surface, runs, start=start, at_step=n, method=method, lr=lr, mu=mu,
                                 height=400 if controls.presenting() else 540)
    controls.chart(chart_col, paths.figure, key="momentum_paths",
                   alt=t("momentum.paths_alt"))
    numbers_col.caption(um.step_caption(method, n, paths.scale))
    controls.export_buttons("momentum", {label(m): r for m, r in runs.items()}, paths.figure,
                            ("velocity",), container=numbers_col)
    controls.publish_link()


step_view(surface, start, runs, lr, mu, steps)
badges, notes = notices.run_report({label(m): r for m, r in runs.items()}, surface, t("notices.step_size_t"))
st.markdown(badges)
for note in notes:
    st.warning(note)

text, chart = st.columns([2, 3], gap="medium")
text.markdown(um.why_text(mu))
losses = {m: r.loss for m, r in runs.items()}
controls.chart(chart, um.loss_figure(losses), key="momentum_loss",
               alt=t("momentum.loss_alt"))
chart.caption(um.loss_caption(losses))

st.subheader(t("momentum.nesterov_heading"))
left, right = st.columns(2, gap="medium")
left.latex(um.NESTEROV_RULE)
left.markdown(um.nesterov_text())
left.markdown(um.nesterov_limit_text())
right.latex(um.LOOKAHEAD_RULE)
right.markdown(um.lookahead_text())
