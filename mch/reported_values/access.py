"""Who may enter which reported values (where: ``accounts.scope.Scope``).

- Surveys: province programme officers, for their province and the units below it.
- Policy items: province officers for the units of their province; commune health station
  staff for their own commune only.
- Workforce and training: hospital staff for their own facility; commune staff for their
  commune's health station; province officers for every facility of their province.
- Reading: anyone whose scope holds the unit (leaders read, never write).
"""

from __future__ import annotations

from typing import Any

from mch.accounts.models import Role
from mch.accounts.scope import Scope
from mch.orgunits.models import Facility, OrgUnit


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _officer(user: Any) -> bool:
    return bool(user.is_superuser or user.role == Role.PROVINCE_OFFICER)


def can_read(user: Any, unit: OrgUnit) -> bool:
    return _active(user) and Scope.for_user(user).contains(unit)


def can_enter_survey(user: Any, unit: OrgUnit) -> bool:
    return can_read(user, unit) and _officer(user)


def can_enter_policy(user: Any, unit: OrgUnit) -> bool:
    if not can_read(user, unit):
        return False
    if _officer(user):
        return True
    return user.role == Role.COMMUNE_STAFF and any(own.pk == unit.pk for own in user.units.all())


def can_enter_workforce(user: Any, facility: Facility) -> bool:
    if not _active(user) or not Scope.for_user(user).contains(facility.unit):
        return False
    if _officer(user):
        return True
    if user.role == Role.HOSPITAL_STAFF:
        return user.facility_id == facility.pk
    if user.role == Role.COMMUNE_STAFF:
        return facility.kind == Facility.Kind.COMMUNE_HEALTH_STATION and any(
            own.pk == facility.unit_id for own in user.units.all()
        )
    return False


def enters_anything(user: Any) -> bool:
    return _active(user) and (
        _officer(user) or user.role in (Role.COMMUNE_STAFF, Role.HOSPITAL_STAFF)
    )
