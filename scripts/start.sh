#!/usr/bin/env bash
# Set up and start the system on an embedded SQLite database with demo data.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" run
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
exec "$VENV/bin/mch" start --port "${PORT:-8000}"
