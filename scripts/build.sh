#!/usr/bin/env bash
# Build the site: install the generator into .venv/ from the lock (first time, or after the lock
# changed), then run `python -m generator build` with any options given here.
# Usage: bash scripts/build.sh [--seeds DIR] [--out DIR] [...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh runtime
exec .venv/bin/python -m generator build "$@"
