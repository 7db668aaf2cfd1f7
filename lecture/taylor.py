"""1 · Gradient & Taylor: what we know at W_c, the deck's bowl whose bottom is the GD step, and Newton's step."""

import streamlit as st

from ui import taylor as tv
from ui.controls import start_picker, surface_picker


def vec(v) -> str:
    return r"\begin{pmatrix}" + r"\\".join(f"{x:.4g}" for x in v) + r"\end{pmatrix}"


st.title("Gradient & Taylor: local models")
surface = surface_picker("taylor", default=tv.DEFAULTS["surface"], options=tv.DEFAULTS["surfaces"])
w_c = start_picker("taylor", surface)
st.sidebar.caption("Here the start point is the expansion point $W_c$: every model is built there.")
options = tv.DEFAULTS["t_options"][surface.name]
left, right = st.columns([1.5, 1], gap="small")
t = right.select_slider(
    "Step size t", options=options, value=tv.DEFAULTS["t"][surface.name], key=f"taylor_t_{surface.name}",
    format_func=lambda v: f"{v:g}",
    help="The t in the bowl term ‖W − W_c‖²/(2t). Smaller t = steeper bowl = shorter gradient-descent step. "
         "'▶ sweep' on the charts plays every value from the smallest to the largest.")

try:
    local = tv.local_model(surface, w_c)
    slice_fig = tv.slice_figure(surface, local, t, options)
    plane_fig = tv.plane_figure(surface, local, t, options)
except ValueError as err:
    st.error(str(err))
    st.stop()

step = tv.gd_step(local, t)
with left:
    st.plotly_chart(slice_fig, theme=None, key="taylor_slice",
                    alt="The loss, its tangent line, the 1/(2t) bowl and Newton's quadratic along the "
                        "steepest-descent line through W_c; the bowl's bottom is the gradient-descent step.")
with right:
    st.plotly_chart(plane_fig, theme=None, key="taylor_plane",
                    alt="The surface from above around W_c: the bowl's circular level sets around the "
                        "gradient-descent step, and Newton's quadratic model with its stationary point.")

lam = local.eigenvalues
eig = rf"$\lambda_1 = {lam[0]:.4g},\ \lambda_2 = {lam[1]:.4g}$"
if local.stationary:
    st.info(r"$\nabla L(W_c) = 0$ exactly: $W_c$ is a stationary point. The tangent plane is flat, the bowl's "
            "bottom is $W_c$ itself and gradient descent stays put for every t. The left chart follows the "
            "Hessian's flattest direction instead of $-\\nabla L$.")
if local.curvature == "singular":
    st.warning(f"The Hessian is singular here ({eig}): the quadratic model has no single stationary point, "
               r"so Newton's step $W_c - H^{-1}\nabla L$ is undefined at this $W_c$.")
elif local.curvature == "indefinite":
    st.info(f"H is indefinite ({eig}): the quadratic model curves up along one eigenvector and down along "
            "the other, so it has no minimum. Its stationary point, where Newton's step lands, is a **saddle "
            "point** of the model, and the step may well go uphill.")
elif local.curvature == "negative definite":
    st.info(f"H is negative definite ({eig}): the quadratic model is an upside-down bowl and Newton's step "
            "jumps to its **maximum**. Newton's method only looks for a point where the gradient vanishes.")

loss_gd = float(surface.value(step))
facts = (f"$L(W_c)$ = {local.loss:.4g}, $\\lVert\\nabla L(W_c)\\rVert$ = {local.grad_norm:.4g}. "
         f"After the GD step with t = {t:g}: L = {loss_gd:.4g} ({'lower' if loss_gd < local.loss else 'not lower'}).")
if local.newton is not None:
    (x0, x1), (y0, y1) = surface.bounds
    inside = x0 <= local.newton[0] <= x1 and y0 <= local.newton[1] <= y1
    facts += (f" Newton's point ({local.newton[0]:.4g}, {local.newton[1]:.4g}) has "
              f"L = {float(surface.value(local.newton)):.4g}{'' if inside else ', outside the plotted region'}.")
st.caption(facts)

text, maths = st.columns([1, 1], gap="medium")
with text:
    st.markdown(
        "Nobody shows us the whole landscape, only the ground under our feet: at $W_c$ we know the loss and "
        "its slope $\\nabla L$. The tangent plane is built from exactly that, and it keeps falling forever, so "
        "by itself it cannot say **how far** to go. Add the bowl term $\\lVert W - W_c\\rVert^2/(2t)$ and the "
        "model gets a bottom, and that bottom is exactly one gradient-descent step. A small t makes a steep "
        "bowl and a short step; a large t makes a shallow bowl whose bottom can sink far below the true loss: "
        "the step overshoots.")
    st.markdown(
        "Newton's method replaces the round bowl with the true curvature H. On a quadratic loss its model *is* "
        "the loss, so one step lands on the minimum (try the elongated bowl). On the saddle it lands on the "
        "saddle point instead. *(The deck's Korean name for gradient descent: 경사 하강법.)*")
with maths:
    st.latex(r"\begin{aligned}&\text{tangent: } L(W_c) + \nabla L(W_c)^\top d\\"
             r"&\text{where } d = W - W_c\end{aligned}")
    st.latex(r"\begin{aligned}&\text{bowl: } L(W_c) + \nabla L(W_c)^\top d + \tfrac{1}{2t}\lVert d\rVert^2\\"
             r"&\Rightarrow\ W_{c+1} = W_c - t\,\nabla L(W_c)\end{aligned}")
    st.latex(r"\begin{aligned}&\text{Newton: } L(W_c) + \nabla L(W_c)^\top d + \tfrac12\, d^\top H d\\"
             r"&\Rightarrow\ W_{c+1} = W_c - H^{-1}\nabla L(W_c)\end{aligned}")
    st.latex(rf"W_c = {vec(w_c)},\ \nabla L(W_c) = {vec(local.grad)}")
    st.latex(rf"H = \begin{{pmatrix}}{local.hessian[0, 0]:.4g} & {local.hessian[0, 1]:.4g}\\"
             rf"{local.hessian[1, 0]:.4g} & {local.hessian[1, 1]:.4g}\end{{pmatrix}},\ "
             rf"\lambda = {lam[0]:.4g},\ {lam[1]:.4g}")
    newton_tex = vec(local.newton) if local.newton is not None else r"\text{undefined}"
    st.latex(rf"W_c - t\nabla L = {vec(step)}")
    st.latex(rf"W_c - H^{{-1}}\nabla L = {newton_tex}")
