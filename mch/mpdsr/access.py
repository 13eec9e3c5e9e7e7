"""Who sees what of maternal death surveillance (beside unit scope, ``mch.accounts.scope``).

- The surveillance list and notifications: users who see people (commune, hospital,
  province), for deaths of women resident in their units *or* who died in a facility of
  their units: the residence and the facility both see the death.
- Reviews are confidential: commune users never see them; other users who see people
  see the de-identified review; only members of the province's review board see the
  identifiable parts (name, address, case summary) and write reviews.
- The M5 report and the red-alert statistics are aggregate: every user, in scope.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mch.accounts.models import Role
from mch.accounts.permissions import can_see_people
from mch.accounts.scope import Scope

from .models import BoardMember


def death_scope_q(user: Any, prefix: str = "") -> Q:
    """Deaths whose residence, unit of service or facility is in the user's units."""
    scope = Scope.for_user(user)
    return (
        scope.unit_q(f"{prefix}residence_unit")
        | scope.unit_q(f"{prefix}service_unit")
        | scope.unit_q(f"{prefix}facility__unit")
    )


def can_use_surveillance(user: Any) -> bool:
    return can_see_people(user)


def can_see_reviews(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return can_see_people(user) and user.role != Role.COMMUNE_STAFF


def board_membership(user: Any, death: Any) -> BoardMember | None:
    """The user's active membership of the board of the province the woman lived in."""
    if not getattr(user, "is_authenticated", False):
        return None
    path = death.residence_unit.path
    for member in BoardMember.objects.filter(user=user, active=True).select_related("province"):
        if path.startswith(member.province.path):
            return member
    return None


def is_board_member(user: Any, death: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or board_membership(user, death) is not None


def is_board_member_anywhere(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or (
        getattr(user, "is_authenticated", False)
        and BoardMember.objects.filter(user=user, active=True).exists()
    )
