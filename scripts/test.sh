#!/usr/bin/env bash
# The README's test command: install the dev tools, then run the whole suite
# (engine, figures, every page under AppTest, and the app in headless Chromium).
#
# Needs Python >= 3.11 with pip (inside a virtual environment on Debian/Ubuntu, whose
# system pip refuses to install packages), plus Debian's chromium and node/npm. As root
# it installs the missing Debian packages itself; otherwise it says which ones to install.
set -euo pipefail
cd "$(dirname "$0")/.."

python -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "Python >= 3.11 is needed, this is $(python --version 2>&1)" >&2; exit 1; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)          # Debian's browser; tests never download one
command -v npm >/dev/null || missing+=(nodejs npm)        # npm installs axe-core for the accessibility checks
command -v haproxy >/dev/null || missing+=(haproxy)
command -v redis-server >/dev/null || missing+=(redis-server)  # a real Redis for the classroom store tests
# Hangul for the Korean screenshots and browser checks: without it Chromium draws empty boxes
[ -d /usr/share/fonts/opentype/noto ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
npm ci --no-audit --no-fund --loglevel=error

python -m ruff check .
# Two workers on a 2-core machine: each runs one group of browser tests (one server, one Chromium each) and
# the AppTest tests fill in around them. PYTEST_WORKERS=0 runs everything in this one process.
python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup "$@"
