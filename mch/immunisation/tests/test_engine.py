"""Worked examples for the engine (no database).

Unless a case says otherwise the child is born on 15/01/2025 and the rules are the shipped
national schedule. Day counts from that birth: +41 = 25/02, +42 = 26/02, +59 = 15/03,
+70 = 26/03, +89 = 14/04, +90 = 15/04, +98 = 23/04, +120 = 15/05, +364 = 14/01/2026.
"""

from __future__ import annotations

import datetime as dt
import inspect
import time

import pytest

from mch.immunisation import engine
from mch.immunisation.engine import (
    ChildDoses,
    DoseGiven,
    RuleError,
    ScheduleRule,
    Severity,
    Status,
    add_years,
    child_status,
    dose_check,
    due_list,
    first_birthday,
    fully_immunised_before_1,
)
from mch.immunisation.tests.conftest import day, national_rules

BIRTH = day("15/01/2025")
RULES = national_rules()


def status_of(statuses: list[engine.AntigenDoseStatus], antigen: str, dose: int):
    return next(s for s in statuses if s.key == (antigen, dose))


def full_set(*, is_epi: bool = True, measles: str = "20/10/2025") -> list[DoseGiven]:
    """BCG, DPT-VGB-Hib ×3, OPV ×3, measles for BIRTH, all on schedule."""
    return [
        DoseGiven("bcg", 1, day("16/01/2025"), is_epi),
        DoseGiven("dpt_hepb_hib", 1, day("15/03/2025"), is_epi),
        DoseGiven("opv", 1, day("15/03/2025"), is_epi),
        DoseGiven("dpt_hepb_hib", 2, day("15/04/2025"), is_epi),
        DoseGiven("opv", 2, day("15/04/2025"), is_epi),
        DoseGiven("dpt_hepb_hib", 3, day("15/05/2025"), is_epi),
        DoseGiven("opv", 3, day("15/05/2025"), is_epi),
        DoseGiven("measles", 1, day(measles), is_epi),
    ]


# --- child_status: statuses and dates of doses not given -------------------------------


@pytest.mark.parametrize(
    ("as_of", "antigen", "dose", "status", "due_from", "due_date", "latest"),
    [
        # Ten days old: birth doses due, DPT-VGB-Hib 1 not yet (6 weeks = 26/02).
        ("25/01/2025", "hepb_birth", 1, Status.DUE, "15/01/2025", "15/01/2025", "25/02/2025"),
        ("25/01/2025", "bcg", 1, Status.DUE, "15/01/2025", "15/01/2025", "14/01/2026"),
        (
            "25/01/2025",
            "dpt_hepb_hib",
            1,
            Status.TOO_EARLY,
            "26/02/2025",
            "15/03/2025",
            "14/01/2026",
        ),
        # The day before and the day of the minimum age.
        (
            "25/02/2025",
            "dpt_hepb_hib",
            1,
            Status.TOO_EARLY,
            "26/02/2025",
            "15/03/2025",
            "14/01/2026",
        ),
        ("26/02/2025", "dpt_hepb_hib", 1, Status.DUE, "26/02/2025", "15/03/2025", "14/01/2026"),
        # Overdue from due date + 30 days + 1: 14/04 still due, 15/04 overdue.
        ("14/04/2025", "dpt_hepb_hib", 1, Status.DUE, "26/02/2025", "15/03/2025", "14/01/2026"),
        ("15/04/2025", "dpt_hepb_hib", 1, Status.OVERDUE, "26/02/2025", "15/03/2025", "14/01/2026"),
        # Latest age inclusive: 14/01/2026 still overdue, the first birthday missed.
        ("14/01/2026", "dpt_hepb_hib", 1, Status.OVERDUE, "26/02/2025", "15/03/2025", "14/01/2026"),
        ("15/01/2026", "dpt_hepb_hib", 1, Status.MISSED, "26/02/2025", "15/03/2025", "14/01/2026"),
        # Hepatitis B birth dose: still due after 24 h (late birth dose), missed from day 42.
        ("25/02/2025", "hepb_birth", 1, Status.OVERDUE, "15/01/2025", "15/01/2025", "25/02/2025"),
        ("26/02/2025", "hepb_birth", 1, Status.MISSED, "15/01/2025", "15/01/2025", "25/02/2025"),
        # Measles: from 9 months (273 days = 15/10/2025).
        ("14/10/2025", "measles", 1, Status.TOO_EARLY, "15/10/2025", "15/10/2025", "14/01/2026"),
        ("15/10/2025", "measles", 1, Status.DUE, "15/10/2025", "15/10/2025", "14/01/2026"),
    ],
)
def test_status_of_a_dose_not_given(as_of, antigen, dose, status, due_from, due_date, latest):
    result = status_of(child_status(BIRTH, [], RULES, day(as_of)), antigen, dose)
    assert (result.status, result.due_from, result.due_date, result.latest_date) == (
        status,
        day(due_from),
        day(due_date),
        day(latest),
    )
    assert result.given_on is None


