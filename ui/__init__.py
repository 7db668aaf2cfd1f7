"""Everything between optim_core and the screen: figure builders and shared controls.

The figure builders (``theme``, ``background``, ``paths``, ``charts``) are pure
functions of arrays that return Plotly figures, testable without Streamlit.
``controls`` and ``compute`` hold the Streamlit-facing pieces.
"""
