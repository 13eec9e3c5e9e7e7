"""Demo periodic reports for the province of each seed plan: Bắc Giang (plan
``bac-giang-kh-bmte-2024``, 2024–2025), merged into Bắc Ninh on 1 July 2025, Bình Thuận
(plan ``binh-thuan-kh-sksss-2024``), merged into Lâm Đồng (the same layout, its province's
own reports approved by the administrator), and Lào Cai (plan ``lao-cai-kh-1493-2026``,
2026–2030, today's province): a few of its communes on today's map report every month
from January 2026 at a mountainous province's levels, January–October approved, November
submitted (one commune has not sent it), the province's own months the sums of theirs.

Besides the months, each reporting commune sends, for each ended quarter (and ended year)
of the plan's years, the quarterly (yearly) report, the form with every element: the rows
only those forms hold (iron, newborns weighed, postnatal care within 42 days, EENC,
nutrition, pneumonia, injury deaths) get figures; its counts of the monthly elements are
the sums of its months (of its monthly reports, and of the month whose report it did not
send). Approved unless it holds the last ended month; the province's own quarterly
(yearly) reports are again the sums of its communes' approved ones. No 6- or 9-month reports:
the approved series reads a unit's longest kind of report in a year, and a 6-month report
would hide the running year's third quarter.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

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
LAO_CAI = "lao-cai-kh-1493-2026"
LAO_CAI_OFFICER = "solaocai"
APPROVER = "quantri"
COMMUNES = 8
FIRST = dt.date(2024, 1, 1)
REFORM = dt.date(2025, 7, 1)
FORM = "mch_month"
QUARTER_FORM = "mch_quarter"
YEAR_FORM = "mch_year"

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


@dataclass(frozen=True)
class Levels:
    """A province's synthetic levels (settings of the demo, not estimates)."""

    per_delivery: Mapping[str, float] = field(default_factory=dict)  # over PER_DELIVERY
    facility: Mapping[int, float] = field(default_factory=lambda: FACILITY_SHARE)
    # A death of the age group (cell of child_deaths) in one commune-month in N.
    deaths: Mapping[str, int] = field(default_factory=lambda: {"d0_27": 23})
    injury: int = 0  # one in N of the deaths at 1–4 years from an injury (0: none)


# A mountainous province (Lào Cai with Yên Bái): fewer antenatal visits, facility births
# and home visits, more low birth weight, stunting and pneumonia; a newborn's death in
# about one commune-month in 7 (about 12 per 1,000 live births at 8–19 births a month), a
# death at 28 days–11 months in 10, at 1–4 years in 9, a third of those from an injury.
MOUNTAIN = Levels(
    per_delivery={
        "anc4_3t": 0.55,
        "tetanus_pregnant": 0.85,
        "deliveries_skilled": 0.9,
        "iron_full": 0.6,
        "pnc_week1": 0.6,
        "pnc_42d": 0.55,
        "newborns_weighed": 0.92,
        "low_birth_weight": 0.08,
        "early_breastfeeding": 0.72,
        "eenc": 0.6,
        "full_immunised_u1": 0.88,
        "underweight_u5": 0.8,
        "stunted_u5": 1.35,
        "pneumonia_u5": 0.45,
        "pneumonia_u5_antibiotic": 0.4,
    },
    facility={2026: 0.86},
    deaths={"d0_27": 7, "d28_m11": 10, "y1_4": 9},
    injury=3,
)


@dataclass(frozen=True)
class DemoPlan:
    slug: str
    officer: str  # of the province that holds the plan's territory today
    first: dt.date = FIRST
    levels: Levels = Levels()
    missing: int = 10  # the month the last commune does not report


# Every seed plan, with the officer of the province that now holds its territory: Bắc
# Giang (into Bắc Ninh), Bình Thuận (into Lâm Đồng), Lào Cai.
PLANS = (
    DemoPlan(PLAN, OFFICER),
    DemoPlan("binh-thuan-kh-sksss-2024", "solamdong"),
    DemoPlan(LAO_CAI, LAO_CAI_OFFICER, dt.date(2026, 1, 1), MOUNTAIN, missing=11),
)


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


