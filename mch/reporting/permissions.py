"""Who may write which report (where is ``mch.accounts.scope``'s question)."""

from __future__ import annotations

from typing import Any

from mch.accounts.models import Role
from mch.accounts.permissions import can_manage_plans


def can_report_on(user: Any, task: Any) -> bool:
    """An agency's users report on the agency's tasks; a province programme officer may
    enter a report on an agency's behalf (reports still arrive by e-mail or on paper)."""
    if not user.is_authenticated or getattr(user, "is_read_only", False):
        return False
    return bool(user.agency_id and user.agency_id == task.agency_id) or can_manage_plans(user)


def can_see_board(user: Any) -> bool:
    """The status board of who has reported: the Department of Health and leaders."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.role in {Role.PROVINCE_OFFICER, Role.LEADER})
    )


def can_write_annual_report(user: Any) -> bool:
    return can_manage_plans(user)
