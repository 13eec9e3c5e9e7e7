"""A corrected residence history moves the person's stored events with it.

Every event's residence commune is where the person lived on its date
(``write_scope.residence_on``: the closed residence holding that day, else the current
one). When a history is replaced (a bundle's ``noi_o`` rows, a move recorded from a past
date), the events that followed the old history follow the new one:

    before = histories([person.pk])
    ... the residences change ...
    events_rederive(before=before, user=user, note="...")

An event whose stored commune is the one the old history gave on its date takes the one
the new history gives (and its village when it had the old village), with the commune's
classification on that date; an event recorded with another commune keeps it. Each changed
event is audited with its changed columns, and the stored indicator cells of the old and
new communes are refreshed on commit (``aggregates.cells_touch``). A birth follows its
mother (``Birth.mother``), every other event its ``person``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .. import derive
from ..bundle.lookups import chunks
from ..models import CARE_EVENT_MODELS, AuditAction, AuditEntry, Birth, Person, Residence

AREA_FIELDS = ("area_ethnic_minority", "area_especially_difficult", "area_zone")


@dataclass
class History:
    """Closed residences (start, end, unit, village), latest first, and the current place."""

    closed: list[tuple[dt.date | None, dt.date, int, str]] = field(default_factory=list)
    current: tuple[int | None, str] = (None, "")

    def on(self, day: dt.date) -> tuple[int | None, str]:
        for start, end, unit, village in self.closed:
            if (start is None or start <= day) and end >= day:
                return unit, village
        return self.current


def histories(person_ids: Iterable[int]) -> dict[int, History]:
    """The stored history of each person, as ``residence_on`` reads it."""
    found: dict[int, History] = defaultdict(History)
    for batch in chunks(set(person_ids)):
        for pk, unit, village in Person.objects.filter(pk__in=batch).values_list(
            "pk", "residence_unit_id", "village"
        ):
            found[pk].current = (unit, village)
        rows = (
            Residence.objects.filter(person_id__in=batch, valid_to__isnull=False)
            .order_by("person_id", "-valid_from")
            .values_list("person_id", "valid_from", "valid_to", "unit_id", "village")
        )
        for person_id, start, end, unit, village in rows:
            if end is not None:  # always (the filter): for the type checker
                found[person_id].closed.append((start, end, unit, village))
    for history in found.values():  # as residence_on: the latest start first, open start last
        history.closed.sort(key=lambda r: r[0] or dt.date.min, reverse=True)
    return dict(found)


def events_rederive(
    *,
    before: dict[int, History],
    user: Any,
    note: str,
    import_batch_id: int | None = None,
    skip_batch: bool = False,
) -> int:
    """Re-derive the residence of the stored events of the people of ``before`` (their
    histories before the change) from their stored histories now; returns the events
    changed. ``skip_batch``: leave the events ``import_batch_id`` wrote (they were
    checked against the new history already)."""
    if not before:
        return 0
    from mch.indicators.adapter import aggregates

    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    changed_total = 0
    units: set[int] = set()
    years: set[int] = set()
    people: set[int] = set()
    for batch in chunks(sorted(before)):
        after = histories(batch)
        pending: list[tuple[Any, int, int, dt.date, int | None, str, int | None, str]] = []
        for model in CARE_EVENT_MODELS:
            owner = "mother_id" if model is Birth else "person_id"
            rows = model.objects.filter(**{f"{owner}__in": batch})
            if skip_batch and import_batch_id is not None:
                rows = rows.exclude(import_batch_id=import_batch_id)
            for pk, person_id, day, unit, village in rows.values_list(
                "pk", owner, "date", "residence_unit_id", "village"
            ):
                old_unit, old_village = before[person_id].on(day)
                new_unit, new_village = (
                    after[person_id].on(day) if person_id in after else (None, "")
                )
                if new_unit is None or unit != old_unit:
                    continue  # recorded with another commune than the history gave: kept
                village_new = new_village if village == old_village else village
                if (new_unit, village_new) == (unit, village):
                    continue
                pending.append((model, pk, person_id, day, unit, village, new_unit, village_new))
        if not pending:
            continue
        classifier = derive.AreaClassifier({p[6] for p in pending if p[6] is not None})
        grouped: dict[Any, list[Any]] = defaultdict(list)
        audits = []
        for model, pk, owner_id, day, unit, village, new_unit, village_new in pending:
            assert new_unit is not None
            values: dict[str, Any] = {"residence_unit_id": new_unit, "village": village_new}
            area = classifier.on(new_unit, day)
            values |= {name: area[name] for name in AREA_FIELDS if name in area}
            grouped[model].append(model(pk=pk, updated_at=now, **values))
            changes: dict[str, list[Any]] = {}
            if new_unit != unit:
                changes["residence_unit_id"] = [unit, new_unit]
            if village_new != village:
                changes["village"] = [village, village_new]
            audits.append(
                AuditEntry(
                    user=actor,
                    action=AuditAction.UPDATE,
                    model=model._meta.model_name or "",
                    object_id=pk,
                    person_id=owner_id,
                    changes=changes,
                    note=f"{note}: xã cư trú tính lại theo nơi ở ngày {day:%d/%m/%Y}"[:300],
                    import_batch_id=import_batch_id,
                )
            )
            units |= {u for u in (unit, new_unit) if u is not None}
            years.add(day.year)
            people.add(owner_id)
        for model, objs in grouped.items():
            names = ["residence_unit_id", "village", "updated_at"]
            names += [name for name in AREA_FIELDS if hasattr(objs[0], name)]
            model._default_manager.bulk_update(objs, names, batch_size=500)
        AuditEntry.objects.bulk_create(audits, batch_size=2000)
        changed_total += len(pending)
    if changed_total:
        aggregates.cells_touch(person_ids=people, units=units, years=years)
    return changed_total


def people_of_residences(residence_ids: Collection[int]) -> set[int]:
    found: set[int] = set()
    for batch in chunks(sorted(residence_ids)):
        found |= set(Residence.objects.filter(pk__in=batch).values_list("person_id", flat=True))
    return found
