from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from mch.reporting import selectors as sel

register = template.Library()

LABELS = {
    sel.LATE: _("overdue"),
    sel.NOT_STARTED: _("not started"),
    sel.DRAFT: _("in progress (draft)"),
    sel.SUBMITTED_LATE: _("submitted late"),
    sel.SUBMITTED: _("submitted on time"),
}
CLASSES = {
    sel.LATE: "st-late",
    sel.NOT_STARTED: "st-none",
    sel.DRAFT: "st-draft",
    sel.SUBMITTED_LATE: "st-sublate",
    sel.SUBMITTED: "st-ok",
}


@register.filter
def state_label(state: str) -> str:
    return str(LABELS.get(state, state))


@register.filter
def state_class(state: str) -> str:
    return CLASSES.get(state, "")


@register.filter
def state_count(agency_line: sel.AgencyLine, state: str) -> int:
    return agency_line.counts[state]


@register.filter
def board_count(board: sel.Board, state: str) -> int:
    return board.count(state)


@register.filter
def plan_label(plan: object) -> str:
    """The plan's number, or its kind when the number was left blank ("/KH-UBND")."""
    number = str(getattr(plan, "number", "") or "")
    if number and not number.startswith("/"):
        return number
    return str(plan.get_kind_display())  # type: ignore[attr-defined]


@register.simple_tag(takes_context=True)
def report_reminders(context: template.Context) -> list[Any]:
    """The signed-in user's reminders of task reports still to send (home page)."""
    from mch.reporting.reminders import reminders_for

    request = context.get("request")
    return reminders_for(user=getattr(request, "user", None)) if request else []
