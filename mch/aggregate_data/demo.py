"""Demo periodic reports for a few Khánh Hòa communes so the pages are not empty: the
last four months, older ones approved, recent ones submitted, one late, one missing.
Values are the registers' where the commune keeps them, else small made-up counts.
Idempotent: a commune and month that already has a report is left alone."""

from __future__ import annotations

import datetime as dt
import zlib

from django.db import transaction
from django.utils import timezone

from mch.accounts.models import User
from mch.orgunits.models import OrgUnit

from . import selectors, services
from .deadlines import deadline
from .models import PeriodicReport
from .periods import periods_ended

DEMO_COMMUNES = ("22759", "22795")
MORE = 4


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@transaction.atomic
def demo_reports_load(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    officer = User.objects.filter(username="sokhanhhoa").first()
    if officer is None:
        return 0
    province = officer.units.first()
    if province is None:
        return 0
    communes = list(
        OrgUnit.objects.in_subtree(province)
        .at_level("commune")
        .valid_on(today)
        .filter(code__in=DEMO_COMMUNES)
    ) + list(
        OrgUnit.objects.in_subtree(province)
        .at_level("commune")
        .valid_on(today)
        .exclude(code__in=DEMO_COMMUNES)
        .order_by("code")[:MORE]
    )
    _, defs = services.definitions_current()
    form = defs.form("mch_month")
    elements = defs.form_elements(form)
    cal = services.calendar()
    created = 0
    periods = periods_ended("month", today, 4)
    for i, unit in enumerate(communes):
        for age, period in enumerate(periods):
            if PeriodicReport.objects.filter(
                form_code=form.code, unit=unit, period_start=period.start
            ).exists():
                continue
            if i == len(communes) - 1 and age <= 1:
                continue  # missing reports
            cells, totals = selectors.register_values(
                user=officer, unit=unit, period=period, elements=elements
            )
            values = {}
            for element in elements:
                for cell in element.cells:
                    seed = zlib.crc32(
                        f"{unit.code}{period.start}{element.code}{cell.code}".encode()
                    )
                    values[(element.code, cell.code)] = cells.get(
                        (element.code, cell.code), seed % 9
                    )
                if element.code in totals:  # split the registers' total over the cells
                    left = totals[element.code]
                    for n, cell in enumerate(element.cells):
                        share = left if n == len(element.cells) - 1 else (left + 1) // 2
                        values[(element.code, cell.code)] = share
                        left -= share
            if i == 0 and age == 0 and cells:
                # One value differs from the registers, so the entry page shows a difference.
                first = next(iter(cells))
                values[first] = cells[first] + 1
            due = deadline(period_end=period.end, working_days=5, calendar=cal)
            late = i == 1 and age == 1
            when = due + dt.timedelta(days=3) if late else due - dt.timedelta(days=1 + i % 3)
            when = min(when, today)
            report = services.report_values_save(
                user=officer,
                form_code=form.code,
                unit=unit,
                period=period,
                values=values,
                register_values=cells,
                submit=True,
                now=_moment(when),
            )
            if age >= 2:
                services.report_approve(
                    user=officer, report=report, now=_moment(when + dt.timedelta(days=4))
                )
            created += 1
    return created
