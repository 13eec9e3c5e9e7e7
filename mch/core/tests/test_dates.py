from __future__ import annotations

import datetime as dt

import pytest

from mch.core.dates import dmy
from mch.registers.rules import Problem


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(1, 1, 1), "01/01/0001"),
        (dt.date(999, 12, 31), "31/12/0999"),
        (dt.date(2026, 3, 9), "09/03/2026"),
        (dt.datetime(2026, 3, 9, 23, 59), "09/03/2026"),
    ],
)
def test_a_date_always_has_a_four_digit_year(day: dt.date, text: str) -> None:
    assert dmy(day) == text


def test_a_rule_message_echoes_a_mistyped_year_as_a_date() -> None:
    problem = Problem(
        "before_birth",
        "date",
        params={"label": "Ngày tiêm", "value": dt.date(1, 1, 1), "other": dt.date(2025, 10, 1)},
    )
    assert "(01/01/0001)" in problem.message("vi")
    assert "(01/10/2025)" in problem.message("vi")
