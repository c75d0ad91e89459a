#!/usr/bin/env bash
# Install the generator into .venv/ from the lock files (exact versions, checked by hash).
# Usage: bash scripts/install.sh [runtime|test|newest|oldest]
#   runtime  what building a site needs (requirements/runtime.txt)       (the default)
#   test     that and the test tools (requirements/test.txt)
#   newest   the newest versions pyproject.toml allows, not the lock: shows drift before users meet it
#   oldest   the test tools from the lock, the generator's dependencies at their floors
#            (requirements/oldest.txt; Python 3.11 only, as the oldest NumPy has wheels for no newer one)
# PYTHON names the interpreter that makes .venv/ (default: python3); 3.11 or newer.
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-runtime}"
venv=".venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "error: $python is not Python 3.11 or newer; set PYTHON=python3.12 (say) and run again" >&2
        exit 1
    fi
    "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --quiet --disable-pip-version-check)
case "$what" in
    runtime) "${pip[@]}" install --require-hashes -r requirements/runtime.txt ;;
    test) "${pip[@]}" install --require-hashes -r requirements/test.txt ;;
    oldest)
        "${pip[@]}" install --require-hashes -r requirements/test.txt
        "${pip[@]}" install --require-hashes --no-deps -r requirements/oldest.txt ;;
    newest) exec "${pip[@]}" install --upgrade --upgrade-strategy eager --editable '.[test]' ;;
    *) echo "usage: bash scripts/install.sh [runtime|test|newest|oldest]" >&2; exit 2 ;;
esac
"${pip[@]}" install --no-deps --no-build-isolation --editable .
