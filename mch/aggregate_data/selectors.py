"""Reads of periodic reports; every one takes the acting user and filters to their units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mch.accounts.scope import Scope
from mch.indicators.engine.periods import Period
from mch.orgunits.models import OrgUnit
from mch.registers.models import AuditEntry, Person

from . import access, registry
from .deadlines import Calendar, deadline, timeliness
from .models import PeriodicReport, ReportStatus
from .rollup import Rollup, is_rollup_unit, rollup
from .services import (
    calendar,
    definitions_current,
    definitions_of,
    district_step_applies,
    reporting_level,
)


def reports_visible(*, user: Any) -> QuerySet[PeriodicReport]:
    return Scope.for_user(user).filter(PeriodicReport.objects.all(), "unit").select_related("unit")


def report_find(
    *, user: Any, form_code: str, unit: OrgUnit, period: Period
) -> PeriodicReport | None:
    return (
        reports_visible(user=user)
        .filter(form_code=form_code, unit=unit, period_start=period.start, period_end=period.end)
        .first()
    )


def report_history(*, user: Any, report: PeriodicReport) -> list[AuditEntry]:
    if not access.can_read(user, report.unit):
        return []
    return list(
        AuditEntry.objects.filter(model="periodicreport", object_id=report.pk)
        .select_related("user")
        .order_by("-at", "-id")[:50]
    )


def unit_keeps_registers(unit: OrgUnit) -> bool:
    """A unit keeps individual registers when people live in it in the registers."""
    return Person.objects.filter(residence_unit__path__startswith=unit.path).exists()


def register_values(
    *, user: Any, unit: OrgUnit, period: Period, elements: Sequence[registry.Element]
) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """What the indicator engine gives from the registers: per cell (``cells`` rules) and
    per element total (``total`` rules)."""
    from mch.indicators.values import indicator_values

    codes = sorted(
        {t.indicator for e in elements for t in e.prefill_total}
        | {t.indicator for e in elements for terms in e.prefill_cells.values() for t in terms}
    )
    if not codes:
        return {}, {}
    try:
        found = indicator_values(user=user, indicators=codes, units=[unit], period=period)
    except ValueError:
        return {}, {}
    parts = {(v.indicator, "numerator"): v.numerator for v in found if v.group == "all"} | {
        (v.indicator, "denominator"): v.denominator for v in found if v.group == "all"
    }

    def total(terms: Sequence[registry.Term]) -> int | None:
        sum_ = 0.0
        for term in terms:
            part = parts.get((term.indicator, term.part))
            if part is None:
                return None
            sum_ += term.sign * part
        return max(0, round(sum_))

    cells: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for element in elements:
        for cell_code, terms in element.prefill_cells.items():
            value = total(terms)
            if value is not None:
                cells[(element.code, cell_code)] = value
        if element.prefill_total:
            value = total(element.prefill_total)
            if value is None:
                continue
            if not element.categories:
                cells[(element.code, registry.TOTAL)] = value
            else:
                totals[element.code] = value
    return cells, totals


@dataclass
class GridCell:
    code: str
    name: str
    key: str  # element/cell, the form field name
    value: int | None
    register: int | None
    error: str = ""
    raw: str | None = None
    lower: int | None = None  # the sum of the communes' counted reports (province, district)

    @property
    def difference(self) -> int | None:
        if self.value is None or self.register is None:
            return None
        return self.value - self.register

    @property
    def lower_difference(self) -> int | None:
        if self.value is None or self.lower is None:
            return None
        return self.value - self.lower

    @property
    def shown(self) -> str:
        if self.raw is not None:
            return self.raw
        return "" if self.value is None else str(self.value)


@dataclass
class GridElement:
    code: str
    name: str
    cells: list[GridCell]
    register_total: int | None = None

    @property
    def total(self) -> int | None:
        values = [c.value for c in self.cells if c.value is not None]
        return sum(values) if values else None

    @property
    def total_difference(self) -> int | None:
        if self.register_total is None or self.total is None:
            return None
        return self.total - self.register_total


@dataclass
class GridSection:
    code: str
    name: str
    elements: list[GridElement] = field(default_factory=list)


@dataclass
class EntryPage:
    form: registry.Form
    unit: OrgUnit
    period: Period
    report: PeriodicReport | None
    sections: list[GridSection]
    keeps_registers: bool
    prefilled: bool  # inputs show register values because nothing was saved yet
    can_edit: bool
    can_submit: bool
    can_approve: bool
    can_reopen: bool
    due: dt.date
    district_step: bool
    rollup: Rollup | None = None  # the communes' reports, for a province's or district's


def entry_page(
    *,
    user: Any,
    form_code: str,
    unit: OrgUnit,
    period: Period,
    posted: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> EntryPage:
    """What the entry form shows: per cell the value (saved, or posted back with its
    error), the register value and the difference. With nothing saved yet, inputs start
    from the register values; saved values are never replaced by them."""
    if not access.can_read(user, unit):
        raise PermissionError("Tài khoản này không xem được báo cáo của đơn vị này.")
    version, defs = definitions_current()
    report = report_find(user=user, form_code=form_code, unit=unit, period=period)
    if report is not None:
        defs = definitions_of(report.version_id)
    form = defs.form(form_code)
    elements = defs.form_elements(form)
    lower = (
        rollup(
            user=user,
            form_code=form_code,
            unit=unit,
            period=period,
            district_step=period.end < defs.district_step_until,
        )
        if is_rollup_unit(unit)
        else None
    )
    keeps = lower is None and unit_keeps_registers(unit)
    cells_reg, totals_reg = (
        register_values(user=user, unit=unit, period=period, elements=elements)
        if keeps
        else ({}, {})
    )
    saved = {(v.element, v.cell): v.value for v in report.values.all()} if report else {}
    prefilled = report is None or (report.status == ReportStatus.DRAFT and not saved)
    lang = "vi"
    from django.utils import translation

    lang = "en" if (translation.get_language() or "vi").startswith("en") else "vi"
    sections: dict[str, GridSection] = {}
    for element in elements:
        section = defs.sections.get(element.section)
        grid_section = sections.setdefault(
            element.section,
            GridSection(
                element.section,
                (section.name_vi if lang == "vi" else section.name_en)
                if section
                else element.section,
            ),
        )
        cells = []
        for cell in element.cells:
            key = (element.code, cell.code)
            name = f"{element.code}/{cell.code}"
            value = saved.get(key)
            if prefilled and value is None:
                value = lower.sums.get(key) if lower is not None else cells_reg.get(key)
            raw = posted.get(name) if posted is not None else None
            if posted is not None:
                from .services import _parse_value

                parsed, problem = _parse_value(raw)
                value = None if problem else parsed
            cells.append(
                GridCell(
                    cell.code,
                    cell.name(lang),
                    name,
                    value,
                    cells_reg.get(key),
                    (errors or {}).get(name, ""),
                    raw,
                    lower.sums.get(key) if lower is not None else None,
                )
            )
        grid_section.elements.append(
            GridElement(element.code, element.name(lang), cells, totals_reg.get(element.code))
        )
    status = report.status if report else ReportStatus.DRAFT
    district_step = district_step_applies(defs, period.end, unit)
    can_enter = access.can_enter(user, unit)
    can_approve = access.can_approve(
        user, unit, submitted_by_id=report.submitted_by_id if report else None
    )
    can_reopen = access.can_approve(user, unit)
    due = deadline(
        period_end=period.end,
        working_days=defs.deadline_days[reporting_level(unit)],
        calendar=calendar(),
    )
    return EntryPage(
        form=form,
        unit=unit,
        period=period,
        report=report,
        sections=list(sections.values()),
        keeps_registers=keeps,
        prefilled=prefilled and bool(lower.sums if lower is not None else cells_reg),
        can_edit=can_enter and status == ReportStatus.DRAFT,
        can_submit=can_enter and status == ReportStatus.DRAFT,
        can_approve=can_approve
        and status in (ReportStatus.SUBMITTED, ReportStatus.DISTRICT_APPROVED),
        can_reopen=can_reopen and status != ReportStatus.DRAFT and report is not None,
        due=due,
        district_step=district_step,
        rollup=lower,
    )


# -- completeness and timeliness ------------------------------------------------------------
@dataclass
class TimelinessCell:
    period: Period
    due: dt.date
    state: str  # on_time | late | missing | pending
    report: PeriodicReport | None

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""

    @property
    def token(self) -> str:
        from .periods import period_token

        return period_token(self.period)


@dataclass
class TimelinessRow:
    unit: OrgUnit
    cells: list[TimelinessCell]


@dataclass
class TimelinessTable:
    form: registry.Form
    periods: list[Period]
    rows: list[TimelinessRow]
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def completeness(self) -> float | None:
        return 100 * self.submitted / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return 100 * self.on_time / self.expected if self.expected else None


def report_units(*, user: Any, on: dt.date, level: str = "commune") -> list[OrgUnit]:
    """The units of ``level`` valid on ``on`` that the user sees (whose reports are expected)."""
    scope = Scope.for_user(user)
    return list(scope.filter(OrgUnit.objects.at_level(level).valid_on(on)).order_by("name"))


def rollup_units(*, user: Any, periods: Sequence[Period]) -> list[OrgUnit]:
    """The provinces (and, when a period has the district step, the districts) the user
    sees whose own reports sum their communes', valid in the newest period."""
    if not periods:
        return []
    _, defs = definitions_current()
    newest = max(periods, key=lambda p: p.end)
    units = report_units(user=user, on=newest.end, level="province")
    if min(p.end for p in periods) < defs.district_step_until:
        units += report_units(user=user, on=min(p.end for p in periods), level="district")
    return units


