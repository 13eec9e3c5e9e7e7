"""A plan scorecard: every target row of a plan × the units of the plan the user may see,
each cell the registers' value beside the target as written and its status.

Two series are kept apart: the registers' values (computed by ``indicator_values``) and
the figures the source document prints ("Thực hiện", ``Observation`` of kind actual).
A status is only ever judged on the registers' series.

Each indicator is computed once per year for all units (one ``indicator_values`` call per
year with every indicator, unit and population group of the plan), never per cell.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone

from mch.accounts.scope import Scope
from mch.indicators.adapter.units import successor_communes
from mch.indicators.engine import compute
from mch.indicators.models import IndicatorVersion
from mch.indicators.values import IndicatorValue, Period, indicator_values, spec_of
from mch.orgunits.models import OrgUnit
from mch.plans import target_status as ts
from mch.plans.models import Observation, Plan, Target
from mch.plans.selectors import TargetRow, plan_target_rows

# How many years before the scorecard's year feed the trend (projection to the milestone).
TREND_YEARS = 4
NOT_COMPUTABLE = "not_computable"


@dataclass(frozen=True)
class ScoreUnit:
    unit_id: int
    name: str
    is_plan_unit: bool
    note: str = ""


@dataclass(frozen=True)
class Cell:
    unit_id: int
    value: float | None
    ci_low: float | None
    ci_high: float | None
    numerator: float | None
    denominator: float | None
    small_numbers: bool
    status: str  # a target_status code, or NOT_COMPUTABLE (no compute block in the catalogue)
    reason: str
    threshold: float | None
    projection: ts.Projection | None
    # Which series the value and status come from (mch.reported_values.rules: registers,
    # survey, reported, approved_aggregate; "" when none), how that figure was made, and
    # the other series' values of the year, shown beside it and never mixed in.
    source: str = ""
    detail: str = ""
    others: tuple[tuple[str, float], ...] = ()
    # The year of the value the status was judged on (a survey of an earlier year when
    # this year has none); None when nothing was judged.
    judged_year: int | None = None


@dataclass(frozen=True)
class ScoreRow:
    indicator_code: str
    indicator_name: str
    unit_symbol: str
    direction: str
    multiplier: int
    population_code: str
    population: str
    target: Target | None  # the milestone target this year is judged against
    conflict: bool  # body and annex give different targets for that milestone
    computable: bool
    document_actuals: list[Observation]  # the document's own figures: a separate series
    cells: dict[int, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class Scorecard:
    plan: Plan
    year: int
    as_of: dt.datetime
    units: list[ScoreUnit]
    rows: list[ScoreRow]

    def status_counts(self, unit_id: int) -> dict[str, int]:
        counts = Counter(
            row.cells[unit_id].status for row in self.rows if unit_id in row.cells and row.target
        )
        return {status: counts.get(status, 0) for status in (*ts.STATUSES, NOT_COMPUTABLE)}

    @property
    def plan_unit(self) -> ScoreUnit | None:
        return next((u for u in self.units if u.is_plan_unit), None)


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def scorecard_units(*, user: Any, plan: Plan, year: int) -> list[ScoreUnit]:
    """The plan's unit (when wholly in the user's scope) and its communes in the user's
    scope, valid at the end of ``year``. A plan unit dissolved by a reform (Ninh Thuận
    into Khánh Hòa) is the sum of the communes that now hold its territory."""
    scope = Scope.for_user(user)
    unit = plan.scope_unit
    day = _year_end(year)
    if unit.is_valid_on(day):
        communes = list(
            OrgUnit.objects.in_subtree(unit).at_level("commune").valid_on(day).order_by("name")
        )
        note = ""
    else:
        communes = successor_communes(unit, day)
        note = "tổng các xã nay thuộc địa bàn này"
    out: list[ScoreUnit] = []
    if scope.contains(unit) or (note and communes and all(scope.contains(c) for c in communes)):
        out.append(ScoreUnit(unit.pk, unit.name, True, note))
    out += [ScoreUnit(c.pk, c.name, False) for c in communes if scope.contains(c)]
    return out


def _milestone(row: TargetRow, year: int) -> tuple[Target | None, bool]:
    years = sorted(row.targets)
    if not years:
        return None, False
    chosen = next((y for y in years if y >= year), years[-1])
    items = row.targets[chosen]
    return items[0], row.conflicting_years.count(chosen) > 0


def _spec(target: Target, direction: str, multiplier: int) -> ts.TargetSpec:
    return ts.TargetSpec(
        comparator=target.comparator,
        value=float(target.value) if target.value is not None else None,
        year=target.year,
        direction=direction,
        baseline_year=target.baseline_year,
        change_unit=target.change_unit or "percent",
        lowest=0.0,
        highest=100.0 if multiplier == 100 else None,
    )


def _summed(values: list[IndicatorValue], ci: str, multiplier: int) -> compute.Result:
    nums = [v.numerator for v in values if v.numerator is not None]
    dens = [v.denominator for v in values if v.denominator is not None]
    if not dens:
        return compute.result(None, None, multiplier=multiplier, ci=ci)
    return compute.result(sum(nums), sum(dens), multiplier=multiplier, ci=ci)


def plan_scorecard(
    *,
    user: Any,
    plan: Plan,
    year: int,
    as_of: dt.datetime | None = None,
    plan_unit_only: bool = False,
    unit_id: int | None = None,
) -> Scorecard:
    """The scorecard of ``plan`` for ``year``; ``plan_unit_only`` keeps the plan's own unit
    (the plan page's "Thực hiện" column, the home page) when the user may see it, and
    computes communes only when the plan unit is their sum; a commune user keeps their
    own communes."""
    as_of = as_of or timezone.now()
    today = timezone.localtime(as_of).date() if timezone.is_aware(as_of) else as_of.date()
    units = scorecard_units(user=user, plan=plan, year=year)
    if unit_id is not None:
        # One unit (the targets × years view); a plan unit that is the sum of communes
        # keeps them to be summed, and drops them below.
        units = [
            u
            for u in units
            if u.unit_id == unit_id or (not u.is_plan_unit and _summed_plan(units, unit_id))
        ]
    if plan_unit_only and units and units[0].is_plan_unit and not units[0].note:
        units = units[:1]
    _, target_rows = plan_target_rows(plan=plan)
    codes = sorted({row.indicator_code for row in target_rows})
    versions = {
        v.indicator.code: v
        for v in IndicatorVersion.objects.filter(indicator__code__in=codes)
        .select_related("indicator")
        .order_by("indicator_id", "version")
    }
    computable = [code for code in codes if code in versions and versions[code].compute]
    population_codes = [_population_code(row) for row in target_rows]
    groups = sorted(set(population_codes))
    years = set(range(max(plan.period_start - 1, year - TREND_YEARS), year + 1))
    for row in target_rows:
        years |= {
            t.baseline_year for items in row.targets.values() for t in items if t.baseline_year
        }
    plan_unit = next((u for u in units if u.is_plan_unit), None)
    direct_units = [u.unit_id for u in units if not (u.is_plan_unit and u.note)]
    commune_ids = [u.unit_id for u in units if not u.is_plan_unit]

    # (code, group, unit, year) -> value: one call per year for every indicator and unit
    found: dict[tuple[str, str, int, int], compute.Result | IndicatorValue] = {}
    if computable and units:
        # Latest year first; the registers hold nothing before the first empty year, so the
        # years before it (trend and baseline years alike) are not asked for.
        for y in sorted(years, reverse=True):
            if y > today.year:
                continue
            values = indicator_values(
                user=user,
                indicators=computable,
                units=direct_units,
                period=Period.year(y),
                groups=groups,
                as_of=as_of,
            )
            if y < year and all(v.denominator is None and v.numerator is None for v in values):
                break
            for v in values:
                found[(v.indicator, v.group, v.unit_id, y)] = v
            if plan_unit is not None and plan_unit.note:
                for code in computable:
                    spec = spec_of(versions[code])
                    for group in groups:
                        parts = [
                            v
                            for v in values
                            if v.indicator == code and v.group == group and v.unit_id in commune_ids
                        ]
                        found[(code, group, plan_unit.unit_id, y)] = _summed(
                            parts, spec.ci if spec else "none", versions[code].multiplier
                        )

    rows: list[ScoreRow] = []
    for row, group in zip(target_rows, population_codes, strict=True):
        code = row.indicator_code
        version = versions.get(code)
        multiplier = version.multiplier if version else 1
        target, conflict = _milestone(row, year)
        score = ScoreRow(
            indicator_code=code,
            indicator_name=row.indicator_name,
            unit_symbol=row.unit_symbol,
            direction=row.direction,
            multiplier=multiplier,
            population_code=group,
            population=row.population,
            target=target,
            conflict=conflict,
            computable=code in computable,
            document_actuals=list(row.actuals),
        )
        for unit in units:
            score.cells[unit.unit_id] = _cell(
                score, unit.unit_id, found, sorted(years), year, today
            )
        rows.append(score)
    _with_other_sources(
        user=user,
        rows=rows,
        units=units,
        years=sorted(y for y in years if y <= today.year),
        year=year,
        today=today,
        versions=versions,
        found=found,
        commune_ids=commune_ids,
    )
    if plan_unit_only and any(u.is_plan_unit for u in units):
        units = [u for u in units if u.is_plan_unit]
    if unit_id is not None:
        units = [u for u in units if u.unit_id == unit_id]
    return Scorecard(plan=plan, year=year, as_of=as_of, units=units, rows=rows)


def _summed_plan(units: list[ScoreUnit], unit_id: int) -> bool:
    return any(u.unit_id == unit_id and u.is_plan_unit and u.note for u in units)


@dataclass(frozen=True)
class UnitYears:
    """One unit's targets across the plan's years: ``cards[year]`` holds one cell per row."""

    plan: Plan
    unit: ScoreUnit
    years: list[int]
    cards: dict[int, Scorecard]
    as_of: dt.datetime

    @property
    def rows(self) -> list[tuple[ScoreRow, list[tuple[int, Cell | None]]]]:
        """Each target row of the latest year with its cell for every year."""
        latest = self.cards[self.years[-1]]
        out = []
        for i, row in enumerate(latest.rows):
            out.append(
                (row, [(y, self.cards[y].rows[i].cells.get(self.unit.unit_id)) for y in self.years])
            )
        return out

    def target_of(self, row_index: int, year: int) -> Target | None:
        return self.cards[year].rows[row_index].target


def unit_years(
    *, user: Any, plan: Plan, unit_id: int, as_of: dt.datetime | None = None
) -> UnitYears | None:
    """The targets × years scorecard of one unit of ``plan`` the user may see (None when
    the unit is not one of the plan's units in the user's scope): the years of the plan
    from 2021 (the registers' first year) to this year."""
    as_of = as_of or timezone.now()
    today = timezone.localtime(as_of).date() if timezone.is_aware(as_of) else as_of.date()
    years = list(range(max(plan.period_start, 2021), min(plan.period_end, today.year) + 1))
    if not years:
        years = [min(max(today.year, plan.period_start), plan.period_end)]
    cards = {
        y: plan_scorecard(user=user, plan=plan, year=y, as_of=as_of, unit_id=unit_id) for y in years
    }
    unit = next((u for u in cards[years[-1]].units if u.unit_id == unit_id), None)
    if unit is None:
        return None
    return UnitYears(plan=plan, unit=unit, years=years, cards=cards, as_of=as_of)


def _population_code(row: TargetRow) -> str:
    """The row's population group: of its targets, else of its actuals or baselines (a
    directive's row with figures for ethnic-minority children and no target)."""
    for items in row.targets.values():
        for target in items:
            return str(target.population.code)
    for observation in (*row.actuals, *row.baselines):
        return str(observation.population.code)
    return "all"


def _cell(
    row: ScoreRow,
    unit_id: int,
    found: dict[tuple[str, str, int, int], Any],
    years: list[int],
    year: int,
    today: dt.date,
) -> Cell:
    current = found.get((row.indicator_code, row.population_code, unit_id, year))
    if not row.computable:
        return Cell(
            unit_id, None, None, None, None, None, False, NOT_COMPUTABLE,
            "Chỉ số chưa tính được từ sổ.", None, None,
        )  # fmt: skip
    points = []
    for y in years:
        v = found.get((row.indicator_code, row.population_code, unit_id, y))
        if v is None or v.value is None:
            continue
        points.append(
            ts.Point(
                year=y,
                value=v.value,
                ci_low=v.ci_low,
                ci_high=v.ci_high,
                numerator=v.numerator,
                denominator=v.denominator,
                complete=today > _year_end(y),
            )
        )
    if row.target is None:
        status = ts.TargetStatus(ts.NO_DATA, None, "", None, None, "Không có chỉ tiêu.")
    else:
        spec = _spec(row.target, row.direction, row.multiplier)
        status = ts.evaluate(spec, points, current_year=year)
    return Cell(
        unit_id=unit_id,
        value=current.value if current is not None else None,
        ci_low=current.ci_low if current is not None else None,
        ci_high=current.ci_high if current is not None else None,
        numerator=current.numerator if current is not None else None,
        denominator=current.denominator if current is not None else None,
        small_numbers=bool(current.small_numbers) if current is not None else False,
        status=status.status,
        reason=status.reason,
        threshold=status.threshold,
        projection=status.projection,
        source="registers" if current is not None and current.value is not None else "",
        judged_year=status.latest.year if status.latest is not None else None,
    )


def _with_other_sources(
    *,
    user: Any,
    rows: list[ScoreRow],
    units: list[ScoreUnit],
    years: list[int],
    year: int,
    today: dt.date,
    versions: dict[str, IndicatorVersion],
    found: dict[tuple[str, str, int, int], Any],
    commune_ids: list[int],
) -> None:
    """The series that do not come from the registers (surveys, policy and workforce
    reports, approved periodic reports: ``mch.reported_values.series``). Per unit and row,
    the indicator's precedence (``rules.choose_series``) picks the one series the cell is
    judged on; the other series' values of the year ride along in ``Cell.others``."""
    from mch.reported_values import rules as rv
    from mch.reported_values.series import UnitSpec, other_series

    if not rows or not units or not years:
        return
    wanted = {
        r.indicator_code: versions[r.indicator_code] for r in rows if r.indicator_code in versions
    }
    specs = [
        UnitSpec(u.unit_id, tuple(commune_ids) if u.is_plan_unit and u.note else ()) for u in units
    ]
    points = other_series(user=user, versions=wanted, units=specs, years=years)
    for row in rows:
        version = versions.get(row.indicator_code)
        if version is None:
            continue
        for unit in units:
            cell = row.cells.get(unit.unit_id)
            if cell is None:
                continue
            by_source: dict[str, dict[int, Any]] = {}
            for y in years:
                for source, point in points.get(
                    (row.indicator_code, row.population_code, unit.unit_id, y), {}
                ).items():
                    by_source.setdefault(source, {})[y] = point
            if not by_source:
                continue
            registers = {
                y: v
                for y in years
                if (v := found.get((row.indicator_code, row.population_code, unit.unit_id, y)))
                is not None
                and v.value is not None
            }
            if registers and row.computable:
                by_source[rv.REGISTERS] = registers
            chosen = rv.choose_series(version.data_source, by_source)
            others = tuple(
                (source, float(series[year].value))
                for source, series in sorted(by_source.items())
                if source != chosen and year in series and series[year].value is not None
            )
            if chosen is None or chosen == rv.REGISTERS:
                row.cells[unit.unit_id] = replace(cell, others=others)
                continue
            series = by_source[chosen]
            current = series.get(year)
            ts_points = [
                ts.Point(
                    year=y,
                    value=p.value,
                    ci_low=p.ci_low,
                    ci_high=p.ci_high,
                    numerator=p.numerator,
                    denominator=p.denominator,
                    complete=p.complete
                    and (chosen != rv.APPROVED_AGGREGATE or today > _year_end(y)),
                )
                for y, p in sorted(series.items())
            ]
            if row.target is None:
                status = ts.TargetStatus(ts.NO_DATA, None, "", None, None, "Không có chỉ tiêu.")
            else:
                spec = _spec(row.target, row.direction, row.multiplier)
                status = ts.evaluate(spec, ts_points, current_year=year)
            label = rv.SOURCE_LABELS[chosen]
            row.cells[unit.unit_id] = Cell(
                unit_id=unit.unit_id,
                value=current.value if current is not None else None,
                ci_low=current.ci_low if current is not None else None,
                ci_high=current.ci_high if current is not None else None,
                numerator=current.numerator if current is not None else None,
                denominator=current.denominator if current is not None else None,
                small_numbers=bool(current.small_numbers) if current is not None else False,
                status=status.status,
                reason=f"Theo số liệu {label}: {status.reason}",
                threshold=status.threshold,
                projection=status.projection,
                source=chosen,
                detail=current.detail if current is not None else "",
                others=others,
                judged_year=status.latest.year if status.latest is not None else None,
            )
