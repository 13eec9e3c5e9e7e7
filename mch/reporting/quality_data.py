"""The registers counted into the data-quality checks' input (``quality.review``): per commune
of residence × month × element, for the communes of a unit the user may see, and a link for
each finding to the register list where it can be checked and corrected."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.http import urlencode

from mch.accounts.scope import scope_for
from mch.indicators.adapter.units import successor_communes
from mch.orgunits.models import Level, OrgUnit
from mch.registers.models import AntenatalVisit, Birth, Death, Delivery, Immunisation, Pregnancy

from . import quality as q

ANTENATAL_VISITS = "antenatal_visits"
REGISTER_OF = {
    q.ANC1: "kham-thai",
    q.DELIVERIES: "de",
    q.LIVE_BIRTHS: "tre-sinh",
    q.BCG: "tiem-chung",
    q.DEATHS_UNDER_1: "tu-vong",
}


@dataclass(frozen=True)
class QualityPage:
    unit: OrgUnit
    year: int
    communes: dict[int, OrgUnit]
    review: q.QualityReview
    values: Mapping[q.Key, float] = field(default_factory=dict)  # what the checks read

    def ranked(self) -> list[tuple[OrgUnit, q.UnitScore, float]]:
        """Communes, worst score first."""
        rows = [
            (self.communes[u], s, self.review.completeness[u])
            for u, s in self.review.scores.items()
        ]
        return sorted(
            rows, key=lambda r: (r[1].score if r[1].score is not None else 101, r[0].name)
        )


def plan_communes(unit: OrgUnit, year: int, user: Any) -> dict[int, OrgUnit]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    units = OrgUnit.objects.in_subtree(unit).filter(level=Level.COMMUNE)
    units = units.exclude(valid_from__gt=end).exclude(valid_to__lt=start)
    scope = scope_for(user)
    found = {u.pk: u for u in scope.filter(units).order_by("name")}
    if not unit.is_valid_on(end):  # dissolved by a reform: the communes now in its area too
        for commune in successor_communes(unit, end):
            if scope.contains(commune):
                found.setdefault(commune.pk, commune)
    return found


def quality_values(*, communes: list[int], year: int) -> dict[q.Key, float]:
    """Counts per (commune of residence, month, element) from the registers."""
    values: dict[q.Key, float] = {}

    def add(rows: Any, element: str) -> None:
        for row in rows:
            key = (row["residence_unit_id"], (year, row["month"]), element)
            values[key] = values.get(key, 0) + row["n"]

    def monthly(queryset: Any) -> Any:
        return (
            queryset.filter(residence_unit_id__in=communes, date__year=year)
            .annotate(month=ExtractMonth("date"))
            .values("residence_unit_id", "month")
            .annotate(n=Count("id"))
            .order_by()
        )

    add(monthly(Delivery.objects.all()), q.DELIVERIES)
    add(monthly(Birth.objects.filter(outcome="live")), q.LIVE_BIRTHS)
    add(monthly(Immunisation.objects.filter(antigen="bcg")), q.BCG)
    add(monthly(Death.objects.filter(age_group__in=("neonatal", "postneonatal"))), q.DEATHS_UNDER_1)
    # a pregnancy's first antenatal visit, in the commune the pregnancy was registered in
    firsts = (
        Pregnancy.objects.filter(residence_unit_id__in=communes)
        .annotate(first=Min("visits__date"))
        .filter(first__year=year)
        .values_list("residence_unit_id", "first")
    )
    counted = Counter((unit, first.month) for unit, first in firsts)
    for (unit, month), n in counted.items():
        values[(unit, (year, month), q.ANC1)] = n
    # any antenatal visit of the month also tells that the commune kept its registers
    add(monthly(AntenatalVisit.objects.all()), ANTENATAL_VISITS)
    return values


def months_valid(unit: OrgUnit, year: int) -> list[q.Month]:
    """The months of ``year`` the commune existed in (the 2025 merger ends some in June)."""
    months = []
    for y, m in q.year_months(year):
        first, last = dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
        if (unit.valid_from is None or unit.valid_from <= last) and (
            unit.valid_to is None or unit.valid_to >= first
        ):
            months.append((y, m))
    return months


def quality_page(*, user: Any, unit: OrgUnit, year: int) -> QualityPage:
    if not scope_for(user).contains(unit):
        raise PermissionDenied
    communes = plan_communes(unit, year, user)
    values = quality_values(communes=list(communes), year=year)
    return QualityPage(
        unit=unit,
        year=year,
        communes=communes,
        review=q.review(
            values,
            units=list(communes),
            months=q.year_months(year),
            expected={u.pk: months_valid(u, year) for u in communes.values()},
        ),
    )


def fix_link(finding: q.Finding, year: int) -> str:
    """Where the finding can be checked and corrected: the register list for that commune
    and month (or year); a commune with no record in a month: the register import."""
    if finding.kind == q.COMPLETENESS:
        return reverse("register-import")
    slug = REGISTER_OF.get(finding.element, "de")
    if finding.month is not None:
        y, m = finding.month
        start, end = dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    query = {"xa": str(finding.unit_id), "tu": start.isoformat(), "den": end.isoformat()}
    return f"{reverse('register-list', args=[slug])}?{urlencode(query)}"
