"""The worklist path of ``due_list`` (dates only) lists exactly what ``child_status`` says."""

from __future__ import annotations

import datetime as dt
import random

from mch.immunisation.engine import ChildDoses, DoseGiven, Status, child_status, due_list
from mch.immunisation.tests.conftest import day, national_rules

AS_OF = day("20/11/2026")


def _children(count: int) -> list[ChildDoses]:
    pick = random.Random(7)
    rules = national_rules()
    children = []
    for key in range(count):
        birth = AS_OF - dt.timedelta(days=pick.randint(0, 2000))
        doses = [
            DoseGiven(
                r.antigen, r.dose, birth + dt.timedelta(days=r.due_age_days + pick.randint(-10, 90))
            )
            for r in rules
            if r.target == "child" and pick.random() < 0.7
        ]
        children.append(ChildDoses(key, birth, [d for d in doses if d.date <= AS_OF]))
    return children


def _expected(child: ChildDoses, horizon_end: dt.date, rules) -> list[tuple]:
    return [
        (child.key, s.antigen, s.dose, s.status, s.due_from, s.due_date, s.latest_date)
        for s in child_status(child.birth_date, child.doses, rules, AS_OF)
        if s.status in (Status.DUE, Status.OVERDUE, Status.MISSED)
        or (s.status is Status.TOO_EARLY and s.waiting_for is None and s.due_date <= horizon_end)
    ]


def test_due_list_matches_child_status_for_doses_and_for_dates() -> None:
    children = _children(300)
    rules = national_rules()
    horizon = 14
    expected = [
        row
        for child in children
        for row in _expected(child, AS_OF + dt.timedelta(days=horizon), rules)
    ]
    as_doses = due_list(children, rules, AS_OF, horizon)
    as_dates = due_list(
        [
            ChildDoses(
                c.key,
                c.birth_date,
                {d.key: d.date for d in sorted(c.doses, key=lambda d: d.date, reverse=True)},
            )
            for c in children
        ],
        rules,
        AS_OF,
        horizon,
    )
    for listed in (as_doses, as_dates):
        got = [
            (
                i.child,
                i.dose.antigen,
                i.dose.dose,
                i.dose.status,
                i.dose.due_from,
                i.dose.due_date,
                i.dose.latest_date,
            )
            for i in listed
        ]
        assert got == expected
    assert len(expected) > 300
