"""Ages as the definitions use them (domain.md §2, §5).

- Completed days: the number of days from the birth date to the day (a child dying on
  the day of birth is 0 days old; "0–27 completed days" is ``days <= 27``).
- Completed years by calendar birthdays: the n-th birthday of a child born on
  29 February is 1 March in common years (the child is not yet n on 28 February).
"""

from __future__ import annotations

import datetime as dt


def completed_days(birth: dt.date, day: dt.date) -> int:
    return (day - birth).days


def birthday(birth: dt.date, years: int) -> dt.date:
    """The calendar day of the ``years``-th birthday (29 February -> 1 March)."""
    year = birth.year + years
    try:
        return birth.replace(year=year)
    except ValueError:  # 29 February in a common year
        return dt.date(year, 3, 1)


def completed_years(birth: dt.date, day: dt.date) -> int:
    years = day.year - birth.year
    if years > 0 and day < birthday(birth, years):
        years -= 1
    return max(years, 0) if day >= birth else -1
