"""Vaccination status from a schedule: plain data in, plain data out, no Django.

The schedule is a list of ``ScheduleRule`` (one per antigen and dose); the doses a person
received are ``DoseGiven``. Every function takes the dates it needs as arguments; nothing
here reads today's date, so a result is reproducible for any "as of" day.

Ages are whole days from birth (the day of birth is age 0). For a rule and a child:

- ``due_from`` (earliest valid day) = max(birth + min_age, previous dose + min_interval);
- ``due_date`` (recommended day) = max(birth + due_age, due_from);
- ``timely`` (optional): a dose given on or before birth + timely_age is timely (hepatitis B
  birth dose within 24 hours: records hold dates, not times, so day 0 or day 1);
- ``latest_date`` (optional) = birth + latest_age, inclusive: a dose not given by then is
  ``missed``. A dose given later is still recorded, as ``given`` with ``late=True``.

A dose given before ``due_from`` is kept and flagged ``early``, as registers do in real
life. When the previous dose of a series has not been given, the later dose waits for it:
its dates are projected as if the previous dose were given on the later of ``as_of`` and
its own earliest day, and ``waiting_for`` names the missing dose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from mch.core.dates import dmy

CHILD = "child"
PREGNANT_WOMAN = "pregnant_woman"
TARGET_GROUPS = (CHILD, PREGNANT_WOMAN)

DEFAULT_GRACE_DAYS = 30

DoseKey = tuple[str, int]


class Status(StrEnum):
    GIVEN = "given"
    TOO_EARLY = "too_early"
    DUE = "due"
    OVERDUE = "overdue"
    MISSED = "missed"


class RuleError(ValueError):
    """A schedule rule that contradicts itself; ``problems`` lists each, in Vietnamese."""

    def __init__(self, label: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{label}: " + "; ".join(problems))


class Severity(StrEnum):
    ERROR = "error"  # the record cannot be right (dose before birth, in the future, twice)
    WARNING = "warning"  # the record is kept but deviates from the schedule


@dataclass(frozen=True)
class ScheduleRule:
    """One dose of one antigen in a schedule.

    ``interval_from`` is the dose the minimum interval counts from: by default the
    previous dose of the same antigen (none for dose 1); set it to count from another
    antigen's dose (the DPT booster from DPT-VGB-Hib dose 3, MR from measles dose 1).
    """

    antigen: str
    dose: int
    min_age_days: int
    due_age_days: int
    min_interval_days: int | None = None
    latest_age_days: int | None = None
    timely_age_days: int | None = None
    interval_from: DoseKey | None = None
    counts_for_full_immunisation: bool = False
    target: str = CHILD
    antigen_name: str = ""

    def __post_init__(self) -> None:
        problems = rule_problems(self)
        if problems:
            raise RuleError(self.label, problems)

    @property
    def key(self) -> DoseKey:
        return (self.antigen, self.dose)

    @property
    def previous(self) -> DoseKey | None:
        """The dose whose date the minimum interval counts from, if any."""
        if self.interval_from is not None:
            return self.interval_from
        return (self.antigen, self.dose - 1) if self.dose > 1 else None

    @property
    def label(self) -> str:
        return f"{self.antigen_name or self.antigen} mũi {self.dose}"


def rule_problems(rule: ScheduleRule) -> list[str]:
    """What is inconsistent in a rule, in Vietnamese (empty when the rule is sound)."""
    problems = []
    if rule.dose < 1:
        problems.append("số mũi phải từ 1")
    if rule.target not in TARGET_GROUPS:
        problems.append(f"đối tượng '{rule.target}' không hợp lệ")
    ages = {
        "tuổi tối thiểu": rule.min_age_days,
        "tuổi nên tiêm": rule.due_age_days,
        "tuổi muộn nhất": rule.latest_age_days,
        "tuổi tiêm kịp thời": rule.timely_age_days,
        "khoảng cách tối thiểu": rule.min_interval_days,
    }
    problems += [f"{name} không được âm" for name, v in ages.items() if v is not None and v < 0]
    if rule.due_age_days < rule.min_age_days:
        problems.append("tuổi nên tiêm nhỏ hơn tuổi tối thiểu")
    if rule.latest_age_days is not None and rule.latest_age_days < rule.due_age_days:
        problems.append("tuổi muộn nhất nhỏ hơn tuổi nên tiêm")
    if rule.timely_age_days is not None:
        if rule.timely_age_days < rule.min_age_days:
            problems.append("tuổi tiêm kịp thời nhỏ hơn tuổi tối thiểu")
        if rule.latest_age_days is not None and rule.timely_age_days > rule.latest_age_days:
            problems.append("tuổi tiêm kịp thời lớn hơn tuổi muộn nhất")
    if rule.min_interval_days is not None and rule.previous is None:
        problems.append("mũi 1 chỉ có khoảng cách tối thiểu khi tính từ mũi của vắc xin khác")
    if rule.interval_from is not None and rule.interval_from == rule.key:
        problems.append("khoảng cách không thể tính từ chính mũi này")
    return problems


@dataclass(frozen=True)
class DoseGiven:
    antigen: str
    dose: int
    date: dt.date
    is_epi: bool = True  # False: private-market dose (protects, but not EPI coverage)

    @property
    def key(self) -> DoseKey:
        return (self.antigen, self.dose)


@dataclass(frozen=True)
class AntigenDoseStatus:
    antigen: str
    dose: int
    status: Status
    due_from: dt.date
    due_date: dt.date
    overdue_from: dt.date
    latest_date: dt.date | None
    given_on: dt.date | None = None
    is_epi: bool | None = None
    early: bool = False
    late: bool = False
    timely: bool | None = None
    waiting_for: DoseKey | None = None

    @property
    def key(self) -> DoseKey:
        return (self.antigen, self.dose)


@dataclass(frozen=True)
class Flag:
    code: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class ChildDoses:
    """One child for ``due_list``: any hashable ``key`` (a person id) and the doses."""

    key: Hashable
    birth_date: dt.date
    # The doses given, or only the date each (antigen, dose) was first given.
    doses: Sequence[DoseGiven] | Mapping[DoseKey, dt.date]


@dataclass(frozen=True)
class DueItem:
    child: Hashable
    dose: AntigenDoseStatus


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day and month ``years`` later; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def first_birthday(birth_date: dt.date) -> dt.date:
    """The day a child turns 1: a child born on 29/02 is under 1 until 28/02 inclusive."""
    return add_years(birth_date, 1)


def _span(days: int | None) -> dt.timedelta | None:
    return None if days is None else dt.timedelta(days=days)


@dataclass(frozen=True, slots=True)
class _Step:
    """A rule with its keys and day counts made ready once, for the per-child loop."""

    rule: ScheduleRule
    key: DoseKey
    previous: DoseKey | None
    min_age: dt.timedelta
    due_age: dt.timedelta
    interval: dt.timedelta
    latest_age: dt.timedelta | None
    timely_age: dt.timedelta | None

    @classmethod
    def of(cls, rule: ScheduleRule) -> _Step:
        return cls(
            rule,
            rule.key,
            rule.previous,
            dt.timedelta(days=rule.min_age_days),
            dt.timedelta(days=rule.due_age_days),
            dt.timedelta(days=rule.min_interval_days or 0),
            _span(rule.latest_age_days),
            _span(rule.timely_age_days),
        )


class _Plan:
    """Rules checked once and kept in the order given, except that a dose always comes
    after the dose its interval counts from.

    Building the plan is the only work that depends on the rules alone, so ``due_list``
    builds it once and reuses it for every child.
    """

    def __init__(self, rules: Iterable[ScheduleRule], *, target: str | None = CHILD) -> None:
        chosen = [r for r in rules if target is None or r.target == target]
        by_key: dict[DoseKey, ScheduleRule] = {}
        for rule in chosen:
            if rule.key in by_key:
                raise ValueError(f"Lịch tiêm có hai dòng cho {rule.label}")
            by_key[rule.key] = rule
        self.by_key = by_key
        self.ordered = self._order(chosen, by_key)
        self.steps = [_Step.of(rule) for rule in self.ordered]

    @staticmethod
    def _order(
        rules: list[ScheduleRule], by_key: dict[DoseKey, ScheduleRule]
    ) -> list[ScheduleRule]:
        ordered: list[ScheduleRule] = []
        state: dict[DoseKey, int] = {}  # 1 visiting, 2 done

        def visit(rule: ScheduleRule) -> None:
            if state.get(rule.key) == 2:
                return
            if state.get(rule.key) == 1:
                raise ValueError(f"Lịch tiêm có vòng lặp khoảng cách qua {rule.label}")
            state[rule.key] = 1
            previous = by_key.get(rule.previous) if rule.previous else None
            if previous is not None:
                visit(previous)
            state[rule.key] = 2
            ordered.append(rule)

        for rule in rules:
            visit(rule)
        return ordered


def _doses_by_key(doses: Iterable[DoseGiven]) -> dict[DoseKey, DoseGiven]:
    """The dose that counts for each antigen and dose number: the earliest, EPI first."""
    chosen: dict[DoseKey, DoseGiven] = {}
    for dose in doses:
        current = chosen.get(dose.key)
        if current is None or (dose.date, not dose.is_epi) < (current.date, not current.is_epi):
            chosen[dose.key] = dose
    return chosen


def _statuses(
    plan: _Plan,
    birth_date: dt.date,
    given: dict[DoseKey, DoseGiven],
    as_of: dt.date,
    grace_days: int,
) -> list[AntigenDoseStatus]:
    grace = dt.timedelta(days=grace_days + 1)
    results: dict[DoseKey, AntigenDoseStatus] = {}
    out: list[AntigenDoseStatus] = []
    for step in plan.steps:
        rule = step.rule
        dose = given.get(step.key)
        due_from = birth_date + step.min_age
        waiting_for: DoseKey | None = None
        if step.previous is not None:
            previous_date: dt.date | None = None
            previous_dose = given.get(step.previous)
            previous_status = results.get(step.previous)
            if previous_dose is not None:
                previous_date = previous_dose.date
            elif dose is None and previous_status is not None:
                # Not given yet: it could be given today at the soonest.
                previous_date = max(as_of, previous_status.due_from)
                waiting_for = step.previous
            if previous_date is not None:
                due_from = max(due_from, previous_date + step.interval)
        due_date = max(birth_date + step.due_age, due_from)
        overdue_from = due_date + grace
        latest = None if step.latest_age is None else birth_date + step.latest_age
        if dose is not None:
            timely = None
            if step.timely_age is not None:
                timely = birth_date <= dose.date <= birth_date + step.timely_age
            status = AntigenDoseStatus(
                rule.antigen,
                rule.dose,
                Status.GIVEN,
                due_from,
                due_date,
                overdue_from,
                latest,
                given_on=dose.date,
                is_epi=dose.is_epi,
                early=dose.date < due_from,
                late=latest is not None and dose.date > latest,
                timely=timely,
            )
        else:
            if latest is not None and (as_of > latest or due_from > latest):
                state = Status.MISSED
            elif as_of < due_from:
                state = Status.TOO_EARLY
            elif as_of >= overdue_from:
                state = Status.OVERDUE
            else:
                state = Status.DUE
            status = AntigenDoseStatus(
                rule.antigen,
                rule.dose,
                state,
                due_from,
                due_date,
                overdue_from,
                latest,
                waiting_for=waiting_for,
            )
        results[step.key] = status
        out.append(status)
    return out


def child_status(
    birth_date: dt.date,
    doses: Iterable[DoseGiven],
    rules: Iterable[ScheduleRule],
    as_of: dt.date,
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> list[AntigenDoseStatus]:
    """The status on ``as_of`` of every child dose in ``rules`` (rules for pregnant women
    are left out), each dose after the one its interval counts from.

    ``given``: a dose is recorded (EPI or private; ``early``/``late``/``timely`` flags).
    Otherwise ``missed`` when ``as_of`` is past ``latest_date`` or the dose can no longer
    be given by then; ``too_early`` before ``due_from``; ``overdue`` from ``overdue_from``
    (``grace_days`` after ``due_date``); ``due`` in between.
    """
    plan = _Plan(rules)
    return _statuses(plan, birth_date, _doses_by_key(doses), as_of, grace_days)


def fully_immunised_before_1(
    birth_date: dt.date, doses: Iterable[DoseGiven], rules: Iterable[ScheduleRule]
) -> bool:
    """Whether every child dose marked ``counts_for_full_immunisation`` was given by the
    EPI on or after the birth date and before the first birthday.

    Private-market doses do not count. A dose given earlier than the schedule allows
    counts, as in the routine reports (which count doses given, not their validity).
    Raises ``ValueError`` when no rule counts: that is a configuration error, not a child
    who is fully immunised.
    """
    required = {r.key for r in rules if r.counts_for_full_immunisation and r.target == CHILD}
    if not required:
        raise ValueError("Lịch tiêm không có mũi nào tính cho tiêm chủng đầy đủ")
    birthday = first_birthday(birth_date)
    done = {
        d.key for d in doses if d.is_epi and d.key in required and birth_date <= d.date < birthday
    }
    return done == required


def due_list(
    children: Iterable[ChildDoses],
    rules: Iterable[ScheduleRule],
    as_of: dt.date,
    horizon_days: int = 0,
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
    include_missed: bool = True,
) -> list[DueItem]:
    """Doses to act on, child by child in the given order, for a worklist.

    Each child's doses that are ``due`` or ``overdue`` on ``as_of``, ``missed`` ones
    (unless ``include_missed`` is False), and ``too_early`` ones that do not wait for an
    earlier dose and whose ``due_date`` is at most ``horizon_days`` after ``as_of`` (the
    next session). The rules are checked and ordered once; the cost is one pass over each
    child's doses and the rules.
    """
    plan = _Plan(rules)
    horizon_end = as_of + dt.timedelta(days=horizon_days)
    items: list[DueItem] = []
    for child in children:
        if isinstance(child.doses, Mapping):
            given = child.doses
        else:
            given = {key: dose.date for key, dose in _doses_by_key(child.doses).items()}
        _due(plan, child, given, as_of, grace_days, horizon_end, include_missed, items)
    return items


def _due(
    plan: _Plan,
    child: ChildDoses,
    given: Mapping[DoseKey, dt.date],
    as_of: dt.date,
    grace_days: int,
    horizon_end: dt.date,
    include_missed: bool,
    items: list[DueItem],
) -> None:
    """``_statuses`` for a worklist: the same dates and states, computed from the dates
    of the doses given, building a status only for the doses that go on the list (a
    commune's worklist runs this for thousands of children)."""
    birth_date = child.birth_date
    grace = dt.timedelta(days=grace_days + 1)
    due_froms: dict[DoseKey, dt.date] = {}
    for step in plan.steps:
        given_on = given.get(step.key)
        due_from = birth_date + step.min_age
        waiting_for: DoseKey | None = None
        if step.previous is not None:
            previous_date = given.get(step.previous)
            if previous_date is None and given_on is None:
                previous_due = due_froms.get(step.previous)
                if previous_due is not None:
                    previous_date = max(as_of, previous_due)
                    waiting_for = step.previous
            if previous_date is not None:
                due_from = max(due_from, previous_date + step.interval)
        due_froms[step.key] = due_from
        if given_on is not None:
            continue
        due_date = max(birth_date + step.due_age, due_from)
        latest = None if step.latest_age is None else birth_date + step.latest_age
        if latest is not None and (as_of > latest or due_from > latest):
            if not include_missed:
                continue
            state = Status.MISSED
        elif as_of < due_from:
            if waiting_for is not None or due_date > horizon_end:
                continue
            state = Status.TOO_EARLY
        elif as_of >= due_date + grace:
            state = Status.OVERDUE
        else:
            state = Status.DUE
        rule = step.rule
        status = AntigenDoseStatus(
            rule.antigen,
            rule.dose,
            state,
            due_from,
            due_date,
            due_date + grace,
            latest,
            waiting_for=waiting_for,
        )
        items.append(DueItem(child.key, status))


def dose_check(
    birth_date: dt.date,
    previous_doses: Iterable[DoseGiven],
    new_dose: DoseGiven,
    rules: Iterable[ScheduleRule],
    *,
    as_of: dt.date | None = None,
) -> list[Flag]:
    """Problems with recording ``new_dose`` after ``previous_doses``.

    Errors (the record cannot be right): a date before birth, after ``as_of`` (when given),
    the same antigen, dose and date already recorded. Warnings (kept, as in real life): a
    dose not in the schedule, a repeated dose number, before the minimum age, after the
    latest age, not timely, the previous dose missing or dated later, an interval shorter
    than the minimum.
    """
    flags: list[Flag] = []
    by_key = {r.key: r for r in rules}
    rule = by_key.get(new_dose.key)
    names = {r.antigen: r.antigen_name for r in by_key.values() if r.antigen_name}
    name = names.get(new_dose.antigen, new_dose.antigen)
    day = new_dose.date
    previous = list(previous_doses)

    def flag(code: str, severity: Severity, message: str) -> None:
        flags.append(Flag(code, severity, message))

    if day < birth_date:
        flag("before_birth", Severity.ERROR, "Mũi tiêm trước ngày sinh")
    if as_of is not None and day > as_of:
        flag("in_future", Severity.ERROR, f"Ngày tiêm {dmy(day)} ở tương lai")
    same = [d for d in previous if d.key == new_dose.key]
    if any(d.date == day for d in same):
        flag(
            "duplicate_record",
            Severity.ERROR,
            f"Mũi {new_dose.dose} {name} ngày {dmy(day)} đã được ghi",
        )
    elif same:
        dates = ", ".join(dmy(d.date) for d in sorted(same, key=lambda d: d.date))
        flag(
            "dose_repeated",
            Severity.WARNING,
            f"Mũi {new_dose.dose} {name} đã được ghi ngày {dates}",
        )
    if rule is None:
        flag(
            "not_in_schedule",
            Severity.WARNING,
            f"Mũi {new_dose.dose} {name} không có trong lịch tiêm chủng",
        )
        return flags
    age = (day - birth_date).days
    if day >= birth_date and age < rule.min_age_days:
        flag(
            "before_min_age",
            Severity.WARNING,
            f"Mũi tiêm trước tuổi tối thiểu ({rule.min_age_days} ngày)",
        )
    if rule.latest_age_days is not None and age > rule.latest_age_days:
        flag(
            "after_latest_age",
            Severity.WARNING,
            f"Mũi tiêm sau tuổi muộn nhất ({rule.latest_age_days} ngày): không tính là đúng lịch",
        )
    if rule.timely_age_days is not None and age > rule.timely_age_days:
        flag(
            "not_timely",
            Severity.WARNING,
            f"Mũi tiêm sau {rule.timely_age_days} ngày tuổi: không đạt tiêu chí kịp thời",
        )
    if rule.previous is not None:
        before = [d for d in previous if d.key == rule.previous]
        prev_label = f"mũi {rule.previous[1]} {names.get(rule.previous[0], rule.previous[0])}"
        earlier = [d.date for d in before if d.date <= day]
        if earlier:
            gap = (day - max(earlier)).days
            if rule.min_interval_days is not None and gap < rule.min_interval_days:
                flag(
                    "interval_short",
                    Severity.WARNING,
                    f"Khoảng cách với mũi trước ngắn hơn {rule.min_interval_days} ngày",
                )
        elif before:
            flag("out_of_order", Severity.WARNING, f"Chưa có {prev_label} trước ngày tiêm này")
        else:
            flag("previous_missing", Severity.WARNING, f"Chưa ghi nhận {prev_label}")
    return flags
