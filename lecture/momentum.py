"""Momentum: gradient descent zig-zags across a narrow valley; a velocity that remembers rolls along it."""

import streamlit as st

from ui import notices, schedules, widgets
from ui.catalog import surface_key
from ui.figures.theme import label
from ui.i18n import t
from ui.pages import momentum as um
from ui.registry import widget_key
from ui.widgets import Chart, Export, Layout, Picture, StepParts, compute

PAGE, D = "momentum", um.DEFAULTS
widgets.page_header(PAGE, t("momentum.title"), um.SCENES)
surface = widgets.surface_picker(PAGE, D.surface, D.surfaces)
kept = surface_key(surface)  # per-surface settings: every typed f keeps them under "custom"
start = widgets.start_picker(PAGE, surface)
steps = widgets.steps_slider(PAGE, D.steps[kept], D.steps_high, scope=(kept,))
curvatures = um.quadratic_curvatures(surface)  # None unless a quadratic bowl: only there is "best" offered


def best_switched(bowl: str, bowl_curvatures: tuple[float, float]) -> None:
    """Switched on: momentum's sliders go to its best t, μ (it keeps following them); off: to the opening ones."""
    on, best = st.session_state[widget_key(PAGE, "best")], um.best_settings(bowl_curvatures)["momentum"]
    st.session_state[widget_key(PAGE, "lr", bowl)] = best["lr"] if on else D.lr[bowl]
    st.session_state[widget_key(PAGE, "mu")] = best["momentum"] if on else D.mu


best = curvatures is not None and widgets.toggle(st.sidebar, PAGE, "best", t("momentum.best"), False,
                                                 on_change=best_switched,
                                                 args=(surface.name, curvatures), help=t("momentum.best_help"))

knobs = widgets.HeroControls(PAGE)  # beside the picture
# μ on a 0.01 grid; a scene or a link may hold an exact value between (momentum's best 4/9)
mu = knobs.slider("mu", t("momentum.mu"), 0.0, 0.99, D.mu, 0.01, help=t("momentum.mu_help"))
lr = knobs.select_slider("lr", t("momentum.lr"), um.lr_options(surface), D.lr[kept], scope=(kept,),
                         format_func=um.lr_label, help=t("momentum.lr_help"))

method = knobs.radio("method", t("momentum.method"), um.METHODS, 1, format_func=label, horizontal=True,
                     help=t("momentum.method_help"))
hypers = um.method_hypers(lr, mu, um.best_settings(curvatures) if best else None)  # per method: "best" splits t
options = widgets.run_options(PAGE, steps)  # a schedule scales every method's t the same way
runs = {m: compute.run(options.apply(compute.spec(m, **hypers[m])), surface.name, start, steps, tol=options.tol)
        for m in um.METHODS}
picked_lr, picked_mu = hypers[method]["lr"], hypers[method].get("momentum", mu)  # the picked method's t, μ
step_lrs = schedules.step_sizes(options.schedule, picked_lr, steps)  # t_c of every update: its arrows, its table


def picture(built_at: int) -> Picture:
    """The paths opened at a step, with that step's arrows for the method picked beside them."""
    paths = um.trajectory_figure(surface, runs, start=start, at_step=built_at, method=method, lr=step_lrs,
                                 mu=picked_mu, height=widgets.hero_height())
    return widgets.tappable(PAGE, surface, Chart(paths.figure, "momentum_paths", t("momentum.paths_alt")),
                   under=lambda n: [("caption", um.step_caption(method, n, paths.scale))])


limits = um.limits_text(surface, start, lr, mu)  # where the step size stops working, beside the picture


def at_step(n: int, own) -> StepParts:
    """That step's numbers for the method picked."""
    return StepParts(
        beside=([] if widgets.presenting() else [("latex", um.RULE)]) + ([("caption", limits)] if limits else [])
        + widgets.schedule_blocks(options, picked_lr, steps, n),
        numbers=[("latex", um.step_table(runs[method], method, step_lrs, picked_mu, n))],
        export=Export({label(m): r for m, r in runs.items()}, fields=("velocity",)))


# the table needs 500 px: under the hero
widgets.step_view(PAGE, steps, at_step, picture=picture, controls=knobs, layout=Layout(numbers_below=True))
badges, notes = notices.run_report({label(m): r for m, r in runs.items()}, surface, t("notices.step_size_t"))
st.markdown(badges)
for note in notes:
    st.warning(note)

# the loss and ‖∇L‖ side by side (stacked on a phone); under them each run's rate, measured beside the theory
loss_at, grad_at = (st.container(), st.container()) if widgets.is_phone() else st.columns(2, gap="medium")
losses = {m: r.loss for m, r in runs.items()}
widgets.chart(loss_at, um.loss_figure(losses), key="momentum_loss", alt=t("momentum.loss_alt"))
loss_at.caption(um.loss_caption(losses))
widgets.chart(grad_at, um.grad_norm_chart(surface, runs), key="momentum_grad_norm", alt=t("grad_norm.momentum_alt"))
grad_at.caption(t("grad_norm.caption"))
text, chart = st.columns([2, 3], gap="medium")
text.markdown(um.why_text(mu))
scheduled = bool(options.schedule)  # the theory is for a constant t
chart.markdown(um.grad_rate_table(um.grad_rates(surface, runs, hypers, scheduled=scheduled),
                                  stacked=widgets.is_phone()))
chart.caption(um.grad_rate_caption(curvatures, scheduled=scheduled))
if best:  # the slopes of the loss lines, measured, beside the theory
    chart.markdown(um.rate_table(um.rates(surface, runs, hypers)))
    chart.caption(um.rate_caption(curvatures))

st.subheader(t("momentum.nesterov_heading"))
left, right = st.columns(2, gap="medium")
left.latex(um.NESTEROV_RULE)
left.markdown(um.nesterov_text())
left.markdown(um.nesterov_limit_text())
right.latex(um.LOOKAHEAD_RULE)
right.markdown(um.lookahead_text())
