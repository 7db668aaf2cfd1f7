#!/usr/bin/env bash
# The README's test command: install the dev tools, then run the whole suite
# (engine, figures, every page under AppTest, and the app in headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
npm ci --no-audit --no-fund --loglevel=error          # axe-core for the accessibility checks
if [ ! -x /usr/bin/chromium ]; then                     # Debian's browser; tests never download one
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi

python -m ruff check .
python -m pytest "$@"