def timeliness_table(
    *,
    user: Any,
    form_code: str,
    periods: Sequence[Period],
    units: Sequence[OrgUnit] | None = None,
    today: dt.date | None = None,
    cal: Calendar | None = None,
) -> TimelinessTable:
    """Units × periods: submitted on time, late, missing (deadline passed) or pending,
    against the deadline of the unit's level (Thông tư 37: commune 5 working days after the
    period's end, district 15, province 25). Timeliness counts the first submission."""
    _, defs = definitions_current()
    form = defs.form(form_code)
    today = today or timezone.localdate()
    cal = cal or calendar()
    periods = list(periods)
    if units is None:
        units = report_units(user=user, on=periods[0].end if periods else today)
    scope = Scope.for_user(user)
    units = [u for u in units if scope.contains(u)]
    reports = {
        (r.unit_id, r.period_start): r
        for r in reports_visible(user=user).filter(
            form_code=form_code,
            unit__in=units,
            period_start__in=[p.start for p in periods],
            period_kind=form.period,
        )
    }
    table = TimelinessTable(form=form, periods=periods, rows=[])
    for unit in units:
        row = TimelinessRow(unit=unit, cells=[])
        days = defs.deadline_days[reporting_level(unit)]
        for period in periods:
            due = deadline(period_end=period.end, working_days=days, calendar=cal)
            report = reports.get((unit.pk, period.start))
            submitted = (
                timezone.localtime(report.first_submitted_at).date()
                if report is not None and report.first_submitted_at
                else None
            )
            state = timeliness(submitted_on=submitted, due=due, today=today)
            row.cells.append(TimelinessCell(period, due, state, report))
            if state != "pending":
                table.expected += 1
                table.submitted += state in ("on_time", "late")
                table.on_time += state == "on_time"
                table.late += state == "late"
                table.missing += state == "missing"
        table.rows.append(row)
    return table


def approved_totals(
    *, user: Any, element: str, period: Period, units: Sequence[OrgUnit] | None = None
) -> dict[int, int]:
    """{unit id: sum of the element's cells} over the approved reports of exactly
    ``period`` (any form holding the element), for the units the user sees: what the
    annual report and the data-quality checks read as "the approved aggregate"."""
    from django.db.models import Sum

    from .models import DataValue

    values = DataValue.objects.filter(
        element=element,
        report__status=ReportStatus.APPROVED,
        report__period_start=period.start,
        report__period_end=period.end,
    ).filter(Scope.for_user(user).unit_q("report__unit"))
    if units is not None:
        values = values.filter(report__unit__in=list(units))
    rows = values.values("report__unit_id", "report__form_code").annotate(total=Sum("value"))
    out: dict[int, int] = {}
    for row in rows.order_by("report__unit_id", "report__form_code"):
        out.setdefault(row["report__unit_id"], int(row["total"]))
    return out
