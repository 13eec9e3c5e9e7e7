"""Facts -> cells -> values.

A *fact* is one countable thing (a live birth, a delivery, a death, a measurement…) with
the date that places it in a period, its commune of residence and unit of service, the
person it is about (``subject``) and a *profile*: the id of its combination of group
attributes (ethnicity, area classification on the event date, sex, mother's age group…).
Facts of one kind come as a ``FactBatch`` of NumPy columns.

A *cell* sums the numerator and the denominator of one indicator for one unit, one period
cell (a month, or for "latest per person" indicators each stored period) and one profile.
Any group or combination of groups is then a sum over the profiles that satisfy its
filters, and any unit a sum over the units of its subtree and lineage: rates are always
Σ numerator / Σ denominator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from . import stats
from .conditions import mask
from .definitions import FACTS, ComputeSpec, Count, batch_key
from .periods import Period, stored_periods

NO_UNIT = -1
REQUIRED = ("date", "residence_unit", "service_unit", "subject", "profile")


@dataclass
class FactBatch:
    """Facts of one kind. ``date`` and ``recorded`` are ``datetime64[D]`` (``recorded`` may
    be NaT); units, subject and profile are int64 (``service_unit`` -1 when none)."""

    kind: str
    columns: dict[str, npt.NDArray[Any]]

    def __post_init__(self) -> None:
        missing = [name for name in REQUIRED if name not in self.columns]
        if missing:
            raise ValueError(f"{self.kind}: missing columns {missing}")

    def __len__(self) -> int:
        return len(self.columns["date"])

    @classmethod
    def empty(cls, kind: str) -> FactBatch:
        columns: dict[str, npt.NDArray[Any]] = {
            "date": np.array([], dtype="datetime64[D]"),
            "recorded": np.array([], dtype="datetime64[D]"),
            "residence_unit": np.array([], dtype=np.int64),
            "service_unit": np.array([], dtype=np.int64),
            "subject": np.array([], dtype=np.int64),
            "profile": np.array([], dtype=np.int64),
        }
        return cls(kind, columns)

    @classmethod
    def from_rows(cls, kind: str, rows: Iterable[Mapping[str, Any]]) -> FactBatch:
        """Facts from plain dicts (tests, small inputs): dates as ``datetime.date``,
        missing numbers as ``None``."""
        rows = list(rows)
        if not rows:
            return cls.empty(kind)
        names = sorted({key for row in rows for key in row})
        columns: dict[str, npt.NDArray[Any]] = {}
        for name in names:
            values = [row.get(name) for row in rows]
            if name in ("date", "recorded"):
                columns[name] = np.array(
                    [
                        np.datetime64(v, "D") if v is not None else np.datetime64("NaT")
                        for v in values
                    ],
                    dtype="datetime64[D]",
                )
            elif name in ("residence_unit", "service_unit", "subject", "profile"):
                columns[name] = np.array([NO_UNIT if v is None else v for v in values], np.int64)
            else:
                columns[name] = column_of(values)
        columns.setdefault("recorded", np.full(len(rows), np.datetime64("NaT"), "datetime64[D]"))
        columns.setdefault("service_unit", np.full(len(rows), NO_UNIT, np.int64))
        columns.setdefault("subject", np.arange(len(rows), dtype=np.int64))
        return cls(kind, columns)


def column_of(values: list[Any]) -> npt.NDArray[Any]:
    """Numbers as float (None -> NaN); anything else (text, tri-state booleans) as objects."""
    if all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values):
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class Cell(NamedTuple):
    unit: int
    kind: str  # period kind of the cell
    start: dt.date
    profile: int
    numerator: float
    denominator: float


@dataclass(frozen=True)
class Result:
    numerator: float | None
    denominator: float | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str
    small_numbers: bool


def _dates(count: Count, batch: FactBatch) -> npt.NDArray[Any]:
    default = FACTS[count.fact][0][0]
    return batch.columns["date"] if count.date == default else batch.columns["recorded"]


def _eligible(count: Count, batch: FactBatch, as_of: dt.date) -> npt.NDArray[np.bool_]:
    day = np.datetime64(as_of, "D")
    dates = _dates(count, batch)
    recorded = batch.columns["recorded"]
    ok = mask(count.where, batch.columns, len(batch)) & ~np.isnat(dates) & (dates <= day)
    return ok & (np.isnat(recorded) | (recorded <= day))


def _units(batch: FactBatch, attribution: str) -> npt.NDArray[np.int64]:
    residence = batch.columns["residence_unit"]
    if attribution == "residence":
        return residence
    if attribution != "service":
        raise ValueError(f"unknown attribution {attribution!r}")
    service = batch.columns["service_unit"]
    # A service not given by a unit (a home birth without a health worker) counts where
    # the person lives.
    return np.where(service >= 0, service, residence)


def _sum(
    keys: list[npt.NDArray[np.int64]], numerator: npt.NDArray[Any], denominator: npt.NDArray[Any]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    if not len(numerator):
        return np.empty((len(keys), 0), np.int64), np.empty(0), np.empty(0)
    stacked = np.stack(keys)
    unique, inverse = np.unique(stacked, axis=1, return_inverse=True)
    inverse = inverse.reshape(-1)
    num = np.bincount(inverse, weights=numerator, minlength=unique.shape[1]).astype(np.float64)
    den = np.bincount(inverse, weights=denominator, minlength=unique.shape[1]).astype(np.float64)
    return unique, num, den


def _month_starts(dates: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    return dates.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _latest(
    subject: npt.NDArray[np.int64], dates: npt.NDArray[Any], where: npt.NDArray[np.bool_]
) -> npt.NDArray[np.intp]:
    """Indices of each subject's latest fact among ``where`` (ties: the later row)."""
    index = np.nonzero(where)[0]
    if not len(index):
        return index
    order = np.lexsort((index, dates[index].astype(np.int64), subject[index]))
    ranked = index[order]
    last = np.ones(len(ranked), dtype=bool)
    last[:-1] = subject[ranked][1:] != subject[ranked][:-1]
    return ranked[last]


