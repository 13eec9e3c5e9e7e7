"""Reads of the registers. Every function takes the acting user and returns only
people whose commune of residence (or registering unit) is in the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mch.accounts.permissions import can_audit_reads, can_see_people
from mch.accounts.scope import Scope
from mch.core.text import name_key
from mch.orgunits.models import OrgUnit

from .models import (
    AntenatalVisit,
    AuditAction,
    AuditEntry,
    Birth,
    CheckUp,
    Death,
    Delivery,
    GrowthMeasurement,
    Illness,
    Immunisation,
    Person,
    PostnatalContact,
    Pregnancy,
)

REGISTERS: dict[str, type[Any]] = {
    "pregnancies": Pregnancy,
    "antenatal_visits": AntenatalVisit,
    "deliveries": Delivery,
    "births": Birth,
    "postnatal_contacts": PostnatalContact,
    "checkups": CheckUp,
    "growth": GrowthMeasurement,
    "immunisations": Immunisation,
    "illnesses": Illness,
    "deaths": Death,
}


def people_scope_q(user: Any, prefix: str = "") -> Q:
    """People a user may see: living in, or registered by, a unit in scope."""
    if not can_see_people(user):
        return Q(pk__in=[])
    scope = Scope.for_user(user)
    if scope.unrestricted:
        return Q()
    return scope.unit_q(f"{prefix}residence_unit") | scope.unit_q(f"{prefix}registered_unit")


def person_list(
    *,
    user: Any,
    search: str = "",
    unit: OrgUnit | None = None,
    village: str = "",
    sex: str = "",
    born_after: dt.date | None = None,
) -> QuerySet[Person]:
    people = Person.objects.active().filter(people_scope_q(user))
    if unit is not None:
        people = people.filter(residence_unit__path__startswith=unit.path)
    if village:
        people = people.filter(village__iexact=village)
    if sex:
        people = people.filter(sex=sex)
    if born_after is not None:
        people = people.filter(birth_date__gte=born_after)
    if search:
        term = search.strip()
        if term.isdigit():
            people = people.filter(Q(national_id=term) | Q(phone__contains=term) | Q(pk=int(term)))
        else:
            people = people.filter(name_key__contains=name_key(term))
    return people.select_related("residence_unit", "mother")


def person_get(*, user: Any, pk: int) -> Person:
    """One person, or 404 when it does not exist or is outside the user's scope. A merged
    record resolves to the record it was merged into."""
    person = (
        Person.objects.filter(people_scope_q(user), pk=pk)
        .select_related("residence_unit", "mother", "registered_unit", "merged_into")
        .first()
    )
    if person is None:
        raise Http404(_("No such person in your units."))
    return person


def event_get(*, user: Any, model: type[Any], pk: int) -> Any:
    person_field = "mother" if model is Birth else "person"
    event = model.objects.filter(people_scope_q(user, f"{person_field}__"), pk=pk).first()
    if event is None:
        raise Http404(_("No such record in your units."))
    return event


def register_rows(
    *,
    user: Any,
    register: str,
    unit: OrgUnit | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Any]:
    """A register's rows (events) in scope, by the commune of residence at the event."""
    model = REGISTERS[register]
    person_field = "mother" if model is Birth else "person"
    rows = model.objects.filter(people_scope_q(user, f"{person_field}__"))
    if unit is not None:
        rows = rows.filter(residence_unit__path__startswith=unit.path)
    if start is not None:
        rows = rows.filter(date__gte=start)
    if end is not None:
        rows = rows.filter(date__lte=end)
    return rows.select_related(person_field, "residence_unit", "facility")


@dataclass
class Handbook:
    """A person's records the way the mother-and-child handbook shows them."""

    person: Person
    pregnancies: list[Pregnancy] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    children: list[Person] = field(default_factory=list)
    birth: Birth | None = None
    postnatal: list[PostnatalContact] = field(default_factory=list)
    checkups: list[CheckUp] = field(default_factory=list)
    measurements: list[GrowthMeasurement] = field(default_factory=list)
    immunisations: list[Immunisation] = field(default_factory=list)
    illnesses: list[Illness] = field(default_factory=list)
    death: Death | None = None
    history: list[AuditEntry] = field(default_factory=list)
    merged_from: list[Person] = field(default_factory=list)

    @property
    def timeline(self) -> list[tuple[dt.date, str, Model]]:
        """Every dated record, oldest first, as (date, kind, record)."""
        items: list[tuple[dt.date, str, Model]] = []
        for pregnancy in self.pregnancies:
            items.append((pregnancy.date, "pregnancy", pregnancy))
            items += [(visit.date, "antenatal_visit", visit) for visit in pregnancy.visits.all()]
        items += [(d.date, "delivery", d) for d in self.deliveries]
        if self.birth is not None:
            items.append((self.birth.date, "birth", self.birth))
        items += [(p.date, "postnatal_contact", p) for p in self.postnatal]
        items += [(c.date, "checkup", c) for c in self.checkups]
        items += [(m.date, "growth", m) for m in self.measurements]
        items += [(i.date, "immunisation", i) for i in self.immunisations]
        items += [(i.date, "illness", i) for i in self.illnesses]
        if self.death is not None:
            items.append((self.death.date, "death", self.death))
        return sorted(items, key=lambda item: (item[0], item[1]))