def _deaths(levels: Levels, unit: OrgUnit, period: Period) -> dict[str, int]:
    """Now and then a child's death, by age group (cell of ``child_deaths``)."""
    out = {}
    for cell, one_in in levels.deaths.items():
        seed = _seed(unit.code, period.start, "child_deaths", *([cell] if cell != "d0_27" else []))
        out[cell] = 1 if seed % one_in == 0 else 0
    return out


def _values(
    elements: Iterable[registry.Element],
    unit: OrgUnit,
    period: Period,
    levels: Levels | None = None,
) -> dict[tuple[str, str], int]:
    levels = levels or Levels()
    size = 8 + _seed(unit.code) % 12  # the commune's deliveries in a month: 8–19
    deliveries = max(1, round(size * (0.9 + (_seed(unit.code, period.start) % 21) / 100)))
    facility = levels.facility.get(period.start.year, 0.97) + (_seed(unit.code) % 5 - 2) / 100
    shares = {("deliveries", "facility"): min(facility, 1.0)}
    deaths = _deaths(levels, unit, period)
    values: dict[tuple[str, str], int] = {}
    for element in elements:
        code, cells = element.code, element.cells
        total = {**PER_DELIVERY, **levels.per_delivery}.get(code, 0.5) * deliveries
        if code == "child_deaths":
            for cell in cells:
                values[(code, cell.code)] = deaths.get(cell.code, 0)
            continue
        if code == "injury_deaths_u5" and levels.injury:
            injured = _seed(unit.code, period.start, code) % levels.injury == 0
            values[(code, cells[0].code)] = 1 if deaths.get("y1_4", 0) and injured else 0
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
    """The communes reporting before the reform and after it: the plan's own communes of
    30 June 2025, then those that now hold its territory (its own, for a province of
    today's map)."""
    from mch.indicators.adapter.units import successor_communes

    old = list(
        OrgUnit.objects.in_subtree(plan_unit)
        .at_level("commune")
        .valid_on(REFORM - dt.timedelta(days=1))
        .order_by("code")[:COMMUNES]
    )
    day = max(before, REFORM)
    new = sorted(successor_communes(plan_unit, day), key=lambda u: u.code)
    if not new:
        new = list(
            OrgUnit.objects.in_subtree(plan_unit).at_level("commune").valid_on(day).order_by("code")
        )
    return old, new[:COMMUNES]


def _longer_periods(plan: Any, today: dt.date) -> list[tuple[str, Period]]:
    """(form, period): the quarters and the years of the plan's years ended before today."""
    out: list[tuple[str, Period]] = []
    for year in range(plan.period_start, plan.period_end + 1):
        for quarter in range(1, 5):
            out.append((QUARTER_FORM, Period.quarter(year, quarter)))
        out.append((YEAR_FORM, Period.year(year)))
    return [(form, period) for form, period in out if period.end < today]


@transaction.atomic
def demo_plan_reports_load(*, today: dt.date | None = None) -> int:
    """The demo reports of each plan of ``PLANS`` (see the module's note); the number
    created."""
    today = today or timezone.localdate()
    return sum(_plan_reports(demo, today) for demo in PLANS)


