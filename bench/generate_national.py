"""National synthetic registers for benchmarks: the 34 provinces of today, births shared
out by population (1.4 million a year in all), one bundle per province.

    DJANGO_DEBUG=1 MCH_VAR_DIR=$(mktemp -d) .venv/bin/python bench/generate_national.py
    .venv/bin/python bench/generate_national.py --years 3 --province 56 --province 01

Loads the reference units when the database has none. Provinces without facilities (all
but the four demo provinces) get synthetic ones first (``bench/national_facilities.py``),
so every bundle can be imported (``mch import_registers bench/out/national/56``).
Provinces without commune classifications get a drawn one in the generated data only.
Writes bench/out/national/<province>/ (git-ignored) and prints seconds and rows per
province and in all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

# Approximate populations in thousands (2024 estimates as published with the 2025
# mergers, rounded; best knowledge): used only to share the births out.
POPULATION = {
    "01": 8719, "04": 573, "08": 1865, "11": 653, "12": 494, "14": 1327, "15": 1778,
    "19": 1799, "20": 813, "22": 1430, "24": 3619, "25": 4023, "31": 4664, "33": 3567,
    "37": 4412, "38": 3760, "40": 3470, "42": 1623, "44": 1870, "46": 1433, "48": 3065,
    "51": 2161, "52": 3583, "56": 2243, "66": 3347, "68": 3873, "75": 4491, "79": 14002,
    "80": 3254, "82": 4370, "86": 4257, "91": 4952, "92": 4199, "96": 2607,
}  # fmt: skip
NATIONAL_BIRTHS = 1_400_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--births", type=int, default=NATIONAL_BIRTHS, help="a year, national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--error-rate", type=float, default=0.005)
    parser.add_argument("--as-of", default="", help="dd/mm/yyyy (default today)")
    parser.add_argument("--province", action="append", default=[], help="only these (repeat)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "national")
    args = parser.parse_args()

    from national_facilities import classification_drawn, facilities_ensure

    from mch.orgunits.models import OrgUnit
    from mch.orgunits.reference import load_reference_units
    from mch.registers.synthetic import Options, generate
    from mch.registers.synthetic.places import province_load

    call_command("migrate", verbosity=0)
    as_of = dt.datetime.strptime(args.as_of, "%d/%m/%Y").date() if args.as_of else dt.date.today()
    if not OrgUnit.objects.filter(level="province").exists():
        started = time.perf_counter()
        load_reference_units()
        print(f"reference units loaded in {time.perf_counter() - started:.1f} s")
    total_people = sum(POPULATION.values())
    codes = args.province or sorted(POPULATION)
    rows_all, started_all, cpu_all = 0, time.perf_counter(), time.process_time()
    for code in codes:
        facilities_ensure(code, on=as_of)
        province = classification_drawn(province_load(code, on=as_of))
        births = round(args.births * POPULATION[code] / total_people)
        options = Options(
            as_of=as_of,
            births_per_year=births,
            years=args.years,
            end_year=as_of.year,
            seed=args.seed,
            error_rate=args.error_rate,
        )
        cpu = time.process_time()
        manifest = generate(province, args.out / code, replace(options))
        rows = sum(manifest.rows.values())
        rows_all += rows
        print(
            f"{code} {province.name:<28} {len(province.communes):>4} xã {births:>8,} ca đẻ/năm "
            f"{rows:>11,} dòng {manifest.seconds:7.1f} s ({time.process_time() - cpu:6.1f} s CPU)"
        )
    wall = time.perf_counter() - started_all
    cpu = time.process_time() - cpu_all
    print(
        f"total: {len(codes)} provinces, {rows_all:,} rows in {wall:.1f} s "
        f"({cpu:.1f} s CPU, {rows_all / max(cpu, 1e-9):,.0f} rows/s of CPU) -> {args.out}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
