"""The query of indicator values as people write it (API query string, command line): one
parser for both, so ``GET /api/indicators/values/`` and ``mch indicators`` accept the same
input, refuse it with the same messages and return the same rows.

Periods: ``2026`` (year), ``2026-Q1`` (quarter), ``2026-03`` (month), ``2026-6M`` and
``2026-9M`` (the first 6 or 9 months), ``2021..2025`` (several years). The forms of the
routine reports (``Q1/2026``, ``03/2026``, ``6m/2026``, ``2021-2025``) are accepted too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from mch.accounts.scope import Scope
from mch.indicators.engine.periods import Period
from mch.orgunits.models import OrgUnit

from .groups import UnknownGroup, group_filters
from .models import IndicatorVersion, PopulationGroup
from .values import ATTRIBUTIONS, IndicatorValue, indicator_values

BY = ("unit", "group")
FIELDS = (
    "indicator",
    "version",
    "unit_id",
    "unit_code",
    "unit_name",
    "period",
    "period_start",
    "period_end",
    "group",
    "attribution",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "ci_method",
    "small_numbers",
    "unit_symbol",
    "as_of",
    "note",
)

_YEAR = r"(\d{4})"
_PERIODS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(rf"^{_YEAR}$"), lambda y: Period.year(int(y))),
    (re.compile(rf"^{_YEAR}-Q([1-4])$", re.I), lambda y, q: Period.quarter(int(y), int(q))),
    (re.compile(rf"^{_YEAR}-(\d{{2}})$"), lambda y, m: Period.month(int(y), int(m))),
    (re.compile(rf"^{_YEAR}-([69])M$", re.I), lambda y, n: Period.first_months(int(y), int(n))),
    (re.compile(rf"^{_YEAR}\.\.{_YEAR}$"), lambda a, b: Period.years(int(a), int(b))),
    # the forms of the routine reports
    (re.compile(r"^Q([1-4])/(\d{4})$", re.I), lambda q, y: Period.quarter(int(y), int(q))),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), lambda m, y: Period.month(int(y), int(m))),
    (re.compile(r"^([69])m/(\d{4})$", re.I), lambda n, y: Period.first_months(int(y), int(n))),
    (re.compile(rf"^{_YEAR}[-–]{_YEAR}$"), lambda a, b: Period.years(int(a), int(b))),
]


class QueryInvalid(ValueError):
    """Input that cannot be read: ``errors`` maps each parameter to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = dict(errors)


class QueryRefused(PermissionError):
    """A unit the user may not see."""


@dataclass(frozen=True)
class ValuesQuery:
    indicators: list[str]
    units: list[OrgUnit]
    period: Period
    groups: list[str] = field(default_factory=lambda: ["all"])
    attribution: str = "residence"
    by_unit: bool = False


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def period_parse(text: str) -> Period:
    """A period in the syntax of the module docstring; ``ValueError`` with a message."""
    value = text.strip()
    for pattern, build in _PERIODS:
        match = pattern.match(value)
        if match:
            try:
                period: Period = build(*match.groups())
            except ValueError:
                break
            return period
    raise ValueError(
        _(
            "Cannot read the period '%(text)s': write 2026, 2026-Q1, 2026-03, 2026-6M, "
            "2026-9M or 2021..2025."
        )
        % {"text": text}
    )


def _unit_find(text: str, on: dt.date) -> OrgUnit | None:
    """A unit by code (the unit holding it on ``on``, codes were reused by the 2025
    reform), or by id when the number is no unit's code."""
    units = OrgUnit.objects.filter(code=text)
    found = (
        units.valid_on(on).order_by("-valid_from").first() or units.order_by("-valid_from").first()
    )
    if found is None and text.isdigit():
        found = OrgUnit.objects.filter(pk=int(text)).first()
    return found


def default_units(user: Any) -> list[OrgUnit]:
    """The user's own units; for an administrator without any, the top of the tree."""
    own = list(user.units.all()) if getattr(user, "pk", None) else []
    if own or not getattr(user, "is_superuser", False):
        return own
    return list(OrgUnit.objects.filter(parent__isnull=True).order_by("code"))


