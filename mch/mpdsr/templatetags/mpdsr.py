"""The home page's MPDSR alert (deaths to notify, overdue actions) and small labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

from .. import access, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def mpdsr_alerts(context: Any) -> dict[str, Any]:
    user = context["request"].user
    if not access.can_use_surveillance(user):
        return {}
    pending = selectors.notification_worklist(user=user)
    return {
        "pending": pending,
        "late": sum(1 for p in pending if p.late),
        "overdue": len(selectors.overdue_actions(user=user)),
    }


@register.simple_tag
def mpdsr_label(spec: Any, name: str, code: str) -> str:
    return spec.label(name, code, translation.get_language() or "vi") if code else ""


@register.filter
def vi_num(value: Any, decimals: int = 1) -> str:
    """A number with the decimal comma (both languages show it the Vietnamese way here)."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@register.filter
def mpdsr_status(code: str) -> str:
    from django.utils.translation import gettext as _

    labels = {
        "maternal_direct": _("Maternal, direct"),
        "maternal_indirect": _("Maternal, indirect"),
        "maternal_unspecified": _("Maternal, cause unknown"),
        "late": _("Late maternal (43 days–1 year)"),
        "not_maternal": _("Not maternal"),
        "pending": _("Pending"),
    }
    return labels.get(code, code)
