"""Reads of reported values for the pages, the API and the import: every list is filtered
by the user's scope (``accounts.scope.Scope``), then by unit and year when asked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from mch.accounts.scope import Scope
from mch.indicators.models import IndicatorVersion
from mch.orgunits.models import Facility, OrgUnit

from . import access, services
from .models import PolicyValue, SurveyResult, WorkforceReport

# Units a value can be entered for: from the registers' first year on.
FIRST_DAY = dt.date(2021, 1, 1)
ENTRY_LEVELS = ("province", "district", "commune")
MAX_CHOICES = 1000
WORKFORCE_KINDS = (
    Facility.Kind.PROVINCIAL_HOSPITAL,
    Facility.Kind.SPECIALISED_HOSPITAL,
    Facility.Kind.REGIONAL_HEALTH_CENTRE,
    Facility.Kind.DISTRICT_HEALTH_CENTRE,
    Facility.Kind.COMMUNE_HEALTH_STATION,
    Facility.Kind.PRIVATE_HOSPITAL,
)


def _under(unit: OrgUnit | None, field: str) -> Q:
    """Rows of ``unit`` and the units below it (nothing asked: every row)."""
    if unit is None:
        return Q()
    return Q(**{f"{field}__path__startswith": unit.path})


def surveys(*, user: Any, unit: OrgUnit | None = None, year: int | None = None) -> QuerySet[Any]:
    rows = (
        Scope.for_user(user).filter(SurveyResult.objects.all(), "unit").filter(_under(unit, "unit"))
    )
    if year is not None:
        rows = rows.filter(year=year)
    return rows.select_related("indicator", "unit", "entered_by", "updated_by")


def policy_values(
    *, user: Any, unit: OrgUnit | None = None, year: int | None = None
) -> QuerySet[Any]:
    rows = (
        Scope.for_user(user).filter(PolicyValue.objects.all(), "unit").filter(_under(unit, "unit"))
    )
    if year is not None:
        rows = rows.filter(year=year)
    return rows.select_related("indicator", "unit", "entered_by", "updated_by")


def workforce_reports(
    *, user: Any, unit: OrgUnit | None = None, year: int | None = None
) -> QuerySet[Any]:
    rows = Scope.for_user(user).filter(WorkforceReport.objects.all(), "facility__unit")
    rows = rows.filter(_under(unit, "facility__unit"))
    if year is not None:
        rows = rows.filter(year=year)
    return rows.select_related("facility", "facility__unit", "entered_by", "updated_by")


def survey_get(*, user: Any, pk: int) -> SurveyResult:
    row = surveys(user=user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def policy_get(*, user: Any, pk: int) -> PolicyValue:
    row = policy_values(user=user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def workforce_get(*, user: Any, pk: int) -> WorkforceReport:
    row = workforce_reports(user=user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def units_in_scope(*, user: Any) -> QuerySet[OrgUnit]:
    """Provinces, districts and communes of the user's scope that existed from 2021 on
    (units dissolved by the 2025 reform keep their years before it)."""
    return (
        Scope.for_user(user)
        .filter(OrgUnit.objects.filter(level__in=ENTRY_LEVELS))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=FIRST_DAY))
        .order_by("path")
    )


def unit_label(unit: OrgUnit) -> str:
    label = unit.name
    if unit.valid_to is not None:
        label += f" (đến {unit.valid_to:%d/%m/%Y})"
    elif unit.valid_from is not None and unit.valid_from > FIRST_DAY:
        label += f" (từ {unit.valid_from:%d/%m/%Y})"
    return label


def unit_choices(*, user: Any, may_enter: Any = None) -> list[tuple[str, str]]:
    """(id, label) of the units in scope, indented by level; ``may_enter(user, unit)``
    keeps only the units the user may enter for."""
    indent = {"province": "", "district": "· ", "commune": "· · "}
    out = []
    units = units_in_scope(user=user)
    if units.count() > MAX_CHOICES:  # a national scope: provinces and districts only
        units = units.exclude(level="commune")
    for unit in units:
        if may_enter is not None and not may_enter(user, unit):
            continue
        out.append((str(unit.pk), indent.get(unit.level, "") + unit_label(unit)))
    return out


def facilities_for_entry(*, user: Any) -> list[Facility]:
    rows = (
        Scope.for_user(user)
        .filter(Facility.objects.filter(kind__in=WORKFORCE_KINDS), "unit")
        .select_related("unit")
        .order_by("unit__path", "name")
    )
    return [f for f in rows if access.can_enter_workforce(user, f)]


def unit_find(*, user: Any, pk: Any) -> OrgUnit | None:
    if not str(pk or "").isdigit():
        return None
    return units_in_scope(user=user).filter(pk=int(pk)).first()


@dataclass(frozen=True)
class IndicatorChoice:
    code: str
    name: str
    multiplier: int
    unit_symbol: str


def _versions() -> dict[str, IndicatorVersion]:
    latest: dict[str, IndicatorVersion] = {}
    for v in IndicatorVersion.objects.select_related("indicator").order_by(
        "indicator_id", "version"
    ):
        latest[v.indicator.code] = v
    return latest


def _choice(code: str, v: IndicatorVersion) -> IndicatorChoice:
    return IndicatorChoice(code, v.name, v.multiplier, "%" if v.multiplier == 100 else "")


def survey_indicators() -> list[IndicatorChoice]:
    versions = _versions()
    return sorted(
        (_choice(c, versions[c]) for c in services.survey_indicator_codes()),
        key=lambda c: c.name,
    )


def policy_indicators() -> list[IndicatorChoice]:
    versions = _versions()
    return sorted(
        (_choice(c, versions[c]) for c in services.policy_indicator_codes()),
        key=lambda c: c.name,
    )


def indicator_names(codes: set[str]) -> dict[str, str]:
    versions = _versions()
    return {c: versions[c].name for c in codes if c in versions}
