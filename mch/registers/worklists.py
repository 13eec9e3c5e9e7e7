"""Worklists: who in a commune (or one of its villages) is due for what on a given day.

Five lists, each a function of the acting user, the commune, an optional village and the
"as of" day (never today's date read here; views pass it):

- ``antenatal_due``: open pregnancies whose next visit is due or overdue, and women near
  or past the expected date of delivery with no delivery recorded;
- ``postnatal_due``: deliveries of the last 7 days where the mother or a live-born newborn
  has had no home visit yet (the first-week home visit is the indicator, domain.md §2);
- ``immunisation_due``: children under 6 with doses due, overdue or missed (and, with a
  horizon, doses coming due), from ``mch.immunisation.engine.due_list``;
- ``growth_followup``: children under 5 whose latest measurement shows stunting, wasting
  or oedema and who have not been measured again within ``followup_days``;
- ``maternal_deaths_to_notify``: possible maternal deaths not yet notified.

People are those of the user's scope (``people_scope_q``) whose current commune of
residence is the chosen unit. Each list runs a fixed, small number of queries whatever
the number of people (the immunisation list: children, their doses, the schedule), then
works in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mch.accounts.permissions import can_see_people
from mch.accounts.scope import Scope
from mch.orgunits.models import OrgUnit

from . import rules
from .derive import settings_for
from .models import (
    Birth,
    BirthOutcome,
    ContactPlace,
    Death,
    Delivery,
    GrowthMeasurement,
    Immunisation,
    MotherOutcome,
    Nutrition,
    Person,
    PostnatalContact,
    Pregnancy,
    ReviewStatus,
)
from .selectors import people_scope_q

# Near the expected date of delivery: the health worker checks the birth plan.
EDD_NEAR_DAYS = 14
# The first week after birth, days 0–7, when the home visit counts for the indicator.
PNC_LAST_DAY = 7
# Best knowledge: WHO (2013) recommends postnatal contacts within 24 hours and on day 3;
# a first-week home visit still missing on day 3 is shown as overdue.
PNC_OVERDUE_DAY = 3
# Only home visits count for "home postnatal care in the first week" (domain.md §2).
PNC_PLACES = (ContactPlace.HOME,)
IMMUNISATION_MAX_YEARS = 6
GROWTH_MAX_YEARS = 5
# Best knowledge (domain.md §6): a possible maternal death is notified within 24 hours.
DEATH_NOTIFY_DAYS = 1


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE = "due"
    MISSED = "missed"
    UPCOMING = "upcoming"


URGENCY_ORDER = {Urgency.OVERDUE: 0, Urgency.DUE: 1, Urgency.MISSED: 2, Urgency.UPCOMING: 3}


_URGENCY_LABELS = {
    Urgency.OVERDUE: gettext_lazy("overdue"),
    Urgency.DUE: gettext_lazy("due"),
    Urgency.MISSED: gettext_lazy("missed"),
    Urgency.UPCOMING: gettext_lazy("coming up"),
}


def urgency_label(status: str) -> str:
    return str(_URGENCY_LABELS[Urgency(status)])


# Plain slotted classes: the immunisation list makes one per dose of thousands of children.
@dataclass(slots=True)
class Task:
    """One thing to do for a person: what, since when, how urgent."""

    code: str  # anc_visit, edd_passed, edd_near, pnc_mother, pnc_newborn, dose, growth, notify
    label: str
    since: dt.date
    status: Urgency
    person_id: int | None = None  # the newborn of a postnatal task
    antigen: str = ""
    dose: int | None = None

    @property
    def status_label(self) -> str:
        return urgency_label(self.status)


@dataclass(slots=True)
class Row:
    """A person on a worklist, with the tasks for them (a child with several doses).
    ``status`` is the most urgent task's, ``since`` the earliest task's date."""

    person_id: int
    name: str
    village: str
    phone: str
    age_text: str
    tasks: list[Task]
    note: str = ""
    record_id: int | None = None  # the pregnancy, delivery, measurement or death
    severe: bool = False
    birth_date: dt.date | None = None
    gestational_weeks: int | None = None
    status: Urgency = field(init=False)
    since: dt.date = field(init=False)

    def __post_init__(self) -> None:
        self.status = min((t.status for t in self.tasks), key=URGENCY_ORDER.__getitem__)
        self.since = min(t.since for t in self.tasks)

    @property
    def status_label(self) -> str:
        return urgency_label(self.status)


@dataclass(frozen=True)
class Counts:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------- scope


def _require(user: Any) -> None:
    if not can_see_people(user):
        raise PermissionDenied("Tài khoản này không được xem danh sách người dân.")


def _people_q(user: Any, unit: OrgUnit, village: str, prefix: str = "") -> Q:
    """People in the user's scope living now in ``unit`` (and ``village``), not merged."""
    query = people_scope_q(user, prefix) & Q(
        **{
            f"{prefix}residence_unit__path__startswith": unit.path,
            f"{prefix}merged_into__isnull": True,
        }
    )
    if village:
        query &= Q(**{f"{prefix}village__iexact": village})
    return query


