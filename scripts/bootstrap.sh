# Shared by serve-demo.sh and test.sh: a local virtual environment with the project installed.
# Usage: [EXTRAS="[test]"] . scripts/bootstrap.sh
set -e
cd "$(dirname "$0")/.."
PYTHON_BIN=${PYTHON:-}
if [ -z "$PYTHON_BIN" ]; then
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1; then PYTHON_BIN=$candidate; break; fi
    done
fi
[ -n "$PYTHON_BIN" ] || { echo "需要 Python 3.11（未找到 python3.11 或 python3）" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PYTHON_BIN" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${EXTRAS:-}"
