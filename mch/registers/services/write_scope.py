"""The one place that decides what a user may write, and the units a care event carries.

Read scope (``mch.accounts.scope``) says which people a user sees; write scope says which
people a user may write about and which units a write may name. Every register write goes
through ``WriteScope``: the services one record at a time (forms, API, corrections, merges,
moves), the bulk importer once per bundle, with its lookups done in bulk.

- Only roles that may see people write (``can_see_people``): not leaders, not other
  departments.
- **Person**: lives (current commune of residence) in the user's units. A related record
  (the pregnancy of a visit, the delivery of a postnatal contact, a mother) counts by its
  person.
- **Commune of residence** of an event: derived, the person's residence on the event's
  date. A commune the caller names instead must be in the user's units.
- **Facility**: in the user's units, or in a unit above them (the district or provincial
  hospital their people go to); never another commune's.
- **Service unit**: derived, the facility's unit, else the user's own (their facility's
  unit, else their unit). A unit the caller names must be in or above the user's units and
  hold the facility.
- **Corrections**: the stored record's service unit and facility must be the user's to
  name; values not sent again are kept, the residence re-derived when the date changes.
- Derived values are never refused: they say where the person lived.

A refusal is ``OutOfScope`` (a ``PermissionDenied``): 403 ``out_of_scope`` in the API, a
form error on pages, a row error in an import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q

from mch.accounts.permissions import can_see_people
from mch.accounts.scope import Scope

_CACHE_ATTR = "_mch_write_scope"
NOT_WRITER = "Tài khoản này không được ghi sổ của người dân."

# The keyword arguments of the services that name where an event happened.
PLACE_FIELDS = ("residence_unit", "village", "service_unit", "facility")


class OutOfScope(PermissionDenied):
    """A write names a person or unit the user may not write for (``out_of_scope``, 403),
    or a facility outside the service unit it names (``facility_not_in_service_unit``, 400)."""

    def __init__(self, field: str, vi: str, en: str, code: str = "out_of_scope"):
        super().__init__(vi)
        self.field, self.vi, self.en, self.code = field, vi, en, code

    @property
    def status(self) -> int:
        return 403 if self.code == "out_of_scope" else 400

    def message(self, language: str = "vi") -> str:
        return self.en if language.startswith("en") else self.vi


@dataclass(frozen=True)
class Places:
    """Where an event happened. Units are ``OrgUnit``s, or in bulk any object with ``pk``,
    ``path`` and ``name``; a facility has ``pk``, ``name`` and ``unit``."""

    residence_unit: Any
    village: str
    service_unit: Any | None
    facility: Any | None


@dataclass(frozen=True)
class Chosen:
    """What the caller named (``given`` says which; None in a given field clears it)."""

    residence_unit: Any | None = None
    village: str | None = None
    service_unit: Any | None = None
    facility: Any | None = None
    facility_given: bool = False

    @classmethod
    def pop(cls, values: dict[str, Any]) -> Chosen:
        """Take the place arguments out of a service's keyword arguments."""
        given = "facility" in values
        return cls(
            residence_unit=values.pop("residence_unit", None),
            village=values.pop("village", None),
            service_unit=values.pop("service_unit", None),
            facility=values.pop("facility", None),
            facility_given=given,
        )


