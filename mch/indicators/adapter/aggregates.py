"""Stored aggregates: build, keep current, reconcile.

A cell is Σ numerator and Σ denominator of one indicator version × attribution × unit ×
period cell × group profile (``IndicatorCell``). Cells are computed by the same engine
that answers live queries (``compute.cells``), from the same facts, with an "as of" date
far in the future: ``values.py`` reads stored cells only for months that have ended,
where that gives the same numbers as a live computation as of today (docs/indicators.md,
"Stored aggregates").

- ``aggregates_rebuild`` builds the cells of some (or every) version from all records,
  one year of facts at a time (memory is bounded by a year of facts, not by the register);
  the version's ``AggregateState`` says ``building`` until it is done, then ``ready``.
- ``cells_refresh`` recomputes the cells of a few units (every ready version, every year)
  after records of people living or served there changed.
- ``cells_touch`` is what write paths call: it collects the people and units a
  transaction changed and refreshes their cells once the transaction commits.
- ``aggregates_reconcile`` recomputes everything from the records and lists every stored
  cell that differs.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from mch.indicators.engine import compute
from mch.indicators.engine.compute import Cell
from mch.indicators.engine.definitions import ComputeSpec, Count, parse_compute
from mch.registers.models import CARE_EVENT_MODELS, Person, Residence

from ..models import AggregateState, Attribution, IndicatorCell, IndicatorVersion
from . import facts
from .profiles import ProfileMap

__all__ = [
    "CellDifference",
    "aggregates_rebuild",
    "aggregates_reconcile",
    "cells_refresh",
    "cells_touch",
]

# Stored cells hold every fact, whatever its date; values.py reads them for ended months.
STORED_AS_OF = dt.date(2200, 1, 1)
BATCH = 5000
ATTRIBUTIONS = (("residence", Attribution.RESIDENCE), ("service", Attribution.SERVICE))

Key = tuple[int, int, str, dt.date, int, int]  # version, attribution, kind, start, unit, profile


@dataclass(frozen=True)
class CellDifference:
    indicator: str
    version: int
    attribution: str
    unit_id: int
    period_kind: str
    period_start: dt.date
    profile_id: int
    stored: tuple[float, float] | None
    computed: tuple[float, float] | None


@dataclass
class _Plan:
    """The versions to compute and the counts their facts come from."""

    specs: dict[int, tuple[IndicatorVersion, ComputeSpec]] = field(default_factory=dict)

    @classmethod
    def of(cls, versions: Iterable[IndicatorVersion]) -> _Plan:
        plan = cls()
        for version in versions:
            if version.compute:
                spec, _ = parse_compute(version.compute, version.indicator.code)
                if spec is not None:
                    plan.specs[version.pk] = (version, spec)
        return plan

    def counts(self) -> list[Count]:
        out: list[Count] = []
        for _, spec in self.specs.values():
            out.append(spec.numerator)
            if spec.denominator is not None:
                out.append(spec.denominator)
        return out


def _latest_versions() -> list[IndicatorVersion]:
    latest: dict[int, IndicatorVersion] = {}
    for version in IndicatorVersion.objects.select_related("indicator").order_by(
        "indicator_id", "version"
    ):
        latest[version.indicator_id] = version
    return list(latest.values())


def _years() -> range:
    """The years the registers hold events in (up to this year)."""
    first: int | None = None
    for model in CARE_EVENT_MODELS:
        bounds = model.objects.aggregate(lo=Min("date"), hi=Max("date"))
        if bounds["lo"] is not None:
            first = min(first or bounds["lo"].year, bounds["lo"].year)
    if first is None:
        return range(0)
    return range(first, timezone.localdate().year + 1)


def _compute(
    plan: _Plan, profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> Iterator[tuple[int, int, Cell]]:
    """(version id, attribution, cell) for the facts dated ``start``–``end``."""
    batches = facts.load(plan.counts(), profiles, start, end, units)
    for pk, (_, spec) in plan.specs.items():
        for name, attribution in ATTRIBUTIONS:
            for cell in compute.cells(spec, batches, attribution=name, as_of=STORED_AS_OF):
                if units is None or cell.unit in units:
                    yield pk, attribution, cell


def _key(pk: int, attribution: int, cell: Cell) -> Key:
    return (pk, attribution, cell.kind, cell.start, cell.unit, cell.profile)


def _computed(
    plan: _Plan, start: dt.date, end: dt.date, units: Collection[int] | None, *, persist: bool
) -> dict[Key, tuple[float, float]]:
    out: dict[Key, tuple[float, float]] = {}
    profiles = ProfileMap(persist=persist)
    for pk, attribution, cell in _compute(plan, profiles, start, end, units):
        key = _key(pk, attribution, cell)
        before = out.get(key, (0.0, 0.0))
        out[key] = (before[0] + cell.numerator, before[1] + cell.denominator)
    return out


_COLUMNS = (
    "version_id",
    "attribution",
    "period_kind",
    "period_start",
    "unit_id",
    "profile_id",
    "numerator",
    "denominator",
)


def _write(cells: dict[Key, tuple[float, float]]) -> int:
    """Insert cells with plain SQL (COPY on PostgreSQL): hundreds of thousands of rows,
    no model instances."""
    rows = [(*key, num, den) for key, (num, den) in cells.items() if num or den]
    if not rows:
        return 0
    table = connection.ops.quote_name(IndicatorCell._meta.db_table)
    columns = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_COLUMNS))
            for start in range(0, len(rows), BATCH):
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 (names are ours)
                    [(*r[:3], r[3].isoformat(), *r[4:]) for r in rows[start : start + BATCH]],
                )
    return len(rows)


def _cells_by_year(
    plan: _Plan, years: range, units: Collection[int] | None, *, persist: bool
) -> Iterator[tuple[int, dict[Key, tuple[float, float]]]]:
    """(year, the cells placed in that year) for each year, one year of facts in memory at
    a time. A year's facts are those a live query of the year loads (a death recorded this
    year but dated last year is loaded for both years); each year keeps only the cells
    placed inside it, as the live query does, so every fact counts once."""
    # A long list of units is filtered after loading rather than in the query.
    load_units = units if units is None or len(units) <= 500 else None
    for year in years:
        cells = _computed(
            plan, dt.date(year, 1, 1), dt.date(year, 12, 31), load_units, persist=persist
        )
        yield (
            year,
            {
                key: value
                for key, value in cells.items()
                if key[3].year == year and (units is None or key[4] in units)
            },
        )


def aggregates_rebuild(
    *,
    versions: Iterable[IndicatorVersion] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> int:
    """Rebuild the stored cells of ``versions`` (default: the latest version of every
    indicator) from all records; returns the number of cells written. While it runs, the
    versions read ``building`` and values are computed from the records."""
    plan = _Plan.of(versions if versions is not None else _latest_versions())
    if not plan.specs:
        return 0
    pks = list(plan.specs)
    for pk in pks:
        AggregateState.objects.update_or_create(
            version_id=pk, defaults={"status": AggregateState.Status.BUILDING, "progress": 0}
        )
    years = _years()
    written = 0
    with transaction.atomic():
        IndicatorCell.objects.filter(version_id__in=pks).delete()
        for step, (year, cells) in enumerate(_cells_by_year(plan, years, None, persist=True)):
            written += _write(cells)
            percent = round(100 * (step + 1) / len(years))
            AggregateState.objects.filter(version_id__in=pks).update(progress=percent)
            if progress is not None:
                progress(step + 1, len(years), str(year))
        AggregateState.objects.filter(version_id__in=pks).update(
            status=AggregateState.Status.READY, progress=100, built_at=timezone.now()
        )
        for pk in pks:
            AggregateState.objects.filter(version_id=pk).update(
                cells=IndicatorCell.objects.filter(version_id=pk).count()
            )
    return written


def _ready_plan() -> _Plan:
    ready = IndicatorVersion.objects.filter(
        aggregate_state__status=AggregateState.Status.READY
    ).select_related("indicator")
    return _Plan.of(ready)


def cells_refresh(*, units: Collection[int]) -> int:
    """Recompute the stored cells of ``units`` for every ready version; returns the cells
    written. Facts are those with a residence or service unit among ``units`` (and every
    record of the people concerned), so each unit's cells come out whole."""
    units = set(units)
    plan = _ready_plan()
    if not units or not plan.specs:
        return 0
    with transaction.atomic():
        IndicatorCell.objects.filter(version_id__in=list(plan.specs), unit_id__in=units).delete()
        return sum(
            _write(cells) for _, cells in _cells_by_year(plan, _years(), units, persist=True)
        )


