"""Everything that talks to Streamlit, and the only package that imports it.

The page scripts in ``lecture/`` read widgets from here, ask ``compute`` for a
cached run, hand the run to a pure page builder (``ui.pages``) and show its
figure with ``chart``. Each module has one job: ``linking`` (widgets bound to the
link), ``pickers`` (surface, start, steps, an optimizer's knobs), ``header``
(title, tools, scenes), ``stepping`` (the step view), ``presenter``,
``downloads``, ``language``, ``notes`` (the lecturer's notes), ``frame`` (the error guard and fragments) and
``compute`` (the one cache).
"""

from ui.widgets.downloads import export_buttons
from ui.widgets.frame import fragment, guard
from ui.widgets.header import page_header
from ui.widgets.linking import multiselect, publish_link, radio, select_slider, selectbox, slider, toggle
from ui.widgets.notes import lecturer_notes
from ui.widgets.pickers import (
                                optimizer_controls,
                                start_from_tap,
                                start_picker,
                                steps_slider,
                                surface_picker,
                                surface_title,
)
from ui.widgets.presenter import chart, presenting
from ui.widgets.run_options import RunOptions, run_options, schedule_blocks
from ui.widgets.stepping import (
                                Chart,
                                Export,
                                HeroControls,
                                Layout,
                                Picture,
                                StepParts,
                                step_controls,
                                step_view,
                                tappable,
)
from ui.widgets.viewport import hero_height, is_phone

__all__ = ["Chart", "Export", "HeroControls", "Layout", "Picture", "StepParts", "chart", "export_buttons",
           "fragment", "guard", "hero_height", "is_phone", "lecturer_notes", "multiselect", "optimizer_controls",
           "page_header", "presenting", "publish_link", "radio", "RunOptions", "run_options",
           "schedule_blocks", "select_slider", "selectbox", "slider",
           "start_from_tap", "start_picker", "step_controls", "step_view", "steps_slider", "surface_picker",
           "surface_title", "tappable", "toggle"]
