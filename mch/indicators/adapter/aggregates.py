"""Stored aggregates: build, keep current, reconcile.

A cell is Σ numerator and Σ denominator of one indicator version × attribution × unit ×
month × group profile (``IndicatorCell``). Additive indicators store month cells computed
by the same engine that answers live queries (``compute.cells``), from the same facts,
with an "as of" date far in the future: ``values.py`` reads stored cells only for months
that have ended, where that gives the same numbers as a live computation as of today
(docs/indicators.md, "Stored aggregates"). "Latest per person" indicators store, for each
person's valid fact, its month and the month of the person's next valid fact in the same
year (``until``): any month-aligned period of one year is then a sum of cells, with one
cell per fact instead of one per fact and period (``_latest_cells``).

- ``aggregates_rebuild`` builds the cells of some (or every) version from all records,
  one year of facts at a time, each year in its own transaction (memory is a year of
  facts, writes never wait behind the whole rebuild); the version's ``AggregateState`` says
  ``building`` until it is done, then ``ready``; units written meanwhile (``CellsPending``)
  are recomputed at the end, so no write is lost.
- ``cells_refresh`` recomputes the cells of a few units (every ready version, every year)
  after records of people living or served there changed.
- ``record_touch`` is what ``audit_log`` calls for a change to a person's record: a care
  event or a person's own columns note the (unit, year, kind of fact) they can move
  (``pairs_of_records``, ``pairs_of_people``), refreshed on commit by ``_build_pairs``;
  anything else goes to ``cells_touch``, which collects the people and units a
  transaction changed and refreshes their whole units once it commits.
- ``aggregates_reconcile`` recomputes everything from the records and lists every stored
  cell that differs.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from mch.indicators.engine import compute
from mch.indicators.engine.compute import FactBatch
from mch.indicators.engine.conditions import mask
from mch.indicators.engine.definitions import ComputeSpec, Count, batch_key, parse_compute
from mch.orgunits.models import OrgUnit
from mch.registers.models import CARE_EVENT_MODELS, Person, Residence

from ..models import AggregateState, Attribution, CellsPending, IndicatorCell, IndicatorVersion
from . import facts
from .profiles import ProfileMap

__all__ = [
    "CellDifference",
    "aggregates_rebuild",
    "aggregates_reconcile",
    "cells_refresh",
    "cells_touch",
    "record_touch",
]

# Stored cells hold every fact, whatever its date; values.py reads them for ended months.
STORED_AS_OF = dt.date(2200, 1, 1)
BATCH = 5000
ATTRIBUTIONS = (("residence", Attribution.RESIDENCE), ("service", Attribution.SERVICE))
SHARED = 0  # attribution of a cell that is the same for residence and for service
LATEST = "latest"  # period_kind of "latest per person" cells
NO_NEXT = 13  # ``until`` of a latest cell whose person has no later valid fact that year

# version, attribution, kind, start, unit, profile, until, province
Key = tuple[int, int, str, dt.date, int, int, int, int]


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
    until: int = 0


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


def _provinces(units: Collection[int] | None = None) -> dict[int, int]:
    """Unit id -> id of the province above it (0 for units above provinces)."""
    provinces = set(OrgUnit.objects.filter(level="province").values_list("pk", flat=True))
    out: dict[int, int] = {}
    rows = OrgUnit.objects.all() if units is None else OrgUnit.objects.filter(pk__in=units)
    for pk, path in rows.values_list("pk", "path"):
        ids = [int(part) for part in path.strip("/").split("/") if part]
        out[pk] = next((i for i in ids if i in provinces), 0)
    return out


# One stored cell: (unit, kind, month start, profile, until, numerator, denominator).
Row = tuple[int, str, dt.date, int, int, float, float]
EPOCH = dt.date(1970, 1, 1)


@dataclass
class _Cells:
    """Cells of one version and attribution as columns: unit, month start (days since
    1970-01-01), profile, ``until`` (int64) and Σ numerator, Σ denominator (float64); one
    row per key. Columns, not tuples: a year at 250,000 births is ~1 M cells."""

    kind: str
    unit: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]
    profile: npt.NDArray[np.int64]
    until: npt.NDArray[np.int64]
    num: npt.NDArray[np.float64]
    den: npt.NDArray[np.float64]

    @classmethod
    def empty(cls, kind: str) -> _Cells:
        no = np.empty(0, dtype=np.int64)
        return cls(kind, no, no, no, no, np.empty(0), np.empty(0))

    def __len__(self) -> int:
        return len(self.unit)

    def take(self, pick: npt.NDArray[Any]) -> _Cells:
        return _Cells(
            self.kind,
            self.unit[pick],
            self.start[pick],
            self.profile[pick],
            self.until[pick],
            self.num[pick],
            self.den[pick],
        )

    def key(self) -> npt.NDArray[np.int64]:
        return _pack(self.unit, self.start, self.profile, self.until)

    def rows(self) -> list[Row]:
        days = self.start.tolist()
        return [
            (u, self.kind, EPOCH + dt.timedelta(days=s), p, f, a, b)
            for u, s, p, f, a, b in zip(
                self.unit.tolist(),
                days,
                self.profile.tolist(),
                self.until.tolist(),
                self.num.tolist(),
                self.den.tolist(),
                strict=True,
            )
        ]


# A cell key packed into one int64 (sorting one column is ~10 times faster than NumPy's
# unique over rows): unit id < 2**24, days since 1970 + 2**17 < 2**18, profile id + 2**19
# < 2**20 (ProfileMap's temporary ids are negative), until < 2**4; 62 bits.
_UNIT, _DAY, _PROFILE, _UNTIL = 24, 18, 20, 4


def _pack(
    unit: npt.NDArray[np.int64],
    start: npt.NDArray[np.int64],
    profile: npt.NDArray[np.int64],
    until: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    unit, start, profile, until = (
        np.asarray(c, dtype=np.int64) for c in (unit, start, profile, until)
    )
    if len(unit) and (
        unit.min() < 0
        or unit.max() >= 1 << _UNIT
        or abs(int(start.min())) >= 1 << (_DAY - 1)
        or abs(int(start.max())) >= 1 << (_DAY - 1)
        or abs(int(profile.min())) >= 1 << (_PROFILE - 1)
        or abs(int(profile.max())) >= 1 << (_PROFILE - 1)
    ):
        raise ValueError("cell key out of the packed range")
    key = unit
    key = (key << _DAY) | (start + (1 << (_DAY - 1)))
    key = (key << _PROFILE) | (profile + (1 << (_PROFILE - 1)))
    return (key << _UNTIL) | until


def _unpack(key: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
    until = key & ((1 << _UNTIL) - 1)
    key = key >> _UNTIL
    profile = (key & ((1 << _PROFILE) - 1)) - (1 << (_PROFILE - 1))
    key = key >> _PROFILE
    start = (key & ((1 << _DAY) - 1)) - (1 << (_DAY - 1))
    return key >> _DAY, start, profile, until


def _summed(
    kind: str,
    key: npt.NDArray[np.int64],
    num: npt.NDArray[np.float64],
    den: npt.NDArray[np.float64],
) -> _Cells:
    """Σ numerator, Σ denominator per packed key (as ``compute._sum``, one column)."""
    if not len(key):
        return _Cells.empty(kind)
    unique, inverse = np.unique(key, return_inverse=True)
    inverse = inverse.reshape(-1)
    n = np.bincount(inverse, weights=num, minlength=len(unique)).astype(np.float64)
    d = np.bincount(inverse, weights=den, minlength=len(unique)).astype(np.float64)
    unit, start, profile, until = _unpack(unique)
    return _Cells(kind, unit, start, profile, until, n, d)


def _month_days(dates: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    return dates.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _latest_cells(spec: ComputeSpec, batches: dict[str, FactBatch], attribution: str) -> _Cells:
    """Cells of a "latest per person" indicator: one per valid fact that is its person's
    latest of its month, with ``until`` the month of the person's next valid fact in the
    same year (``NO_NEXT`` if none). For a month-aligned period of that year ending in
    month M, the person's latest fact in the period is the one in the period whose
    ``until`` is after M, as ``compute.cells`` chooses it (ties: the later row)."""
    assert spec.within_denominator and spec.denominator is not None
    count = spec.denominator
    batch = batches.get(batch_key(count)) or FactBatch.empty(count.fact)
    if not len(batch):
        return _Cells.empty(LATEST)
    ok = compute._eligible(count, batch, STORED_AS_OF)
    dates = compute._dates(count, batch)
    units = compute._units(batch, attribution)
    subject = batch.columns["subject"]
    hit = mask(spec.numerator.where, batch.columns, len(batch))
    index = np.nonzero(ok)[0]
    if not len(index):
        return _Cells.empty(LATEST)
    order = np.lexsort((index, dates[index].astype(np.int64), subject[index]))
    ranked = index[order]
    months = dates[ranked].astype("datetime64[M]").astype(np.int64)  # months since 1970
    month_no = months % 12 + 1
    following = np.full(len(ranked), NO_NEXT, dtype=np.int64)
    same = (subject[ranked][1:] == subject[ranked][:-1]) & (months[1:] // 12 == months[:-1] // 12)
    following[:-1] = np.where(same, month_no[1:], NO_NEXT)
    keep = following > month_no
    chosen, months, following = ranked[keep], months[keep], following[keep]
    profile = batch.columns["profile"]
    starts = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return _summed(
        LATEST,
        _pack(units[chosen], starts, profile[chosen], following),
        hit[chosen].astype(np.float64),
        np.ones(len(chosen)),
    )


def _month_cells(spec: ComputeSpec, batches: dict[str, FactBatch], attribution: str) -> _Cells:
    """Month cells of an additive indicator: ``compute.cells`` without periods, as
    columns (the numerator and denominator sides of a ratio summed per key, as
    ``compute.merge`` adds them)."""
    sides = compute.count_sides(spec)
    keys: list[list[npt.NDArray[np.int64]]] = [[], [], []]
    nums: list[npt.NDArray[np.float64]] = []
    dens: list[npt.NDArray[np.float64]] = []
    for count, is_denominator in sides:
        batch = batches.get(batch_key(count)) or FactBatch.empty(count.fact)
        if not len(batch):
            continue
        ok = compute._eligible(count, batch, STORED_AS_OF)
        dates = compute._dates(count, batch)
        units = compute._units(batch, attribution)
        ones = np.ones(int(ok.sum()))
        if spec.within_denominator:
            hit = mask(spec.numerator.where, batch.columns, len(batch))
            num, den = hit[ok].astype(np.float64), ones
        elif is_denominator:
            num, den = np.zeros(len(ones)), ones
        else:
            num, den = ones, np.zeros(len(ones))
        keys[0].append(units[ok])
        keys[1].append(_month_days(dates[ok]))
        keys[2].append(batch.columns["profile"][ok])
        nums.append(num)
        dens.append(den)
    if not nums or not sum(len(n) for n in nums):
        return _Cells.empty("month")
    unit, start, profile = (np.concatenate(k) for k in keys)
    return _summed(
        "month",
        _pack(unit, start, profile, np.zeros(len(unit), np.int64)),
        np.concatenate(nums),
        np.concatenate(dens),
    )


def _version_cells(spec: ComputeSpec, batches: dict[str, FactBatch], attribution: str) -> _Cells:
    if spec.latest:
        return _latest_cells(spec, batches, attribution)
    return _month_cells(spec, batches, attribution)


def _year_cells(
    plan: _Plan, year: int, units: Collection[int] | None, profiles: ProfileMap
) -> Iterator[tuple[int, int, _Cells]]:
    """(version id, attribution, cells placed in ``year``) from one year of facts. A
    year's facts are those a live query of the year loads (a death recorded this year but
    dated last year is loaded for both years); each year keeps only the cells placed
    inside it, as the live query does, so every fact counts once."""
    # A long list of units is filtered after loading rather than in the query.
    load_units = units if units is None or len(units) <= 500 else None
    batches = facts.load(
        plan.counts(), profiles, dt.date(year, 1, 1), dt.date(year, 12, 31), load_units
    )
    first = (dt.date(year, 1, 1) - EPOCH).days
    last = (dt.date(year, 12, 31) - EPOCH).days
    wanted = None if units is None else np.array(sorted(units), dtype=np.int64)
    for pk, (_, spec) in plan.specs.items():
        sides: list[_Cells] = []
        for name, _attribution in ATTRIBUTIONS:
            cells = _version_cells(spec, batches, name)
            inside = (cells.start >= first) & (cells.start <= last)
            if wanted is not None:
                inside &= np.isin(cells.unit, wanted)
            sides.append(cells.take(inside))
        residence, service = sides
        # A cell equal under both attributions (the person lives where she was served) is
        # stored once: the rows (key and sums) found on both sides.
        _, here, there = np.intersect1d(
            residence.key(), service.key(), assume_unique=True, return_indices=True
        )
        equal = (residence.num[here] == service.num[there]) & (
            residence.den[here] == service.den[there]
        )
        in_residence = np.zeros(len(residence), dtype=bool)
        in_residence[here[equal]] = True
        in_service = np.zeros(len(service), dtype=bool)
        in_service[there[equal]] = True
        yield pk, SHARED, residence.take(in_residence)
        yield pk, int(Attribution.RESIDENCE), residence.take(~in_residence)
        yield pk, int(Attribution.SERVICE), service.take(~in_service)


_COLUMNS = (
    "version_id",
    "attribution",
    "period_kind",
    "period_start",
    "unit_id",
    "profile_id",
    "until",
    "province_id",
    "numerator",
    "denominator",
)


def _write(pk: int, attribution: int, cells: _Cells, provinces: dict[int, int]) -> int:
    """Insert cells with plain SQL (COPY on PostgreSQL): hundreds of thousands of rows,
    no model instances, in the order of the primary key (the index grows at its end)."""
    cells = cells.take((cells.num != 0) | (cells.den != 0))
    if not len(cells):
        return 0
    cells = cells.take(np.lexsort((cells.until, cells.profile, cells.unit, cells.start)))
    found, where = np.unique(cells.unit, return_inverse=True)
    province = np.array([provinces.get(int(u), 0) for u in found], dtype=np.int64)
    columns = [
        repeat(pk),
        repeat(attribution),
        repeat(cells.kind),
        np.datetime_as_string(cells.start.astype("datetime64[D]")).tolist(),
        cells.unit.tolist(),
        cells.profile.tolist(),
        cells.until.tolist(),
        province[where.reshape(-1)].tolist(),
        cells.num.tolist(),
        cells.den.tolist(),
    ]
    rows = list(zip(*columns, strict=False))  # repeat() columns are endless
    table = connection.ops.quote_name(IndicatorCell._meta.db_table)
    names = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_COLUMNS))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names are ours)
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])
    return len(rows)


def _write_all(computed: list[tuple[int, int, _Cells]], provinces: dict[int, int]) -> int:
    """``_write`` of several versions' cells at once (one COPY on PostgreSQL)."""
    kept = [(pk, a, c.take((c.num != 0) | (c.den != 0))) for pk, a, c in computed]
    kept = [(pk, a, c) for pk, a, c in kept if len(c)]
    if connection.vendor != "postgresql" or len(kept) < 2:
        return sum(_write(pk, a, c, provinces) for pk, a, c in kept)
    rows: list[tuple[Any, ...]] = []
    for pk, attribution, cells in kept:
        cells = cells.take(np.lexsort((cells.until, cells.profile, cells.unit, cells.start)))
        province = [provinces.get(u, 0) for u in cells.unit.tolist()]
        rows += zip(
            repeat(pk),
            repeat(attribution),
            repeat(cells.kind),
            np.datetime_as_string(cells.start.astype("datetime64[D]")).tolist(),
            cells.unit.tolist(),
            cells.profile.tolist(),
            cells.until.tolist(),
            province,
            cells.num.tolist(),
            cells.den.tolist(),
        )
    table = connection.ops.quote_name(IndicatorCell._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    return len(rows)


def _in_year(year: int) -> dict[str, dt.date]:
    return {"period_start__gte": dt.date(year, 1, 1), "period_start__lte": dt.date(year, 12, 31)}


def _clear(pks: list[int]) -> None:
    """Remove every cell of these versions (the whole table, at once, when they are all
    it holds: no index maintenance row by row)."""
    table = connection.ops.quote_name(IndicatorCell._meta.db_table)
    # PostgreSQL refuses TRUNCATE inside a transaction with deferred checks pending (a
    # caller's own transaction): DELETE there.
    outer = connection.in_atomic_block
    with transaction.atomic():
        if IndicatorCell.objects.exclude(version_id__in=pks).exists():
            IndicatorCell.objects.filter(version_id__in=pks).delete()
        else:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql" and not outer:
                    cursor.execute(f"TRUNCATE {table}")
                else:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (SQLite truncates)


def _build(
    plan: _Plan,
    units: Collection[int] | None,
    progress: Callable[[int, int, str], None] | None = None,
    only: Collection[int] | None = None,
) -> int:
    """Replace the cells of ``plan``'s versions (of ``units``, or all) year by year (the
    years in ``only``, or all), each year in one transaction: computed first, then
    deleted and written at once."""
    pks = list(plan.specs)
    provinces = _provinces(units)
    profiles = ProfileMap(persist=True)
    every = _years()
    years = every if only is None else sorted(y for y in set(only) if y in every)
    written = 0
    selection: dict[str, Any] = {"version_id__in": pks}
    if units is not None:
        selection["unit_id__in"] = units
    emptied = units is None and only is None
    if emptied:
        # A full rebuild: the versions read ``building`` (values come from the records)
        # until it is done, so their cells go at once and each year is only inserted.
        _clear(pks)
    elif only is None:
        # Cells outside the years of the events are left from records since removed.
        outside = IndicatorCell.objects.filter(**selection)
        if every:
            outside = outside.exclude(
                period_start__gte=dt.date(every[0], 1, 1),
                period_start__lte=dt.date(every[-1], 12, 31),
            )
        outside.delete()
    for step, year in enumerate(years):
        computed = list(_year_cells(plan, year, units, profiles))
        with transaction.atomic():
            if not emptied:
                IndicatorCell.objects.filter(**selection, **_in_year(year)).delete()
            for pk, attribution, rows in computed:
                written += _write(pk, attribution, rows, provinces)
        del computed
        if progress is not None:
            progress(step + 1, len(years), str(year))
    if emptied:
        # The table was emptied and refilled: fresh statistics, or the planner reads it
        # as the empty table it was (PostgreSQL's autovacuum comes later).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(IndicatorCell._meta.db_table)}")
    return written


def aggregates_rebuild(
    *,
    versions: Iterable[IndicatorVersion] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> int:
    """Rebuild the stored cells of ``versions`` (default: the latest version of every
    indicator) from all records; returns the number of cells written. While it runs, the
    versions read ``building`` and values are computed from the records; units changed by
    writes meanwhile are recomputed before and after the versions turn ``ready``."""
    plan = _Plan.of(versions if versions is not None else _latest_versions())
    if not plan.specs:
        return 0
    pks = list(plan.specs)
    for pk in pks:
        AggregateState.objects.update_or_create(
            version_id=pk, defaults={"status": AggregateState.Status.BUILDING, "progress": 0}
        )

    def step(done: int, total: int, label: str) -> None:
        percent = min(99, round(100 * done / total))
        AggregateState.objects.filter(version_id__in=pks).update(progress=percent)
        if progress is not None:
            progress(done, total, label)

    written = _build(plan, None, step)
    _drain(plan)
    if progress is not None:
        progress(1, 1, "các thay đổi ghi trong lúc tính")
    for pk in pks:
        AggregateState.objects.filter(version_id=pk).update(
            status=AggregateState.Status.READY,
            progress=100,
            built_at=timezone.now(),
            cells=IndicatorCell.objects.filter(version_id=pk).count(),
        )
    # A write whose refresh saw these versions building left its units pending before it
    # read their state: they are recomputed here, after the versions read ready.
    _drain(plan)
    return written


def _drain(plan: _Plan) -> None:
    """Recompute the units pending from writes made during a rebuild of ``plan``."""
    while True:
        top = CellsPending.objects.aggregate(top=Max("pk"))["top"]
        if top is None:
            return
        units = set(CellsPending.objects.filter(pk__lte=top).values_list("unit_id", flat=True))
        _build(plan, units)
        CellsPending.objects.filter(pk__lte=top).delete()
        building = AggregateState.objects.filter(status=AggregateState.Status.BUILDING)
        if not building.exclude(version_id__in=list(plan.specs)).exists():
            continue
        return  # another rebuild is running: it drains what is left


def _ready_plan() -> _Plan:
    ready = IndicatorVersion.objects.filter(
        aggregate_state__status=AggregateState.Status.READY
    ).select_related("indicator")
    return _Plan.of(ready)


def cells_refresh(
    *, units: Collection[int], plan: _Plan | None = None, years: Collection[int] | None = None
) -> int:
    """Recompute the stored cells of ``units`` for every ready version (in ``years``, or
    every year); returns the cells written. Facts are those with a residence or service
    unit among ``units`` (and every record of the people concerned), so each unit's cells
    come out whole."""
    units = set(units)
    plan = plan if plan is not None else _ready_plan()
    if not units or not plan.specs:
        return 0
    return _build(plan, units, only=years)


ALL_KINDS = "*"  # every kind of fact


def _facts_of(spec: ComputeSpec) -> set[str]:
    return {c.fact for c in (spec.numerator, spec.denominator) if c is not None}


def _build_pairs(plan: _Plan, pairs: dict[int, tuple[set[int], set[str]]]) -> int:
    """Replace, for each year of ``pairs`` (year -> unit ids, kinds of fact), the cells of
    the versions of ``plan`` counting those kinds of fact (``ALL_KINDS``: every version)
    for those units, each year in one transaction, from the facts with a residence or
    service unit among them (and every record of their people), so each (unit, year)
    comes out whole for each version. A year outside the years of the events only loses
    its cells, as a full rebuild leaves none there."""
    pairs = {year: (set(u), set(k)) for year, (u, k) in pairs.items() if u and k}
    if not plan.specs or not pairs:
        return 0
    provinces = _provinces(set().union(*(units for units, _ in pairs.values())))
    profiles = ProfileMap(persist=True, lazy=True)
    every = set(_years())
    written = 0
    for year in sorted(pairs):
        units, kinds = pairs[year]
        some = _Plan(
            {
                pk: item
                for pk, item in plan.specs.items()
                if ALL_KINDS in kinds or _facts_of(item[1]) & kinds
            }
        )
        if not some.specs:
            continue
        computed = list(_year_cells(some, year, units, profiles)) if year in every else []
        with transaction.atomic():
            IndicatorCell.objects.filter(
                version_id__in=list(some.specs), unit_id__in=units, **_in_year(year)
            ).delete()
            written += _write_all(computed, provinces)
        del computed
    return written


# -- keeping cells current on every write path ------------------------------------------


class _Pending(threading.local):
    def __init__(self) -> None:
        self.persons: set[int] = set()
        self.units: set[int] = set()
        self.years: set[int] | None = set()  # None: every year
        # Narrowed writes (``record_touch``): care events by model, people whose own
        # columns changed, and the (unit, year) pairs of the values records held before.
        self.records: dict[Any, set[int]] = {}
        self.people: set[int] = set()
        self.before: dict[tuple[Any, int], tuple[set[int], set[int]]] = {}
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


def years_of_people(person_ids: Collection[int]) -> set[int]:
    """The years of every event of these people, their mothers and children (and the
    years their deaths were recorded in): the years whose cells a change to them moves."""
    people = set(person_ids)
    if not people:
        return set()
    people |= set(Person.objects.filter(mother_id__in=people).values_list("pk", flat=True))
    people |= {
        pk
        for pk in Person.objects.filter(pk__in=people).values_list("mother_id", flat=True)
        if pk is not None
    }
    years: set[int] = set()
    for model in CARE_EVENT_MODELS:
        found = model.objects.filter(person_id__in=people).dates("date", "year")
        years |= {day.year for day in found}
        if model.__name__ == "Death":
            recorded = model.objects.filter(person_id__in=people).dates("created_at", "year")
            years |= {day.year for day in recorded}
    return years


Pair = tuple[int, int, str]  # (unit id, year, kind of fact or ALL_KINDS)

# The kinds of fact a change to a row of each care event model can move, at that row's
# (unit, year): the facts made from it and those that read it (``facts.py``). A model
# not listed moves every kind.
KINDS: dict[str, set[str]] = {
    "Pregnancy": {"delivery"},
    "AntenatalVisit": {"delivery"},
    "Delivery": {"delivery", "live_birth"},
    "Birth": {"live_birth", "death"},
    "PostnatalContact": {"delivery"},
    "CheckUp": set(),
    "GrowthMeasurement": {"measurement"},
    "Immunisation": {"immunisation_complete"},
    "Illness": {"illness"},
    "Death": {"death"},
}


def _kinds(model: Any) -> set[str]:
    return KINDS.get(model.__name__, {ALL_KINDS})


def _event_pairs(rows: Any, *, recorded: bool = False, kinds: Collection[str]) -> set[Pair]:
    """(unit, year, kind) of each event in ``rows`` (a queryset of one care event model)
    for each unit it names (residence, service, facility's unit) and each of ``kinds``;
    ``recorded``: the year it was recorded in too (a death counted by the date it was
    recorded)."""
    out: set[Pair] = set()
    names = ["residence_unit_id", "service_unit_id", "facility__unit_id", "date"]
    if recorded:
        names.append("created_at")
    for row in rows.values_list(*names):
        years = {row[3].year}
        if recorded and row[4] is not None:
            # the UTC day, as the facts read it, and the local one
            years |= {row[4].astimezone(dt.UTC).year, timezone.localtime(row[4]).year}
        out |= {
            (unit, year, kind)
            for unit in row[:3]
            if unit is not None
            for year in years
            for kind in kinds
        }
    return out


def _dependants(model: Any, pks: set[int]) -> list[tuple[Any, Any]]:
    """(model, queryset) of the events whose facts read columns of these records of
    ``model`` (the joins of ``facts.py``), besides the records themselves: a delivery's
    births (place, number of babies); a birth's child's deaths and the deaths of its
    mother's children (live-born or a stillborn registered as a person); a pregnancy's
    or antenatal visit's delivery (antenatal care summary); a postnatal contact's
    delivery; every dose of a child (the dose that completes a set can move) and every
    measurement of a person (the latest one per month)."""
    from mch.registers.models import (
        AntenatalVisit,
        Birth,
        Death,
        Delivery,
        GrowthMeasurement,
        Immunisation,
        PostnatalContact,
        Pregnancy,
    )

    own = model.objects.filter(pk__in=pks)
    out: list[tuple[Any, Any]] = [(model, own)]
    if model is Delivery:
        out.append((Birth, Birth.objects.filter(delivery_id__in=pks)))
    elif model is Birth:
        children = own.exclude(person_id=None).values("person_id")
        mothers = own.values("mother_id")
        out.append((Death, Death.objects.filter(person_id__in=children)))
        out.append((Death, Death.objects.filter(person__mother_id__in=mothers)))
    elif model is Pregnancy:
        out.append((Delivery, Delivery.objects.filter(pregnancy_id__in=pks)))
    elif model is AntenatalVisit:
        pregnancies = own.values("pregnancy_id")
        out.append((Delivery, Delivery.objects.filter(pregnancy_id__in=pregnancies)))
    elif model is PostnatalContact:
        out.append((Delivery, Delivery.objects.filter(pk__in=own.values("delivery_id"))))
    elif model in (Immunisation, GrowthMeasurement):
        out.append((model, model.objects.filter(person_id__in=own.values("person_id"))))
    return out


def pairs_of_records(
    records: dict[Any, set[int]], before: dict[tuple[Any, int], tuple[set[int], set[int]]]
) -> set[Pair]:
    """The (unit, year) pairs whose cells a change to these care events can move: each
    record's own pairs and those of the events whose facts read it (``_dependants``),
    and, for the values a record held before the change (``before``: the units and years
    its audit diff names), every unit it named or names crossed with every year it named
    or names."""
    from mch.registers.models import Death

    out: set[Pair] = set()
    for model, pks in records.items():
        for kind, rows in _dependants(model, pks):
            out |= _event_pairs(rows, recorded=kind is Death, kinds=_kinds(kind))
    for (model, pk), (units, years) in before.items():
        # A person's own columns place no fact: her units and years only as they are.
        kinds = {ALL_KINDS} if model is Person else _kinds(model)
        now = (
            set()
            if model is Person
            else _event_pairs(model.objects.filter(pk=pk), recorded=model is Death, kinds=kinds)
        )
        units = units | {unit for unit, _, _ in now}
        years = years | {year for _, year, _ in now}
        out |= {(unit, year, kind) for unit in units for year in years for kind in kinds}
    return out


def pairs_of_people(person_ids: Collection[int]) -> set[Pair]:
    """The (unit, year) pairs whose cells a change to these people's own columns (birth
    date, sex, poverty, education, mother) can move: every event of theirs and of their
    children (facts read the mother's columns), and every birth they gave."""
    from mch.registers.models import Birth, Death

    people = set(person_ids)
    if not people:
        return set()
    people |= set(Person.objects.filter(mother_id__in=people).values_list("pk", flat=True))
    out: set[Pair] = set()
    every = {ALL_KINDS}
    for model in CARE_EVENT_MODELS:
        rows = model.objects.filter(person_id__in=people)
        out |= _event_pairs(rows, recorded=model is Death, kinds=every)
    out |= _event_pairs(Birth.objects.filter(mother_id__in=people), kinds=every)
    return out


def years_in_changes(changes: dict[str, Any]) -> set[int]:
    """Years of the dates a change held before and after (a corrected delivery date)."""
    out: set[int] = set()
    for value in changes.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and len(item) >= 10 and item[4] == "-" and item[7] == "-":
                try:
                    out.add(dt.date.fromisoformat(item[:10]).year)
                except ValueError:
                    continue
    return out


def _flush() -> None:
    persons, units, years = _pending.persons, _pending.units, _pending.years
    records, people, before = _pending.records, _pending.people, _pending.before
    _pending.persons, _pending.units, _pending.years = set(), set(), set()
    _pending.records, _pending.people, _pending.before = {}, set(), {}
    _pending.scheduled = False
    pairs = pairs_of_records(records, before) | pairs_of_people(people)
    if years is None:
        # Every year (an import): whole units, the narrowed ones among them.
        units = units | units_of_people(persons) | {unit for unit, _, _ in pairs}
        cells_changed(units=units, years=None)
        return
    if persons or units:
        years = years | years_of_people(persons) | {timezone.localdate().year}
        units = units | units_of_people(persons)
        pairs |= {(unit, year, ALL_KINDS) for unit in units for year in years}
    by_year: dict[int, tuple[set[int], set[str]]] = {}
    for unit, year, kind in pairs:
        found = by_year.setdefault(year, (set(), set()))
        found[0].add(unit)
        found[1].add(kind)
    cells_changed(units={unit for unit, _, _ in pairs}, pairs=by_year)


def cells_changed(
    *,
    units: Collection[int],
    years: Collection[int] | None = None,
    pairs: dict[int, tuple[set[int], set[str]]] | None = None,
) -> None:
    """After a commit that changed records of ``units``: recompute their cells for every
    ready version (in ``years``; or, with ``pairs``, year -> (units, kinds of fact), only
    those: ``_build_pairs``). A rebuild running meanwhile may have read those records before the
    commit, so the units are first noted as pending, then the states read: a version
    still building then recomputes them when it is done (``_drain``), after it turns
    ready; the note is dropped only when no version was building."""
    if not units or not AggregateState.objects.exists():
        return
    notes = CellsPending.objects.bulk_create([CellsPending(unit_id=u) for u in units])
    states = dict(AggregateState.objects.values_list("version_id", "status"))
    ready = [pk for pk, status in states.items() if status == AggregateState.Status.READY]
    plan = _Plan.of(IndicatorVersion.objects.filter(pk__in=ready).select_related("indicator"))
    if pairs is not None:
        _build_pairs(plan, pairs)  # only the (unit, year) pairs the writes can move
    else:
        cells_refresh(units=units, plan=plan, years=years)
    if len(ready) == len(states):
        ids = [note.pk for note in notes if note.pk is not None]
        if len(ids) == len(notes):
            CellsPending.objects.filter(pk__in=ids).delete()
        else:
            CellsPending.objects.filter(unit_id__in=units).delete()


def cells_touch(
    *,
    person_ids: Iterable[int | None] = (),
    units: Iterable[int | None] = (),
    years: Iterable[int] | None = (),
) -> None:
    """Note people and units whose records a write changed (pass the units and the years
    of the dates a record held before the change too); their cells are refreshed once the
    transaction commits, for the years of the people's events, ``years`` and this year
    (``years=None``: every year)."""
    if not AggregateState.objects.exists():
        return  # nothing stored yet
    _pending.persons |= {pk for pk in person_ids if pk is not None}
    _pending.units |= {pk for pk in units if pk is not None}
    if years is None or _pending.years is None:
        _pending.years = None
    else:
        _pending.years |= set(years)
    _schedule()


def _schedule() -> None:
    # Once per transaction: scheduled and not yet run (a rolled-back transaction drops
    # its callbacks, and with them this one, while the flag stays).
    if not (_pending.scheduled and any(e[1] is _flush for e in connection.run_on_commit)):
        _pending.scheduled = True
        transaction.on_commit(_flush)


def record_touch(
    *, instance: Any, action: str, person_id: int | None, changes: dict[str, Any]
) -> None:
    """What ``audit_log`` calls for a change to a person's record. A care event created or
    changed, or a person's own columns, move only the cells of known (unit, year) pairs
    (``pairs_of_records``, ``pairs_of_people``, and the units and years the record held
    before, from the audit diff); anything else (a merge, another kind of record) refreshes
    the units of the person, her mother and children for the years of their events."""
    if not AggregateState.objects.exists():
        return  # nothing stored yet
    model = type(instance) if instance is not None else None
    narrow = action in ("create", "update") and getattr(instance, "pk", None) is not None
    if narrow and model in CARE_EVENT_MODELS:
        _pending.records.setdefault(model, set()).add(int(instance.pk))
    elif narrow and model is Person:
        # A new person has no record yet: those that name her later are audited
        # themselves, and move what they move.
        if action == "update":
            _pending.people.add(int(instance.pk))
    else:
        cells_touch(
            person_ids=[person_id],
            units=units_in_changes(changes),
            years=years_in_changes(changes),
        )
        return
    if action == "update":
        # The units and years the record named before (and now), from the diff: crossed
        # with its current ones in ``pairs_of_records`` (a new record had none before).
        seen = _pending.before.setdefault((model, int(instance.pk)), (set(), set()))
        seen[0].update(units_in_changes(changes))
        seen[1].update(years_in_changes(changes))
    _schedule()


def cells_touch_batch(batch_id: int) -> None:
    """After an import: the units of every event the batch wrote and of its people."""
    units: set[int] = set()
    for model in CARE_EVENT_MODELS:
        rows = model.objects.filter(import_batch_id=batch_id).values_list(
            "residence_unit_id", "service_unit_id", "facility__unit_id"
        )
        units |= {unit for row in rows.distinct() for unit in row if unit is not None}
    people = Person.objects.filter(import_batch_id=batch_id).values_list("pk", flat=True)
    # Every year: a row the import updated may have held a date of another year.
    cells_touch(person_ids=list(people), units=units, years=None)


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
        "until",
        "province_id",
        "numerator",
        "denominator",
    )
    return {row[:8]: (row[8], row[9]) for row in rows}  # type: ignore[misc]


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
    labels[SHARED] = "residence+service"
    out: list[CellDifference] = []

    def compare(stored: dict[Key, Any], computed: dict[Key, Any]) -> None:
        for key in sorted(set(stored) | set(computed), key=str):
            mine, theirs = stored.get(key), computed.get(key)
            if _same(mine, theirs, tolerance):
                continue
            pk, attribution, kind, start, unit, profile, until, _ = key
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
                    until=until,
                )
            )

    years = _years()
    provinces = _provinces()
    profiles = ProfileMap(persist=False)
    for year in years:
        computed: dict[Key, tuple[float, float]] = {}
        for pk, attribution, cells in _year_cells(plan, year, None, profiles):
            for unit, kind, start, profile, until, num, den in cells.rows():
                key = (pk, attribution, kind, start, unit, profile, until, provinces.get(unit, 0))
                computed[key] = (num, den)
        compare(_stored_year(pks, (year, year)), computed)
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
