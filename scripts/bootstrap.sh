# Sourced by start.sh and test.sh: create the virtual environment and install the project.
# Installs are skipped when nothing changed since the last run (pyproject.toml hash).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
# Unit reference data: installed without its declared dependencies, one of which (unidecode)
# is GPL; the system reads only the package's data files (docs/data-sources.md).
UNITS_PACKAGE="vietnamadminunits==1.0.4"

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> Tạo môi trường Python (.venv)"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${1:-run}"
if [ ! -f "$stamp" ]; then
  echo "==> Cài đặt gói (lần đầu mất vài phút)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -U pip
  if [ "${1:-run}" = "dev" ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[dev]"
  else
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e .
  fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps "$UNITS_PACKAGE"
  touch "$stamp"
fi
