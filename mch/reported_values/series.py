"""The yearly series that do not come from the registers, for the scorecard and the
annual report: survey results ("điều tra"), policy and workforce values ("báo cáo") and
approved periodic reports ("kỳ báo cáo đã duyệt"). Each point says its source and how it
was made; the series are kept apart and never added to one another or to the registers'.

Every read is filtered by the user's scope.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mch.accounts.scope import Scope
from mch.indicators.models import IndicatorVersion
from mch.orgunits.models import OrgUnit

from . import rules
from .models import PolicyValue, SurveyResult, WorkforceReport

Key = tuple[str, str, int, int]  # (indicator, population group, unit id, year)


@dataclass(frozen=True)
class SeriesPoint:
    source: str  # rules.SURVEY | rules.REPORTED | rules.APPROVED_AGGREGATE
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    complete: bool = True
    detail: str = ""  # how the figure was made, in Vietnamese (survey, n, interval…)
    small_numbers: bool = False


@dataclass(frozen=True)
class UnitSpec:
    """A scorecard unit: its own entries, and below it those of its subtree and of the
    ``parts`` (the communes that now hold a dissolved unit's territory)."""

    unit_id: int
    parts: tuple[int, ...] = ()


def _n(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def other_series(
    *,
    user: Any,
    versions: dict[str, IndicatorVersion],
    units: Sequence[UnitSpec],
    years: Sequence[int],
) -> dict[Key, dict[str, SeriesPoint]]:
    """{(indicator, group, unit, year): {source: point}} for the indicators of
    ``versions`` (code → version) over ``units`` and ``years``."""
    if not units or not years or not versions:
        return {}
    scope = Scope.for_user(user)
    ids = {u.unit_id for u in units} | {p for u in units for p in u.parts}
    paths = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "path"))
    out: dict[Key, dict[str, SeriesPoint]] = defaultdict(dict)
    _surveys(out, scope, versions, units, years)
    _policy(out, scope, versions, units, years, paths)
    _workforce(out, scope, versions, units, years, paths)
    _approved(out, scope, versions, units, years)
    return dict(out)


def _surveys(out: Any, scope: Scope, versions: Any, units: Any, years: Any) -> None:
    codes = [c for c, v in versions.items() if v.multiplier == 100]
    if not codes:
        return
    rows = scope.filter(
        SurveyResult.objects.filter(
            indicator__code__in=codes, unit_id__in=[u.unit_id for u in units], year__in=years
        ),
        "unit",
    ).select_related("indicator")
    # The latest survey of a year wins (then the latest entered).
    for r in rows.order_by("survey_date", "pk"):
        detail = (
            f"{r.survey_name}, {r.survey_date:%d/%m/%Y}, n = {r.sample_size}; khoảng tin cậy 95% "
            + ("Wilson tính từ n và giá trị" if r.ci_computed else "theo cuộc điều tra")
        )
        out[(r.indicator.code, r.population_code, r.unit_id, r.year)][rules.SURVEY] = SeriesPoint(
            rules.SURVEY,
            float(r.value),
            float(r.ci_low),
            float(r.ci_high),
            float(r.value) * r.sample_size / 100.0,
            float(r.sample_size),
            True,
            detail,
        )


def _below(path: str, entry_path: str) -> bool:
    return entry_path.startswith(path) and entry_path != path


