#!/usr/bin/env bash
# Run every check and the whole test suite, on SQLite and on PostgreSQL.
#   TEST_DATABASES="sqlite postgres" (default) | "sqlite" | "postgres"
#   POSTGRES_URL  default postgres://postgres@127.0.0.1:5432/mch
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" dev
PY="$VENV/bin/python"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Cài Chromium cho kiểm thử trình duyệt (apt-get)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "!! Chromium (/usr/bin/chromium) chưa được cài: các kiểm thử trình duyệt sẽ thất bại." >&2
  fi
fi

echo "==> ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "==> mypy (file formats, services, selectors, scope)"
DJANGO_SECRET_KEY=check "$VENV/bin/mypy" --config-file pyproject.toml \
  mch/accounts/scope.py mch/plans/planfile.py mch/plans/services.py mch/plans/selectors.py mch/plans/budget.py mch/reporting/services.py mch/reporting/selectors.py mch/reporting/permissions.py mch/reporting/annual/generate.py mch/reporting/annual/jobs.py mch/reporting/annual/charts.py mch/reporting/quality.py mch/reporting/quality_data.py mch/reporting/quality_aggregate.py mch/reporting/annual/data.py mch/reporting/reminders.py \
  mch/indicators/registry.py mch/indicators/services.py mch/indicators/selectors.py \
  mch/indicators/adapter mch/indicators/values.py mch/indicators/jobs.py \
  mch/orgunits/services.py mch/orgunits/selectors.py mch/orgunits/reference.py mch/orgunits/population.py \
  mch/registers/rules.py mch/registers/derive.py mch/registers/services mch/registers/selectors.py \
  mch/growth mch/immunisation/engine.py mch/immunisation/selectors.py mch/immunisation/services.py \
  mch/mpdsr/registry.py mch/mpdsr/services.py mch/mpdsr/selectors.py mch/mpdsr/report_section.py \
  mch/aggregate_data/registry.py mch/aggregate_data/services.py mch/aggregate_data/selectors.py mch/aggregate_data/deadlines.py mch/aggregate_data/periods.py mch/aggregate_data/demo_plans.py \
  mch/reported_values/rules.py mch/reported_values/services.py mch/reported_values/selectors.py mch/reported_values/series.py mch/reported_values/imports.py mch/reported_values/access.py
echo "==> migrations up to date"
DJANGO_SECRET_KEY=check "$PY" manage.py makemigrations --check --dry-run
echo "==> deployment checks (production settings)"
DJANGO_SECRET_KEY="$(head -c 48 /dev/urandom | base64)" DJANGO_ALLOWED_HOSTS=mch.example.gov.vn \
  "$PY" manage.py check --deploy --fail-level WARNING

POSTGRES_URL="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/mch}"
# The two databases run side by side (one core each); each run's output is printed when it ends.
logs="$(mktemp -d)"
declare -A pids
for db in ${TEST_DATABASES:-sqlite postgres}; do
  echo "==> pytest on $db (started)"
  if [ "$db" = "postgres" ]; then
    DATABASE_URL="$POSTGRES_URL" "$PY" -m pytest -q -p no:randomly --durations=15 "$@" >"$logs/$db.log" 2>&1 &
  else
    env -u DATABASE_URL "$PY" -m pytest -q --durations=15 "$@" >"$logs/$db.log" 2>&1 &
  fi
  pids[$db]=$!
done
failed=""
for db in "${!pids[@]}"; do
  if ! wait "${pids[$db]}"; then failed="$failed $db"; fi
  echo "==> pytest on $db"
  cat "$logs/$db.log"
done
rm -rf "$logs"
if [ -n "$failed" ]; then
  echo "!! pytest failed on:$failed" >&2
  exit 1
fi
