"""Everything between optim_core and the screen: figure builders, shared controls, the cache.

Figure builders (``theme``, ``background``, ``paths``, ``charts``, ``animation``,
``arrows`` and one module per page) are pure functions of arrays and settings
that return Plotly figures, testable without Streamlit. Only ``controls`` (the
widgets) and ``compute`` (the cached runs) import Streamlit.
"""
