#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml: the newest versions its ranges allow, with hashes,
# for every supported Python (a "universal" lock: per-version pins carry markers), and the floors.
# Usage: bash scripts/lock.sh            (then run bash scripts/test.sh and commit requirements/)
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.9"
tools=".venv-lock"
if [ ! -x "$tools/bin/uv" ] || [ "$("$tools/bin/uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    python3 -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
compile() {
    "$tools/bin/uv" pip compile pyproject.toml requirements/build-system.in "$@" --universal --generate-hashes --python-version 3.11 \
        --custom-compile-command "bash scripts/lock.sh" --quiet
}
compile -o requirements/runtime.txt
compile --extra test -o requirements/test.txt
# The floors themselves: the oldest version pyproject.toml allows of each direct dependency (the
# suite runs against them in CI, so a floor that no longer works shows as a red job).
compile --resolution lowest-direct --no-emit-package setuptools -o requirements/oldest.txt
echo "Locked: requirements/runtime.txt, requirements/test.txt, requirements/oldest.txt"
