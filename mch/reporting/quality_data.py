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
    months: list[q.Month] = field(default_factory=list)  # the period reviewed (default: year)

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


def period_months(period: Any) -> list[q.Month]:
    """The months of a calendar period (``Period``) inside its year."""
    return [(period.start.year, m) for m in range(period.start.month, period.end.month + 1)]


def quality_page(
    *, user: Any, unit: OrgUnit, year: int, months: list[q.Month] | None = None
) -> QualityPage:
    """The checks over the registers of ``unit``'s communes for ``year``, or for ``months``
    of it (a month, a quarter): each month judged against the year's months up to the
    period's end."""
    if not scope_for(user).contains(unit):
        raise PermissionDenied
    communes = plan_communes(unit, year, user)
    values = quality_values(communes=list(communes), year=year)
    months = months or q.year_months(year)
    return QualityPage(
        unit=unit,
        year=year,
        communes=communes,
        review=q.review(
            values,
            units=list(communes),
            months=months,
            expected={u.pk: months_valid(u, year) for u in communes.values()},
            history=[m for m in q.year_months(year) if m <= max(months)],
        ),
        months=months,
    )


def survey_comparisons(
    *, user: Any, unit: OrgUnit, year: int, period: Any, source: str = "so"
) -> list[q.SurveyComparison]:
    """The plan unit's routine values for ``period`` against the surveys of the same
    indicator, unit and year (``mch.reported_values.series``): the registers' value
    (``source="so"``, through the engine) or the approved periodic reports' (``"bao-cao"``,
    yearly only). Only what the user's scope shows."""
    from mch.indicators.models import IndicatorVersion
    from mch.indicators.values import indicator_values
    from mch.reported_values import rules as rv
    from mch.reported_values.models import SurveyResult
    from mch.reported_values.series import UnitSpec, other_series

    scope = scope_for(user)
    if not scope.contains(unit):
        raise PermissionDenied
    codes = sorted(
        set(
            scope.filter(SurveyResult.objects.filter(unit=unit, year=year), "unit").values_list(
                "indicator__code", flat=True
            )
        )
    )
    versions = {
        v.indicator.code: v
        for v in IndicatorVersion.objects.filter(indicator__code__in=codes)
        .select_related("indicator")
        .order_by("indicator_id", "version")
    }
    if not versions:
        return []
    points = other_series(user=user, versions=versions, units=[UnitSpec(unit.pk)], years=[year])
    surveys: dict[tuple[int, str], tuple[float, str]] = {}
    routine: dict[tuple[int, str], float] = {}
    for code in versions:
        found = points.get((code, "all", unit.pk, year), {})
        survey = found.get(rv.SURVEY)
        if survey is not None and survey.value is not None:
            surveys[(unit.pk, code)] = (survey.value, survey.detail.split("; ")[0])
        if source == "bao-cao":
            aggregate = found.get(rv.APPROVED_AGGREGATE)
            if aggregate is not None and aggregate.value is not None and period.kind == "year":
                routine[(unit.pk, code)] = aggregate.value
    if source != "bao-cao":
        computable = [c for c, v in versions.items() if v.compute]
        if computable:
            for value in indicator_values(
                user=user, indicators=computable, units=[unit], period=period
            ):
                if value.value is not None and value.unit_id == unit.pk:
                    routine[(unit.pk, value.indicator)] = value.value
    names = {c: v.name_vi for c, v in versions.items()}
    return q.survey_comparison(routine, surveys, names=names)


def survey_fix_link(comparison: q.SurveyComparison, period: Any, source: str = "so") -> str:
    """Where a routine value that differs from the survey is checked: the indicator's page
    for that unit (its values by commune), else the periodic reports of the period."""
    if source == "bao-cao":
        return reverse("aggregate-overview")
    query = {"don-vi": str(comparison.unit_id), "nam": str(period.start.year)}
    return f"{reverse('indicator-detail', args=[comparison.indicator])}?{urlencode(query)}"


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
