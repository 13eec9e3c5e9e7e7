"""Indicator engine benchmark: full rebuild of the stored cells, a plan scorecard, and how
long a saved record takes to show in the indicators, on a generated province.

    DJANGO_DEBUG=1 DATABASE_URL=sqlite:////tmp/bench-ind/mch.sqlite3 .venv/bin/python bench/indicators.py
    DJANGO_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/mch_bench_ind .venv/bin/python bench/indicators.py

The first run loads the reference units, catalogue, plans and demo users, then generates
and imports Khánh Hòa's registers with the synthetic generator (--births-per-year, default
25,000, over --years, default 10: 250,000 births, several million rows). Later runs on the
same database skip the load, so peak memory (printed last) is that of the measurements.

Measures (wall clock, best of --repeat):
- ``aggregates_rebuild``: every indicator's cells from all records, a year at a time;
- ``plan_scorecard`` of the Ninh Thuận 1493 plan (its targets × every commune it covers)
  for a past year (stored cells only) and for this year (ended months stored, the current
  month from the records);
- a delivery recorded through the service, committed, until ``indicator_values`` of the
  province shows it (the on-commit refresh of its commune).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

PLAN = "ninh-thuan-kh-1493-2022"


def _timed(label: str, fn, repeat: int = 1):  # noqa: ANN001, ANN202
    best, result = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label}: {best:.2f} s")
    return result


def _load(births: int, years: int) -> None:
    from mch.core.demo import demo_users_create
    from mch.immunisation.services import schedule_load
    from mch.indicators.services import catalogue_load
    from mch.orgunits.demo import load_demo_facilities_and_attributes
    from mch.orgunits.reference import load_reference_units
    from mch.plans.services import plans_load_sources

    call_command("migrate", verbosity=0)
    load_reference_units()
    load_demo_facilities_and_attributes()
    catalogue_load()
    schedule_load()
    plans_load_sources()
    demo_users_create()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        call_command(
            "generate_registers",
            province="56",
            births_per_year=births,
            years=years,
            output=Path(folder),
            load=True,
            keep_valid=True,
            verbosity=0,
        )
        print(f"generate + import: {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--births-per-year", type=int, default=25_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild-only", action="store_true", help="stop after the rebuild")
    parser.add_argument(
        "--probe-only",
        action="store_true",
        help="only record → value (cells already built), --repeat deliveries; "
        "--profile FILE: cProfile of the last one",
    )
    parser.add_argument("--profile", type=Path, help="cProfile output of the probe")
    args = parser.parse_args()

    from mch.accounts.models import User
    from mch.accounts.scope import Scope
    from mch.indicators.adapter.aggregates import aggregates_rebuild
    from mch.indicators.models import IndicatorCell
    from mch.indicators.values import Period, indicator_values
    from mch.orgunits.models import OrgUnit
    from mch.plans.models import Plan
    from mch.registers import services
    from mch.registers.models import Birth, Death, Delivery, Person
    from mch.scorecards.assembly import plan_scorecard

    call_command("migrate", verbosity=0)
    if not Birth.objects.exists():
        _load(args.births_per_year, args.years)
    print(
        f"registers: {Person.objects.count():,} people, {Delivery.objects.count():,} deliveries, "
        f"{Birth.objects.count():,} births, {Death.objects.count():,} deaths"
    )
    if not args.probe_only:
        written = _timed("full rebuild of the stored cells", aggregates_rebuild)
        print(f"  {written:,} cells ({IndicatorCell.objects.count():,} stored)")
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        print(f"  CPU of this process so far: {cpu.ru_utime + cpu.ru_stime:.1f} s")
    if args.rebuild_only:
        return

    officer = User.objects.get(username="sokhanhhoa")
    plan = Plan.objects.get(slug=PLAN)
    this_year = dt.date.today().year
    for year in () if args.probe_only else (this_year - 1, this_year):
        card = _timed(
            f"scorecard {PLAN} {year}",
            lambda year=year: plan_scorecard(user=officer, plan=plan, year=year),
            args.repeat,
        )
        print(f"  {len(card.rows)} targets × {len(card.units)} units")

    province = OrgUnit.objects.get(code="56", level="province", valid_to__isnull=True)
    station_user = User.objects.get(username="tram.bacai")
    month = Period.month(this_year, dt.date.today().month - 1 or 1)

    def births_now() -> float:
        value = indicator_values(
            user=officer, indicators=["facility_birth"], units=[province], period=month
        )[0]
        return value.denominator or 0

    # A woman of the station's commune with a history (an earlier pregnancy with an
    # outcome), no delivery this year: her earlier deliveries and children's records are
    # what the old refresh recomputed.
    for attempt in range(args.repeat if args.probe_only else 1):
        mother = (
            Scope.for_user(station_user)
            .filter(
                Person.objects.filter(
                    sex="F",
                    deceased_on__isnull=True,
                    birth_date__lte=dt.date(this_year - 20, 1, 1),
                    birth_date__gte=dt.date(this_year - 40, 1, 1),
                ),
                "residence_unit",
            )
            .exclude(deliveries__date__year=this_year)
            .exclude(pregnancies__outcome="")
            .order_by("pk")
            .first()
        )
        assert mother is not None
        before = births_now()
        profiler = None
        if args.profile is not None and attempt == (args.repeat if args.probe_only else 1) - 1:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        with transaction.atomic():
            services.delivery_record(
                user=station_user,
                person=mother,
                date=month.start + dt.timedelta(days=3),
                place="home",
                attendant="midwife",
                babies=[services.BirthInput(sex="F", birth_weight_g=3000)],
            )
        after = births_now()
        elapsed = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(args.profile))
        print(f"record saved to value shown: {elapsed:.2f} s ({before} -> {after})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