def _plan_reports(demo: DemoPlan, today: dt.date) -> int:
    from mch.plans.models import Plan

    plan = Plan.objects.filter(slug=demo.slug).select_related("scope_unit").first()
    officer = User.objects.filter(username=demo.officer).first()
    approver = User.objects.filter(username=APPROVER, is_superuser=True).first()
    if plan is None or officer is None:
        return 0
    province = plan.scope_unit
    old, new = _communes(province, today)
    _, defs = services.definitions_current()
    form = defs.form(FORM)
    elements = defs.form_elements(form)
    every = defs.form_elements(defs.form(QUARTER_FORM))
    cal = services.calendar()
    days = defs.deadline_days["commune"]
    months = _months(demo.first, today)
    latest = months[-1].start if months else None
    created = 0
    province_months = []
    # (commune, month) -> the month's counts of every element, sent or not that month
    counted: dict[tuple[int, dt.date], dict[tuple[str, str], int]] = {}
    for period in months:
        communes = old if period.start < REFORM else new
        ended = province.valid_to
        if (ended is None or period.end <= ended) and period.start != latest:
            province_months.append(period)
        for i, unit in enumerate(communes):
            counts = _values(every, unit, period, demo.levels)
            if i == 0 and period.start == dt.date(2025, 8, 1):
                counts[("deliveries", "facility")] *= 4  # a doubtful month: 4 × the others
            counted[(unit.pk, period.start)] = counts
            if i == len(communes) - 1 and period.start.month == demo.missing:
                continue  # a commune that did not send that month's report
            waiting = period.start == latest or (i == 2 and period.start.month == 11)
            if PeriodicReport.objects.filter(
                form_code=FORM, unit=unit, period_start=period.start
            ).exists():
                continue
            values = {k: v for k, v in counts.items() if k[0] in {e.code for e in elements}}
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
            if not waiting:
                approved = when + dt.timedelta(days=3)
                while report.status != ReportStatus.APPROVED:
                    report = services.report_approve(
                        user=officer, report=report, now=_moment(min(approved, today))
                    )
    longer = _longer_periods(plan, today)
    created += _commune_longer_reports(
        longer, [*old, *new], counted, latest, officer, today, cal, days
    )
    if approver is not None:
        created += _province_reports(
            province, [(FORM, p) for p in province_months], officer, approver, today, cal
        )
        covered = {p.start for p in province_months}
        created += _province_reports(
            province,
            [(f, p) for f, p in longer if all(m.start in covered for m in p.months())],
            officer,
            approver,
            today,
            cal,
        )
    return created


def _commune_longer_reports(
    periods: list[tuple[str, Period]],
    communes: list[OrgUnit],
    counted: dict[tuple[int, dt.date], dict[tuple[str, str], int]],
    latest: dt.date | None,
    officer: User,
    today: dt.date,
    cal: object,
    days: int,
) -> int:
    """A commune's quarterly (yearly) report where it reported for every month of the
    period: the sums of its months (a month whose monthly report it did not send
    included), approved unless the period holds the last ended month."""
    created = 0
    for form_code, period in periods:
        for unit in communes:
            parts = [counted.get((unit.pk, m.start)) for m in period.months()]
            if any(p is None for p in parts):
                continue
            if PeriodicReport.objects.filter(
                form_code=form_code, unit=unit, period_start=period.start
            ).exists():
                continue
            values: dict[tuple[str, str], int] = {}
            for counts in parts:
                for key, value in (counts or {}).items():
                    values[key] = values.get(key, 0) + value
            due = deadline(period_end=period.end, working_days=days, calendar=cal)  # type: ignore[arg-type]
            when = min(due - dt.timedelta(days=1), today)
            report = services.report_values_save(
                user=officer,
                form_code=form_code,
                unit=unit,
                period=period,
                values=values,
                submit=True,
                now=_moment(when),
            )
            created += 1
            if latest is None or not period.contains(latest):
                while report.status != ReportStatus.APPROVED:
                    report = services.report_approve(
                        user=officer,
                        report=report,
                        now=_moment(min(when + dt.timedelta(days=3), today)),
                    )
    return created


def _province_reports(
    province: OrgUnit,
    periods: list[tuple[str, Period]],
    officer: User,
    approver: User,
    today: dt.date,
    cal: object,
) -> int:
    """The province's own reports: its communes' approved reports summed, submitted by
    the province officer and approved by a second one (the administrator)."""
    _, defs = services.definitions_current()
    days = defs.deadline_days["province"]
    created = 0
    for form_code, period in periods:
        if PeriodicReport.objects.filter(
            form_code=form_code, unit=province, period_start=period.start
        ).exists():
            continue
        due = deadline(period_end=period.end, working_days=days, calendar=cal)  # type: ignore[arg-type]
        when = min(due - dt.timedelta(days=2), today)
        report = services.report_values_from_communes(
            user=officer, form_code=form_code, unit=province, period=period
        )
        report = services.report_submit(user=officer, report=report, now=_moment(when))
        services.report_approve(
            user=approver, report=report, now=_moment(min(when + dt.timedelta(days=2), today))
        )
        created += 1
    return created
