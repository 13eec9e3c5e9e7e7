"""Foundation benchmark: reference load, plan import, scoped reads and page renders.

Run against a fresh database (it migrates and loads everything itself):

    DJANGO_DEBUG=1 MCH_VAR_DIR=$(mktemp -d) .venv/bin/python bench/foundation.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mch_bench .venv/bin/python bench/foundation.py

Prints one line per measurement (median of repeated runs where it repeats).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def timed(label: str, func: Callable[[], object], repeat: int = 1) -> None:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    median = statistics.median(runs) * 1000
    print(f"{label:<58} {median:9.1f} ms" + (f"  (median of {repeat})" if repeat > 1 else ""))


def main() -> None:
    from mch.accounts.models import User
    from mch.accounts.scope import Scope
    from mch.core.demo import demo_setup
    from mch.orgunits.models import OrgUnit
    from mch.orgunits.reference import load_reference_units
    from mch.plans.selectors import plan_list

    print(f"database: {connection.vendor}")
    timed("migrate", lambda: call_command("migrate", verbosity=0))
    timed("first set-up (units, facilities, catalogue, 5 plans, users)", demo_setup)
    timed("reference units reload (no change, 14,139 units)", load_reference_units)
    province_user = User.objects.get(username="sokhanhhoa")
    commune_user = User.objects.get(username="tram.phanrang")
    timed(
        "scope of a province user (with lineage)",
        lambda: Scope.for_units(province_user.units.all()),
        repeat=20,
    )
    scope = Scope.for_units(province_user.units.all())
    timed(
        "count units in a province's scope",
        lambda: scope.filter(OrgUnit.objects.all()).count(),
        repeat=20,
    )
    client = Client()
    for user, pages in [
        (province_user, ["/", "/don-vi/", "/ke-hoach/", "/chi-so/"]),
        (User.objects.get(username="sobacninh"), ["/ke-hoach/bac-giang-kh-bmte-2024/"]),
        (commune_user, ["/", "/ke-hoach/", "/don-vi/"]),
    ]:
        client.force_login(user)
        for page in pages:
            timed(f"GET {page} as {user.username}", lambda page=page: client.get(page), repeat=10)
        for plan in plan_list(user=user) if user is province_user else []:
            timed(
                f"GET plan page {plan.slug}",
                lambda plan=plan: client.get(f"/ke-hoach/{plan.slug}/"),
                repeat=10,
            )
        client.logout()


if __name__ == "__main__":
    main()