def _policy(out: Any, scope: Scope, versions: Any, units: Any, years: Any, paths: Any) -> None:
    codes = [c for c, v in versions.items() if v.data_source == "policy"]
    if not codes:
        return
    roots = {paths[i] for u in units for i in (u.unit_id, *u.parts) if i in paths}
    if not roots:
        return
    from django.db.models import Q

    under = Q()
    for root in roots:
        under |= Q(unit__path__startswith=root)
    rows = list(
        scope.filter(
            PolicyValue.objects.filter(under, indicator__code__in=codes, year__in=years), "unit"
        ).select_related("indicator", "unit")
    )
    by_code_year: dict[tuple[str, int], list[PolicyValue]] = defaultdict(list)
    for r in rows:
        by_code_year[(r.indicator.code, r.year)].append(r)
    for (code, year), entries in by_code_year.items():
        multiplier = versions[code].multiplier
        for spec in units:
            own_rows = [e for e in entries if e.unit_id == spec.unit_id]
            spec_paths = [paths[i] for i in (spec.unit_id, *spec.parts) if i in paths]
            below_rows = [
                e
                for e in entries
                if e.unit_id != spec.unit_id
                and (e.unit_id in spec.parts or any(_below(p, e.unit.path) for p in spec_paths))
            ]
            # One level below: districts before the 2025 reform, else communes.
            levels = Counter(e.unit.level for e in below_rows)
            level = next((lv for lv in ("district", "commune") if levels[lv]), None)
            below_rows = [e for e in below_rows if e.unit.level == level]
            value = rules.policy_value(
                _entry(own_rows[0]) if own_rows else None,
                [_entry(e) for e in below_rows],
                multiplier=multiplier,
            )
            if value is None or value.value is None:
                continue
            ref = own_rows[0].document_ref if own_rows else ""
            detail = "; ".join(x for x in (value.detail, ref) if x)
            out[(code, "all", spec.unit_id, year)][rules.REPORTED] = SeriesPoint(
                rules.REPORTED,
                value.value,
                numerator=value.numerator,
                denominator=value.denominator,
                detail=detail,
            )


def _entry(row: PolicyValue) -> rules.PolicyEntry:
    def f(v: Any) -> float | None:
        return float(v) if v is not None else None

    return rules.PolicyEntry(
        row.unit_id, row.answer, f(row.numerator), f(row.denominator), f(row.number)
    )


def _workforce(out: Any, scope: Scope, versions: Any, units: Any, years: Any, paths: Any) -> None:
    codes = [c for c in versions if c in rules.WORKFORCE_INDICATORS]
    if not codes:
        return
    from django.db.models import Q

    roots = {paths[i] for u in units for i in (u.unit_id, *u.parts) if i in paths}
    under = Q()
    for root in roots:
        under |= Q(facility__unit__path__startswith=root)
    rows = list(
        scope.filter(WorkforceReport.objects.filter(under, year__in=years), "facility__unit")
        .select_related("facility", "facility__unit")
        .order_by("facility_id")
    )
    for spec in units:
        spec_paths = [paths[i] for i in (spec.unit_id, *spec.parts) if i in paths]
        for year in years:
            staff = [
                _staff(r)
                for r in rows
                if r.year == year and any(r.facility.unit.path.startswith(p) for p in spec_paths)
            ]
            if not staff:
                continue
            for code in codes:
                value = rules.workforce_value(code, staff)
                if value is None:
                    continue
                out[(code, "all", spec.unit_id, year)][rules.REPORTED] = SeriesPoint(
                    rules.REPORTED,
                    value.value,
                    numerator=value.numerator,
                    denominator=value.denominator,
                    detail=value.detail,
                )


def _staff(r: WorkforceReport) -> rules.FacilityStaff:
    return rules.FacilityStaff(
        facility_id=r.facility_id,
        kind=r.facility.kind,
        obstetrics=rules.Doctors(r.obstetric_level2, r.obstetric_level1, r.obstetric_oriented),
        paediatrics=rules.Doctors(r.paediatric_level2, r.paediatric_level1, r.paediatric_oriented),
        child_doctors=r.child_doctors,
        child_doctors_trained=r.child_doctors_trained,
        village_midwives=r.village_midwives,
    )


# ---------------------------------------------------------------- approved periodic reports

Part = tuple[str, tuple[str, ...] | None]  # (element, cells summed, or None: whole element)


