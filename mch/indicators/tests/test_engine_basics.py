"""Engine pieces without Django: periods, ages, intervals, filters."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from mch.indicators.engine import conditions, stats
from mch.indicators.engine.ages import birthday, completed_days, completed_years
from mch.indicators.engine.periods import Period


@pytest.mark.parametrize(
    ("period", "label", "start", "end"),
    [
        (Period.year(2025), "2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (Period.quarter(2025, 1), "Q1/2025", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        (Period.month(2024, 2), "02/2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (Period.first_months(2025, 6), "6 tháng 2025", dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        (Period.first_months(2025, 9), "9 tháng 2025", dt.date(2025, 1, 1), dt.date(2025, 9, 30)),
        (Period.years(2021, 2025), "2021–2025", dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_periods_have_calendar_bounds_and_labels(period, label, start, end) -> None:  # type: ignore[no-untyped-def]
    assert (period.label, period.start, period.end) == (label, start, end)
    assert Period.parse(label.replace("6 tháng ", "6m/").replace("9 tháng ", "9m/")) == period


@pytest.mark.parametrize(
    ("birth", "day", "years"),
    [
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), 0),
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), 1),
        (dt.date(2020, 6, 15), dt.date(2025, 6, 14), 4),
        (dt.date(2020, 6, 15), dt.date(2025, 6, 15), 5),
    ],
)
def test_completed_years_by_calendar_birthdays(birth, day, years) -> None:  # type: ignore[no-untyped-def]
    assert completed_years(birth, day) == years


def test_29_february_birthday_is_1_march_in_common_years() -> None:
    assert birthday(dt.date(2024, 2, 29), 1) == dt.date(2025, 3, 1)
    assert birthday(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert completed_days(dt.date(2025, 12, 31), dt.date(2026, 1, 28)) == 28


@pytest.mark.parametrize(
    ("events", "low", "high"),
    # Garwood limits from published tables (e.g. Ulm 1990)
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (5, 1.6235, 11.668), (10, 4.7954, 18.390)],
)
def test_exact_poisson_limits(events: int, low: float, high: float) -> None:
    lower, upper = stats.poisson_exact(events)
    assert lower == pytest.approx(low, abs=5e-4)
    assert upper == pytest.approx(high, abs=5e-4)


def test_wilson_interval_of_a_proportion() -> None:
    # 5/50: Wilson 95% interval 4.35%–21.36% (Newcombe 1998 method 3)
    low, high = stats.wilson(5, 50)
    assert (round(low, 4), round(high, 4)) == (0.0435, 0.2136)
    assert stats.wilson(0, 10)[0] == 0.0


def test_small_numbers_threshold() -> None:
    assert stats.is_small("wilson", 10, 29) and not stats.is_small("wilson", 10, 30)
    assert stats.is_small("poisson_exact", 19, 5000) and not stats.is_small(
        "poisson_exact", 20, 5000
    )


def test_an_unknown_value_never_matches_a_filter() -> None:
    ethnicity = np.array(["01", "03", None], dtype=object)
    columns = {"ethnicity": ethnicity, "age": np.array([10.0, np.nan, 400.0])}
    minority = conditions.mask({"ethnicity": {"not_in": ["01"]}}, columns, 3)
    young = conditions.mask({"age": {"lt": 365}}, columns, 3)
    missing = conditions.mask({"mountainous": True}, columns, 3)
    assert minority.tolist() == [False, True, False]
    assert young.tolist() == [True, False, False]
    assert missing.tolist() == [False, False, False]
    assert not conditions.holds({"ethnicity": {"not_in": ["01"]}}, {"ethnicity": None})
