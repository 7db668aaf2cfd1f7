"""Compare: every optimizer on any surface, each with its own settings, racing together."""

import streamlit as st

import optim_core as oc
from ui import catalog, notices, widgets
from ui.figures.theme import label
from ui.i18n import t
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

runs, refused = {}, []
for opt in settings:
    try:
        runs[opt] = compute.run(opt, surface.name, start, steps)
    except ValueError as err:  # name the optimizer whose setting the engine refused; the others still race
        refused.append(("error", t("compare.refused", name=catalog.display_name(opt), error=err)))
statuses = {opt: str(oc.status(run, surface)) for opt, run in runs.items()}
view = cmp.loss_view(surface)


def picture(built_at: int) -> Picture:
    """The race at a step."""
    race = cmp.race_figure(surface, runs, start, widgets.hero_height(), at_step=built_at)
    return widgets.tappable(PAGE, surface, Chart(race, "compare_race", t("compare.race_alt")))


def at_step(n: int, own) -> StepParts:
    """The loss of each beside the race."""
    under = [*refused, ("markdown", notices.status_badges({catalog.display_name(o): s for o, s in statuses.items()}))]
    for opt, run in runs.items():
        if statuses[opt] == "diverged":  # a run that escaped downhill is not a step size too large
            under.append(("warning", notices.divergence(catalog.display_name(opt), run.diverged_at,
                                                        t("notices.step_size"))))
    if not runs:  # nothing to race: say so beside the optimizers' list, where one is picked
        return StepParts(under=[*under, ("info", cmp.empty_text())] if not shown else under)
    return StepParts(under=under,
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
    widgets.chart(s_left, cmp.sweep_figure(curves, log_y=view.log_y, y_title=view.title), key="compare_sweep",
                  alt=t("compare.sweep_alt"))
    s_right.markdown(cmp.sweep_note(lrs, steps))
    s_right.markdown(cmp.sweep_reading())

    st.subheader(t("compare.rules_heading"))
    for rule in cmp.rules_latex(list(runs)):
        st.latex(rule)
    st.markdown(cmp.rules_text())
    st.markdown(cmp.summary(runs, view, statuses, stacked=widgets.is_phone()))
    st.caption(cmp.caption(surface, start, steps))
