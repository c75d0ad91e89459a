#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the tests need, then runs them.
#   Python packages: from requirements/test.txt (hash-checked) into .venv/
#   Chromium (browser tests) and Java (the Nu HTML Checker): Debian's packages, when missing
#   axe-core and vnu-jar: from package-lock.json into node_modules/
# Usage: bash scripts/test.sh [pytest arguments]
# DEPENDENCIES=newest tests the newest versions pyproject.toml allows instead of the lock.
# CHROMIUM names the browser binary when it is not Debian's /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
    local sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    echo "Installing Debian's $* for the tests..."
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
missing=()
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if ! command -v java >/dev/null 2>&1; then missing+=(default-jre-headless); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

bash scripts/install.sh "${DEPENDENCIES:-test}"
npm ci --silent --no-audit --no-fund --ignore-scripts  # vnu-jar's own script would fetch a Java; Debian's is used

.venv/bin/python -m ruff check .
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
fi
exit "$status"
