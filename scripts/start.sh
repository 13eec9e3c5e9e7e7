#!/usr/bin/env bash
# Set up and start the demo on an embedded SQLite database: gunicorn, debug off.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" run
# The demo's settings (secret key kept in var/, local addresses, plain HTTP), exported so every
# process started from here shares them. `DJANGO_DEBUG=1 ./scripts/start.sh` turns debug on.
eval "$("$VENV/bin/mch" demo_env --port "${PORT:-8000}")"
"$VENV/bin/mch" worker & worker=$!  # the job worker (imports): waits for the set-up below
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT
"$VENV/bin/mch" start --port "${PORT:-8000}"
