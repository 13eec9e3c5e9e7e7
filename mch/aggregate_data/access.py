"""Who may enter, approve and reopen periodic reports (where: ``accounts.scope.Scope``)."""

from __future__ import annotations

from typing import Any

from mch.accounts.models import Role
from mch.accounts.scope import Scope
from mch.orgunits.models import OrgUnit

_ENTERS = {Role.COMMUNE_STAFF, Role.PROVINCE_OFFICER}


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_enter(user: Any, unit: OrgUnit) -> bool:
    """Commune staff for their commune; province officers for the units of their province."""
    if not _active(user):
        return False
    return bool(user.is_superuser or user.role in _ENTERS) and Scope.for_user(user).contains(unit)


def can_approve(user: Any, unit: OrgUnit, *, submitted_by_id: int | None = None) -> bool:
    """Province programme officers (and, for the district step, officers assigned to a
    district) over units below their own: never the unit's own staff. The province's own
    report is approved (or reopened) by a province officer, for approval another than the
    one who submitted it (``submitted_by_id``): the four-eyes rule of best knowledge."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if user.role != Role.PROVINCE_OFFICER or not Scope.for_user(user).contains(unit):
        return False
    if unit.level == "province":
        return submitted_by_id is None or submitted_by_id != user.pk
    return all(own.pk != unit.pk for own in user.units.all())


def is_district_user(user: Any) -> bool:
    return _active(user) and any(u.level == "district" for u in user.units.all())


def can_read(user: Any, unit: OrgUnit) -> bool:
    return _active(user) and Scope.for_user(user).contains(unit)