def _alive_q(as_of: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}deceased_on__isnull": True}) | Q(**{f"{prefix}deceased_on__gt": as_of})


def worklist_units(*, user: Any, as_of: dt.date) -> list[OrgUnit]:
    """Communes in the user's scope that exist on ``as_of``, by name."""
    if not can_see_people(user):
        return []
    units = Scope.for_user(user).filter(OrgUnit.objects.valid_on(as_of).filter(level="commune"))
    return list(units.order_by("name", "pk"))


def worklist_villages(*, user: Any, unit: OrgUnit) -> list[str]:
    """Villages named on the people of a commune (in scope), sorted."""
    _require(user)
    names = (
        Person.objects.filter(_people_q(user, unit, ""))
        .exclude(village="")
        .order_by("village")
        .values_list("village", flat=True)
        .distinct()
    )
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(" ".join(name.split()).casefold(), " ".join(name.split()))
    return sorted(unique.values(), key=str.casefold)


# ---------------------------------------------------------------------- shared pieces


def _when(
    due_on: dt.date, overdue_on: dt.date, as_of: dt.date, horizon_days: int
) -> Urgency | None:
    """Overdue, due, coming up within the horizon, or nothing to do yet."""
    if as_of >= overdue_on:
        return Urgency.OVERDUE
    if as_of >= due_on:
        return Urgency.DUE
    if horizon_days > 0 and (due_on - as_of).days <= horizon_days:
        return Urgency.UPCOMING
    return None


def _months(birth: dt.date, day: dt.date) -> int:
    months = (day.year - birth.year) * 12 + day.month - birth.month
    return months - 1 if day.day < birth.day else months


def age_text(birth: dt.date | None, day: dt.date) -> str:
    """A child's age as a health worker says it: days, months under 2, then years."""
    if birth is None:
        return ""
    days = (day - birth).days
    if days < 60:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    months = _months(birth, day)
    if months < 24:
        return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    years = rules.age_years(birth, day)
    return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}