# -- keeping cells current on every write path ------------------------------------------


class _Pending(threading.local):
    def __init__(self) -> None:
        self.persons: set[int] = set()
        self.units: set[int] = set()
        self.scheduled = False


_pending = _Pending()


def units_of_people(person_ids: Collection[int]) -> set[int]:
    """Every unit whose cells a change to these people can move: their own, their
    mothers' and children's events (residence, service, facility) and residences."""
    people = set(person_ids)
    if not people:
        return set()
    related = set(Person.objects.filter(mother_id__in=people).values_list("pk", flat=True))
    related |= {
        pk
        for pk in Person.objects.filter(pk__in=people).values_list("mother_id", flat=True)
        if pk is not None
    }
    people |= related
    units: set[int] = set()
    for model in CARE_EVENT_MODELS:
        rows = model.objects.filter(person_id__in=people).values_list(
            "residence_unit_id", "service_unit_id", "facility__unit_id"
        )
        units |= {unit for row in rows for unit in row if unit is not None}
    units |= set(Residence.objects.filter(person_id__in=people).values_list("unit_id", flat=True))
    units |= {
        unit
        for unit in Person.objects.filter(pk__in=people).values_list("residence_unit_id", flat=True)
        if unit is not None
    }
    return units


def _flush() -> None:
    persons, units = _pending.persons, _pending.units
    _pending.persons, _pending.units, _pending.scheduled = set(), set(), False
    cells_refresh(units=units | units_of_people(persons))


