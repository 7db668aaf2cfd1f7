"""1 · Gradient & Taylor: what we know at W_c, the deck's bowl whose bottom is the GD step, and Newton's step.

W_c walks: step n builds the models at θ_n, the n-th gradient-descent iterate from the start.
"""

import streamlit as st

from ui import widgets
from ui.catalog import surface_key
from ui.figures.algorithm import compact_table
from ui.figures.theme import label
from ui.i18n import t as tr
from ui.pages import taylor as tv
from ui.widgets import Chart, Export, Layout, Picture, StepParts, compute

PAGE, D = "taylor", tv.DEFAULTS
widgets.page_header(PAGE, tv.title(), tv.SCENES)
surface = widgets.surface_picker(PAGE, default=D.surface, options=D.surfaces)
kept = surface_key(surface)  # per-surface settings: every typed f keeps them under "custom"
start = widgets.start_picker(PAGE, surface)
st.sidebar.caption(tv.sidebar_note())
options = D.t_options[kept]
knobs = widgets.HeroControls(PAGE)  # the step size, beside the picture: on a phone right under it
t = knobs.select_slider("t", tr("taylor.t_label"), options, D.t[kept], scope=(kept,),
                        format_func=lambda v: f"{v:g}", help=tr("taylor.t_help"))
# one update more than the slider's last step: at step n the table shows θ_{n+1}, the engine's next point
run = compute.run(compute.spec("sgd", lr=t), surface.name, start, D.steps + 1)
last = tv.last_step(run)


def picture(built_at: int) -> Picture:
    """The slice through W_c = θ_n, with a frame per step: a step jumps there in the browser."""
    models = [tv.local_model(surface, run.params[min(k, last)]) for k in range(max(last, 1) + 1)]
    figure = tv.slice_steps_figure(surface, models, t, options, min(built_at, last), height=widgets.hero_height(),
                                   legend_columns=2 if widgets.is_phone() else 3)
    return Picture(Chart(figure, "taylor_slice", tr("taylor.alt_slice")))


def at_step(n: int, numbers) -> StepParts:
    """The local models at W_c = θ_n and that step's numbers."""
    n = min(n, last)  # the slider needs two ends: a run that leaves at once still gets 0 … 1, both showing step 0
    local = tv.local_model(surface, run.params[n])
    height = widgets.hero_height()
    # beside the slice: in presenter mode its table goes under it, and both stay on the first screen
    plane = tv.plane_figure(surface, local, t, options, path=run.params[: n + 1],
                            height=max(280, height // 2 - (20 if widgets.presenting() else -40)))
    plane_chart = ("chart", Chart(plane, "taylor_plane", tr("taylor.alt_plane")))
    notes = tv.notes(local)
    table = tv.step_table(run, t, n)
    if note := tv.run_note(run, surface, t):
        notes.append(note)
    return StepParts(
        # presenter mode: beside the slice only the step and its numbers; the plane follows below the fold
        beside=[] if widgets.presenting() else [plane_chart],
        under=[] if widgets.presenting() else [("latex", (r"\small " if widgets.is_phone() else "") + tv.KEY_RULE)],
        # a phone has no room for each line's right-hand side: the names and the numbers
        numbers=[("latex", compact_table(table) if widgets.is_phone() else table),
                 ("caption", tv.step_caption(n, last, tv.gradient_scale(surface, local, options), local))],
        after=[*([plane_chart] if widgets.presenting() else []), *((note.level, note.text) for note in notes),
               ("caption", tv.facts(surface, local, t)),
               ("columns", ((1, 1), [[("markdown", tv.bowl_text()), ("markdown", tv.newton_text())],
                                     [("latex", line) for line in (*tv.models_latex(),
                                                                   *tv.numbers_latex(local, t))]]))],
        export=Export({label("sgd"): run}, plane))


widgets.step_view(PAGE, max(last, 1), at_step, picture=picture, controls=knobs,
                  layout=Layout(numbers_below=True, present_side=0.3))
widgets.lecturer_notes([tr("lecturer_notes.taylor.second_order")])
