"""Home: what an optimizer is for. A surface, where we are, where we want to be."""

import streamlit as st

import optim_core as oc
from ui import limits, notices, widgets
from ui.figures import surface3d as s3
from ui.figures.theme import label
from ui.i18n import t
from ui.pages import home as uh
from ui.registry import widget_key
from ui.widgets import Chart, Export, Picture, StepParts, compute

PAGE = "home"
widgets.page_header(PAGE, t("home.title"), uh.SCENES)
surface = widgets.surface_picker(PAGE, default="rosenbrock")
start = widgets.start_picker(PAGE, surface)
options = widgets.run_options(PAGE, uh.STEPS)
knobs = widgets.HeroControls(PAGE)  # the step size, beside the picture: on a phone right under it
# on a quadratic bowl the best step and the limit 2/λmax are stops of the slider, named in its label
lr = knobs.select_slider("lr", t("home.lr"), limits.lr_options(uh.LR_OPTIONS, surface), uh.LR,
                         format_func=limits.lr_label(surface), help=t("home.lr_help"))
if (best := limits.best_lr(surface)) is not None:
    knobs.button("best", t("limits.best_button"), st.session_state.__setitem__,
                 args=(widget_key(PAGE, "lr"), best), help=t("limits.best_button_help"), icon=":material/target:")
run = compute.run(options.apply(compute.spec("sgd", lr=lr)), surface.name, start, uh.STEPS, tol=options.tol)
status = str(oc.status(run, surface))
stability = limits.gd_limits_text(surface, start, lr)


def picture(built_at: int) -> Picture:
    """Gradient descent's path with its marker at a step; in 3-D the whole path, lifted onto the surface."""
    return widgets.tappable(PAGE, surface, Chart(uh.figure(surface, run.params, start, widgets.hero_height(),
                                                           at_step=built_at), "home_chart", t("home.chart_alt")),
                            view3d=lambda: Chart(s3.figure(surface, [s3.Line3D("sgd", uh.path_name(), run.params)],
                                                           start, widgets.hero_height()), "home_3d", t("view3d.alt")))


def at_step(n: int, own) -> StepParts:
    """What the run did, and the words beside the picture."""
    under = [("markdown", notices.status_badge(label("sgd"), status, run.converged_at))]
    if status == "diverged" and (note := notices.divergence(label("sgd"), run.diverged_at, t("notices.step_size"))):
        under.append(("warning", note))
    under.append(("caption", uh.loss_caption(run.loss, run.diverged_at, status)))
    curve = widgets.schedule_blocks(options, lr, uh.STEPS, n)  # t_c beside the path, this step marked
    limit = [("caption", stability)] if stability else []
    return StepParts(under=under,
                     # on the projector the lecturer says the words: the rule alone stays beside the picture
                     beside=[("latex", uh.GD_RULE), *curve, *limit] if widgets.presenting() else [
                         *curve, *limit, ("markdown", uh.intro()), ("latex", uh.ARGMIN),
                         ("markdown", uh.optimizer_text()), ("markdown", uh.arrow_text()), ("latex", uh.GD_RULE)],
                     export=Export({label("sgd"): run}))  # the run's name in the CSV


widgets.step_view(PAGE, uh.STEPS, at_step, picture=picture, controls=knobs)
