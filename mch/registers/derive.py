"""Values the registers compute rather than ask for, shared by the services (one record)
and the bulk importer (many): group snapshots, gestational age, skilled attendance, the
pregnancy summary kept on ``Pregnancy``, the age group of a death.

The same function fills a record whichever way it arrives, so a form, the API and an
import of the same facts store the same row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from mch.orgunits.models import OrgUnit, UnitAttribute

from . import rules
from .ethnicities import is_minority
from .models import AntenatalVisit, CareEvent, Person, Pregnancy, RegisterSettings

_AREA_KEYS = ("ethnic_minority_area", "especially_difficult", "zone")


class AreaClassifier:
    """The classification of communes on a date, read once for many records."""

    def __init__(self, unit_ids: Iterable[int] | None = None):
        self._rows: dict[int, list[tuple[str, str, dt.date | None, dt.date | None]]] = defaultdict(
            list
        )
        self._read: set[int] | None = set()
        if unit_ids is None:
            self._read = None  # every unit read
            self._load(UnitAttribute.objects.filter(key__in=_AREA_KEYS))
        else:
            self.add(unit_ids)

    def add(self, unit_ids: Iterable[int]) -> None:
        """Read the classification of units not read yet."""
        if self._read is None:
            return
        wanted = set(unit_ids) - self._read
        if not wanted:
            return
        self._read |= wanted
        self._load(UnitAttribute.objects.filter(key__in=_AREA_KEYS, unit_id__in=wanted))

    def _load(self, rows: Any) -> None:
        for unit_id, key, value, start, end in rows.values_list(
            "unit_id", "key", "value", "valid_from", "valid_to"
        ):
            self._rows[unit_id].append((key, value, start, end))

    def on(self, unit_id: int, day: dt.date) -> dict[str, object]:
        found: dict[str, str] = {}
        for key, value, start, end in self._rows.get(unit_id, ()):
            if (start is None or start <= day) and (end is None or end >= day):
                found[key] = value
        zone = found.get("zone", "")
        return {
            "area_ethnic_minority": found.get("ethnic_minority_area") == "true",
            "area_especially_difficult": found.get("especially_difficult") == "true"
            or zone == "III",
            "area_zone": zone,
        }


def groups_fill(
    event: CareEvent, person: Person, *, classifier: AreaClassifier | None = None
) -> None:
    """Snapshot the person's groups on the event: ethnicity and the commune's class."""
    classifier = classifier or AreaClassifier([event.residence_unit_id])
    event.ethnicity = person.ethnicity
    event.ethnic_minority = is_minority(person.ethnicity)
    for name, value in classifier.on(event.residence_unit_id, event.date).items():
        setattr(event, name, value)


def settings_for(unit: OrgUnit | None) -> RegisterSettings:
    """The settings of the unit's province, else the national default (unsaved if none)."""
    if unit is not None:
        province_ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        found = (
            RegisterSettings.objects.filter(province_id__in=province_ids)
            .order_by("-province__depth")
            .first()
        )
        if found is not None:
            return found
    return RegisterSettings.objects.filter(province__isnull=True).first() or RegisterSettings()


def visit_fill(visit: AntenatalVisit, pregnancy: Pregnancy) -> None:
    lmp, _ = rules.pregnancy_dates(pregnancy.lmp, pregnancy.edd)
    if lmp is None:
        visit.gestational_weeks = visit.trimester = None
        return
    visit.gestational_weeks = rules.gestational_weeks(lmp, visit.date)
    visit.trimester = rules.trimester(visit.gestational_weeks)


def pregnancy_summary(visits: Iterable[AntenatalVisit]) -> dict[str, object]:
    """What Pregnancy keeps from its visits: count, trimesters covered, last date, tablets."""
    count = 0
    trimesters: set[int] = set()
    last: dt.date | None = None
    tablets = 0
    for visit in visits:
        count += 1
        if visit.trimester:
            trimesters.add(visit.trimester)
        last = visit.date if last is None or visit.date > last else last
        tablets += (visit.iron_tablets or 0) + (visit.mmn_tablets or 0)
    return {
        "anc_visits": count,
        "anc_trimesters": "".join(str(t) for t in sorted(trimesters)),
        "last_anc_date": last,
        "iron_tablets": tablets,
    }


def pregnancy_summary_refresh(pregnancy: Pregnancy) -> None:
    summary = pregnancy_summary(pregnancy.visits.all())
    for name, value in summary.items():
        setattr(pregnancy, name, value)
    pregnancy.save(update_fields=[*summary, "updated_at"])


def death_age(birth: dt.date | None, day: dt.date) -> dict[str, object]:
    """Age at death in completed days and its group by calendar birthdays (no birth date:
    the group of an adult, "older")."""
    if birth is None:
        return {"age_days": None, "age_group": "older"}
    return {"age_days": rules.age_days(birth, day), "age_group": rules.age_group(birth, day)}


def death_fill(
    *,
    birth: dt.date | None,
    day: dt.date,
    sex: str,
    pregnancy_relation: str,
    cause_group: str,
    pregnancy_related: bool | None = None,
    maternal_cause: str = "",
) -> dict[str, object]:
    """Age at death and its group; for a woman, the maternal cause group (from the cause
    when not given), the maternal group (maternal, late maternal, incidental) and whether
    to notify it as a possible maternal death."""
    age_years = rules.age_years(birth, day) if birth is not None else None
    if sex == "F":
        maternal_cause = maternal_cause or rules.maternal_cause_default(
            pregnancy_relation=pregnancy_relation, cause_group=cause_group
        )
    group = rules.maternal_group(
        sex=sex,
        pregnancy_relation=pregnancy_relation,
        pregnancy_related=pregnancy_related,
        maternal_cause=maternal_cause,
    )
    return {
        **death_age(birth, day),
        "maternal_cause": maternal_cause,
        "maternal_group": group,
        "possible_maternal": rules.possible_maternal_death(sex=sex, age=age_years, group=group),
    }
