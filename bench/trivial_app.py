"""The yardstick of ``python -m bench.browser``: a trivial Streamlit + Plotly page.

One slider and one small scatter chart that moves with it; nothing else. The step key (→)
of a lecture page is timed against this page's slider key, side by side in one browser run.

    streamlit run bench/trivial_app.py
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("Trivial page")
k = st.slider("k", 0, 100, 50)
x = np.linspace(0.0, 1.0, 20)
figure = go.Figure(go.Scatter(x=x + k / 100, y=np.sin(6 * x) + k / 50, mode="markers"))
figure.update_layout(height=400, margin={"l": 40, "r": 10, "t": 10, "b": 40})
st.plotly_chart(figure, theme=None, key="trivial")