def test_a_later_dose_waits_for_the_previous_one_and_its_dates_are_projected() -> None:
    # 10 days old: DPT-VGB-Hib 1 possible from 26/02, so dose 2 from 26/02 + 28 = 26/03.
    early = status_of(child_status(BIRTH, [], RULES, day("25/01/2025")), "dpt_hepb_hib", 2)
    assert (early.status, early.due_from, early.due_date, early.waiting_for) == (
        Status.TOO_EARLY,
        day("26/03/2025"),
        day("14/04/2025"),
        ("dpt_hepb_hib", 1),
    )
    # 200 days old with nothing given: dose 2 can come 28 days after a dose 1 given today.
    late = status_of(child_status(BIRTH, [], RULES, day("03/08/2025")), "dpt_hepb_hib", 2)
    assert (late.status, late.due_from, late.due_date) == (
        Status.TOO_EARLY,
        day("31/08/2025"),
        day("31/08/2025"),
    )


def test_a_late_previous_dose_moves_the_next_dose() -> None:
    # Dose 1 at 100 days (25/04): dose 2 from 23/05 (not 26/03), due then too.
    doses = [DoseGiven("dpt_hepb_hib", 1, day("25/04/2025"))]
    result = status_of(child_status(BIRTH, doses, RULES, day("01/05/2025")), "dpt_hepb_hib", 2)
    assert (result.status, result.due_from, result.due_date, result.waiting_for) == (
        Status.TOO_EARLY,
        day("23/05/2025"),
        day("23/05/2025"),
        None,
    )


def test_rota_becomes_missed_when_dose_2_can_no_longer_be_given_before_6_months() -> None:
    # 140 days (04/06): dose 1 overdue, dose 2 could still come by 02/07 (latest 14/07).
    at_140 = child_status(BIRTH, [], RULES, day("04/06/2025"))
    assert status_of(at_140, "rota", 1).status is Status.OVERDUE
    assert status_of(at_140, "rota", 2).status is Status.TOO_EARLY
    assert status_of(at_140, "rota", 2).due_from == day("02/07/2025")
    # 160 days (24/06): dose 1 past its latest age (16/06); dose 2 could not be before 22/07.
    at_160 = child_status(BIRTH, [], RULES, day("24/06/2025"))
    assert status_of(at_160, "rota", 1).status is Status.MISSED
    assert status_of(at_160, "rota", 2).status is Status.MISSED
    assert status_of(at_160, "rota", 2).due_from == day("22/07/2025")


def test_the_dpt_booster_counts_its_interval_from_dpt_hepb_hib_dose_3() -> None:
    # Dose 3 given late at 400 days (19/02/2026): booster from 400 + 181 = 581 days.
    doses = [
        DoseGiven("dpt_hepb_hib", 1, day("15/03/2025")),
        DoseGiven("dpt_hepb_hib", 2, day("15/04/2025")),
        DoseGiven("dpt_hepb_hib", 3, day("19/02/2026")),
    ]
    booster = status_of(child_status(BIRTH, doses, RULES, day("20/07/2026")), "dpt_booster", 1)
    assert (booster.status, booster.due_from, booster.due_date) == (
        Status.TOO_EARLY,
        day("19/08/2026"),
        day("19/08/2026"),
    )


def test_rules_for_pregnant_women_are_not_part_of_a_childs_status() -> None:
    keys = [s.key for s in child_status(BIRTH, [], RULES, day("01/06/2025"))]
    assert all(antigen != "tt" for antigen, _ in keys)
    assert len(keys) == 18


def test_grace_days_is_a_parameter() -> None:
    statuses = child_status(BIRTH, [], RULES, day("16/03/2025"), grace_days=0)
    assert status_of(statuses, "dpt_hepb_hib", 1).status is Status.OVERDUE
    assert status_of(statuses, "dpt_hepb_hib", 1).overdue_from == day("16/03/2025")


