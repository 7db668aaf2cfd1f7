"""1 · Gradient & Taylor: what we know at W_c, the deck's bowl whose bottom is the GD step, and Newton's step."""

import streamlit as st

from ui import taylor as tv
from ui.controls import chosen_scene, scene_buttons, start_picker, surface_picker

D = tv.DEFAULTS
st.title("Gradient & Taylor: local models")
scene_buttons(tv.SCENES)
if scene := chosen_scene("taylor", tv.SCENES):
    st.caption(scene.caption)
st.latex(tv.KEY_RULE)
surface = surface_picker("taylor", default=D.surface, options=D.surfaces)
w_c = start_picker("taylor", surface)
st.sidebar.caption(tv.SIDEBAR_NOTE)
options = D.t_options[surface.name]
# the step size sits above both charts: on a phone it is reachable without the sidebar
t = st.select_slider(
    "Step size t", options=options, value=D.t[surface.name], key=f"taylor_t_{surface.name}",
    format_func=lambda v: f"{v:g}",
    help="The t in the bowl term ‖W − W_c‖²/(2t). Smaller t = steeper bowl = shorter gradient-descent step. "
         "'▶' on the charts sweeps every value from the smallest to the largest; 'your t' comes back to this one.")

local = tv.local_model(surface, w_c)
left, right = st.columns([1.5, 1], gap="small")
left.plotly_chart(tv.slice_figure(surface, local, t, options), theme=None, key="taylor_slice",
                  alt="The loss, its tangent line, the 1/(2t) bowl and Newton's quadratic along the "
                      "steepest-descent line through W_c; the bowl's bottom is the gradient-descent step.")
right.plotly_chart(tv.plane_figure(surface, local, t, options), theme=None, key="taylor_plane",
                   alt="The surface from above around W_c: the bowl's circular level sets around the "
                       "gradient-descent step, and Newton's quadratic model with its stationary point.")
for note in tv.notes(local):
    (st.warning if note.level == "warning" else st.info)(note.text)
st.caption(tv.facts(surface, local, t))

text, maths = st.columns([1, 1], gap="medium")
text.markdown(tv.BOWL_TEXT)
text.markdown(tv.NEWTON_TEXT)
for line in (*tv.MODELS_LATEX, *tv.numbers_latex(local, t)):
    maths.latex(line)
