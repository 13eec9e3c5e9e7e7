"""The approved periodic (aggregate) reports fed to the same data-quality checks as the
registers (``quality.review``): per commune × month × element from the approved monthly
reports, completeness (a month's report not approved, or not even submitted, once its
deadline has passed) and timeliness (first submission against the commune's deadline);
each finding links to the entry form of that commune and month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from mch.accounts.scope import scope_for
from mch.aggregate_data.deadlines import deadline
from mch.aggregate_data.models import DataValue, PeriodicReport, ReportStatus
from mch.aggregate_data.periods import period_token
from mch.aggregate_data.services import calendar, definitions_current
from mch.indicators.engine.periods import Period
from mch.orgunits.models import OrgUnit

from . import quality as q
from .quality_data import QualityPage, months_valid, plan_communes

MONTH_FORM = "mch_month"
REPORTED = "reported"  # one per approved report: the month counts as reported
# Each checked element as the sum of cells of the form's data elements (None: every cell).
ELEMENTS: dict[str, tuple[tuple[str, str | None], ...]] = {
    q.ANC1: (("anc1", None),),
    q.DELIVERIES: (("deliveries", None),),
    q.LIVE_BIRTHS: (("live_births", None),),
    q.BCG: (("bcg_doses", None),),
    q.DEATHS_UNDER_1: (("child_deaths", "d0_27"), ("child_deaths", "d28_m11")),
}
_OF_CELL = {
    (element, cell): checked for checked, parts in ELEMENTS.items() for element, cell in parts
}
STATUS_TEXT = {
    ReportStatus.DRAFT: "mới là bản nháp",
    ReportStatus.SUBMITTED: "đã nộp, chưa được duyệt",
    ReportStatus.DISTRICT_APPROVED: "huyện đã kiểm tra, tỉnh chưa duyệt",
}


def _month(day: dt.date) -> q.Month:
    return (day.year, day.month)


def aggregate_values(*, communes: list[int], year: int) -> dict[q.Key, float]:
    """Counts per (commune, month, checked element) over the approved monthly reports."""
    values: dict[q.Key, float] = defaultdict(float)
    rows = DataValue.objects.filter(
        report__form_code=MONTH_FORM,
        report__status=ReportStatus.APPROVED,
        report__unit_id__in=communes,
        report__period_start__year=year,
    ).values_list("report__unit_id", "report__period_start", "element", "cell", "value")
    for unit, start, element, cell, value in rows:
        checked = _OF_CELL.get((element, cell)) or _OF_CELL.get((element, None))
        if checked:
            values[(unit, _month(start), checked)] += value
    approved = PeriodicReport.objects.filter(
        form_code=MONTH_FORM,
        status=ReportStatus.APPROVED,
        unit_id__in=communes,
        period_start__year=year,
    ).values_list("unit_id", "period_start")
    for unit, start in approved:
        values[(unit, _month(start), REPORTED)] = 1
    return dict(values)


def _due_months(
    unit: OrgUnit, year: int, today: dt.date, days: int, cal: Any
) -> dict[q.Month, dt.date]:
    out = {}
    for month in months_valid(unit, year):
        period = Period.month(*month)
        due = deadline(period_end=period.end, working_days=days, calendar=cal)
        if due < today:
            out[month] = due
    return out


def aggregate_quality_page(
    *,
    user: Any,
    unit: OrgUnit,
    year: int,
    today: dt.date | None = None,
    months: list[q.Month] | None = None,
) -> QualityPage:
    """The checks over the approved monthly reports of the communes of ``unit`` (those the
    user sees) for ``year``; a month is expected once the commune's deadline has passed."""
    if not scope_for(user).contains(unit):
        raise PermissionDenied
    today = today or timezone.localdate()
    communes = plan_communes(unit, year, user)
    _, defs = definitions_current()
    cal = calendar()
    days = defs.deadline_days["commune"]
    due = {pk: _due_months(c, year, today, days, cal) for pk, c in communes.items()}
    reports = PeriodicReport.objects.filter(
        form_code=MONTH_FORM, unit_id__in=list(communes), period_start__year=year
    ).values_list("unit_id", "period_start", "status", "first_submitted_at")
    timeliness: dict[tuple[int, q.Month], bool] = {}
    missing: dict[tuple[int, q.Month], str] = {}
    for unit_id, start, status, first in reports:
        month = _month(start)
        if month not in due[unit_id]:
            continue
        if first is not None:
            timeliness[(unit_id, month)] = timezone.localtime(first).date() <= due[unit_id][month]
        if status != ReportStatus.APPROVED:
            missing[(unit_id, month)] = (
                f"Báo cáo tháng {month[1]:02d}/{month[0]} {STATUS_TEXT.get(ReportStatus(status), status)}."
            )
    for unit_id, unit_due in due.items():
        for month, day in unit_due.items():
            missing.setdefault(
                (unit_id, month),
                f"Chưa nộp báo cáo tháng {month[1]:02d}/{month[0]} (hạn {day:%d/%m/%Y}).",
            )
    values = aggregate_values(communes=list(communes), year=year)
    months = months or q.year_months(year)
    return QualityPage(
        unit=unit,
        year=year,
        communes=communes,
        review=q.review(
            values,
            units=list(communes),
            months=months,
            expected={pk: list(due_months) for pk, due_months in due.items()},
            timeliness=timeliness,
            missing_text=missing,
            history=[m for m in q.year_months(year) if m <= max(months)],
        ),
        values=values,
        months=months,
    )


def fix_link(finding: q.Finding, year: int, values: Mapping[q.Key, float]) -> str:
    """The entry form of the commune and month of the finding; a finding on the whole year
    opens the month whose value is farthest from the commune's monthly mean (the month that
    moves the year's ratio most)."""
    month = finding.month
    if month is None:
        series = {
            m: v for (u, m, e), v in values.items() if u == finding.unit_id and e == finding.element
        }
        if series:
            mean = sum(series.values()) / 12
            month = max(sorted(series), key=lambda m: abs(series[m] - mean))
        else:
            month = (year, 12)
    return reverse(
        "aggregate-entry", args=[MONTH_FORM, finding.unit_id, period_token(Period.month(*month))]
    )
