"""What every register write does: check scope, refuse errors, keep warnings as flags,
snapshot the person's groups, save, and audit — in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.utils import timezone

from mch.orgunits.models import OrgUnit

from .. import derive, rules
from ..models import AuditAction, CareEvent, Person, Source
from .audit import audit_log, diff, snapshot
from .write_scope import Chosen, Places, WriteScope, event_places

E = TypeVar("E", bound=CareEvent)


def today_or(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def require_writer(user: Any) -> None:
    WriteScope.for_user(user).require_writer()


def require_unit(user: Any, unit: OrgUnit) -> None:
    """A user registers people only in their units (``write_scope``)."""
    WriteScope.for_user(user).residence_check(unit)


def require_person(user: Any, person: Person, field: str = "person") -> None:
    """A user writes only records of people living in their units (``write_scope``)."""
    WriteScope.for_user(user).person_check(person.residence_unit, field=field)


def check(problems: Iterable[rules.Problem]) -> list[str]:
    """Raise on errors; return the warning codes to store as flags."""
    problems = list(problems)
    if rules.errors(problems):
        raise rules.RecordInvalid(problems)
    return rules.warning_codes(problems)


def event_prepare(
    existing: E | None,
    new: Callable[[], E],
    values: dict[str, Any],
    *,
    user: Any,
    person: Person,
    places: Places | None = None,
) -> tuple[E, bool, dict[str, Any]]:
    """The record to save, ``existing`` when correcting one or ``new()``, with ``values``
    set and its units checked and derived by ``write_scope`` (or ``places``, taken from a
    record already checked: the births of a delivery); whether it is new; and its stored
    values before (for the audit diff)."""
    before = {} if existing is None else snapshot(existing)
    values = dict(values)
    chosen = Chosen.pop(values)
    event = new() if existing is None else existing
    if places is None:
        stored = None
        if existing is not None:
            stored = Places(
                existing.residence_unit,
                existing.village,
                existing.service_unit,
                existing.facility,
            )
        places = event_places(
            user=user,
            person=person,
            date=values["date"],
            chosen=chosen,
            stored=stored,
            stored_date=existing.date if existing is not None else None,
        )
    for name, value in values.items():
        setattr(event, name, value)
    event.residence_unit = places.residence_unit
    event.village = places.village
    event.service_unit = places.service_unit
    event.facility = places.facility
    return event, existing is None, before


def event_save(
    event: E,
    *,
    user: Any,
    person: Person,
    flags: list[str],
    is_new: bool,
    before: dict[str, Any] | None = None,
    source: str = Source.FORM,
) -> E:
    """Fill the common columns of a care event, save it and audit the change."""
    if is_new:
        event.recorded_by = user if getattr(user, "is_authenticated", False) else None
        event.source = source
    event.flags = sorted(set(flags))
    derive.groups_fill(event, person)
    event.full_clean(exclude=_not_validated(event))
    event.save()
    after = snapshot(event)
    audit_log(
        user=user,
        action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
        instance=event,
        person_id=person.pk,
        changes=after if is_new else diff(before or {}, after),
    )
    return event


def _not_validated(event: CareEvent) -> list[str]:
    """Foreign keys were checked by the service; Django's validation would re-query them."""
    return [
        field.name
        for field in event._meta.concrete_fields
        if field.is_relation or field.name in {"external_id"}
    ]