# --- child_status: doses given -------------------------------------------------------------


@pytest.mark.parametrize(
    ("doses", "key", "early", "late", "timely"),
    [
        # Hepatitis B birth dose on the day after birth: within 24 hours.
        ([DoseGiven("hepb_birth", 1, day("16/01/2025"))], ("hepb_birth", 1), False, False, True),
        # Two days after birth: not timely, still on schedule.
        ([DoseGiven("hepb_birth", 1, day("17/01/2025"))], ("hepb_birth", 1), False, False, False),
        # 42 days: after the latest age of a birth dose.
        ([DoseGiven("hepb_birth", 1, day("26/02/2025"))], ("hepb_birth", 1), False, True, False),
        # BCG within a month (30 days) and after.
        ([DoseGiven("bcg", 1, day("14/02/2025"))], ("bcg", 1), False, False, True),
        ([DoseGiven("bcg", 1, day("15/02/2025"))], ("bcg", 1), False, False, False),
        # DPT-VGB-Hib 1 one day before 6 weeks: kept, flagged early.
        ([DoseGiven("dpt_hepb_hib", 1, day("25/02/2025"))], ("dpt_hepb_hib", 1), True, False, None),
        (
            [DoseGiven("dpt_hepb_hib", 1, day("26/02/2025"))],
            ("dpt_hepb_hib", 1),
            False,
            False,
            None,
        ),
        # Interval shortened: dose 2 at 70 days but only 20 days after dose 1.
        (
            [
                DoseGiven("dpt_hepb_hib", 1, day("06/03/2025")),
                DoseGiven("dpt_hepb_hib", 2, day("26/03/2025")),
            ],
            ("dpt_hepb_hib", 2),
            True,
            False,
            None,
        ),
        # Exactly 28 days: valid.
        (
            [
                DoseGiven("dpt_hepb_hib", 1, day("26/02/2025")),
                DoseGiven("dpt_hepb_hib", 2, day("26/03/2025")),
            ],
            ("dpt_hepb_hib", 2),
            False,
            False,
            None,
        ),
        # Measles given after the first birthday: kept, late.
        ([DoseGiven("measles", 1, day("15/01/2026"))], ("measles", 1), False, True, None),
    ],
)
def test_flags_of_a_dose_given(doses, key, early, late, timely) -> None:
    result = status_of(child_status(BIRTH, doses, RULES, day("01/06/2026")), *key)
    given = next(d for d in doses if d.key == key)
    assert (result.status, result.given_on, result.early, result.late, result.timely) == (
        Status.GIVEN,
        given.date,
        early,
        late,
        timely,
    )


def test_the_earliest_record_of_a_dose_counts_and_private_doses_are_given() -> None:
    doses = [
        DoseGiven("opv", 1, day("20/03/2025"), is_epi=True),
        DoseGiven("opv", 1, day("15/03/2025"), is_epi=False),
    ]
    result = status_of(child_status(BIRTH, doses, RULES, day("01/04/2025")), "opv", 1)
    assert (result.status, result.given_on, result.is_epi) == (
        Status.GIVEN,
        day("15/03/2025"),
        False,
    )


def test_status_depends_on_as_of_only() -> None:
    doses = [DoseGiven("bcg", 1, day("16/01/2025"))]
    first = child_status(BIRTH, doses, RULES, day("01/05/2025"))
    again = child_status(BIRTH, doses, RULES, day("01/05/2025"))
    assert first == again
    # Far in the past, before the birth: everything not given is too early.
    past = child_status(BIRTH, [], RULES, day("01/01/2000"))
    assert {s.status for s in past} == {Status.TOO_EARLY}


def test_the_engine_never_reads_the_clock_or_imports_django() -> None:
    source = inspect.getsource(engine)
    assert "today(" not in source
    assert "now(" not in source
    assert "django" not in source


