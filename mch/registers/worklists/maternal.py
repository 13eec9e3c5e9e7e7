"""Worklists of women: antenatal visits due, first-week postnatal home visits, possible
maternal deaths to notify."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mch.orgunits.models import OrgUnit

from .. import rules
from ..derive import settings_for
from ..models import (
    Birth,
    BirthOutcome,
    ContactPlace,
    Death,
    Delivery,
    MotherOutcome,
    PostnatalContact,
    Pregnancy,
    ReviewStatus,
)
from .common import Row, Task, Urgency, alive_q, day_text, people_q, require, sort_rows, when

# Near the expected date of delivery: the health worker checks the birth plan.
EDD_NEAR_DAYS = 14
# The first week after birth, days 0–7, when the home visit counts for the indicator.
PNC_LAST_DAY = 7
# Best knowledge: WHO (2013) recommends postnatal contacts within 24 hours and on day 3;
# a first-week home visit still missing on day 3 is shown as overdue.
PNC_OVERDUE_DAY = 3
# Only home visits count for "home postnatal care in the first week" (domain.md §2).
PNC_PLACES = (ContactPlace.HOME,)
# Best knowledge (domain.md §6): a possible maternal death is notified within 24 hours.
DEATH_NOTIFY_DAYS = 1


# ---------------------------------------------------------------------- antenatal


def antenatal_due(
    *,
    user: Any,
    unit: OrgUnit,
    as_of: dt.date,
    village: str = "",
    horizon_days: int = 0,
) -> list[Row]:
    """Pregnancies open on ``as_of`` whose next visit is due (last visit, or registration,
    plus ``anc_revisit_days``) or overdue (``anc_overdue_days`` later); and those within
    ``EDD_NEAR_DAYS`` of, or past, the expected date of delivery with no outcome recorded.
    Visits after ``as_of`` are not seen, so a past day gives the list as it was."""
    require(user)
    settings = settings_for(unit)
    revisit = dt.timedelta(days=settings.anc_revisit_days)
    overdue = dt.timedelta(days=settings.anc_overdue_days)
    pregnancies = (
        Pregnancy.objects.filter(
            people_q(user, unit, village, "person__"),
            alive_q(as_of, "person__"),
            Q(outcome="") | Q(outcome_date__gt=as_of),
            date__lte=as_of,
        )
        .annotate(last_visit=Max("visits__date", filter=Q(visits__date__lte=as_of)))
        .values(
            "pk",
            "date",
            "lmp",
            "edd",
            "last_visit",
            "person_id",
            "person__full_name",
            "person__village",
            "person__residence_unit_id",
            "person__phone",
            "person__birth_date",
        )
    )
    # Each text translated once, not once per pregnancy (a province lists thousands).
    visit_text = _("Antenatal visit (last %(date)s)")
    first_visit_text = _("Antenatal visit (none since registration %(date)s)")
    passed_text = _("Past the expected delivery date (%(date)s), no delivery recorded")
    near_text = _("Expected delivery on %(date)s: check the birth plan")
    weeks_text = _("%(weeks)d weeks pregnant")
    edd_text = _("EDD %(date)s")
    years_texts: dict[int, str] = {}
    found = []
    for p in pregnancies:
        tasks = []
        base = p["last_visit"] or p["date"]
        due_on = base + revisit
        status = when(due_on, due_on + overdue, as_of, horizon_days)
        if status is not None:
            label = (
                visit_text % {"date": day_text(p["last_visit"])}
                if p["last_visit"]
                else first_visit_text % {"date": day_text(p["date"])}
            )
            tasks.append(
                Task(
                    "anc_visit",
                    label,
                    due_on,
                    status,
                    overdue_on=due_on + overdue,
                    horizon=horizon_days,
                )
            )
        lmp, edd = rules.pregnancy_dates(p["lmp"], p["edd"])
        if edd is not None and as_of > edd:
            tasks.append(
                Task(
                    "edd_passed",
                    passed_text % {"date": day_text(edd)},
                    edd + dt.timedelta(days=1),
                    Urgency.OVERDUE,
                )
            )
        elif edd is not None and (edd - as_of).days <= EDD_NEAR_DAYS:
            tasks.append(
                Task(
                    "edd_near",
                    near_text % {"date": day_text(edd)},
                    edd - dt.timedelta(days=EDD_NEAR_DAYS),
                    Urgency.DUE,
                )
            )
        if not tasks:
            continue
        weeks = rules.gestational_weeks(lmp, as_of) if lmp else None
        parts = []
        if p["person__birth_date"]:
            years = rules.age_years(p["person__birth_date"], as_of)
            if years not in years_texts:
                years_texts[years] = ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
            parts.append(years_texts[years])
        if weeks is not None:
            parts.append(weeks_text % {"weeks": weeks})
        found.append(
            Row(
                person_id=p["person_id"],
                name=p["person__full_name"],
                village=p["person__village"],
                unit_id=p["person__residence_unit_id"],
                phone=p["person__phone"],
                age_text=", ".join(parts),
                tasks=tasks,
                note=edd_text % {"date": day_text(edd)} if edd else "",
                record_id=p["pk"],
                birth_date=p["person__birth_date"],
                gestational_weeks=weeks,
            )
        )
    return sort_rows(found)


# ---------------------------------------------------------------------- postnatal


def postnatal_due(*, user: Any, unit: OrgUnit, as_of: dt.date, village: str = "") -> list[Row]:
    """Deliveries of days 0–7 before ``as_of`` where the mother, or a live-born newborn
    still alive, has had no home visit yet (contacts on or before ``as_of``). One row per
    delivery, on the mother; the tasks say who still needs the visit."""
    require(user)
    deliveries = list(
        Delivery.objects.filter(
            people_q(user, unit, village, "person__"),
            date__gte=as_of - dt.timedelta(days=PNC_LAST_DAY),
            date__lte=as_of,
        ).values(
            "pk",
            "date",
            "mother_outcome",
            "person_id",
            "person__full_name",
            "person__village",
            "person__residence_unit_id",
            "person__phone",
            "person__deceased_on",
        )
    )
    ids = [d["pk"] for d in deliveries]
    newborns: dict[int, list[Any]] = defaultdict(list)
    for birth in Birth.objects.filter(
        delivery_id__in=ids, outcome=BirthOutcome.LIVE, person__isnull=False
    ).values("delivery_id", "person_id", "person__full_name", "person__deceased_on", "birth_order"):
        newborns[birth["delivery_id"]].append(birth)
    visited = set(
        PostnatalContact.objects.filter(
            delivery_id__in=ids,
            date__lte=as_of,
            day_after_birth__lte=PNC_LAST_DAY,
            place__in=PNC_PLACES,
        ).values_list("delivery_id", "person_id")
    )
    found = []
    for d in deliveries:
        day = (as_of - d["date"]).days
        status = Urgency.OVERDUE if day >= PNC_OVERDUE_DAY else Urgency.DUE
        overdue_on = d["date"] + dt.timedelta(days=PNC_OVERDUE_DAY)
        tasks = []
        mother_alive = d["mother_outcome"] != MotherOutcome.DIED and (
            d["person__deceased_on"] is None or d["person__deceased_on"] > as_of
        )
        if mother_alive and (d["pk"], d["person_id"]) not in visited:
            tasks.append(
                Task(
                    "pnc_mother",
                    _("Home visit: mother"),
                    d["date"],
                    status,
                    overdue_on=overdue_on,
                )
            )
        for baby in sorted(newborns[d["pk"]], key=lambda b: b["birth_order"]):
            alive = baby["person__deceased_on"] is None or baby["person__deceased_on"] > as_of
            if alive and (d["pk"], baby["person_id"]) not in visited:
                tasks.append(
                    Task(
                        "pnc_newborn",
                        _("Home visit: newborn %(name)s") % {"name": baby["person__full_name"]},
                        d["date"],
                        status,
                        person_id=baby["person_id"],
                        overdue_on=overdue_on,
                    )
                )
        if not tasks:
            continue
        found.append(
            Row(
                person_id=d["person_id"],
                name=d["person__full_name"],
                village=d["person__village"],
                unit_id=d["person__residence_unit_id"],
                phone=d["person__phone"],
                age_text=_("day %(n)d after birth") % {"n": day},
                tasks=tasks,
                note=_("Delivered %(date)s") % {"date": day_text(d["date"])},
                record_id=d["pk"],
            )
        )
    return sort_rows(found)


# ---------------------------------------------------------------------- deaths


def maternal_deaths_to_notify(
    *, user: Any, unit: OrgUnit, as_of: dt.date, village: str = ""
) -> list[Row]:
    """Possible maternal deaths on or before ``as_of`` still waiting to be notified; due
    on the day of death and the next (within 24 hours), overdue after."""
    require(user)
    deaths = Death.objects.filter(
        people_q(user, unit, village, "person__"),
        possible_maternal=True,
        review_status=ReviewStatus.TO_NOTIFY,
        date__lte=as_of,
    ).values(
        "pk",
        "date",
        "person_id",
        "person__full_name",
        "person__village",
        "person__residence_unit_id",
        "person__phone",
        "person__birth_date",
    )
    found = []
    for d in deaths:
        days = (as_of - d["date"]).days
        status = Urgency.OVERDUE if days > DEATH_NOTIFY_DAYS else Urgency.DUE
        label = ngettext(
            "Notify the possible maternal death (%(days)d day since death)",
            "Notify the possible maternal death (%(days)d days since death)",
            days,
        ) % {"days": days}
        years = (
            rules.age_years(d["person__birth_date"], d["date"]) if d["person__birth_date"] else None
        )
        found.append(
            Row(
                person_id=d["person_id"],
                name=d["person__full_name"],
                village=d["person__village"],
                unit_id=d["person__residence_unit_id"],
                phone=d["person__phone"],
                age_text=ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
                if years is not None
                else "",
                tasks=[
                    Task(
                        "notify",
                        label,
                        d["date"],
                        status,
                        overdue_on=d["date"] + dt.timedelta(days=DEATH_NOTIFY_DAYS + 1),
                    )
                ],
                note=_("Died %(date)s") % {"date": day_text(d["date"])},
                record_id=d["pk"],
                birth_date=d["person__birth_date"],
            )
        )
    return sort_rows(found)
