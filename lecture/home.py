"""Home: what an optimizer is for. A surface, where we are, where we want to be."""

import optim_core as oc
from ui import notices, widgets
from ui.figures.theme import label
from ui.i18n import t
from ui.pages import home as uh
from ui.widgets import Chart, Export, Picture, StepParts, compute

PAGE = "home"
widgets.page_header(PAGE, t("home.title"), uh.SCENES)
surface = widgets.surface_picker(PAGE, default="rosenbrock")
start = widgets.start_picker(PAGE, surface)
knobs = widgets.HeroControls(PAGE)  # the step size, beside the picture: on a phone right under it
lr = knobs.select_slider("lr", t("home.lr"), uh.LR_OPTIONS, uh.LR, help=t("home.lr_help"))
run = compute.run(compute.spec("sgd", lr=lr), surface.name, start, uh.STEPS)
status = str(oc.status(run, surface))


def picture(built_at: int) -> Picture:
    """Gradient descent's path with its marker at a step."""
    return widgets.tappable(PAGE, surface, Chart(uh.figure(surface, run.params, start, widgets.hero_height(),
                                                           at_step=built_at), "home_chart", t("home.chart_alt")))


def at_step(n: int, own) -> StepParts:
    """What the run did, and the words beside the picture."""
    under = [("markdown", notices.status_badge(label("sgd"), status))]
    if status == "diverged" and (note := notices.divergence(label("sgd"), run.diverged_at, t("notices.step_size"))):
        under.append(("warning", note))
    under.append(("caption", uh.loss_caption(run.loss, run.diverged_at, status)))
    return StepParts(under=under,
                     # on the projector the lecturer says the words: the rule alone stays beside the picture
                     beside=[("latex", uh.GD_RULE)] if widgets.presenting() else [
                         ("markdown", uh.intro()), ("latex", uh.ARGMIN), ("markdown", uh.optimizer_text()),
                         ("markdown", uh.arrow_text()), ("latex", uh.GD_RULE)],
                     export=Export({label("sgd"): run}))  # the run's name in the CSV


widgets.step_view(PAGE, uh.STEPS, at_step, picture=picture, controls=knobs)
