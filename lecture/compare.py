"""Compare: every optimizer on any surface, each with its own settings, racing together."""

import streamlit as st

import optim_core as oc
from ui import compare as cmp
from ui import compute, notices
from ui.charts import Series, line_chart
from ui.controls import start_picker, steps_slider, surface_picker
from ui.paths import Path, animated_paths
from ui.theme import color, label

D = cmp.DEFAULTS
st.title("Compare them all")
surface = surface_picker("compare", default=D["surface"])
start = start_picker("compare", surface)
steps = steps_slider("compare", default=D["steps"], high=D["steps_max"])
shown = st.sidebar.multiselect(
    "Optimizers", oc.OPTIMIZER_NAMES, default=D["shown"], format_func=label, key="compare_shown",
    help="Which methods race. Each one has its own settings in the boxes below.")
st.sidebar.caption("Each optimizer's own settings:")
hypers = {}
for name in shown:
    with st.sidebar.expander(label(name)):
        hypers[name] = cmp.hyper_controls(name, surface.name)

if not shown:
    st.info("Pick at least one optimizer in the sidebar.")
    st.stop()

runs, notes = {}, []
for name in shown:
    hyper, inner, inner_hyper = cmp.split(name, hypers[name])
    try:
        runs[name] = compute.run(name, hyper, surface.name, start, steps, inner=inner, inner_hyper=inner_hyper)
    except ValueError as err:
        st.error(f"{label(name)}: {err}")
        continue
    notes.append(notices.divergence(cmp.display_name(name, hypers[name]), runs[name]["diverged_at"]))

l_star, log_y, y_title = cmp.loss_view(surface)
left, right = st.columns([3, 2], gap="medium")
with left:
    race = animated_paths(surface, [Path(cmp.display_name(n, hypers[n]), r["params"], color(n))
                                    for n, r in runs.items()], start=start, height=560)
    race.update_layout(showlegend=False)  # the loss chart beside it carries the legend
    st.plotly_chart(race, theme=None, key="compare_race",
                    alt="All chosen optimizers moving together over the loss surface")
    for note in filter(None, notes):
        st.warning(note)
with right:
    loss = line_chart([Series(cmp.display_name(n, hypers[n]), cmp.gap(r["loss"], l_star, log_y), color(n))
                       for n, r in runs.items()], x_title="step", y_title=y_title, log_y=log_y, height=400)
    cmp.tidy_log_axis(loss, log_y)
    st.plotly_chart(loss, theme=None, key="compare_loss", alt="Loss against step for every optimizer")
    st.markdown(
        "**Reading the loss chart.** The height is how far each method still is from the best value"
        + (" (log scale, so each grid line is ten times closer)" if log_y else
           " (this surface has no minimum: lower keeps going down)")
        + ". A straight falling line means the gap shrinks by the same factor every step; a flat stretch "
        "is a plateau or a slow crawl along a valley floor; a saw-tooth means the steps overshoot.")

st.subheader("Which step size works?")
lrs = tuple(cmp.sweep_lrs())
curves = []
for name, run in runs.items():
    sweep = cmp.cached_sweep(name, cmp.sweep_key(hypers[name]), surface.name, tuple(map(float, start)), steps, lrs)
    curves.append(cmp.SweepCurve(cmp.display_name(name, hypers[name]), color(name), sweep["lrs"],
                                 cmp.gap(sweep["final"], l_star, log_y), sweep["diverged"], hypers[name]["lr"],
                                 float(cmp.gap(run["loss"][-1], l_star, log_y)), run["diverged_at"] is not None))
s_left, s_right = st.columns([3, 2], gap="medium")
with s_left:
    st.plotly_chart(cmp.sweep_figure(curves, log_y=log_y, y_title=y_title), theme=None, key="compare_sweep",
                    alt="Final loss against step size for every optimizer")
with s_right:
    st.markdown(
        f"Each line is one method run **{len(lrs)} times at once**, from the same start for {steps} steps, "
        f"with only the step size changed (from {lrs[0]:g} to {lrs[-1]:g}); its other settings are yours. "
        "The ring is the step size you picked above.")
    st.markdown(
        "- **Low and wide** is what you want: a method with a broad valley forgives a rough guess of t.\n"
        "- Where a line stops and **×** marks appear at the top, that step size blew up: the run left the "
        "map, so it has no final loss.\n"
        "- Gradient descent and momentum hit a cliff: on a bowl with largest curvature λ, plain GD is stable "
        "only for t < 2/λ (0.08 on the κ = 25 bowl), momentum up to 2(1+μ)/λ.\n"
        "- Adam, RMSProp and AdaGrad divide by the size of recent gradients, so t is roughly a distance "
        "per step: their curves are flatter, and too large a t shows up as jitter rather than explosion.")

st.subheader("The rules, side by side")
st.latex(cmp.rules_latex(list(runs), hypers))
st.markdown(
    "Read the rules from top to bottom as the lecture did: gradient descent follows −∇L; momentum "
    "adds a memory of past steps (v); AdaGrad and RMSProp give each parameter its own step size from "
    "its squared gradients (s); Adam does both, with bias-corrected averages m̂ and v̂; Newton rescales "
    "by the curvature H instead; Lookahead wraps any of them, and every k steps pulls the slow weights φ "
    "part of the way (α) towards where the fast weights θ went.")
st.markdown(cmp.summary_markdown(
    [(cmp.display_name(n, hypers[n]), cmp.settings_text(n, hypers[n]),
      float(cmp.gap(r["loss"][-1], l_star, log_y)), r["diverged_at"]) for n, r in runs.items()],
    y_title.replace("  (log)", "")))
st.caption(f"Surface: {surface.title}, start ({start[0]:.2f}, {start[1]:.2f}), {steps} steps.")
