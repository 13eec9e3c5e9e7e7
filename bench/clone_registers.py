"""Bulk bench data: multiply a generated province's registers inside the database.

    DATABASE_URL=... .venv/bin/python bench/clone_registers.py --copies 4          # 50k -> 250k
    DATABASE_URL=... .venv/bin/python bench/clone_registers.py --copies 1 --into 01 # + Hà Nội

The synthetic generator and the register importer hold every row of a bundle in memory
(~3 KB a row; 250,000 births did not fit). This writes the bigger sets without Python
holding any row: each copy is one ``INSERT … SELECT`` per register table, set-based in the
database (SQLite and PostgreSQL alike), so memory is flat whatever the size.

A copy is the province's generated people and every record of theirs (residences,
pregnancies, visits, deliveries, births, contacts, check-ups, measurements, doses,
illnesses, deaths), with new ids (the original id + copy × the table's largest id, links
shifted the same way), external ids suffixed ``~copy``, national ids blank (they are
unique), and every commune rotated: copy k of a commune's families lives (and is served)
in the commune k places further in the province's list of communes, or, with ``--into``,
in the commune at the same place in another province's list (facilities of a commune
follow it: the target commune's facility of the same kind, when it has one). Dates, ages,
z-scores and the group snapshot are the generator's own; only the places move. So a copy
is as varied, per commune, as the generator makes it, and a province's density grows
with the number of copies (four copies: five source communes' families in each commune).

Every row present before the first copy is copied (the database holds one generated
province, ``--source``, default 56, Khánh Hòa, as ``bench/indicators.py`` makes it);
places outside its current communes (a commune closed by the 2025 reform, a hospital)
are kept.
Prints the seconds and rows per table; ``/usr/bin/time -v`` gives the peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

# ruff: noqa: S608 (every name and number in the SQL below is ours)

MAP_UNITS = "bench_clone_unit"
MAP_FACILITIES = "bench_clone_facility"


def _communes(code: str) -> list[int]:
    from mch.orgunits.models import OrgUnit

    province = OrgUnit.objects.get(code=code, level="province", valid_to__isnull=True)
    return list(
        OrgUnit.objects.filter(
            path__startswith=province.path, level="commune", valid_to__isnull=True
        )
        .order_by("code")
        .values_list("pk", flat=True)
    )


def _maps(source: list[int], target: list[int], copies: int, rotate: bool) -> None:
    """Temporary tables (copy, old id, new id) for communes and their facilities."""
    from mch.orgunits.models import Facility

    units: list[tuple[int, int, int]] = []
    for k in range(1, copies + 1):
        for i, old in enumerate(source):
            shift = k if rotate else 0
            units.append((k, old, target[(i + shift) % len(target)]))
    facilities: list[tuple[int, int, int]] = []
    by_unit: dict[tuple[int, str], int] = {}
    rows = Facility.objects.filter(unit_id__in={*source, *target}).order_by("pk")
    for pk, unit, kind in rows.values_list("pk", "unit_id", "kind"):
        by_unit.setdefault((unit, kind), pk)
    kinds = dict(rows.values_list("pk", "kind"))
    homes = dict(rows.values_list("pk", "unit_id"))
    for k, old_unit, new_unit in units:
        for pk, unit in homes.items():
            if unit == old_unit:
                facilities.append((k, pk, by_unit.get((new_unit, kinds[pk]), pk)))
    with connection.cursor() as cursor:
        for table, rows_ in ((MAP_UNITS, units), (MAP_FACILITIES, facilities)):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(
                f"CREATE TABLE {table} (k integer, old bigint, new bigint, PRIMARY KEY (k, old))"
            )
            cursor.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s)", rows_)  # noqa: S608


def _models() -> list[type[models.Model]]:
    from mch.registers.models import CARE_EVENT_MODELS, Person, Residence

    return [Person, Residence, *CARE_EVENT_MODELS]


def _column(field: models.Field, k: int, tops: dict[str, int], copied: set[str]) -> str:  # type: ignore[type-arg]
    q = connection.ops.quote_name
    col = f"t.{q(field.column)}"
    if field.primary_key:
        return f"{col} + {k * tops[field.model._meta.db_table]}"
    if isinstance(field, models.ForeignKey):
        target = field.related_model._meta  # type: ignore[union-attr]
        if target.db_table in copied:
            return f"{col} + {k * tops[target.db_table]}"
        if target.label == "orgunits.OrgUnit":
            return f"COALESCE((SELECT m.new FROM {MAP_UNITS} m WHERE m.k = {k} AND m.old = {col}), {col})"  # noqa: E501
        if target.label == "orgunits.Facility":
            return f"COALESCE((SELECT m.new FROM {MAP_FACILITIES} m WHERE m.k = {k} AND m.old = {col}), {col})"  # noqa: E501
        return col
    if field.name == "external_id":
        return f"CASE WHEN {col} = '' THEN '' ELSE {col} || '~{k}' END"
    if field.name == "national_id":
        return "''"
    return col


def clone(source_code: str, copies: int, into: str | None) -> dict[str, int]:
    from mch.registers.models import Person

    source = _communes(source_code)
    target = _communes(into) if into else source
    _maps(source, target, copies, rotate=into is None)
    q = connection.ops.quote_name
    tables = _models()
    copied = {m._meta.db_table for m in tables}
    tops: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {q(model._meta.db_table)}")  # noqa: S608
            tops[model._meta.db_table] = cursor.fetchone()[0]
    # Every person present (the bench database holds the generated province only): a
    # family's mother may live in a commune the reform closed.
    people = f"(SELECT p.id FROM {q(Person._meta.db_table)} p WHERE p.id <= {tops[Person._meta.db_table]})"  # noqa: E501
    written: dict[str, int] = {}
    for k in range(1, copies + 1):
        for model in tables:
            table = model._meta.db_table
            fields = list(model._meta.concrete_fields)
            names = ", ".join(q(f.column) for f in fields)
            select = ", ".join(_column(f, k, tops, copied) for f in fields)
            owner = {"Person": "t.id", "Birth": "t.mother_id"}.get(model.__name__, "t.person_id")
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {q(table)} ({names}) SELECT {select} FROM {q(table)} t "  # noqa: S608
                    f"WHERE t.id <= {tops[table]} AND {owner} IN {people}"
                )
                count = cursor.rowcount
            written[table] = written.get(table, 0) + count
            print(f"copy {k} {table}: {count:,} rows in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(statement)
        for table in (MAP_UNITS, MAP_FACILITIES):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        if connection.vendor == "postgresql":
            for model in tables:
                cursor.execute(f"ANALYZE {q(model._meta.db_table)}")
        else:
            cursor.execute("ANALYZE")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--source", default="56", help="province code of the generated data")
    parser.add_argument("--into", default=None, help="copy into this province's communes")
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    written = clone(args.source, args.copies, args.into)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"total: {sum(written.values()):,} rows in {time.perf_counter() - started:.1f} s "
        f"({time.process_time() - cpu:.1f} s CPU of this process), peak memory {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