def cells_touch(*, person_ids: Iterable[int | None] = (), units: Iterable[int | None] = ()) -> None:
    """Note people and units whose records a write changed (pass the units a record held
    before the change too); their cells are refreshed once the transaction commits."""
    if not AggregateState.objects.filter(status=AggregateState.Status.READY).exists():
        return
    _pending.persons |= {pk for pk in person_ids if pk is not None}
    _pending.units |= {pk for pk in units if pk is not None}
    if not _pending.scheduled:
        _pending.scheduled = True
        transaction.on_commit(_flush)


def cells_touch_batch(batch_id: int) -> None:
    """After an import: the units of every event the batch wrote and of its people."""
    units: set[int] = set()
    for model in CARE_EVENT_MODELS:
        rows = model.objects.filter(import_batch_id=batch_id).values_list(
            "residence_unit_id", "service_unit_id", "facility__unit_id"
        )
        units |= {unit for row in rows.distinct() for unit in row if unit is not None}
    people = Person.objects.filter(import_batch_id=batch_id).values_list("pk", flat=True)
    cells_touch(person_ids=list(people), units=units)


def units_in_changes(changes: dict[str, Any]) -> set[int]:
    """Units a record held before and after a change, from an audit diff."""
    out: set[int] = set()
    for name, value in changes.items():
        if not name.endswith(("unit", "unit_id")):
            continue
        values = value if isinstance(value, list) else [value]
        out |= {v for v in values if isinstance(v, int)}
    return out


# -- reconcile ---------------------------------------------------------------------------


def _stored_year(pks: list[int], years: tuple[int, int]) -> dict[Key, tuple[float, float]]:
    rows = IndicatorCell.objects.filter(
        version_id__in=pks,
        period_start__gte=dt.date(years[0], 1, 1),
        period_start__lte=dt.date(years[1], 12, 31),
    ).values_list(
        "version_id",
        "attribution",
        "period_kind",
        "period_start",
        "unit_id",
        "profile_id",
        "numerator",
        "denominator",
    )
    return {row[:6]: (row[6], row[7]) for row in rows}  # type: ignore[misc]


def _same(a: tuple[float, float] | None, b: tuple[float, float] | None, tolerance: float) -> bool:
    a = a if a is not None and any(a) else None
    b = b if b is not None and any(b) else None
    if a is None or b is None:
        return a is b
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


def aggregates_reconcile(*, tolerance: float = 1e-9) -> list[CellDifference]:
    """Recompute every ready version's cells from the records, one year at a time (memory
    bounded by a year), and list each stored cell that differs, is missing or is extra."""
    plan = _ready_plan()
    if not plan.specs:
        return []
    pks = list(plan.specs)
    names = {pk: (v.indicator.code, v.version) for pk, (v, _) in plan.specs.items()}
    labels: dict[int, str] = {int(value): name for name, value in ATTRIBUTIONS}
    out: list[CellDifference] = []

    def compare(stored: dict[Key, Any], computed: dict[Key, Any]) -> None:
        for key in sorted(set(stored) | set(computed), key=str):
            mine, theirs = stored.get(key), computed.get(key)
            if _same(mine, theirs, tolerance):
                continue
            pk, attribution, kind, start, unit, profile = key
            out.append(
                CellDifference(
                    indicator=names[pk][0],
                    version=names[pk][1],
                    attribution=labels[attribution],
                    unit_id=unit,
                    period_kind=kind,
                    period_start=start,
                    profile_id=profile,
                    stored=mine,
                    computed=theirs,
                )
            )

    years = _years()
    for year, cells in _cells_by_year(plan, years, None, persist=False):
        compare(_stored_year(pks, (year, year)), cells)
    # Stored cells outside the years of the events are wrong whatever they hold.
    if years:
        compare(_stored_year(pks, (1, years[0] - 1)), {})
        compare(_stored_year(pks, (years[-1] + 1, 9999)), {})
    else:
        compare(_stored_year(pks, (1, 9999)), {})
    return out


def versions_unbuilt() -> list[IndicatorVersion]:
    """Latest versions whose cells are not ready while others are stored (a new definition
    version, a new indicator): what a rebuild after loading the catalogue must build."""
    if not AggregateState.objects.exists():
        return []
    ready = set(
        AggregateState.objects.filter(status=AggregateState.Status.READY).values_list(
            "version_id", flat=True
        )
    )
    return [v for v in _latest_versions() if v.compute and v.pk not in ready]