class _AgeTexts:
    """``age_text`` for many children on one day: the same few texts, translated once."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self.seen: dict[dt.date | None, str] = {}

    def __call__(self, birth: dt.date | None) -> str:
        text = self.seen.get(birth)
        if text is None:
            text = self.seen[birth] = age_text(birth, self.day)
        return text


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _z(value: float | None) -> str:
    return "" if value is None else formats.number_format(value, 1, use_l10n=True)


def _sort(rows: Iterable[Row], first: Callable[[Row], Any] | None = None) -> list[Row]:
    def key(row: Row) -> tuple[Any, ...]:
        head = first(row) if first else URGENCY_ORDER[row.status]
        return (head, row.village.casefold(), row.name.casefold(), row.person_id)

    return sorted(rows, key=key)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 3, 1)


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
    _require(user)
    settings = settings_for(unit)
    revisit = dt.timedelta(days=settings.anc_revisit_days)
    overdue = dt.timedelta(days=settings.anc_overdue_days)
    pregnancies = (
        Pregnancy.objects.filter(
            _people_q(user, unit, village, "person__"),
            _alive_q(as_of, "person__"),
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
            "person__phone",
            "person__birth_date",
        )
    )
    found = []
    for p in pregnancies:
        tasks = []
        base = p["last_visit"] or p["date"]
        due_on = base + revisit
        status = _when(due_on, due_on + overdue, as_of, horizon_days)
        if status is not None:
            label = (
                _("Antenatal visit (last %(date)s)") % {"date": _date(p["last_visit"])}
                if p["last_visit"]
                else _("Antenatal visit (none since registration %(date)s)")
                % {"date": _date(p["date"])}
            )
            tasks.append(Task("anc_visit", label, due_on, status))
        lmp, edd = rules.pregnancy_dates(p["lmp"], p["edd"])
        if edd is not None and as_of > edd:
            tasks.append(
                Task(
                    "edd_passed",
                    _("Past the expected delivery date (%(date)s), no delivery recorded")
                    % {"date": _date(edd)},
                    edd + dt.timedelta(days=1),
                    Urgency.OVERDUE,
                )
            )
        elif edd is not None and (edd - as_of).days <= EDD_NEAR_DAYS:
            tasks.append(
                Task(
                    "edd_near",
                    _("Expected delivery on %(date)s: check the birth plan") % {"date": _date(edd)},
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
            parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
        if weeks is not None:
            parts.append(_("%(weeks)d weeks pregnant") % {"weeks": weeks})
        found.append(
            Row(
                person_id=p["person_id"],
                name=p["person__full_name"],
                village=p["person__village"],
                phone=p["person__phone"],
                age_text=", ".join(parts),
                tasks=tasks,
                note=_("EDD %(date)s") % {"date": _date(edd)} if edd else "",
                record_id=p["pk"],
                birth_date=p["person__birth_date"],
                gestational_weeks=weeks,
            )
        )
    return _sort(found)


# ---------------------------------------------------------------------- postnatal


def postnatal_due(*, user: Any, unit: OrgUnit, as_of: dt.date, village: str = "") -> list[Row]:
    """Deliveries of days 0–7 before ``as_of`` where the mother, or a live-born newborn
    still alive, has had no home visit yet (contacts on or before ``as_of``). One row per
    delivery, on the mother; the tasks say who still needs the visit."""
    _require(user)
    deliveries = list(
        Delivery.objects.filter(
            _people_q(user, unit, village, "person__"),
            date__gte=as_of - dt.timedelta(days=PNC_LAST_DAY),
            date__lte=as_of,
        ).values(
            "pk",
            "date",
            "mother_outcome",
            "person_id",
            "person__full_name",
            "person__village",
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
        tasks = []
        mother_alive = d["mother_outcome"] != MotherOutcome.DIED and (
            d["person__deceased_on"] is None or d["person__deceased_on"] > as_of
        )
        if mother_alive and (d["pk"], d["person_id"]) not in visited:
            tasks.append(Task("pnc_mother", _("Home visit: mother"), d["date"], status))
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
                    )
                )
        if not tasks:
            continue
        found.append(
            Row(
                person_id=d["person_id"],
                name=d["person__full_name"],
                village=d["person__village"],
                phone=d["person__phone"],
                age_text=_("day %(n)d after birth") % {"n": day},
                tasks=tasks,
                note=_("Delivered %(date)s") % {"date": _date(d["date"])},
                record_id=d["pk"],
            )
        )
    return _sort(found)


# ---------------------------------------------------------------------- immunisation


def _children(
    user: Any, unit: OrgUnit, village: str, as_of: dt.date, years: int
) -> QuerySet[Person]:
    return Person.objects.filter(
        _people_q(user, unit, village),
        _alive_q(as_of),
        birth_date__lte=as_of,
        birth_date__gt=_years_before(as_of, years),
    )


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
    dose counts as given, private-market ones included (they protect the child)."""
    from mch.immunisation.engine import ChildDoses, DoseGiven, Status, due_list
    from mch.immunisation.selectors import province_of, schedule_rules

    _require(user)
    wanted = {Urgency(s) for s in statuses} if statuses is not None else set(Urgency)
    if horizon_days <= 0:
        wanted.discard(Urgency.UPCOMING)
    children = _children(user, unit, village, as_of, IMMUNISATION_MAX_YEARS)
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
        )
    }
    doses: dict[int, list[DoseGiven]] = defaultdict(list)
    # Whether a dose was EPI or private does not change what is due (a given dose is
    # given), and reading the flag costs a third of this query on SQLite: left out.
    for person_id, antigen, number, date in Immunisation.objects.filter(
        person_id__in=children.values("pk"), date__lte=as_of
    ).values_list("person_id", "antigen", "dose", "date"):
        doses[person_id].append(DoseGiven(antigen, number, date))
    schedule = schedule_rules(on=as_of, province=province_of(unit))
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
    tasks: dict[int, list[Task]] = defaultdict(list)
    for item in due_list(
        (
            ChildDoses(pk, row[4], doses.get(pk, ()))
            for pk, row in people.items()
            if row[4] is not None  # always: the query asks for a date of birth
        ),
        schedule,
        as_of,
        horizon_days,
        include_missed=Urgency.MISSED in wanted,
    ):
        dose = item.dose
        status = status_of.get(dose.status)
        if status is not None:
            tasks[item.child].append(  # type: ignore[index]
                Task(
                    "dose",
                    labels[dose.key],
                    dose.due_date,
                    status,
                    antigen=dose.antigen,
                    dose=dose.dose,
                )
            )
    ages = _AgeTexts(as_of)
    found = []
    for pk, child_tasks in tasks.items():
        _pk, name, child_village, phone, birth, mother, mother_phone = people[pk]
        found.append(
            Row(
                person_id=pk,
                name=name,
                village=child_village,
                phone=phone or mother_phone or "",
                age_text=ages(birth),
                tasks=child_tasks,
                note=_("Mother: %(name)s") % {"name": mother} if mother else "",
                birth_date=birth,
            )
        )
    return _sort(found)


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
    _require(user)
    followup = dt.timedelta(days=settings_for(unit).followup_days)
    children = _children(user, unit, village, as_of, GROWTH_MAX_YEARS)
    latest = (
        GrowthMeasurement.objects.filter(person_id=OuterRef("pk"), date__lte=as_of)
        .order_by("-date", "-id")
        .values("pk")[:1]
    )
    measurements = GrowthMeasurement.objects.filter(
        Q(stunting__in=_BAD) | Q(wasting__in=_BAD) | Q(oedema=True),
        pk__in=children.annotate(latest=Subquery(latest)).values("latest"),
    ).values(
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
        "person__phone",
        "person__birth_date",
        "person__mother__full_name",
        "person__mother__phone",
    )
    ages = _AgeTexts(as_of)
    found = []
    for m in measurements:
        due_on = m["date"] + followup
        status = _when(due_on, due_on + followup, as_of, horizon_days)
        if status is None:
            continue
        problems = []
        if m["oedema"]:
            problems.append(_("oedema"))
        if m["wasting"] in _BAD:
            problems.append(
                (_("severe wasting") if m["wasting"] == Nutrition.SEVERE else _("wasting"))
                + (f" (WHZ {_z(m['whz'])})" if m["whz"] is not None else "")
            )
        if m["stunting"] in _BAD:
            problems.append(
                (_("severe stunting") if m["stunting"] == Nutrition.SEVERE else _("stunting"))
                + (f" (HAZ {_z(m['haz'])})" if m["haz"] is not None else "")
            )
        severe = bool(m["oedema"]) or Nutrition.SEVERE in (m["wasting"], m["stunting"])
        label = _("Measure again: %(problems)s") % {"problems": ", ".join(problems)}
        found.append(
            Row(
                person_id=m["person_id"],
                name=m["person__full_name"],
                village=m["person__village"],
                phone=m["person__phone"] or m["person__mother__phone"] or "",
                age_text=ages(m["person__birth_date"]),
                tasks=[Task("growth", label, due_on, status)],
                note=_("Measured %(date)s") % {"date": _date(m["date"])},
                record_id=m["pk"],
                severe=severe,
                birth_date=m["person__birth_date"],
            )
        )
    return _sort(found, first=lambda row: (not row.severe, URGENCY_ORDER[row.status]))


