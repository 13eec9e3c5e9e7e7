"""Registering people, correcting them, moving them, and merging duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from mch.accounts.scope import Scope
from mch.core.text import name_key
from mch.orgunits.models import OrgUnit

from .. import rules
from ..models import (
    AntenatalVisit,
    AuditAction,
    Birth,
    CheckUp,
    Delivery,
    GrowthMeasurement,
    Illness,
    Immunisation,
    Person,
    PostnatalContact,
    Pregnancy,
    Residence,
    Source,
)
from . import residences
from .audit import audit_log, diff, snapshot
from .common import check, require_person, require_unit, today_or
from .write_scope import WriteScope

EDITABLE = (
    "full_name",
    "sex",
    "birth_date",
    "birth_date_estimated",
    "ethnicity",
    "national_id",
    "insurance_number",
    "phone",
    "village",
    "address",
    "poverty",
    "education",
)


@dataclass(frozen=True)
class Match:
    person: Person
    reasons: tuple[str, ...]


def duplicates_find(
    *,
    full_name: str,
    birth_date: dt.date | None,
    residence_unit: OrgUnit | None,
    national_id: str = "",
    exclude_id: int | None = None,
) -> list[Match]:
    """Likely matches: same national ID; or same folded name and date of birth; or same
    folded name and year of birth in the same commune."""
    key = name_key(full_name)
    query = Q(name_key=key, birth_date=birth_date) if birth_date else Q(pk__in=[])
    if birth_date and residence_unit is not None:
        query |= Q(name_key=key, birth_date__year=birth_date.year, residence_unit=residence_unit)
    if national_id:
        query |= Q(national_id=national_id)
    found = Person.objects.active().filter(query)
    if exclude_id:
        found = found.exclude(pk=exclude_id)
    matches = []
    for person in found.select_related("residence_unit")[:20]:
        reasons = []
        if national_id and person.national_id == national_id:
            reasons.append("national_id")
        if person.name_key == key:
            reasons.append("name")
        if person.birth_date == birth_date:
            reasons.append("birth_date")
        if residence_unit is not None and person.residence_unit_id == residence_unit.pk:
            reasons.append("commune")
        matches.append(Match(person, tuple(reasons)))
    return matches


def _stillbirth_problems(person: Person) -> list[rules.Problem]:
    """``rules.stillbirth_person_check`` for a child with a mother and a date of birth,
    unless the child is the person of a live birth of that mother."""
    if person.mother_id is None or person.birth_date is None:
        return []
    if person.pk is not None and Birth.objects.filter(person=person).exists():
        return []
    that_day = Birth.objects.filter(mother_id=person.mother_id, date=person.birth_date)
    return rules.stillbirth_person_check(
        birth_date=person.birth_date,
        stillbirths=that_day.filter(outcome="stillbirth").count(),
        live_births_without_person=that_day.filter(outcome="live", person=None).count(),
    )


def _person_problems(person: Person, today: dt.date, user: Any = None) -> list[rules.Problem]:
    problems = rules.person_check(
        full_name=person.full_name,
        sex=person.sex,
        birth_date=person.birth_date,
        national_id=person.national_id,
        insurance_number=person.insurance_number,
        phone=person.phone,
        today=today,
    )
    if person.national_id:
        other = (
            Person.objects.active()
            .filter(national_id=person.national_id)
            .exclude(pk=person.pk)
            .first()
        )
        if other is not None:
            named = user is not None and Scope.for_user(user).contains(other.residence_unit)
            problems.append(
                rules.Problem(
                    "cccd_duplicate",
                    "national_id",
                    params={
                        "value": person.national_id,
                        "other": other.full_name if named else "một người ở đơn vị khác",
                    },
                )
            )
    return problems


@transaction.atomic
def person_register(
    *,
    user: Any,
    full_name: str,
    sex: str,
    residence_unit: OrgUnit,
    birth_date: dt.date | None = None,
    mother: Person | None = None,
    village: str = "",
    allow_likely_duplicate: bool = False,
    today: dt.date | None = None,
    source: str = Source.FORM,
    for_live_birth: bool = False,
    **fields: Any,
) -> Person:
    """Register a woman or a child. An exact national ID match is refused; a likely match
    (same name and date of birth) is refused unless ``allow_likely_duplicate``, so the
    form can offer the existing record first. A child registered with a mother on the
    date of one of her stillbirths is kept with the warning ``stillbirth_as_person``
    (``for_live_birth``: the person of a live birth being recorded, not checked)."""
    require_unit(user, residence_unit)
    if mother is not None:
        require_person(user, mother, field="mother")
    today = today_or(today)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    person = Person(
        full_name=" ".join(full_name.split()),
        sex=sex,
        birth_date=birth_date,
        residence_unit=residence_unit,
        registered_unit=residence_unit,
        village=village.strip(),
        mother=mother,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        source=source,
        **fields,
    )
    if mother is not None and person.ethnicity == "" and mother.ethnicity:
        person.ethnicity = mother.ethnicity
    problems = _person_problems(person, today, user)
    if not for_live_birth:
        problems += _stillbirth_problems(person)
    if not allow_likely_duplicate and not rules.errors(problems):
        likely = duplicates_find(
            full_name=person.full_name,
            birth_date=person.birth_date,
            residence_unit=residence_unit,
        )
        if likely:
            # Name only the people this user may see; others are counted, not named.
            scope = Scope.for_user(user)
            visible = [m for m in likely if scope.contains(m.person.residence_unit)]
            shown = [
                f"{m.person.full_name} ({m.person.birth_date:%d/%m/%Y}, {m.person.residence_unit})"
                if m.person.birth_date
                else m.person.full_name
                for m in visible[:3]
            ]
            hidden = len(likely) - len(visible)
            if hidden:
                shown.append(f"{hidden} người ở đơn vị khác")
            names = ", ".join(shown)
            problems.append(rules.Problem("duplicate_person", "full_name", params={"value": names}))
    person.flags = check(problems)
    person.name_key = name_key(person.full_name)
    person.full_clean(exclude=["residence_unit", "registered_unit", "mother", "external_id"])
    person.save()
    Residence.objects.create(
        person=person, unit=residence_unit, village=person.village, valid_from=birth_date
    )
    audit_log(
        user=user,
        action=AuditAction.CREATE,
        instance=person,
        person_id=person.pk,
        changes=snapshot(person),
    )
    return person


@transaction.atomic
def person_update(
    *, user: Any, person: Person, today: dt.date | None = None, **changes: Any
) -> Person:
    """Correct a person's details (not the residence: see ``person_move``)."""
    require_person(user, person)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(person)
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_name = " ".join(person.full_name.split())
    person.name_key = name_key(person.full_name)
    person.flags = check(
        _person_problems(person, today_or(today), user) + _stillbirth_problems(person)
    )
    person.full_clean(exclude=["residence_unit", "registered_unit", "mother", "external_id"])
    person.save()
    changed = diff(before, snapshot(person))
    if changed:
        audit_log(
            user=user,
            action=AuditAction.UPDATE,
            instance=person,
            person_id=person.pk,
            changes=changed,
        )
    return person


