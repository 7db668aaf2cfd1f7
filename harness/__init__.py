"""What the tests, the benchmarks and the scripts share to drive the app from outside.

- ``harness.server``: start ``streamlit run app.py`` on a free port, launch Debian's
  Chromium, the address of a page, and waiting until a page has settled;
- ``harness.wsclient``: a client that speaks Streamlit's websocket protocol, as a
  browser tab does (the load tests, the scale-out tests and ``bench.load`` use it).

Every list of pages comes from ``ui.registry.PAGES``. Nothing here imports Streamlit's
runtime except the protocol classes.
"""