# --- fully immunised before age 1 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "doses", "expected"),
    [
        ("15/01/2025", full_set(), True),
        # One dose missing.
        ("15/01/2025", full_set()[:-1], False),
        # Measles on the first birthday is not before age 1.
        ("15/01/2025", full_set(measles="15/01/2026"), False),
        ("15/01/2025", full_set(measles="14/01/2026"), True),
        # All doses bought on the private market: protected, but not EPI coverage.
        ("15/01/2025", full_set(is_epi=False), False),
        # One private OPV dose is enough to not count.
        (
            "15/01/2025",
            [d if d.key != ("opv", 2) else DoseGiven("opv", 2, d.date, False) for d in full_set()],
            False,
        ),
        # Born 29/02/2024: under 1 until 28/02/2025 inclusive (birthday 01/03/2025).
        (
            "29/02/2024",
            [DoseGiven(d.antigen, d.dose, day("28/02/2025")) for d in full_set()],
            True,
        ),
        (
            "29/02/2024",
            [
                DoseGiven(
                    d.antigen, d.dose, day("01/03/2025" if d.antigen == "measles" else "01/01/2025")
                )
                for d in full_set()
            ],
            False,
        ),
        # Born 01/03/2023: 29/02/2024 is still before the first birthday.
        (
            "01/03/2023",
            [DoseGiven(d.antigen, d.dose, day("29/02/2024")) for d in full_set()],
            True,
        ),
        # A dose dated before the birth is not a dose.
        (
            "15/01/2025",
            [
                d if d.key != ("bcg", 1) else DoseGiven("bcg", 1, day("14/01/2025"))
                for d in full_set()
            ],
            False,
        ),
        # Extra doses (birth dose, IPV, rota) are not required.
        ("15/01/2025", [*full_set(), DoseGiven("ipv", 1, day("15/06/2025"))], True),
    ],
)
def test_fully_immunised_before_1(birth, doses, expected) -> None:
    assert fully_immunised_before_1(day(birth), doses, RULES) is expected


def test_full_immunisation_uses_the_configured_set() -> None:
    only_bcg = [
        ScheduleRule("bcg", 1, 0, 0, counts_for_full_immunisation=True),
        ScheduleRule("opv", 1, 42, 59),
    ]
    assert fully_immunised_before_1(BIRTH, [DoseGiven("bcg", 1, BIRTH)], only_bcg) is True
    with pytest.raises(ValueError, match="không có mũi nào"):
        fully_immunised_before_1(BIRTH, [], [ScheduleRule("opv", 1, 42, 59)])


@pytest.mark.parametrize(
    ("birth", "years", "expected"),
    [
        ("15/01/2025", 1, "15/01/2026"),
        ("29/02/2024", 1, "01/03/2025"),
        ("29/02/2024", 4, "29/02/2028"),
        ("31/12/2024", 1, "31/12/2025"),
    ],
)
def test_add_years(birth, years, expected) -> None:
    assert add_years(day(birth), years) == day(expected)


def test_first_birthday_of_a_leap_day_child() -> None:
    assert first_birthday(day("29/02/2024")) == day("01/03/2025")