def query_parse(*, user: Any, params: Mapping[str, str | None]) -> ValuesQuery:
    """The query in ``params`` (indicator, unit, period, group, attribution, by), checked.

    Raises ``QueryInvalid`` listing every parameter at fault, then ``QueryRefused`` for a
    unit outside the user's scope."""
    errors: dict[str, list[str]] = {}

    indicators = _split(params.get("indicator"))
    if not indicators:
        errors["indicator"] = [_("Give at least one indicator code.")]
    else:
        known = set(
            IndicatorVersion.objects.filter(indicator__code__in=indicators).values_list(
                "indicator__code", flat=True
            )
        )
        unknown = [code for code in indicators if code not in known]
        if unknown:
            errors["indicator"] = [
                _("No indicator '%(code)s' in the catalogue.") % {"code": code} for code in unknown
            ]
        indicators = list(dict.fromkeys(indicators))

    period: Period | None = None
    raw_period = (params.get("period") or "").strip()
    if not raw_period:
        errors["period"] = [_("Give a period, for example 2026, 2026-Q1 or 2026-03.")]
    else:
        try:
            period = period_parse(raw_period)
        except ValueError as error:
            errors["period"] = [str(error)]

    on = period.end if period else timezone.localdate()
    units: list[OrgUnit] = []
    raw_units = _split(params.get("unit"))
    for text in raw_units:
        unit = _unit_find(text, on)
        if unit is None:
            errors.setdefault("unit", []).append(_("No unit '%(unit)s'.") % {"unit": text})
        else:
            units.append(unit)
    if not raw_units:
        units = default_units(user)
        if not units:
            errors["unit"] = [_("Give a unit (its id or code).")]

    by = _split(params.get("by"))
    bad_by = [value for value in by if value not in BY]
    if bad_by:
        errors["by"] = [
            _("'by' takes unit, group or both (unit,group), not '%(value)s'.") % {"value": value}
            for value in bad_by
        ]

    groups = _split(params.get("group"))
    if "group" in by and not groups:
        groups = ["all", *PopulationGroup.objects.order_by("code").values_list("code", flat=True)]
    groups = list(dict.fromkeys(groups or ["all"]))
    for group in groups:
        try:
            group_filters(group)
        except UnknownGroup:
            errors.setdefault("group", []).append(
                _("No population group '%(group)s'.") % {"group": group}
            )

    attribution = (params.get("attribution") or "residence").strip()
    if attribution not in ATTRIBUTIONS:
        errors["attribution"] = [
            _("Attribution is residence or service, not '%(value)s'.") % {"value": attribution}
        ]

    if errors or period is None:
        raise QueryInvalid(errors)
    scope = Scope.for_user(user)
    for unit in units:
        if not scope.contains(unit):
            raise QueryRefused(
                _("Unit %(code)s (%(name)s) is outside your units.")
                % {"code": unit.code, "name": unit.name}
            )
    return ValuesQuery(
        indicators=indicators,
        units=units,
        period=period,
        groups=groups,
        attribution=attribution,
        by_unit="unit" in by,
    )


def query_values(
    *, user: Any, query: ValuesQuery, as_of: dt.datetime | None = None
) -> list[IndicatorValue]:
    return indicator_values(
        user=user,
        indicators=query.indicators,
        units=query.units,
        period=query.period,
        groups=query.groups,
        attribution=query.attribution,
        by="commune" if query.by_unit else None,
        as_of=as_of,
    )


def value_rows(values: Sequence[IndicatorValue]) -> list[dict[str, Any]]:
    """Flat rows (the keys of ``FIELDS``), the same for the API, CSV and JSON."""
    units = OrgUnit.objects.in_bulk({value.unit_id for value in values})
    rows = []
    for value in values:
        unit = units[value.unit_id]
        rows.append(
            {
                "indicator": value.indicator,
                "version": value.version,
                "unit_id": unit.pk,
                "unit_code": unit.code,
                "unit_name": unit.name,
                "period": value.period.label,
                "period_start": value.period.start.isoformat(),
                "period_end": value.period.end.isoformat(),
                "group": value.group,
                "attribution": value.attribution,
                "numerator": _number(value.numerator),
                "denominator": _number(value.denominator),
                "value": value.value,
                "ci_low": value.ci_low,
                "ci_high": value.ci_high,
                "ci_method": value.ci_method,
                "small_numbers": value.small_numbers,
                "unit_symbol": value.unit_symbol,
                "as_of": timezone.localtime(value.as_of).isoformat(timespec="seconds"),
                "note": value.note,
            }
        )
    return rows


def _number(value: float | None) -> float | int | None:
    """Counts print as integers (1234, not 1234.0); a split's shares keep their fraction."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
