"""Ages as WHO's growth software counts them: whole days, 30.4375 days a month."""

from __future__ import annotations

import datetime as dt
import math
from typing import overload

import numpy as np
import numpy.typing as npt

DAYS_PER_MONTH = 30.4375  # 365.25 / 12


def round_half_up(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """WHO's ``round_up`` for ages: a fraction below .5 goes down, from .5 up."""
    down = np.floor(x)
    return np.asarray(np.where(x - down >= 0.5, down + 1, down), dtype=np.float64)


def age_in_days(birth_date: dt.date, measure_date: dt.date) -> int:
    """Completed days from birth to the measurement (the day of birth is day 0)."""
    if isinstance(birth_date, dt.datetime) or isinstance(measure_date, dt.datetime):
        raise TypeError("age_in_days takes dates, not datetimes")
    days = (measure_date - birth_date).days
    if days < 0:
        raise ValueError(f"measured on {measure_date} before birth on {birth_date}")
    return days


@overload
def months_to_days(months: float) -> int: ...


@overload
def months_to_days(months: npt.ArrayLike) -> npt.NDArray[np.float64]: ...


def months_to_days(months: float | npt.ArrayLike) -> int | npt.NDArray[np.float64]:
    """Days for an age in months: ``months * 30.4375`` rounded half up, as WHO does.

    A scalar gives an int (a negative or missing age is an error); an array gives
    floats, NaN where the age is missing or negative.
    """
    if isinstance(months, int | float):
        if not months >= 0:
            raise ValueError(f"age in months must be a number >= 0, not {months}")
        days = months * DAYS_PER_MONTH
        return math.floor(days) + (1 if days - math.floor(days) >= 0.5 else 0)
    x = np.asarray(months, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        x = np.where(x >= 0, x, np.nan)
    return round_half_up(x * DAYS_PER_MONTH)