# ---------------------------------------------------------------------- deaths


def maternal_deaths_to_notify(
    *, user: Any, unit: OrgUnit, as_of: dt.date, village: str = ""
) -> list[Row]:
    """Possible maternal deaths on or before ``as_of`` still waiting to be notified; due
    on the day of death and the next (within 24 hours), overdue after."""
    _require(user)
    deaths = Death.objects.filter(
        _people_q(user, unit, village, "person__"),
        possible_maternal=True,
        review_status=ReviewStatus.TO_NOTIFY,
        date__lte=as_of,
    ).values(
        "pk",
        "date",
        "person_id",
        "person__full_name",
        "person__village",
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
                phone=d["person__phone"],
                age_text=ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
                if years is not None
                else "",
                tasks=[Task("notify", label, d["date"], status)],
                note=_("Died %(date)s") % {"date": _date(d["date"])},
                record_id=d["pk"],
                birth_date=d["person__birth_date"],
            )
        )
    return _sort(found)


# ---------------------------------------------------------------------- all lists


@dataclass(frozen=True)
class Worklist:
    slug: str
    title: str
    function: Callable[..., list[Row]]
    horizon: bool = False
    status_filter: bool = False


def worklists() -> list[Worklist]:
    """The lists in the order pages show them (titles in the active language)."""
    return [
        Worklist("kham-thai", _("Antenatal visits"), antenatal_due, horizon=True),
        Worklist("sau-sinh", _("Postnatal home visits, first week"), postnatal_due),
        Worklist(
            "tiem-chung", _("Immunisation"), immunisation_due, horizon=True, status_filter=True
        ),
        Worklist("dinh-duong", _("Malnutrition follow-up"), growth_followup, horizon=True),
        Worklist("tu-vong-me", _("Possible maternal deaths to notify"), maternal_deaths_to_notify),
    ]


def count_rows(rows: Iterable[Row]) -> Counts:
    by_status: dict[str, int] = defaultdict(int)
    total = 0
    for row in rows:
        total += 1
        by_status[row.status] += 1
    return Counts(total=total, by_status=dict(by_status))
