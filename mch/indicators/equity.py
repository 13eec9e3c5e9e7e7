"""Equity: an indicator for two groups of one unit over the years, and the gap between
them. A comparison is a group and what it is compared with: another group (ethnic
minority vs Kinh) or everyone else (the especially difficult communes vs the other
communes: the unit's sums minus the group's, since cells add up).

The gap is group minus comparison, in the indicator's unit; for an indicator where lower
is better (mortality), a positive gap means the group is worse off. The gap's 95%
interval is Newcombe's hybrid score interval (method 10) for proportions, from the two
Wilson intervals; for rates with an exact Poisson interval, the same combination of the
two intervals (the square-and-add, or MOVER, method), which is what it generalises.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mch.indicators.engine import compute
from mch.orgunits.models import OrgUnit

from .values import IndicatorValue, Period, indicator_values, latest_versions, spec_of

__all__ = ["COMPARISONS", "Comparison", "EquityPoint", "equity_series"]


@dataclass(frozen=True)
class Comparison:
    code: str
    group: str
    versus: str | None  # None: everyone else in the unit


COMPARISONS = (
    Comparison("ethnic", "ethnic_minority", "kinh"),
    Comparison("difficult", "especially_difficult_area", None),
    Comparison("minority_area", "ethnic_minority_area", None),
)


@dataclass(frozen=True)
class Side:
    numerator: float | None
    denominator: float | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    small: bool


@dataclass(frozen=True)
class EquityPoint:
    period: Period
    group: Side
    versus: Side
    gap: float | None
    gap_low: float | None
    gap_high: float | None

    @property
    def ratio(self) -> float | None:
        if self.group.value is None or not self.versus.value:
            return None
        return self.group.value / self.versus.value


def _side(value: IndicatorValue) -> Side:
    return Side(
        value.numerator,
        value.denominator,
        value.value,
        value.ci_low,
        value.ci_high,
        value.small_numbers,
    )


def _rest(everyone: IndicatorValue, group: IndicatorValue, multiplier: int, ci: str) -> Side:
    if everyone.denominator is None:
        return Side(None, None, None, None, None, True)
    res = compute.result(
        (everyone.numerator or 0) - (group.numerator or 0),
        (everyone.denominator or 0) - (group.denominator or 0),
        multiplier=multiplier,
        ci=ci,
    )
    return Side(
        res.numerator, res.denominator, res.value, res.ci_low, res.ci_high, res.small_numbers
    )


def gap_interval(a: Side, b: Side) -> tuple[float | None, float | None, float | None]:
    """Difference a − b with the MOVER/Newcombe interval built from each side's interval."""
    if a.value is None or b.value is None:
        return None, None, None
    gap = a.value - b.value
    if None in (a.ci_low, a.ci_high, b.ci_low, b.ci_high):
        return gap, None, None
    low = gap - math.sqrt((a.value - a.ci_low) ** 2 + (b.ci_high - b.value) ** 2)  # type: ignore[operator]
    high = gap + math.sqrt((a.ci_high - a.value) ** 2 + (b.value - b.ci_low) ** 2)  # type: ignore[operator]
    return gap, low, high


def equity_series(
    *,
    user: Any,
    indicator: str,
    unit: OrgUnit,
    periods: Sequence[Period],
    comparison: Comparison,
) -> list[EquityPoint]:
    """One point per period: the group, what it is compared with, the gap and its interval."""
    version = latest_versions([indicator])[indicator]
    spec = spec_of(version)
    ci = spec.ci if spec else "none"
    groups = ["all", comparison.group] + ([comparison.versus] if comparison.versus else [])
    out: list[EquityPoint] = []
    for period in periods:
        values = {
            v.group: v
            for v in indicator_values(
                user=user, indicators=[indicator], units=[unit], period=period, groups=groups
            )
        }
        if not values:
            continue
        group = _side(values[comparison.group])
        if comparison.versus:
            versus = _side(values[comparison.versus])
        else:
            versus = _rest(values["all"], values[comparison.group], version.multiplier, ci)
        gap, low, high = gap_interval(group, versus)
        out.append(EquityPoint(period, group, versus, gap, low, high))
    return out