def count_sides(spec: ComputeSpec) -> list[tuple[Count, bool]]:
    """The counts an indicator's cells are made of, each with "is it the denominator": the
    denominator alone when the numerator is a filter within it, else numerator (and
    denominator)."""
    if spec.within_denominator:
        assert spec.denominator is not None
        return [(spec.denominator, True)]
    sides: list[tuple[Count, bool]] = [(spec.numerator, False)]
    if spec.denominator is not None:
        sides.append((spec.denominator, True))
    return sides


def cells(
    spec: ComputeSpec,
    batches: Mapping[str, FactBatch],
    *,
    attribution: str,
    as_of: dt.date,
    periods: list[Period] | None = None,
) -> list[Cell]:
    """The cells of one indicator from facts. Without ``periods``: month cells (for a
    "latest per person" indicator: the stored cells of every year the facts span); with
    ``periods``: one cell per period given, whatever its kind."""
    out: list[Cell] = []
    sides = count_sides(spec)
    for count, is_denominator in sides:
        batch = batches.get(batch_key(count)) or FactBatch.empty(count.fact)
        if not len(batch):
            continue
        ok = _eligible(count, batch, as_of)
        dates = _dates(count, batch)
        units = _units(batch, attribution)
        profile = batch.columns["profile"]
        if spec.within_denominator:
            hit = mask(spec.numerator.where, batch.columns, len(batch))
        if spec.latest:
            cell_periods = periods
            if cell_periods is None:
                years = sorted(
                    {int(y) + 1970 for y in dates[ok].astype("datetime64[Y]").astype(int)}
                )
                cell_periods = [p for y in years for p in stored_periods(y)]
            for period in cell_periods:
                inside = (
                    ok
                    & (dates >= np.datetime64(period.start))
                    & (dates <= np.datetime64(period.end))
                )
                chosen = _latest(batch.columns["subject"], dates, inside)
                num = hit[chosen].astype(np.float64)
                keys, n, d = _sum([units[chosen], profile[chosen]], num, np.ones(len(chosen)))
                out += [
                    Cell(int(u), period.kind, period.start, int(p), float(a), float(b))
                    for (u, p), a, b in zip(keys.T, n, d, strict=True)
                ]
            continue
        ones = np.ones(int(ok.sum()))
        if spec.within_denominator:
            num, den = hit[ok].astype(np.float64), ones
        elif is_denominator:
            num, den = np.zeros(len(ones)), ones
        else:
            num, den = ones, np.zeros(len(ones))
        if periods is None:
            starts = _month_starts(dates[ok])
            keys, n, d = _sum([units[ok], starts, profile[ok]], num, den)
            out += [
                Cell(
                    int(u),
                    "month",
                    dt.date(1970, 1, 1) + dt.timedelta(days=int(s)),
                    int(p),
                    float(a),
                    float(b),
                )
                for (u, s, p), a, b in zip(keys.T, n, d, strict=True)
            ]
            continue
        for period in periods:
            inside = (dates[ok] >= np.datetime64(period.start)) & (
                dates[ok] <= np.datetime64(period.end)
            )
            keys, n, d = _sum([units[ok][inside], profile[ok][inside]], num[inside], den[inside])
            out += [
                Cell(int(u), period.kind, period.start, int(p), float(a), float(b))
                for (u, p), a, b in zip(keys.T, n, d, strict=True)
            ]
    return merge(out)


def merge(cells_: Iterable[Cell]) -> list[Cell]:
    """Add up cells with the same key (numerator and denominator sides of a ratio)."""
    sums: dict[tuple[int, str, dt.date, int], list[float]] = {}
    for cell in cells_:
        key = (cell.unit, cell.kind, cell.start, cell.profile)
        found = sums.get(key)
        if found is None:
            sums[key] = [cell.numerator, cell.denominator]
        else:
            found[0] += cell.numerator
            found[1] += cell.denominator
    return [Cell(*key[:3], key[3], n, d) for key, (n, d) in sums.items()]


def result(
    numerator: float | None, denominator: float | None, *, multiplier: int, ci: str
) -> Result:
    """Value, 95% interval and small-numbers flag from summed counts."""
    if numerator is None or denominator is None:
        return Result(numerator, denominator, None, None, None, ci, True)
    if not denominator:
        return Result(numerator, denominator, None, None, None, ci, True)
    value = numerator / denominator * multiplier
    low, high = stats.interval(ci, numerator, denominator, multiplier)
    return Result(
        numerator, denominator, value, low, high, ci, stats.is_small(ci, numerator, denominator)
    )
