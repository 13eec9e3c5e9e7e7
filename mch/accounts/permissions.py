"""What each role may do, beside where (``scope``)."""

from __future__ import annotations

from typing import Any

from .models import Role

_ADMINISTERS_PLANS = {Role.PROVINCE_OFFICER}


def can_manage_plans(user: Any) -> bool:
    """Import, replace and export plans: province programme officers of a province."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in _ADMINISTERS_PLANS))


def sees_only_own_tasks(user: Any) -> bool:
    return bool(user.is_authenticated and not user.is_superuser and user.role == Role.DEPARTMENT)


def can_see_people(user: Any) -> bool:
    """Identifiable records of mothers and children: not for other departments or leaders."""
    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or user.role in {Role.PROVINCE_OFFICER, Role.COMMUNE_STAFF, Role.HOSPITAL_STAFF}
        )
    )


def can_audit_reads(user: Any) -> bool:
    """Who opened or exported whose records: province programme officers, for their province."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.PROVINCE_OFFICER))
