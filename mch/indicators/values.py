"""Indicator values for consumers (targets, scorecards, reports, MPDSR): the interface of
COORDINATION.md. Values come from the stored cells when they are complete for the
definition version and the period is one the cells hold; otherwise they are computed
from the records through the same engine (same result, slower)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from mch.accounts.scope import Scope
from mch.indicators.engine import compute
from mch.indicators.engine.compute import FactBatch
from mch.indicators.engine.definitions import ComputeSpec, parse_compute
from mch.indicators.engine.periods import Period
from mch.orgunits.models import OrgUnit

from .adapter import facts
from .adapter.profiles import ProfileMap
from .adapter.units import Rollup, successor_communes
from .adapter.units import rollups as units_rollups
from .groups import group_filters, profiles_in
from .models import AggregateState, Attribution, IndicatorCell, IndicatorVersion

__all__ = ["IndicatorValue", "Period", "indicator_values"]

ATTRIBUTIONS = {"residence": Attribution.RESIDENCE, "service": Attribution.SERVICE}


@dataclass(frozen=True)
class IndicatorValue:
    indicator: str
    version: int
    unit_id: int
    period: Period
    group: str
    numerator: float | None
    denominator: float | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str
    small_numbers: bool
    multiplier: int
    unit_symbol: str
    direction: str
    attribution: str
    as_of: dt.datetime
    note: str = ""


def latest_versions(codes: Sequence[str]) -> dict[str, IndicatorVersion]:
    found: dict[str, IndicatorVersion] = {}
    for version in (
        IndicatorVersion.objects.filter(indicator__code__in=codes)
        .select_related("indicator")
        .order_by("indicator_id", "version")
    ):
        found[version.indicator.code] = version
    return found


def spec_of(version: IndicatorVersion) -> ComputeSpec | None:
    if not version.compute:
        return None
    spec, _ = parse_compute(version.compute, version.indicator.code)
    return spec


def stored_selection(spec: ComputeSpec, period: Period) -> dict[str, Any] | None:
    """The stored cells that make up ``period``, or None when they cannot: month cells for
    additive indicators; for "latest per person" ones, a month-aligned period inside one
    year, whose cells are those of its months with ``until`` after its last month
    (adapter/aggregates.py)."""
    if not period.month_aligned:
        return None
    if spec.latest:
        if period.start.year != period.end.year:
            return None
        return {
            "period_kind": "latest",
            "period_start__gte": period.start,
            "period_start__lte": period.end,
            "until__gt": period.end.month,
        }
    return {
        "period_kind": "month",
        "period_start__gte": period.start,
        "period_start__lte": period.end,
    }


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _split(
    period: Period, cutoff: dt.date, spec: ComputeSpec
) -> tuple[Period | None, Period | None]:
    """The part of ``period`` stored cells answer (months ended before ``cutoff``) and the
    part computed from the records."""
    if stored_selection(spec, period) is None:
        return None, period
    if period.end < cutoff:
        return period, None
    if spec.latest or period.start >= cutoff:
        return None, period
    ended = Period(period.start, cutoff - dt.timedelta(days=1), "custom")
    return ended, Period(cutoff, period.end, "custom")


def _resolve_units(units: Sequence[OrgUnit] | Sequence[int]) -> list[OrgUnit]:
    ids = [u if isinstance(u, int) else u.pk for u in units]
    by_id = OrgUnit.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _targets(
    units: list[OrgUnit], scope: Scope, by: str | None, period: Period
) -> list[tuple[OrgUnit, OrgUnit]]:
    """(requested unit, unit a value is for): the unit itself or each of its communes."""
    out: list[tuple[OrgUnit, OrgUnit]] = []
    for unit in units:
        if not scope.contains(unit):
            continue
        if by is None:
            out.append((unit, unit))
        elif by == "commune":
            # A unit dissolved by a reform: the communes that now hold its territory.
            communes = (
                OrgUnit.objects.in_subtree(unit)
                .at_level("commune")
                .valid_on(period.end)
                .order_by("code")
                if unit.is_valid_on(period.end)
                else successor_communes(unit, period.end)
            )
            out += [(unit, commune) for commune in communes if scope.contains(commune)]
        else:
            raise ValueError(f"'by' phải là None hoặc 'commune' (đang là {by!r})")
    return out


def indicator_values(
    *,
    user: Any,
    indicators: list[str],
    units: Sequence[OrgUnit] | Sequence[int],
    period: Period,
    groups: Sequence[str] = ("all",),
    attribution: str = "residence",
    by: str | None = None,
    as_of: dt.datetime | None = None,
    stored: bool = True,
    profiles: ProfileMap | None = None,
) -> list[IndicatorValue]:
    """One value per indicator × unit (or commune inside it, ``by="commune"``) × group, for
    the units the user may see (others are left out). ``stored=False`` computes everything
    from the records (what reconcile and the tests compare the stored cells with).
    ``profiles``: a page asking for many values passes one ProfileMap(persist=False) to every
    call, so the group profiles are read once per page, not once per call."""
    if attribution not in ATTRIBUTIONS:
        raise ValueError(f"attribution phải là residence hoặc service (đang là {attribution!r})")
    # Stored cells hold every record known now: they answer for ended months when the
    # values asked for are today's, not those known at a past date (the engine reads
    # "as of" by day).
    as_of = as_of or timezone.now()
    stored_allowed = stored and _local_day(as_of) >= timezone.localdate()
    cutoff = _local_day(as_of).replace(day=1)
    scope = Scope.for_user(user)
    targets = _targets(_resolve_units(units), scope, by, period)
    rollups = units_rollups([target for _, target in targets])
    filters = {group: group_filters(group) for group in groups}
    versions = latest_versions(indicators)
    states = dict(
        AggregateState.objects.filter(version__in=versions.values()).values_list(
            "version_id", "status"
        )
    )
    if profiles is None:
        profiles = ProfileMap(persist=False)  # one read of the profiles for every indicator
    # Facts of the live parts, by period: indicators over the same facts load them once.
    loaded: dict[tuple[dt.date, dt.date], dict[str, FactBatch]] = {}
    out: list[IndicatorValue] = []
    for code in indicators:
        version = versions.get(code)
        if version is None:
            raise ValueError(f"Không có chỉ số '{code}' trong danh mục")
        spec = spec_of(version)
        note = ""
        sums: dict[tuple[int, str], Any]
        if spec is None:
            sums = {(t.pk, g): None for _, t in targets for g in groups}
            note = "chỉ số không tính từ sổ"
        else:
            ready = stored_allowed and states.get(version.pk) == AggregateState.Status.READY
            ended, current = _split(period, cutoff, spec) if ready else (None, period)
            sums = {}
            if ended is not None:
                selection = stored_selection(spec, ended)
                assert selection is not None
                sums = _stored_sums(
                    version, attribution, selection, rollups, filters, profiles.items()
                )
            if current is not None:
                live = _computed_sums(
                    spec,
                    attribution,
                    current,
                    rollups,
                    filters,
                    as_of,
                    profiles,
                    loaded.setdefault((current.start, current.end), {}),
                )
                for key, pair in live.items():
                    total = sums.setdefault(key, [0.0, 0.0])
                    total[0] += pair[0]
                    total[1] += pair[1]
            if states.get(version.pk) == AggregateState.Status.BUILDING:
                note = "đang tính lại"
        for _, target in targets:
            target_note = "; ".join(filter(None, [note, *rollups[target.pk].notes]))
            population = None
            if spec is not None and spec.population is not None:
                population = _population(target, spec.population, period)
                if population is None:
                    target_note = "; ".join(filter(None, [target_note, POPULATION_MISSING]))
            for group in groups:
                pair = sums.get((target.pk, group))
                num, den = pair if pair is not None else (None, None)
                group_note = target_note
                if spec is not None and spec.population is not None:
                    # per-population rate: no number without the population; the
                    # population is held for everyone only, so a group has no denominator
                    den = population if group == "all" else None
                    num = (num or 0) if den is not None else None
                    if group != "all":
                        group_note = "; ".join(filter(None, [note, NO_DENOMINATOR]))
                elif pair is not None and not den and not num:
                    num = den = None
                res = compute.result(
                    num, den, multiplier=version.multiplier, ci=spec.ci if spec else "none"
                )
                out.append(
                    IndicatorValue(
                        indicator=code,
                        version=version.version,
                        unit_id=target.pk,
                        period=period,
                        group=group,
                        numerator=res.numerator,
                        denominator=res.denominator,
                        value=res.value,
                        ci_low=res.ci_low,
                        ci_high=res.ci_high,
                        ci_method=res.ci_method,
                        small_numbers=res.small_numbers,
                        multiplier=version.multiplier,
                        unit_symbol=version.unit_symbol,
                        direction=version.direction,
                        attribution=attribution,
                        as_of=as_of,
                        note=group_note,
                    )
                )
    return out


POPULATION_MISSING = "chưa có số liệu dân số"
# A breakdown a per-population rate cannot have: the population file holds communes ×
# year × sex × age group, not ethnic groups nor the other groups of the catalogue.
NO_DENOMINATOR = "không có mẫu số"


def _population(unit: OrgUnit, age_group: str, period: Period) -> int | None:
    """The mid-year population of every year the period touches, summed (person-years
    for several years; a period under a year uses its year's mid-year population, not
    annualised); None when a year has no figure."""
    from mch.orgunits.population import population_total

    total = 0
    for year in range(period.start.year, period.end.year + 1):
        value = population_total(unit, year, age_group)
        if value is None:
            return None
        total += value
    return total


def _add(
    sums: dict[tuple[int, str], list[float]],
    rollups: dict[int, Rollup],
    group: str,
    by_unit: dict[int, list[float]],
) -> None:
    for target, roll in rollups.items():
        total = sums.setdefault((target, group), [0.0, 0.0])
        for unit, weight in roll.weights.items():
            pair = by_unit.get(unit)
            if pair is not None:
                total[0] += pair[0] * weight
                total[1] += pair[1] * weight


def _stored_sums(
    version: IndicatorVersion,
    attribution: str,
    selection: dict[str, Any],
    rollups: dict[int, Rollup],
    filters: dict[str, list[Any]],
    profiles: list[tuple[int, dict[str, Any]]],
) -> dict[tuple[int, str], Any]:
    all_units = {unit for roll in rollups.values() for unit in roll.weights}
    sums: dict[tuple[int, str], list[float]] = {}
    for group, group_filter in filters.items():
        cells = IndicatorCell.objects.filter(
            # attribution 0: cells equal for residence and service, stored once
            version=version,
            attribution__in=(0, ATTRIBUTIONS[attribution]),
            **selection,
        )
        if group_filter != [{}]:
            cells = cells.filter(profile_id__in=profiles_in(group_filter, profiles))
        if len(all_units) <= 2000:
            cells = cells.filter(unit_id__in=all_units)
        by_unit = {
            unit: [num or 0.0, den or 0.0]
            for unit, num, den in cells.values("unit_id")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
            .values_list("unit_id", "n", "d")
            .order_by()
        }
        _add(sums, rollups, group, by_unit)
    return sums  # type: ignore[return-value]


def _computed_sums(
    spec: ComputeSpec,
    attribution: str,
    period: Period,
    rollups: dict[int, Rollup],
    filters: dict[str, list[Any]],
    as_of: dt.datetime,
    profiles: ProfileMap,
    loaded: dict[str, FactBatch] | None = None,
) -> dict[tuple[int, str], Any]:
    """Sums from the records; ``loaded``: fact batches of the same period and units that
    other indicators of the same call loaded (reused, and added to)."""
    all_units = {unit for roll in rollups.values() for unit in roll.weights}
    counts = [spec.numerator] + ([spec.denominator] if spec.denominator else [])
    batches = facts.load(counts, profiles, period.start, period.end, all_units, loaded)
    cells = compute.cells(
        spec,
        batches,
        attribution=attribution,
        as_of=timezone.localtime(as_of).date() if timezone.is_aware(as_of) else as_of.date(),
        periods=[period],
    )
    sums: dict[tuple[int, str], list[float]] = {}
    for group, group_filter in filters.items():
        accepted = profiles_in(group_filter, profiles.items())
        by_unit: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for cell in cells:
            if cell.profile in accepted:
                by_unit[cell.unit][0] += cell.numerator
                by_unit[cell.unit][1] += cell.denominator
        _add(sums, rollups, group, by_unit)
    return sums  # type: ignore[return-value]
