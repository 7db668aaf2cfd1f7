"""Every benchmark in one command; prints the markdown tables the README shows.

    python -m bench.run_all            # from the repository root
    python -m bench.run_all --no-perf  # the tables only, without the perf-marked tests

1. the engine against torch.optim.Adam (``python -m bench.core``),
2. each page's rerun time and Plotly JSON size under AppTest (``python -m bench.pages``),
3. each page in Chromium: load, slider, step key, playback (``python -m bench.browser``),
4. the suite's wall-clock assertions, which the default test run leaves out:
   ``python -m pytest -m perf`` (two workers give ≥ 1.6× the reruns per second of one;
   the step key's median stays under its ceiling on every stepping page).
Run it on a quiet machine: the numbers are medians, but a busy neighbour still moves them.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import subprocess
import sys

from bench import browser, core, pages
from harness.server import ROOT


def perf_tests() -> int:
    """The perf-marked tests (throughput and latency assertions); their exit status."""
    cmd = [sys.executable, "-m", "pytest", "-m", "perf", "-q", "-s", "-p", "no:cacheprovider"]
    print(f"### Wall-clock assertions (`{' '.join(['python', *cmd[1:]])}`)\n", flush=True)
    return subprocess.call(cmd, cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-perf", action="store_true", help="skip the perf-marked tests")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's bare-mode warnings
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("### Engine vs torch.optim (`python -m bench.core`)\n")
    print(core.markdown(core.ratio_rows()), "\n")
    print("### Page reruns and chart sizes (`python -m bench.pages`; budget 250 ms, 1 MB/chart, 2 MB/page)\n")
    print(pages.markdown([pages.measure(p) for p in pages.PAGES]), "\n")
    print("### In Chromium (`python -m bench.browser`; targets: load ≤ 4 s, slider ≤ 600 ms, "
          "playback ≤ 50 ms/frame)\n", flush=True)
    print(browser.markdown(browser.run()), "\n", flush=True)
    return 0 if args.no_perf else perf_tests()


if __name__ == "__main__":
    sys.exit(main())
