"""Compare: every optimizer on any surface, each with its own settings, racing together."""

import streamlit as st

import optim_core as oc
from ui import catalog, notices, widgets
from ui.figures import surface3d as s3
from ui.figures.theme import label
from ui.i18n import t
from ui.limits import sweep_limits, with_limit_lines
from ui.pages import compare as cmp
from ui.widgets import Chart, Export, Layout, Picture, StepParts, compute

PAGE, D = "compare", cmp.DEFAULTS
widgets.page_header(PAGE, t("compare.title"), cmp.SCENES)
surface = widgets.surface_picker(PAGE, default=D["surface"])
start = widgets.start_picker(PAGE, surface)
knobs = widgets.HeroControls(PAGE)  # beside the race, not in the sidebar: on a phone the sidebar covers it
shown = knobs.multiselect("show", t("compare.shown"), catalog.OPTIMIZER_NAMES, D["shown"], format_func=label,
                          help=t("compare.shown_help"))
steps = knobs.slider("steps", t("controls.steps"), 10, D["steps_max"], D["steps"], 10, help=t("controls.steps_help"))
st.sidebar.caption(t("compare.settings_caption"))
settings = []
for name in shown:
    with st.sidebar.expander(label(name)):
        settings.append(widgets.optimizer_controls(PAGE, name, surface.name))

options = widgets.run_options(PAGE, steps)  # one schedule for every racer: each follows it from its own t
settings = [options.apply(opt) for opt in settings]
runs, refused = {}, []
for opt in settings:
    try:
        runs[opt] = compute.run(opt, surface.name, start, steps, tol=options.tol)
    except ValueError as err:  # name the optimizer whose setting the engine refused; the others still race
        refused.append(("error", t("compare.refused", name=catalog.display_name(opt), error=err)))
statuses = {opt: str(oc.status(run, surface)) for opt, run in runs.items()}
view = cmp.loss_view(surface)


def picture(built_at: int) -> Picture:
    """The race at a step; in 3-D every whole path, lifted onto the surface."""
    race = cmp.race_figure(surface, runs, start, widgets.hero_height(), at_step=built_at)
    lines = [s3.Line3D(opt.name, catalog.display_name(opt), run.params) for opt, run in runs.items()]
    return widgets.tappable(PAGE, surface, Chart(race, "compare_race", t("compare.race_alt")),
                            view3d=lambda: Chart(s3.figure(surface, lines, start, widgets.hero_height()),
                                                 "compare_3d", t("view3d.alt")))


def at_step(n: int, own) -> StepParts:
    """The loss of each beside the race."""
    under = [*refused, ("markdown", notices.status_badges({catalog.display_name(o): s for o, s in statuses.items()},
                                                          {catalog.display_name(o): r.converged_at
                                                           for o, r in runs.items()}))]
    for opt, run in runs.items():
        if statuses[opt] == "diverged":  # a run that escaped downhill is not a step size too large
            under.append(("warning", notices.divergence(catalog.display_name(opt), run.diverged_at,
                                                        t("notices.step_size"))))
    if not runs:  # nothing to race: say so beside the optimizers' list, where one is picked
        return StepParts(under=[*under, ("info", cmp.empty_text())] if not shown else under)
    return StepParts(under=[*under, *widgets.schedule_blocks(options, None, steps, n)],
                     beside=[("chart", Chart(cmp.loss_figure(runs, view), "compare_loss", t("compare.loss_alt"))),
                             ("markdown", cmp.loss_note(view.log_y))],
                     export=Export(cmp.export_runs(runs), fields=cmp.EXPORT_FIELDS))


widgets.step_view(PAGE, steps, at_step, picture=picture if runs else None, controls=knobs,
                  layout=Layout(side=0.5, beside_first=True))

if runs:
    st.latex(catalog.key_rule())
    st.subheader(t("compare.sweep_heading"))
    lrs = cmp.sweep_lrs()
    curves = [cmp.sweep_curve(opt, compute.sweep(opt, surface.name, start, steps, lrs), run, view)
              for opt, run in runs.items()]
    s_left, s_right = st.columns([3, 2], gap="medium")
    sweep = with_limit_lines(cmp.sweep_figure(curves, log_y=view.log_y, y_title=view.title),
                             sweep_limits(surface, start, list(runs)))  # where t stops working: 2/λmax, …
    widgets.chart(s_left, sweep, key="compare_sweep", alt=t("compare.sweep_alt"))
    s_right.markdown(cmp.sweep_note(lrs, steps))
    s_right.caption(t("compare.limits.note"))
    s_right.markdown(cmp.sweep_reading())

    st.subheader(t("grad_norm.heading"))  # ‖∇L‖ per step: the rates in the summary table are its slopes
    g_left, g_right = st.columns([3, 2], gap="medium")
    widgets.chart(g_left, cmp.grad_norm_chart(surface, runs), key="compare_grad_norm", alt=t("grad_norm.alt"))
    g_right.caption(t("grad_norm.compare_caption"))

    st.subheader(t("compare.rules_heading"))
    for rule in cmp.rules_latex(list(runs)):
        st.latex(rule)
    st.markdown(cmp.rules_text())
    st.markdown(cmp.summary(runs, view, statuses, stacked=widgets.is_phone(), surface=surface))
    st.caption(cmp.caption(surface, start, steps))
