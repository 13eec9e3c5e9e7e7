"""How a scorecard cell reads: status labels, values with the decimal comma, intervals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from mch.web.templatetags.mch_web import number

register = template.Library()

STATUS_LABELS = {
    "met": _("met"),
    "on_track": _("on track"),
    "at_risk": _("at risk"),
    "not_met": _("not met"),
    "no_data": _("no data yet"),
    "not_computable": _("not computable from the registers"),
}


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def value1(value: Any) -> str:
    """One decimal, decimal comma in Vietnamese (9,5); whole numbers without decimals."""
    if value is None:
        return ""
    return number(Decimal(f"{float(value):.1f}"), 1)


@register.filter
def count(value: Any) -> str:
    if value is None:
        return ""
    return number(Decimal(f"{float(value):.2f}"), 2)


@register.simple_tag
def cell_title(cell: Any, symbol: str) -> str:
    """The hover/tap text: value, 95% interval, counts, small-number flag, reason."""
    parts: list[str] = []
    if cell.value is not None:
        parts.append(f"{value1(cell.value)}{symbol}")
        if cell.ci_low is not None and cell.ci_high is not None:
            parts.append(
                str(_("95%% interval %(low)s–%(high)s"))
                % {"low": value1(cell.ci_low), "high": value1(cell.ci_high)}
            )
        parts.append(
            str(_("numerator %(num)s / denominator %(den)s"))
            % {"num": count(cell.numerator), "den": count(cell.denominator)}
        )
        if cell.small_numbers:
            parts.append(str(_("small numbers: read with care")))
    projection = getattr(cell, "projection", None)
    if projection is not None:
        text = str(_("trend to %(year)s: %(value)s%(symbol)s")) % {
            "year": projection.year,
            "value": value1(projection.value),
            "symbol": symbol,
        }
        if projection.low is not None and projection.high is not None:
            text += f" ({value1(projection.low)}–{value1(projection.high)})"
        parts.append(text)
    if cell.reason:
        parts.append(cell.reason)
    return " · ".join(parts)


@register.filter
def get_cell(row: Any, unit_id: int) -> Any:
    return row.cells.get(unit_id)


@register.simple_tag
def projection_words(cell: Any, symbol: str, target: str = "") -> str:
    """The projection a status rests on, in plain words: what the value will be at the
    milestone if the coming years change as the past complete years did."""
    projection = getattr(cell, "projection", None)
    if projection is None:
        return ""
    years = projection.years
    values = {
        "first": years[0] if years else "",
        "last": years[-1] if years else "",
        "year": projection.year,
        "value": value1(projection.value),
        "symbol": symbol,
    }
    if projection.low is not None and projection.high is not None:
        text = str(
            _(
                "If the coming years change as %(first)s–%(last)s did, in %(year)s the value "
                "will be about %(value)s%(symbol)s (likely between %(low)s and %(high)s%(symbol)s)."
            )
        ) % (values | {"low": value1(projection.low), "high": value1(projection.high)})
    else:
        text = (
            str(
                _(
                    "If the coming years change as %(first)s–%(last)s did, in %(year)s the value "
                    "will be about %(value)s%(symbol)s (two years only: no interval)."
                )
            )
            % values
        )
    if target:
        text += " " + str(_("Target: %(target)s.")) % {"target": target}
    return text
