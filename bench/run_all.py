"""Every benchmark in one command; prints the markdown tables the README shows.

    python bench/run_all.py

1. the engine against torch.optim.Adam (bench/core.py),
2. each page's rerun time and Plotly JSON size under AppTest (bench/pages.py),
3. each page in Chromium: load, slider, playback (bench/browser.py).
Run it on a quiet machine: the numbers are medians, but a busy neighbour still moves them.
"""

from __future__ import annotations

import logging
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser  # noqa: E402
import core  # noqa: E402
import pages  # noqa: E402


def main() -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's bare-mode warnings
    import os

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("### Engine vs torch.optim (`python bench/core.py`)\n")
    print(core.markdown(core.ratio_rows()), "\n")
    print("### Page reruns and chart sizes (`python bench/pages.py`; budget 250 ms, 1 MB/chart, 2 MB/page)\n")
    print(pages.markdown([pages.measure(p) for p in pages.PAGES]), "\n")
    print("### In Chromium (`python bench/browser.py`; targets: load ≤ 4 s, slider ≤ 600 ms, "
          "playback ≤ 50 ms/frame)\n")
    print(browser.markdown(browser.run()))


if __name__ == "__main__":
    main()
