"""What every worklist shares: urgency, rows and tasks, the people filter, ages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import formats
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from mch.accounts.permissions import can_see_people
from mch.accounts.scope import Scope
from mch.core.text import natural_key
from mch.orgunits.models import OrgUnit

from .. import rules
from ..models import Person
from ..selectors import people_scope_q
from ..villages import village_names


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


_LABEL_CACHE: dict[tuple[str | None, str], str] = {}


def urgency_label(status: str) -> str:
    """The status in the active language (looked up once per language: exports and print
    pages ask for it on every line)."""
    key = (get_language(), status)
    label = _LABEL_CACHE.get(key)
    if label is None:
        label = _LABEL_CACHE[key] = str(_URGENCY_LABELS[Urgency(status)])
    return label


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
    overdue_on: dt.date | None = None  # the day a due task became (or becomes) overdue
    horizon: int = 0  # the days looked ahead, for a task coming up
    valid_from: dt.date | None = None  # a dose that may already be given before its day

    @property
    def status_label(self) -> str:
        return urgency_label(self.status)

    @property
    def when(self) -> str:
        """The status with its date, as the legend defines it: "đến hạn từ 01/12/2026",
        "quá hạn từ 01/11/2026 (hạn 01/10/2026)", "đã lỡ từ 21/11/2026",
        "đến hạn trong 30 ngày tới: 27/01/2027"."""
        since = day_text(self.since)
        if self.status is Urgency.OVERDUE:
            if self.overdue_on is not None and self.overdue_on != self.since:
                return _("overdue since %(overdue)s (due %(due)s)") % {
                    "overdue": day_text(self.overdue_on),
                    "due": since,
                }
            return _("overdue since %(date)s") % {"date": since}
        if self.status is Urgency.DUE:
            return _("due since %(date)s") % {"date": since}
        if self.status is Urgency.MISSED:
            return _("missed since %(date)s (past the latest age)") % {"date": since}
        text = ngettext(
            "due within the next %(days)d day: %(date)s",
            "due within the next %(days)d days: %(date)s",
            self.horizon,
        ) % {"days": self.horizon, "date": since}
        if self.valid_from is not None and self.valid_from < self.since:
            text += " " + _("(may be given from %(date)s)") % {"date": day_text(self.valid_from)}
        return text


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
    unit_id: int | None = None  # the person's unit of residence now
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


def require(user: Any) -> None:
    if not can_see_people(user):
        raise PermissionDenied("Tài khoản này không được xem danh sách người dân.")


def people_q(user: Any, unit: OrgUnit, village: str, prefix: str = "") -> Q:
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


def alive_q(as_of: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}deceased_on__isnull": True}) | Q(**{f"{prefix}deceased_on__gt": as_of})


def worklist_units(*, user: Any, as_of: dt.date) -> list[OrgUnit]:
    """Communes in the user's scope that exist on ``as_of``, by name."""
    if not can_see_people(user):
        return []
    units = Scope.for_user(user).filter(OrgUnit.objects.valid_on(as_of).filter(level="commune"))
    return list(units.order_by("name", "pk"))


def worklist_villages(*, user: Any, unit: OrgUnit) -> list[str]:
    """Villages named on the people of a commune (in scope), in natural order."""
    require(user)
    names = (
        Person.objects.filter(people_q(user, unit, ""))
        .exclude(village="")
        .order_by()
        .values_list("village", flat=True)
        .distinct()
    )
    return village_names(names)


# ---------------------------------------------------------------------- shared pieces


def when(due_on: dt.date, overdue_on: dt.date, as_of: dt.date, horizon_days: int) -> Urgency | None:
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


class AgeTexts:
    """``age_text`` for many children on one day: the same few texts, translated once."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self.seen: dict[dt.date | None, str] = {}

    def __call__(self, birth: dt.date | None) -> str:
        text = self.seen.get(birth)
        if text is None:
            text = self.seen[birth] = age_text(birth, self.day)
        return text


def day_text(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def z_text(value: float | None) -> str:
    return "" if value is None else formats.number_format(value, 1, use_l10n=True)


def sort_rows(rows: Iterable[Row], first: Callable[[Row], Any] | None = None) -> list[Row]:
    """Most urgent first (or by ``first``), then by village in natural order, then name."""
    villages: dict[str, tuple[object, ...]] = {}

    def village(name: str) -> tuple[object, ...]:
        found = villages.get(name)
        if found is None:
            found = villages[name] = natural_key(" ".join(name.split()).casefold())
        return found

    def key(row: Row) -> tuple[Any, ...]:
        head = first(row) if first else URGENCY_ORDER[row.status]
        return (head, village(row.village), row.name.casefold(), row.person_id)

    return sorted(rows, key=key)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 3, 1)