class WriteScope:
    """What one user may write. Built once per user (``for_user``); ``None`` is the system
    (a command run without a user): every unit, nothing derived from a user."""

    def __init__(self, user: Any):
        self.user = user
        self.scope = Scope.everything() if user is None else Scope.for_user(user)
        self.writes = user is None or can_see_people(user)
        self._own: tuple[list[Any], Any | None] | None = None

    @classmethod
    def for_user(cls, user: Any) -> WriteScope:
        if user is None:
            return cls(None)
        cached = getattr(user, _CACHE_ATTR, None)
        if cached is None:
            cached = cls(user)
            setattr(user, _CACHE_ATTR, cached)
        return cached  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ units

    def contains(self, unit: Any) -> bool:
        """In the user's units (or below them)."""
        return self.scope.contains(unit)

    def reaches(self, unit: Any) -> bool:
        """In the user's units or above them: a place of service the user may name."""
        return self.scope.contains(unit) or unit.pk in self.scope.context_ids

    def _own_units(self) -> tuple[list[Any], Any | None]:
        if self._own is None:
            user = self.user
            if user is None or user.is_superuser:
                self._own = ([], None)
            else:
                facility = user.facility if user.facility_id else None
                self._own = (list(user.units.all()), facility.unit if facility else None)
        return self._own

    def own_service_unit(self, residence: Any) -> Any | None:
        """Where this user gives services: their facility's unit, else their unit holding
        the person's commune, else their only unit (None: the system or a superuser)."""
        units, facility_unit = self._own_units()
        if facility_unit is not None:
            return facility_unit
        holding = [u for u in units if residence.path.startswith(u.path)]
        if holding:
            return holding[0]
        return units[0] if len(units) == 1 else None

    # ------------------------------------------------------------------ checks

    def require_writer(self) -> None:
        if not self.writes:
            raise PermissionDenied(NOT_WRITER)

    def person_check(self, unit: Any, *, field: str = "person") -> None:
        """The person (or the person of a related record) lives in the user's units."""
        self.require_writer()
        if not self.contains(unit):
            raise OutOfScope(
                field,
                "Người này không sống trong các đơn vị của tài khoản này: chỉ ghi sổ của "
                "người sống trong đơn vị mình.",
                "This person does not live in this account's units: records are written "
                "only for people living there.",
            )

    def residence_check(self, unit: Any, *, field: str = "residence_unit") -> None:
        self.require_writer()
        if not self.contains(unit):
            raise OutOfScope(
                field,
                f"Xã/phường cư trú {unit.name} nằm ngoài phạm vi đơn vị của tài khoản này.",
                f"The commune of residence {unit.name} is outside this account's units.",
            )

    def facility_check(self, facility: Any, *, field: str = "facility") -> None:
        if not self.reaches(facility.unit):
            raise OutOfScope(
                field,
                f"Cơ sở y tế {facility.name} thuộc đơn vị ngoài phạm vi của tài khoản này.",
                f"The health facility {facility.name} belongs to a unit outside this "
                "account's units.",
            )

    def service_check(self, unit: Any, *, field: str = "service_unit") -> None:
        if not self.reaches(unit):
            raise OutOfScope(
                field,
                f"Đơn vị cung cấp dịch vụ {unit.name} nằm ngoài phạm vi của tài khoản này.",
                f"The unit of service {unit.name} is outside this account's units.",
            )

    def move_check(self, *, current: Any, target: Any) -> None:
        """A move within the person's province hands the person over to the new commune's
        station; a move to another province is recorded by a user of that province."""
        if _province_path(target) != _province_path(current):
            self.residence_check(target)

    # ------------------------------------------------------------------ an event's places

    def places(
        self,
        *,
        person_unit: Any,
        lived: tuple[Any, str],
        chosen: Chosen,
        stored: Places | None = None,
        date_changed: bool = True,
    ) -> Places:
        """The units of an event, checked and derived (the module docstring's rule).
        ``lived``: the person's commune and village on the event's date; ``stored``: the
        record being corrected."""
        self.person_check(person_unit)
        if stored is not None:
            if stored.service_unit is not None:
                self.service_check(stored.service_unit)
            if stored.facility is not None:
                self.facility_check(stored.facility)
        if chosen.residence_unit is not None:
            self.residence_check(chosen.residence_unit)
            residence = chosen.residence_unit
            village = lived[1] if residence.pk == lived[0].pk else ""
        elif stored is not None and not date_changed:
            residence, village = stored.residence_unit, stored.village
        else:
            residence, village = lived
        if chosen.village is not None:
            village = chosen.village
        facility = chosen.facility if chosen.facility_given or stored is None else stored.facility
        if facility is not None:
            self.facility_check(facility)
        if chosen.service_unit is not None:
            service = chosen.service_unit
            self.service_check(service)
            if facility is not None and not facility.unit.path.startswith(service.path):
                raise OutOfScope(
                    "facility",
                    f"Cơ sở y tế {facility.name} không thuộc đơn vị cung cấp dịch vụ "
                    f"{service.name}.",
                    f"The health facility {facility.name} is not in the unit of service "
                    f"{service.name}.",
                    code="facility_not_in_service_unit",
                )
        elif stored is not None and not chosen.facility_given:
            service = stored.service_unit
        elif facility is not None:
            service = facility.unit
        else:
            service = self.own_service_unit(residence)
        return Places(residence, village, service, facility)


def _province_path(unit: Any) -> str:
    parts = unit.path.strip("/").split("/")
    return "/".join(parts[:2])


# ---------------------------------------------------------------------- database helpers


def residence_on(person: Any, day: dt.date) -> tuple[Any, str]:
    """The commune and village a person lived in on ``day``: the closed residence holding
    that day, else the current one (``Person.residence_unit``, kept current by moves)."""
    from ..models import Residence

    past = (
        Residence.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            person=person,
            valid_to__gte=day,
        )
        .select_related("unit")
        .order_by(F("valid_from").desc(nulls_last=True))
        .first()
    )
    if past is not None:
        return past.unit, past.village
    return person.residence_unit, person.village


def facilities_for(user: Any, on: dt.date) -> Any:
    """The facilities a user may name (forms list these): of the user's units and of the
    units above them, valid ``on``."""
    from mch.orgunits.models import Facility

    facilities = Facility.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    ).select_related("unit")
    scope = WriteScope.for_user(user).scope
    if scope.unrestricted:
        return facilities
    return facilities.filter(scope.unit_q("unit") | Q(unit_id__in=scope.context_ids))


def event_places(
    *,
    user: Any,
    person: Any,
    date: dt.date,
    chosen: Chosen,
    stored: Places | None = None,
    stored_date: dt.date | None = None,
) -> Places:
    """``WriteScope.places`` for one record, with the person's residence read from the
    database (only when it is needed)."""
    writer = WriteScope.for_user(user)
    date_changed = stored is None or stored_date != date
    # The village of an event is the one of the residence on its date, also when the
    # commune is named (never the person's current village after a move).
    need_lived = chosen.residence_unit is not None or date_changed
    lived = residence_on(person, date) if need_lived else (person.residence_unit, person.village)
    return writer.places(
        person_unit=person.residence_unit,
        lived=lived,
        chosen=chosen,
        stored=stored,
        date_changed=date_changed,
    )