@transaction.atomic
def person_move(
    *,
    user: Any,
    person: Person,
    residence_unit: OrgUnit,
    village: str = "",
    moved_on: dt.date,
    today: dt.date | None = None,
) -> Person:
    """Record a change of residence from a date. Events before it keep their commune;
    events from that date on that were stored with the commune she lived in before (a
    move recorded late) take the new one (``residences.events_rederive``, audited)."""
    require_person(user, person)
    WriteScope.for_user(user).move_check(current=person.residence_unit, target=residence_unit)
    check(rules.not_future(moved_on, today_or(today), "moved_on", "Ngày chuyển đến"))
    before_move = residences.histories([person.pk])
    current = person.residences.filter(valid_to__isnull=True).first()
    if current is not None:
        current.valid_to = max(moved_on - dt.timedelta(days=1), current.valid_from or moved_on)
        current.save(update_fields=["valid_to"])
    Residence.objects.create(
        person=person, unit=residence_unit, village=village, valid_from=moved_on
    )
    before = snapshot(person)
    person.residence_unit = residence_unit
    person.village = village
    person.save(update_fields=["residence_unit", "village", "updated_at"])
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=person,
        person_id=person.pk,
        changes=diff(before, snapshot(person)),
        note=f"Chuyển nơi ở từ {moved_on:%d/%m/%Y}",
    )
    residences.events_rederive(
        before=before_move, user=user, note=f"Chuyển nơi ở từ {moved_on:%d/%m/%Y}"
    )
    return person


_PERSON_LINKS = (
    (Pregnancy, "person"),
    (AntenatalVisit, "person"),
    (Delivery, "person"),
    (Birth, "mother"),
    (PostnatalContact, "person"),
    (CheckUp, "person"),
    (GrowthMeasurement, "person"),
    (Immunisation, "person"),
    (Illness, "person"),
    (Person, "mother"),
)


@transaction.atomic
def person_merge(*, user: Any, keep: Person, duplicate: Person) -> Person:
    """Merge a duplicate registration into ``keep``: every record of the duplicate moves
    to ``keep``; the duplicate stays, marked ``merged_into``, with its history. Blank
    details of ``keep`` are filled from the duplicate."""
    require_person(user, keep)
    require_person(user, duplicate, field="duplicate")
    if keep.pk == duplicate.pk or duplicate.merged_into_id or keep.merged_into_id:
        raise ValueError("Không thể gộp hai bản ghi này.")
    if keep.sex != duplicate.sex:
        raise rules.RecordInvalid([rules.Problem("woman_sex", "sex")])
    moved: dict[str, int] = {}
    for model, field in _PERSON_LINKS:
        count = model.objects.filter(**{field: duplicate}).update(**{field: keep})
        if count:
            moved[model._meta.model_name or ""] = count
    for link in ("birth", "death"):
        related = getattr(duplicate, link, None) if hasattr(duplicate, link) else None
        if related is not None:
            if hasattr(keep, link):
                raise ValueError(f"Cả hai bản ghi đều có {link}: cần xử lý trước khi gộp.")
            type(related).objects.filter(pk=related.pk).update(person=keep)
            moved[link] = 1
    # The duplicate leaves the active records first, so its national ID can pass to keep.
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    before = snapshot(keep)
    for name in EDITABLE:
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    if keep.deceased_on is None and duplicate.deceased_on is not None:
        keep.deceased_on = duplicate.deceased_on
    keep.save()
    audit_log(
        user=user,
        action=AuditAction.MERGE,
        instance=keep,
        person_id=keep.pk,
        changes={"merged": duplicate.pk, "moved": moved, "filled": diff(before, snapshot(keep))},
        note=f"Gộp bản ghi trùng #{duplicate.pk} ({duplicate.full_name})",
    )
    audit_log(
        user=user,
        action=AuditAction.MERGE,
        instance=duplicate,
        person_id=duplicate.pk,
        changes={"merged_into": keep.pk},
        note=f"Đã gộp vào #{keep.pk}",
    )
    return keep
