"""Momentum: gradient descent zig-zags across a narrow valley; a velocity that remembers rolls along it."""

import streamlit as st

from ui import compute, controls, notices
from ui import momentum as um
from ui.controls import page_header, start_picker, steps_slider, surface_picker
from ui.theme import label

D = um.DEFAULTS
page_header("momentum", "Momentum: keep rolling", um.SCENES)
surface = surface_picker("momentum", D.surface, D.surfaces)
start = start_picker("momentum", surface)
steps = steps_slider(f"momentum_{surface.name}", D.steps[surface.name], D.steps_high)

mu_col, lr_col, rule_col = st.columns([1, 1, 1.3], gap="medium", vertical_alignment="center")
mu = controls.slider(mu_col, "mu", "Momentum μ", 0.0, 0.99, D.mu, 0.01, key="momentum_mu",
                     help="The share of the last move kept at every step. 0 = plain gradient descent; "
                          "close to 1 = a heavy ball that hardly slows down. Momentum and Nesterov use the same μ.")
lr = controls.select_slider(lr_col, "lr", "Step size t", D.lr_options, D.lr[surface.name],
                            key=f"momentum_lr_{surface.name}",
                            help="t_c, the same for all three methods: how hard each gradient pushes. "
                                 "Too large and the path blows up.")
rule_col.latex(um.RULE)

runs = {m: compute.run(compute.spec(m, **um.hyper(m, lr, mu)), surface.name, start, steps) for m in um.METHODS}


@st.fragment
def step_view(surface, start, runs: dict, lr: float, mu: float, steps: int) -> None:
    """The paths at one step, with that step's arrows and numbers: a step reruns only this part."""
    n = controls.step_controls("momentum", steps)
    chart_col, numbers_col = st.columns([1.1, 1], gap="medium")  # the table needs ~500 px for its longest line
    with numbers_col:
        method = controls.radio(st, "method", "Numbers of", um.METHODS, 1, key="momentum_method",
                                format_func=label, horizontal=True,
                                help="Whose update is drawn as arrows and written out below.")
        st.latex(um.step_table(runs[method], method, lr, mu, n))
    paths = um.trajectory_figure(surface, runs, start=start, at_step=n, method=method, lr=lr, mu=mu,
                                 height=400 if controls.presenting() else 540)
    controls.chart(chart_col, paths.figure, key="momentum_paths",
                   alt="Gradient descent, momentum and Nesterov paths on the loss surface, "
                       "with the current step's update drawn as arrows")
    numbers_col.caption(um.step_caption(method, n, paths.scale))
    controls.export_buttons("momentum", {label(m): r for m, r in runs.items()}, paths.figure,
                            ("velocity",), container=numbers_col)
    controls.publish_link()


step_view(surface, start, runs, lr, mu, steps)
badges, notes = notices.run_report({label(m): r for m, r in runs.items()}, surface, "step size t")
st.markdown(badges)
for note in notes:
    st.warning(note)

text, chart = st.columns([2, 3], gap="medium")
text.markdown(um.why_text(mu))
losses = {m: r.loss for m, r in runs.items()}
controls.chart(chart, um.loss_figure(losses), key="momentum_loss",
               alt="Loss against step for gradient descent, momentum and Nesterov, log scale")
chart.caption(um.loss_caption(losses))

st.subheader("Nesterov: look before you push")
left, right = st.columns(2, gap="medium")
left.latex(um.NESTEROV_RULE)
left.markdown(um.NESTEROV_TEXT)
left.markdown(um.NESTEROV_LIMIT_TEXT)
right.latex(um.LOOKAHEAD_RULE)
right.markdown(um.LOOKAHEAD_TEXT)
