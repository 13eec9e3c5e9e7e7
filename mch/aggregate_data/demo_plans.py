"""Demo periodic reports for the province of each seed plan without registers in the demo:
Bắc Giang (plan ``bac-giang-kh-bmte-2024``, 2024–2025), merged into Bắc Ninh on 1 July 2025,
and Bình Thuận (plan ``binh-thuan-kh-sksss-2024``), merged into Lâm Đồng (the same layout,
its province's own reports approved by the administrator).

So that the plan's reporting pages (completeness, timeliness, data quality) and its annual
report have figures: a few communes of Bắc Giang report every month from January 2024 to
June 2025, a few of the new Bắc Ninh communes that now hold Bắc Giang's territory from July
2025 to the last ended month; Bắc Giang's own monthly reports (January 2024–June 2025) are
the sums of its communes' approved reports, approved by the administrator (the province's
own report needs a second officer). Most months are approved; some are late, one is
missing, one value is doubtful, the latest month is submitted and waits for approval.

Counts are made up, in plausible proportions to each commune's deliveries (no register
here), and deterministic. Idempotent: a unit and month that has a report is left alone.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from mch.accounts.models import User
from mch.indicators.engine.periods import Period
from mch.orgunits.models import OrgUnit

from . import registry, services
from .deadlines import deadline
from .models import PeriodicReport, ReportStatus

PLAN = "bac-giang-kh-bmte-2024"
OFFICER = "sobacninh"
# Every seed plan without registers in the demo, with the officer of the province that now
# holds its territory: Bắc Giang (into Bắc Ninh), Bình Thuận (into Lâm Đồng).
PLANS = ((PLAN, OFFICER), ("binh-thuan-kh-sksss-2024", "solamdong"))
APPROVER = "quantri"
COMMUNES = 8
FIRST = dt.date(2024, 1, 1)
REFORM = dt.date(2025, 7, 1)
FORM = "mch_month"

# Each element's monthly count per delivery of the commune (cells share it evenly).
PER_DELIVERY = {
    "pregnant_women_managed": 7.0,
    "anc1": 1.05,
    "anc4_3t": 0.78,
    "tetanus_pregnant": 0.9,
    "deliveries": 1.0,
    "deliveries_skilled": 0.98,
    "iron_full": 0.8,
    "pnc_week1": 0.85,
    "pnc_42d": 0.8,
    "abortions": 0.15,
    "maternal_deaths": 0.0,
    "live_births": 1.01,
    "newborns_weighed": 0.98,
    "low_birth_weight": 0.05,
    "early_breastfeeding": 0.8,
    "eenc": 0.85,
    "full_immunised_u1": 0.95,
    "bcg_doses": 0.98,
    "children_measured_u5": 5.0,
    "underweight_u5": 0.5,
    "stunted_u5": 0.9,
    "pneumonia_u5": 0.3,
    "pneumonia_u5_antibiotic": 0.28,
    "child_deaths": 0.0,
    "injury_deaths_u5": 0.0,
}
# Where the deliveries took place: nearly all in a facility, a little more each year.
FACILITY_SHARE = {2024: 0.93, 2025: 0.955}


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _seed(*parts: object) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode())


def _months(start: dt.date, before: dt.date) -> list[Period]:
    out: list[Period] = []
    year, month = start.year, start.month
    while True:
        period = Period.month(year, month)
        if period.end >= before:
            return out
        out.append(period)
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)


def _values(
    elements: Iterable[registry.Element], unit: OrgUnit, period: Period
) -> dict[tuple[str, str], int]:
    size = 8 + _seed(unit.code) % 12  # the commune's deliveries in a month: 8–19
    deliveries = max(1, round(size * (0.9 + (_seed(unit.code, period.start) % 21) / 100)))
    facility = FACILITY_SHARE.get(period.start.year, 0.97) + (_seed(unit.code) % 5 - 2) / 100
    shares = {("deliveries", "facility"): min(facility, 1.0)}
    values: dict[tuple[str, str], int] = {}
    for element in elements:
        code, cells = element.code, element.cells
        total = PER_DELIVERY.get(code, 0.5) * deliveries
        if code == "child_deaths":  # now and then a newborn's death
            values[(code, "d0_27")] = 1 if _seed(unit.code, period.start, code) % 23 == 0 else 0
            for cell in cells[1:]:
                values[(code, cell.code)] = 0
            continue
        left = round(total)
        for n, cell in enumerate(cells):
            share = shares.get((code, cell.code))
            if n == len(cells) - 1:
                part = left
            elif share is not None:
                part = round(total * share)
            else:
                part = round(total / len(cells))
            part = max(0, min(part, left))
            values[(code, cell.code)] = part
            left -= part
    return values


def _communes(plan_unit: OrgUnit, before: dt.date) -> tuple[list[OrgUnit], list[OrgUnit]]:
    from mch.indicators.adapter.units import successor_communes

    old = list(
        OrgUnit.objects.in_subtree(plan_unit)
        .at_level("commune")
        .valid_on(REFORM - dt.timedelta(days=1))
        .order_by("code")[:COMMUNES]
    )
    new = sorted(successor_communes(plan_unit, max(before, REFORM)), key=lambda u: u.code)
    return old, new[:COMMUNES]


@transaction.atomic
def demo_plan_reports_load(*, today: dt.date | None = None) -> int:
    """The demo reports of each plan of ``PLANS`` (see the module's note); the number
    created."""
    today = today or timezone.localdate()
    return sum(_plan_reports(slug, officer, today) for slug, officer in PLANS)


def _plan_reports(slug: str, officer_name: str, today: dt.date) -> int:
    from mch.plans.models import Plan

    plan = Plan.objects.filter(slug=slug).select_related("scope_unit").first()
    officer = User.objects.filter(username=officer_name).first()
    approver = User.objects.filter(username=APPROVER, is_superuser=True).first()
    if plan is None or officer is None:
        return 0
    province = plan.scope_unit
    old, new = _communes(province, today)
    _, defs = services.definitions_current()
    form = defs.form(FORM)
    elements = defs.form_elements(form)
    cal = services.calendar()
    days = defs.deadline_days["commune"]
    months = _months(FIRST, today)
    latest = months[-1].start if months else None
    created = 0
    province_months = []
    for period in months:
        communes = old if period.start < REFORM else new
        if period.start < REFORM:
            province_months.append(period)
        for i, unit in enumerate(communes):
            if PeriodicReport.objects.filter(
                form_code=FORM, unit=unit, period_start=period.start
            ).exists():
                continue
            if i == len(communes) - 1 and period.start.month == 10:
                continue  # a commune that did not report in October
            values = _values(elements, unit, period)
            if i == 0 and period.start == dt.date(2025, 8, 1):
                values[("deliveries", "facility")] *= 4  # a doubtful month: 4 × the others
            due = deadline(period_end=period.end, working_days=days, calendar=cal)
            late = (i == 1 and period.start.month in (3, 9)) or (i == 2 and period.start.month == 6)
            when = due + dt.timedelta(days=4) if late else due - dt.timedelta(days=1 + i % 3)
            when = min(when, today)
            report = services.report_values_save(
                user=officer,
                form_code=FORM,
                unit=unit,
                period=period,
                values=values,
                submit=True,
                now=_moment(when),
            )
            created += 1
            waiting = period.start == latest or (i == 2 and period.start.month == 11)
            if not waiting:
                approved = when + dt.timedelta(days=3)
                while report.status != ReportStatus.APPROVED:
                    report = services.report_approve(
                        user=officer, report=report, now=_moment(min(approved, today))
                    )
    if approver is not None:
        created += _province_reports(province, province_months, officer, approver, today, cal)
    return created


def _province_reports(
    province: OrgUnit,
    months: list[Period],
    officer: User,
    approver: User,
    today: dt.date,
    cal: object,
) -> int:
    """Bắc Giang's own monthly reports: its communes' approved reports summed, submitted by
    the province officer and approved by a second one (the administrator)."""
    _, defs = services.definitions_current()
    days = defs.deadline_days["province"]
    created = 0
    for period in months:
        if PeriodicReport.objects.filter(
            form_code=FORM, unit=province, period_start=period.start
        ).exists():
            continue
        due = deadline(period_end=period.end, working_days=days, calendar=cal)  # type: ignore[arg-type]
        when = min(due - dt.timedelta(days=2), today)
        report = services.report_values_from_communes(
            user=officer, form_code=FORM, unit=province, period=period
        )
        report = services.report_submit(user=officer, report=report, now=_moment(when))
        services.report_approve(
            user=approver, report=report, now=_moment(min(when + dt.timedelta(days=2), today))
        )
        created += 1
    return created
