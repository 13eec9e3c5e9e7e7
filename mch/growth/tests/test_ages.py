import datetime as dt

import numpy as np
import pytest

from mch.growth import age_in_days, months_to_days


@pytest.mark.parametrize(
    ("birth", "measured", "days"),
    [
        (dt.date(2024, 1, 1), dt.date(2024, 1, 1), 0),
        (dt.date(2024, 2, 28), dt.date(2024, 3, 1), 2),  # leap year
        (dt.date(2022, 3, 1), dt.date(2024, 3, 1), 731),
        (dt.date(2020, 1, 1), dt.date(2024, 12, 31), 1826),
    ],
)
def test_age_in_days(birth, measured, days):
    assert age_in_days(birth, measured) == days


def test_age_in_days_refuses_a_measurement_before_birth():
    with pytest.raises(ValueError, match="before birth"):
        age_in_days(dt.date(2024, 1, 2), dt.date(2024, 1, 1))


def test_age_in_days_refuses_datetimes():
    with pytest.raises(TypeError):
        age_in_days(dt.datetime(2024, 1, 1, 12), dt.date(2024, 1, 2))


@pytest.mark.parametrize(
    ("months", "days"),
    [(0, 0), (1, 30), (8, 244), (9, 274), (24, 731), (59.99, 1826), (60, 1826), (22.45, 683)],
)
def test_months_to_days_rounds_half_up(months, days):
    assert months_to_days(months) == days
    assert isinstance(months_to_days(months), int)


def test_months_to_days_on_arrays():
    assert np.array_equal(
        months_to_days([2.0, np.nan, -1.0, 24.0]), [61.0, np.nan, np.nan, 731.0], equal_nan=True
    )


@pytest.mark.parametrize("months", [-1, float("nan")])
def test_months_to_days_refuses_negative_or_missing_scalars(months):
    with pytest.raises(ValueError):
        months_to_days(months)