def handbook(*, user: Any, pk: int) -> Handbook:
    """Everything recorded about one person, in a fixed small number of queries."""
    person = person_get(user=user, pk=pk)
    book = Handbook(person=person)
    book.pregnancies = list(
        person.pregnancies.prefetch_related("visits").select_related("facility").order_by("date")
    )
    book.deliveries = list(
        person.deliveries.prefetch_related(
            Prefetch("births", queryset=Birth.objects.order_by("birth_order"))
        )
        .select_related("facility")
        .order_by("date")
    )
    book.children = list(person.children.active().order_by("birth_date", "pk"))
    book.birth = Birth.objects.filter(person=person).select_related("delivery").first()
    book.postnatal = list(person.postnatal_contacts.order_by("date"))
    book.checkups = list(person.checkups.order_by("date"))
    book.measurements = list(person.measurements.order_by("date"))
    book.immunisations = list(person.immunisations.select_related("facility").order_by("date"))
    book.illnesses = list(person.illnesses.order_by("date"))
    book.death = Death.objects.filter(person=person).first()
    book.merged_from = list(person.merged_from.all())
    ids = [person.pk, *(p.pk for p in book.merged_from)]
    book.history = list(
        AuditEntry.objects.filter(person_id__in=ids)
        .exclude(action="view")
        .select_related("user")
        .order_by("-at", "-id")[:200]
    )
    return book


# ---------------------------------------------------------------------- audit of reads

READ_ACTIONS = (AuditAction.VIEW, AuditAction.EXPORT)
# Lists and exports name their people in ``changes`` (worklists: "people", worklist exports:
# "person_ids"); the stored JSON text is "[1, 2]" on PostgreSQL and "[1,2]" on SQLite.
_LISTED_PEOPLE_KEYS = ("people", "person_ids")


def audit_readers(*, user: Any) -> QuerySet[Any]:
    """The users whose reads ``user`` may audit: those assigned a unit in the user's scope."""
    users = get_user_model().objects.order_by("username")
    if not can_audit_reads(user):
        return users.none()
    scope = Scope.for_user(user)
    if scope.unrestricted:
        return users
    return users.filter(pk__in=users.filter(scope.unit_q("units")).values("pk"))


def audit_read_list(
    *,
    user: Any,
    reader_id: int | None = None,
    person_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    action: str = "",
) -> QuerySet[AuditEntry]:
    """Views and exports of identifiable records, newest first, that ``user`` may audit: those
    made by a user of their units, and those of a person of their units by anyone."""
    rows = AuditEntry.objects.filter(action__in=READ_ACTIONS)
    if not can_audit_reads(user):
        return rows.none()
    if not Scope.for_user(user).unrestricted:
        people = Person.objects.filter(people_scope_q(user)).values("pk")
        readers = audit_readers(user=user).values("pk")
        rows = rows.filter(Q(user_id__in=readers) | Q(person_id__in=people))
    if reader_id is not None:
        rows = rows.filter(user_id=reader_id)
    if person_id is not None:
        named = Q(person_id=person_id)
        for key in _LISTED_PEOPLE_KEYS:
            named |= Q(**{f"changes__{key}__regex": rf"[\[ ,]{person_id}[,\]]"})
        rows = rows.filter(named)
    zone = timezone.get_current_timezone()
    if since is not None:
        rows = rows.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=zone))
    if until is not None:
        next_day = until + dt.timedelta(days=1)
        rows = rows.filter(at__lt=dt.datetime.combine(next_day, dt.time.min, tzinfo=zone))
    if action in READ_ACTIONS:
        rows = rows.filter(action=action)
    return rows.select_related("user").order_by("-at", "-id")


def audit_people_names(*, user: Any, ids: set[int]) -> dict[int, str]:
    """Names of the people among ``ids`` that ``user`` may see (others stay unnamed)."""
    rows = Person.objects.filter(people_scope_q(user), pk__in=ids).values_list("pk", "full_name")
    return dict(rows)
