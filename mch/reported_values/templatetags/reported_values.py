"""Template helpers of reported values: who gets the nav link, and the words that say
which series a scorecard value comes from."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import pgettext

from mch.reported_values import access, rules

register = template.Library()
_SURVEY = re.compile(r"^(?P<name>.+), (?P<day>\d\d/\d\d/\d{4}), n = (?P<n>\d+)")


@register.filter
def entered_via(via: str) -> str:
    """How a value came in: form, file import, API or the demo."""
    words = {
        "form": pgettext("value entered via", "form"),
        "import": pgettext("value entered via", "file import"),
        "api": pgettext("value entered via", "API"),
        "demo": pgettext("value entered via", "demo"),
    }
    return words.get(via, via)


@register.filter
def enters_reported(user: Any) -> bool:
    return access.enters_anything(user)


def _kind(source: str, indicator_code: str) -> str:
    if source == rules.REGISTERS:
        return pgettext("value source", "Registers")
    if source == rules.SURVEY:
        return pgettext("value source", "Survey")
    if source == rules.REPORTED:
        if indicator_code in rules.WORKFORCE_INDICATORS:
            return pgettext("value source", "Workforce report")
        return pgettext("value source", "Policy report")
    if source == rules.APPROVED_AGGREGATE:
        return pgettext("value source", "Approved periodic reports")
    return source


@register.simple_tag
def source_words(cell: Any, indicator_code: str = "") -> str:
    """Where a scorecard value comes from, in full: "Khảo sát: MICS 2025, 15/06/2025,
    n = 400; …", "Báo cáo nhân lực: 2/3 cơ sở đạt chuẩn…", "Báo cáo chính sách: …",
    "Kỳ báo cáo đã duyệt: …", or "Sổ đăng ký"; "" when the cell has no value."""
    source = getattr(cell, "source", "") or ""
    if not source or getattr(cell, "value", None) is None:
        return ""
    label = _kind(source, indicator_code)
    detail = getattr(cell, "detail", "") or ""
    return f"{label}: {detail}" if detail and source != rules.REGISTERS else label


@register.simple_tag
def source_short(cell: Any, indicator_code: str = "") -> str:
    return source_label(cell, indicator_code)


def source_label(cell: Any, indicator_code: str = "") -> str:
    """The few words under a value that does not come from the registers: "Khảo sát:
    MICS 2025, n = 400", "Báo cáo nhân lực", "Báo cáo chính sách", "Kỳ báo cáo đã duyệt"
    (the kind alone when the year has no value but the target is judged on that series);
    "" for the registers."""
    source = getattr(cell, "source", "") or ""
    if not source or source == rules.REGISTERS:
        return ""
    if source == rules.SURVEY and getattr(cell, "value", None) is not None:
        found = _SURVEY.match(getattr(cell, "detail", "") or "")
        if found:
            return pgettext("value source", "Survey: %(name)s, n = %(n)s") % {
                "name": found["name"],
                "n": found["n"],
            }
    return _kind(source, indicator_code)
