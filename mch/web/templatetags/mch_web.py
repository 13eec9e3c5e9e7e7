"""Filters that show plan values the way the signed document writes them."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()

# The document's own words; the plan is Vietnamese whatever the interface language.
COMPARATOR_WORDS = {
    "dat": "đạt",
    "tren": "trên",
    "duoi": "dưới",
    "xuong": "xuống",
    "duy_tri": "duy trì",
    "tang": "tăng",
    "giam": "giảm",
    "bare": "",
}
_ALREADY_COMPARED = ("<", ">", "≤", "≥", "=")


@register.filter
def number(value: Any, digits: int = 2) -> str:
    """A decimal without trailing zeros, in the active language's notation (9,5 in Vietnamese)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else digits
    text = formats.number_format(value.normalize() if places else value, places, use_l10n=True)
    if places:
        text = text.rstrip("0")
    return text


# An annex cell typed with a decimal point ("18.5", ">75.0"): one or two decimals cannot
# be a Vietnamese thousands group ("100.000"), so the point is the decimal separator.
_POINT_DECIMAL = re.compile(r"^([<>≤≥=]?\s*\d+)\.(\d{1,2})(\s*(?:%|‰)?)$")


def _value_as_written(item: Any, unit_symbol: str = "") -> str:
    if item.value_text:
        separator = formats.get_format("DECIMAL_SEPARATOR")
        return _POINT_DECIMAL.sub(rf"\1{separator}\2\3", item.value_text.strip())
    if item.value is None:
        return ""
    return f"{number(item.value)}{unit_symbol}"


@register.filter
def target_text(target: Any, unit_symbol: str = "") -> str:
    """Comparator and value as written: "xuống 10‰", "<9,5", "tăng 15% so với 2020"."""
    text = _value_as_written(target, unit_symbol)
    word = COMPARATOR_WORDS.get(target.comparator, "")
    # A written phrase ("đạt trên 99%", "duy trì đến năm 2030") already says how it compares;
    # only a bare figure ("10‰", "98%") needs the comparator word in front.
    bare_figure = not any(char.isalpha() for char in text)
    if word and bare_figure and not text.startswith(_ALREADY_COMPARED):
        text = f"{word} {text}"
    relative = target.comparator in {"tang", "giam"} and target.baseline_year
    if relative and str(target.baseline_year) not in text:
        text = f"{text} so với {target.baseline_year}"
    return text


@register.filter
def observed_text(observation: Any, unit_symbol: str = "") -> str:
    return _value_as_written(observation, unit_symbol)


@register.filter
def vnd(amount: Any) -> str:
    """Whole đồng with the thousands separator of the active language: 378.940.000."""
    if amount is None:
        return ""
    return formats.number_format(int(amount), 0, use_l10n=True, force_grouping=True)


@register.filter
def deadline(plan: Any) -> str:
    if not plan.report_deadline_month:
        return ""
    if plan.report_deadline_day:
        return f"{plan.report_deadline_day:02d}/{plan.report_deadline_month:02d}"
    return _("month %(month)s") % {"month": plan.report_deadline_month}


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def share_percent(share: Any) -> str:
    if share is None:
        return ""
    return f"{number(Decimal(share) * 100, 1)}%"


@register.filter
def minutes(delta: Any) -> int:
    return max(1, round(delta.total_seconds() / 60)) if delta else 0


@register.filter
def nfc(text: Any) -> str:
    """Composed Unicode: Django's own name for Vietnamese is stored decomposed."""
    return unicodedata.normalize("NFC", str(text))
