#!/usr/bin/env bash
# The README's test command: install the dev tools, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
python -m ruff check .
python -m pytest "$@"