# --- dose_check ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "new", "expected"),
    [
        ([], DoseGiven("dpt_hepb_hib", 1, day("15/03/2025")), []),
        (
            [],
            DoseGiven("dpt_hepb_hib", 1, day("20/02/2025")),
            [("before_min_age", Severity.WARNING, "Mũi tiêm trước tuổi tối thiểu (42 ngày)")],
        ),
        (
            [],
            DoseGiven("bcg", 1, day("10/01/2025")),
            [("before_birth", Severity.ERROR, "Mũi tiêm trước ngày sinh")],
        ),
        (
            [DoseGiven("dpt_hepb_hib", 1, day("06/03/2025"))],
            DoseGiven("dpt_hepb_hib", 2, day("26/03/2025")),
            [("interval_short", Severity.WARNING, "Khoảng cách với mũi trước ngắn hơn 28 ngày")],
        ),
        (
            [DoseGiven("dpt_hepb_hib", 1, day("26/02/2025"))],
            DoseGiven("dpt_hepb_hib", 2, day("26/03/2025")),
            [],
        ),
        (
            [],
            DoseGiven("opv", 2, day("15/04/2025")),
            [("previous_missing", Severity.WARNING, "Chưa ghi nhận mũi 1 OPV")],
        ),
        (
            [DoseGiven("opv", 1, day("20/04/2025"))],
            DoseGiven("opv", 2, day("15/04/2025")),
            [("out_of_order", Severity.WARNING, "Chưa có mũi 1 OPV trước ngày tiêm này")],
        ),
        (
            [DoseGiven("bcg", 1, day("16/01/2025"))],
            DoseGiven("bcg", 1, day("16/01/2025")),
            [("duplicate_record", Severity.ERROR, "Mũi 1 BCG ngày 16/01/2025 đã được ghi")],
        ),
        (
            [DoseGiven("bcg", 1, day("16/01/2025"))],
            DoseGiven("bcg", 1, day("20/02/2025")),
            [
                ("dose_repeated", Severity.WARNING, "Mũi 1 BCG đã được ghi ngày 16/01/2025"),
                (
                    "not_timely",
                    Severity.WARNING,
                    "Mũi tiêm sau 30 ngày tuổi: không đạt tiêu chí kịp thời",
                ),
            ],
        ),
        (
            [],
            DoseGiven("hepb_birth", 1, day("18/01/2025")),
            [
                (
                    "not_timely",
                    Severity.WARNING,
                    "Mũi tiêm sau 1 ngày tuổi: không đạt tiêu chí kịp thời",
                )
            ],
        ),
        (
            [],
            DoseGiven("measles", 1, day("20/01/2026")),
            [
                (
                    "after_latest_age",
                    Severity.WARNING,
                    "Mũi tiêm sau tuổi muộn nhất (364 ngày): không tính là đúng lịch",
                )
            ],
        ),
        (
            [],
            DoseGiven("opv", 4, day("15/06/2025")),
            [("not_in_schedule", Severity.WARNING, "Mũi 4 OPV không có trong lịch tiêm chủng")],
        ),
        (
            [DoseGiven("measles", 1, day("15/10/2025"))],
            DoseGiven("mr", 1, day("15/07/2026")),
            [],
        ),
        (
            [],
            DoseGiven("dpt_booster", 1, day("15/07/2026")),
            [("previous_missing", Severity.WARNING, "Chưa ghi nhận mũi 3 DPT-VGB-Hib")],
        ),
    ],
)
def test_dose_check(previous, new, expected) -> None:
    flags = dose_check(BIRTH, previous, new, RULES)
    assert [(f.code, f.severity, f.message) for f in flags] == expected


def test_dose_check_refuses_a_date_after_as_of() -> None:
    new = DoseGiven("bcg", 1, day("20/01/2025"))
    flags = dose_check(BIRTH, [], new, RULES, as_of=day("19/01/2025"))
    assert [(f.code, f.severity) for f in flags] == [("in_future", Severity.ERROR)]
    assert dose_check(BIRTH, [], new, RULES, as_of=day("20/01/2025")) == []


def test_dose_check_for_a_pregnant_woman_checks_the_interval() -> None:
    woman_born = day("10/05/1998")
    flags = dose_check(
        woman_born,
        [DoseGiven("tt", 1, day("01/03/2025"))],
        DoseGiven("tt", 2, day("20/03/2025")),
        RULES,
    )
    assert [f.message for f in flags] == ["Khoảng cách với mũi trước ngắn hơn 28 ngày"]


# --- due_list ------------------------------------------------------------------------------


def test_due_list_lists_due_overdue_missed_and_upcoming_doses() -> None:
    as_of = day("01/03/2025")  # BIRTH is 45 days old
    children = [
        ChildDoses("a", BIRTH, [DoseGiven("hepb_birth", 1, BIRTH), DoseGiven("bcg", 1, BIRTH)]),
        ChildDoses("b", BIRTH, []),
        ChildDoses("c", day("25/02/2025"), [DoseGiven("bcg", 1, day("25/02/2025"))]),
    ]
    items = due_list(children, RULES, as_of, horizon_days=14)
    got = [(i.child, i.dose.antigen, i.dose.dose, i.dose.status) for i in items]
    assert got == [
        # a: 6 weeks reached on 26/02; due 15/03 is within the 14-day horizon.
        ("a", "dpt_hepb_hib", 1, Status.DUE),
        ("a", "opv", 1, Status.DUE),
        ("a", "rota", 1, Status.DUE),
        # b: the birth dose could not be given any more (latest 25/02), BCG overdue.
        ("b", "hepb_birth", 1, Status.MISSED),
        ("b", "bcg", 1, Status.OVERDUE),
        ("b", "dpt_hepb_hib", 1, Status.DUE),
        ("b", "opv", 1, Status.DUE),
        ("b", "rota", 1, Status.DUE),
        # c: 4 days old, birth dose due.
        ("c", "hepb_birth", 1, Status.DUE),
    ]
    without_missed = due_list(children, RULES, as_of, horizon_days=14, include_missed=False)
    assert ("b", "hepb_birth", 1) not in [
        (i.child, i.dose.antigen, i.dose.dose) for i in without_missed
    ]


