"""Worklists of children: immunisation doses due, overdue or missed; malnutrition
follow-up."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from mch.orgunits.models import OrgUnit

from ..derive import settings_for
from ..models import GrowthMeasurement, Immunisation, Nutrition, Person
from .common import (
    URGENCY_ORDER,
    AgeTexts,
    Row,
    Task,
    Urgency,
    alive_q,
    day_text,
    people_q,
    require,
    sort_rows,
    when,
    years_before,
    z_text,
)

IMMUNISATION_MAX_YEARS = 6
GROWTH_MAX_YEARS = 5


# ---------------------------------------------------------------------- immunisation


def _children(
    user: Any, unit: OrgUnit, village: str, as_of: dt.date, years: int, max_days: int | None = None
) -> QuerySet[Person]:
    """Living children of the commune born on or before ``as_of``, under ``years`` and, when
    given, at most ``max_days`` old."""
    born_after = years_before(as_of, years)
    if max_days is not None:
        born_after = max(born_after, as_of - dt.timedelta(days=max_days + 1))
    return Person.objects.filter(
        people_q(user, unit, village),
        alive_q(as_of),
        birth_date__lte=as_of,
        birth_date__gt=born_after,
    ).order_by()  # rows are sorted in Python; the default ordering would cost a sort


def immunisation_due(
    *,
    user: Any,
    unit: OrgUnit,
    as_of: dt.date,
    village: str = "",
    horizon_days: int = 0,
    statuses: Iterable[str] | None = None,
) -> list[Row]:
    """Living children under 6 with doses due, overdue or missed on ``as_of`` (and doses
    coming due within ``horizon_days``), one row per child with the doses. Every recorded
    dose counts as given, private-market ones included (they protect the child).

    Children are read within the schedule's range: a child older than every dose's latest
    age could only show doses missed long ago, so is left out (at most 6 years)."""
    from mch.immunisation.engine import ChildDoses, Status, due_list
    from mch.immunisation.selectors import province_of, schedule_rules

    require(user)
    wanted = {Urgency(s) for s in statuses} if statuses is not None else set(Urgency)
    if horizon_days <= 0:
        wanted.discard(Urgency.UPCOMING)
    schedule = schedule_rules(on=as_of, province=province_of(unit))
    limits = [r.latest_age_days for r in schedule if r.latest_age_days is not None]
    max_days = max(limits) if schedule and len(limits) == len(schedule) else None
    children = _children(user, unit, village, as_of, IMMUNISATION_MAX_YEARS, max_days)
    people = {
        row[0]: row
        for row in children.values_list(
            "pk",
            "full_name",
            "village",
            "phone",
            "birth_date",
            "mother__full_name",
            "mother__phone",
            "residence_unit_id",
        )
    }
    # The date each child was first given each dose. Whether a dose was EPI or private
    # does not change what is due (a given dose is given), and reading the flag costs a
    # third of this query on SQLite: left out.
    doses: dict[int, dict[tuple[str, int], dt.date]] = defaultdict(dict)
    # A plain cursor: tens of thousands of rows, and Django's per-value converters cost
    # more than the query itself on SQLite; dates arrive as ISO text there.
    query = (
        Immunisation.objects.filter(person_id__in=children.values("pk"), date__lte=as_of)
        .order_by()
        .values_list("person_id", "antigen", "dose", "date")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for person_id, antigen, number, date in cursor.fetchall():
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            child_doses = doses[person_id]
            key = (antigen, number)
            if key not in child_doses or date < child_doses[key]:
                child_doses[key] = date
    labels = {
        r.key: _("%(vaccine)s dose %(dose)d")
        % {"vaccine": r.antigen_name or r.antigen, "dose": r.dose}
        for r in schedule
    }
    status_of = {
        Status.DUE: Urgency.DUE,
        Status.OVERDUE: Urgency.OVERDUE,
        Status.MISSED: Urgency.MISSED,
        Status.TOO_EARLY: Urgency.UPCOMING,
    }
    status_of = {engine: ours for engine, ours in status_of.items() if ours in wanted}
    every_dose = {r.key for r in schedule}
    day = dt.timedelta(days=1)
    horizon_end = as_of + dt.timedelta(days=max(horizon_days, 0))
    tasks: dict[int, list[Task]] = defaultdict(list)
    for item in due_list(
        (
            ChildDoses(pk, row[4], doses.get(pk, {}))
            for pk, row in people.items()
            # A child with every dose of the schedule recorded has nothing to do.
            if row[4] is not None and not every_dose <= doses.get(pk, {}).keys()
        ),
        schedule,
        as_of,
        horizon_days,
        include_missed=Urgency.MISSED in wanted,
    ):
        dose = item.dose
        status = status_of.get(dose.status)
        if dose.status is Status.DUE and as_of < dose.due_date:
            # Valid from its minimum age but not yet at the schedule's age (IPV from 14
            # weeks, due at 5 months): not due, coming up when within the horizon.
            status = (
                Urgency.UPCOMING
                if Urgency.UPCOMING in wanted and dose.due_date <= horizon_end
                else None
            )
        if status is not None:
            since = dose.due_date
            if status is Urgency.MISSED:
                # Missed from the day after the latest age (or today, when a late previous
                # dose already pushed it past that age): never a date still to come.
                since = as_of if dose.latest_date is None else min(dose.latest_date + day, as_of)
            tasks[item.child].append(  # type: ignore[index]
                Task(
                    "dose",
                    labels[dose.key],
                    since,
                    status,
                    antigen=dose.antigen,
                    dose=dose.dose,
                    overdue_on=dose.overdue_from,
                    horizon=horizon_days,
                    valid_from=dose.due_from if status is Urgency.UPCOMING else None,
                )
            )
    ages = AgeTexts(as_of)
    mother_text = _("Mother: %(name)s")  # translated once, not once per child
    found = []
    for pk, child_tasks in tasks.items():
        _pk, name, child_village, phone, birth, mother, mother_phone, unit_id = people[pk]
        found.append(
            Row(
                person_id=pk,
                name=name,
                village=child_village,
                unit_id=unit_id,
                phone=phone or mother_phone or "",
                age_text=ages(birth),
                tasks=child_tasks,
                note=mother_text % {"name": mother} if mother else "",
                birth_date=birth,
            )
        )
    return sort_rows(found)


# ---------------------------------------------------------------------- growth

_BAD = (Nutrition.MODERATE, Nutrition.SEVERE)


def growth_followup(
    *,
    user: Any,
    unit: OrgUnit,
    as_of: dt.date,
    village: str = "",
    horizon_days: int = 0,
) -> list[Row]:
    """Children under 5 whose latest measurement (on or before ``as_of``) shows moderate
    or severe stunting or wasting, or oedema, and who have not been measured again within
    ``followup_days``: due from the measurement plus ``followup_days``, overdue after
    another ``followup_days``. Severe first."""
    require(user)
    followup = dt.timedelta(days=settings_for(unit).followup_days)
    children = _children(user, unit, village, as_of, GROWTH_MAX_YEARS)
    latest = (
        GrowthMeasurement.objects.filter(person_id=OuterRef("pk"), date__lte=as_of)
        .order_by("-date", "-id")
        .values("pk")[:1]
    )
    measurements = (
        GrowthMeasurement.objects.filter(
            Q(stunting__in=_BAD) | Q(wasting__in=_BAD) | Q(oedema=True),
            pk__in=children.annotate(latest=Subquery(latest)).values("latest"),
        )
        .order_by()
        .values(
            "pk",
            "date",
            "haz",
            "whz",
            "stunting",
            "wasting",
            "oedema",
            "person_id",
            "person__full_name",
            "person__village",
            "person__residence_unit_id",
            "person__phone",
            "person__birth_date",
            "person__mother__full_name",
            "person__mother__phone",
        )
    )
    ages = AgeTexts(as_of)
    found = []
    for m in measurements:
        due_on = m["date"] + followup
        status = when(due_on, due_on + followup, as_of, horizon_days)
        if status is None:
            continue
        problems = []
        if m["oedema"]:
            problems.append(_("oedema"))
        if m["wasting"] in _BAD:
            problems.append(
                (_("severe wasting") if m["wasting"] == Nutrition.SEVERE else _("wasting"))
                + (f" (WHZ {z_text(m['whz'])})" if m["whz"] is not None else "")
            )
        if m["stunting"] in _BAD:
            problems.append(
                (_("severe stunting") if m["stunting"] == Nutrition.SEVERE else _("stunting"))
                + (f" (HAZ {z_text(m['haz'])})" if m["haz"] is not None else "")
            )
        severe = bool(m["oedema"]) or Nutrition.SEVERE in (m["wasting"], m["stunting"])
        label = _("Measure again: %(problems)s") % {"problems": ", ".join(problems)}
        found.append(
            Row(
                person_id=m["person_id"],
                name=m["person__full_name"],
                village=m["person__village"],
                unit_id=m["person__residence_unit_id"],
                phone=m["person__phone"] or m["person__mother__phone"] or "",
                age_text=ages(m["person__birth_date"]),
                tasks=[
                    Task(
                        "growth",
                        label,
                        due_on,
                        status,
                        overdue_on=due_on + followup,
                        horizon=horizon_days,
                    )
                ],
                note=_("Measured %(date)s") % {"date": day_text(m["date"])},
                record_id=m["pk"],
                severe=severe,
                birth_date=m["person__birth_date"],
            )
        )
    return sort_rows(found, first=lambda row: (not row.severe, URGENCY_ORDER[row.status]))
