"""Template helpers of reported values: who gets the nav link, and the words that say
which series a scorecard value comes from."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext as _

from mch.reported_values import access, rules

register = template.Library()


@register.filter
def enters_reported(user: Any) -> bool:
    return access.enters_anything(user)


@register.simple_tag
def source_words(cell: Any, indicator_code: str = "") -> str:
    """Where a scorecard value comes from, for the reader: "Khảo sát: MICS 2025,
    15/06/2025, n = 400; …", "Báo cáo nhân lực: 2/3 cơ sở đạt chuẩn…", "Báo cáo chính
    sách: …", "Kỳ báo cáo đã duyệt: …", or "Sổ đăng ký"; "" when the cell has no value."""
    source = getattr(cell, "source", "") or ""
    if not source or getattr(cell, "value", None) is None:
        return ""
    detail = getattr(cell, "detail", "") or ""
    if source == rules.REGISTERS:
        return _("Registers")
    if source == rules.SURVEY:
        label = _("Survey")
    elif source == rules.REPORTED:
        label = (
            _("Workforce report")
            if indicator_code in rules.WORKFORCE_INDICATORS
            else _("Policy report")
        )
    elif source == rules.APPROVED_AGGREGATE:
        label = _("Approved periodic reports")
    else:
        label = source
    return f"{label}: {detail}" if detail else str(label)


_SURVEY = re.compile(r"^(?P<name>.+), (?P<day>\d\d/\d\d/\d{4}), n = (?P<n>\d+)")


@register.simple_tag
def source_short(cell: Any, indicator_code: str = "") -> str:
    """The few words a cell shows under a value that does not come from the registers:
    "Khảo sát MICS 2025, n = 400", "Báo cáo nhân lực", "Báo cáo chính sách", "Kỳ báo cáo
    đã duyệt"; "" for a register value or no value."""
    return source_label(cell, indicator_code)


def source_label(cell: Any, indicator_code: str = "") -> str:
    source = getattr(cell, "source", "") or ""
    if not source or source == rules.REGISTERS or getattr(cell, "value", None) is None:
        return ""
    if source == rules.SURVEY:
        found = _SURVEY.match(getattr(cell, "detail", "") or "")
        if found:
            return f"{_('Survey')} {found['name']}, n = {found['n']}"
        return str(_("Survey"))
    if source == rules.REPORTED:
        return str(
            _("Workforce report")
            if indicator_code in rules.WORKFORCE_INDICATORS
            else _("Policy report")
        )
    if source == rules.APPROVED_AGGREGATE:
        return str(_("Approved periodic reports"))
    return source