def element_parts(defs: Any) -> dict[tuple[str, str], Part]:
    """{(indicator, "numerator"|"denominator"): (element, cells)} from the definitions:
    the ``prefill`` rules (an element, or one of its cells, whose rule is exactly one
    indicator part gives that part) and the ``gives`` declarations (the whole element or
    the sum of the cells listed). The first element in the file wins."""
    found: dict[tuple[str, str], Part] = {}
    for element in defs.elements.values():
        total = element.prefill_total
        if len(total) == 1 and total[0].sign == 1:
            found.setdefault((total[0].indicator, total[0].part), (element.code, None))
        cells = element.prefill_cells
        if cells:
            net: Counter[tuple[str, str]] = Counter()
            for terms in cells.values():
                for term in terms:
                    net[(term.indicator, term.part)] += term.sign
            kept = [(k, v) for k, v in net.items() if v]
            if len(kept) == 1 and kept[0][1] == 1 and len(cells) == len(element.cells):
                found.setdefault(kept[0][0], (element.code, None))
            for cell, terms in cells.items():
                if len(terms) == 1 and terms[0].sign == 1:
                    found.setdefault((terms[0].indicator, terms[0].part), (element.code, (cell,)))
        for given in getattr(element, "gives", ()):
            found.setdefault(
                (given.indicator, given.part), (element.code, tuple(given.cells) or None)
            )
    return found


_KIND_ORDER = ("year", "9m", "half", "quarter", "month")
_FULL = {"year": 1, "quarter": 4, "month": 12}


