"""Everything between optim_core and the screen, in layers that import one way only.

- ``ui.widgets``: everything that talks to Streamlit (widgets, the link, the cache,
  the step view, the error guard). The only package that imports Streamlit.
- ``ui.pages``: one pure page builder per lecture section: values in, figure dicts
  and text out. No page module imports another page's module.
- ``ui.figures``: the parts every page draws with: theme, the plain-dict figure,
  paths, charts, background, animation, arrows and algorithm tables.
- ``ui.registry`` (the pages as data), ``ui.catalog`` (the optimizers' knobs and
  names), ``ui.scenes``, ``ui.specs``, ``ui.links``, ``ui.notices``, ``ui.export``
  and ``ui.i18n``: small pure modules every layer may use.

``tests/test_layout.py`` checks these rules.
"""
