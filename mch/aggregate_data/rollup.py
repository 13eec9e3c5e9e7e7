"""A province's (or, for periods before 1 July 2025, a district's) periodic report as the sum
of its communes' reports: which communes count, which are missing or not approved yet, and
the sum of each cell over those that count.

Counted: the commune reports the province approved; for a district's report of a period
with the district step, also those the district has checked (the district sends its report
before the province approves the communes). The communes expected are those of the unit's
area valid on the period's last day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum

from mch.accounts.scope import Scope
from mch.indicators.engine.periods import Period
from mch.orgunits.models import OrgUnit

from .models import DataValue, PeriodicReport, ReportStatus

LOWER_LEVEL = "commune"


@dataclass(frozen=True)
class LowerReport:
    unit: OrgUnit
    report: PeriodicReport | None
    counted: bool

    @property
    def state(self) -> str:
        """``counted`` | ``not_approved`` (opened, not approved yet) | ``missing``."""
        if self.counted:
            return "counted"
        return "not_approved" if self.report is not None else "missing"


@dataclass
class Rollup:
    unit: OrgUnit
    period: Period
    statuses: tuple[str, ...]
    lower: list[LowerReport] = field(default_factory=list)
    sums: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def counted(self) -> list[LowerReport]:
        return [r for r in self.lower if r.counted]

    @property
    def not_counted(self) -> list[LowerReport]:
        return [r for r in self.lower if not r.counted]


def is_rollup_unit(unit: OrgUnit) -> bool:
    """Units whose report sums their communes' (province, district)."""
    return unit.level in ("province", "district")


def counted_statuses(unit: OrgUnit, *, district_step: bool) -> tuple[str, ...]:
    if unit.level == "district" and district_step:
        return (ReportStatus.DISTRICT_APPROVED, ReportStatus.APPROVED)
    return (ReportStatus.APPROVED,)


def rollup(
    *, user: Any, form_code: str, unit: OrgUnit, period: Period, district_step: bool
) -> Rollup:
    """The communes of ``unit``'s area (those the user sees) with their report of
    ``form_code`` for ``period``, and the cell sums over the counted ones."""
    statuses = counted_statuses(unit, district_step=district_step)
    scope = Scope.for_user(user)
    area = scope.filter(OrgUnit.objects.in_subtree(unit).at_level(LOWER_LEVEL).valid_on(period.end))
    of_period = PeriodicReport.objects.filter(
        form_code=form_code, unit__in=area, period_start=period.start, period_end=period.end
    )
    communes: Sequence[OrgUnit] = list(area.order_by("name"))
    reports = {r.unit_id: r for r in of_period}
    out = Rollup(unit=unit, period=period, statuses=statuses)
    for commune in communes:
        report = reports.get(commune.pk)
        out.lower.append(
            LowerReport(commune, report, report is not None and report.status in statuses)
        )
    rows = (
        DataValue.objects.filter(report__in=of_period.filter(status__in=statuses))
        .values("element", "cell")
        .annotate(total=Sum("value"))
        .order_by()
    )
    out.sums = {(row["element"], row["cell"]): int(row["total"]) for row in rows}
    return out