def test_due_list_horizon_brings_in_doses_due_by_the_next_session() -> None:
    child = [ChildDoses(1, BIRTH, [DoseGiven("hepb_birth", 1, BIRTH), DoseGiven("bcg", 1, BIRTH)])]
    as_of = day("01/02/2025")
    assert due_list(child, RULES, as_of, horizon_days=41) == []
    soon = due_list(child, RULES, as_of, horizon_days=42)  # 15/03: 2 months
    assert [(i.dose.key, i.dose.status) for i in soon] == [
        (("dpt_hepb_hib", 1), Status.TOO_EARLY),
        (("opv", 1), Status.TOO_EARLY),
        (("rota", 1), Status.TOO_EARLY),
    ]


def test_due_list_agrees_with_child_status_and_is_fast_for_5000_children() -> None:
    start = day("01/01/2023")
    children = []
    for n in range(5000):
        birth = start + dt.timedelta(days=n % 900)
        doses = [DoseGiven("bcg", 1, birth)] if n % 3 else []
        if n % 5 == 0:
            doses.append(DoseGiven("dpt_hepb_hib", 1, birth + dt.timedelta(days=60)))
        children.append(ChildDoses(n, birth, doses))
    as_of = day("01/07/2025")
    began = time.perf_counter()
    items = due_list(children, RULES, as_of, horizon_days=30)
    elapsed = time.perf_counter() - began
    sample = children[1234]
    expected = [
        s
        for s in child_status(sample.birth_date, sample.doses, RULES, as_of)
        if s.status in (Status.DUE, Status.OVERDUE, Status.MISSED)
        or (
            s.status is Status.TOO_EARLY
            and s.waiting_for is None
            and s.due_date <= day("31/07/2025")
        )
    ]
    assert [i.dose for i in items if i.child == 1234] == expected
    assert len({i.child for i in items}) == 5000
    assert elapsed < 5  # about 0.4 s on the development machine; generous for slow CI machines


# --- rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"dose": 0}, "số mũi phải từ 1"),
        ({"min_age_days": 60, "due_age_days": 59}, "tuổi nên tiêm nhỏ hơn tuổi tối thiểu"),
        ({"latest_age_days": 30}, "tuổi muộn nhất nhỏ hơn tuổi nên tiêm"),
        ({"timely_age_days": 10}, "tuổi tiêm kịp thời nhỏ hơn tuổi tối thiểu"),
        (
            {"min_interval_days": 28},
            "mũi 1 chỉ có khoảng cách tối thiểu khi tính từ mũi của vắc xin khác",
        ),
        ({"target": "adult"}, "đối tượng 'adult' không hợp lệ"),
        ({"min_age_days": -1, "due_age_days": 0}, "tuổi tối thiểu không được âm"),
    ],
)
def test_a_rule_that_contradicts_itself_is_refused(kwargs, problem) -> None:
    values = {"antigen": "opv", "dose": 1, "min_age_days": 42, "due_age_days": 59, **kwargs}
    with pytest.raises(RuleError) as caught:
        ScheduleRule(**values)
    assert problem in caught.value.problems


def test_two_rules_for_one_dose_are_refused() -> None:
    rules = [ScheduleRule("opv", 1, 42, 59), ScheduleRule("opv", 1, 42, 60)]
    with pytest.raises(ValueError, match="hai dòng"):
        child_status(BIRTH, [], rules, BIRTH)


def test_an_interval_loop_is_refused() -> None:
    rules = [
        ScheduleRule("a", 1, 0, 0, interval_from=("b", 1), min_interval_days=7),
        ScheduleRule("b", 1, 0, 0, interval_from=("a", 1), min_interval_days=7),
    ]
    with pytest.raises(ValueError, match="vòng lặp"):
        child_status(BIRTH, [], rules, BIRTH)


def test_a_dose_without_a_rule_for_its_previous_dose_has_no_interval() -> None:
    rules = [ScheduleRule("opv", 2, 70, 89, min_interval_days=28)]
    result = child_status(BIRTH, [], rules, day("15/05/2025"))[0]
    assert (result.status, result.due_from, result.waiting_for) == (
        Status.OVERDUE,
        day("26/03/2025"),
        None,
    )