def _approved(out: Any, scope: Scope, versions: Any, units: Any, years: Any) -> None:
    from mch.aggregate_data.models import DataValue, DefinitionVersion, ReportStatus
    from mch.aggregate_data.services import definitions_of

    latest = DefinitionVersion.objects.order_by("-number").first()
    if latest is None:
        return
    parts = element_parts(definitions_of(latest.pk, latest.digest))
    wanted: dict[str, tuple[Part | None, Part | None]] = {}
    for code, version in versions.items():
        num, den = parts.get((code, "numerator")), parts.get((code, "denominator"))
        if num is not None and (den is not None or version.multiplier == 1):
            wanted[code] = (num, den)
    if not wanted:
        return
    elements = {p[0] for pair in wanted.values() for p in pair if p is not None}
    ids = {u.unit_id for u in units} | {p for u in units for p in u.parts}
    values = scope.filter(
        DataValue.objects.filter(
            element__in=elements,
            report__status=ReportStatus.APPROVED,
            report__unit_id__in=ids,
            report__period_start__year__in=list(years),
        ),
        "report__unit",
    ).values_list(
        "report__unit_id",
        "report_id",
        "report__period_kind",
        "report__period_start",
        "report__period_end",
        "element",
        "cell",
        "value",
    )
    # (unit, year) -> kind -> report -> {(element, cell): value}
    reports: dict[tuple[int, int], dict[str, dict[int, dict[tuple[str, str], int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )
    months: dict[int, tuple[Any, Any]] = {}
    for unit_id, report_id, kind, start, end, element, cell, value in values:
        if start.year != end.year:
            continue
        reports[(unit_id, start.year)][kind][report_id][(element, cell)] = value
        months[report_id] = (start, end)
    with_parts = [u for u in units if u.parts]
    named = {
        o.pk: o
        for o in OrgUnit.objects.filter(
            pk__in={u.unit_id for u in with_parts} | {p for u in with_parts for p in u.parts}
        ).only("pk", "name", "valid_to")
    }
    from mch.indicators.engine import compute
    from mch.indicators.values import spec_of

    for spec in units:
        for year in years:
            if spec.parts:
                picked = _through_lineage(spec, year, reports, months, named)
            else:
                picked = _own(reports.get((spec.unit_id, year)), months)
            if picked is None:
                continue
            chosen, complete, covered = picked
            unit_id = spec.unit_id
            for code, (num_part, den_part) in wanted.items():

                def total(part: Part | None, chosen: Any = chosen) -> float | None:
                    if part is None:
                        return None
                    element, cells = part
                    sums = [
                        v
                        for rep in chosen.values()
                        for (e, c), v in rep.items()
                        if e == element and (cells is None or c in cells)
                    ]
                    return float(sum(sums)) if sums else None

                summed_num, summed_den = total(num_part), total(den_part)
                if summed_num is None:
                    continue
                version = versions[code]
                if version.multiplier == 1:
                    point = SeriesPoint(
                        rules.APPROVED_AGGREGATE,
                        summed_num,
                        numerator=summed_num,
                        complete=complete,
                        detail=covered,
                    )
                else:
                    ind_spec = spec_of(version)
                    res = compute.result(
                        summed_num,
                        summed_den,
                        multiplier=version.multiplier,
                        ci=ind_spec.ci if ind_spec else "none",
                    )
                    if res.value is None:
                        continue
                    point = SeriesPoint(
                        rules.APPROVED_AGGREGATE,
                        res.value,
                        res.ci_low,
                        res.ci_high,
                        summed_num,
                        summed_den,
                        complete,
                        covered,
                        bool(res.small_numbers),
                    )
                out[(code, "all", unit_id, year)][rules.APPROVED_AGGREGATE] = point


Chosen = dict[int, dict[tuple[str, str], int]]  # report -> {(element, cell): value}


def _own(kinds: Any, months: dict[int, tuple[Any, Any]]) -> tuple[Chosen, bool, str] | None:
    """A unit's own approved reports of a year: those of the longest kind it has."""
    if not kinds:
        return None
    kind = next(k for k in _KIND_ORDER if k in kinds)
    chosen = kinds[kind]
    complete = len(chosen) >= _FULL.get(kind, 99)
    first = min(months[r][0] for r in chosen)
    last = max(months[r][1] for r in chosen)
    return chosen, complete, f"{len(chosen)} báo cáo, {first:%m/%Y}–{last:%m/%Y}"


_NAMED_PARTS = 8


def _through_lineage(
    spec: UnitSpec,
    year: int,
    reports: Any,
    months: dict[int, tuple[Any, Any]],
    named: dict[int, OrgUnit],
) -> tuple[Chosen, bool, str] | None:
    """A unit dissolved during ``year`` (or before it) covers its territory for the whole
    year: its own monthly reports up to its last day, then the monthly reports of the
    communes that now hold its territory (``spec.parts``), month by month, never both
    for the same month."""
    unit = named.get(spec.unit_id)
    ended = unit.valid_to if unit is not None else None
    own = (reports.get((spec.unit_id, year)) or {}).get("month", {})
    own_months = {months[r][0].month: r for r in own if ended is None or months[r][0] <= ended}
    chosen: Chosen = {r: own[r] for r in own_months.values()}
    after: list[int] = [
        m
        for m in range(1, 13)
        if m not in own_months and (ended is None or (ended.year, ended.month) < (year, m))
    ]
    part_reports: dict[int, list[int]] = defaultdict(list)  # month -> reports
    reporting: set[int] = set()
    for part in spec.parts:
        for r in (reports.get((part, year)) or {}).get("month", {}):
            if months[r][0].month in after:
                part_reports[months[r][0].month].append(r)
                reporting.add(part)
                chosen[r] = reports[(part, year)]["month"][r]
    if not chosen:
        return None
    before_end = [m for m in range(1, 13) if m not in after]
    complete = all(m in own_months for m in before_end) and all(
        len(part_reports[m]) == len(spec.parts) for m in after
    )
    bits = []
    if own_months:
        first, last = min(own_months), max(own_months)
        name = unit.name if unit is not None else ""
        bits.append(f"{name}: {len(own_months)} báo cáo tháng {first:02d}/{year}–{last:02d}/{year}")
    if after:
        names = sorted(named[p].name for p in reporting if p in named)
        shown = ", ".join(names[:_NAMED_PARTS]) + (" …" if len(names) > _NAMED_PARTS else "")
        count = sum(len(v) for v in part_reports.values())
        bits.append(
            f"{after[0]:02d}/{year}–{after[-1]:02d}/{year}: {count} báo cáo tháng của "
            f"{len(reporting)}/{len(spec.parts)} xã nay thuộc địa bàn"
            + (f" ({shown})" if shown else "")
        )
    return chosen, complete, "; ".join(bits)
