"""Deadlines of Thông tư 37/2019/TT-BYT in working days after the end of a period.

No Django: the caller passes the official days off and the Saturdays worked in exchange
(``Holiday`` rows, loaded from ``data/holidays-vn.yaml``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Calendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    working_saturdays: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls, holidays: Collection[dt.date], working_saturdays: Collection[dt.date] = ()
    ) -> Calendar:
        return cls(frozenset(holidays), frozenset(working_saturdays))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_saturdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
        current = day
        left = count
        while left > 0:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                left -= 1
        return current


def deadline(*, period_end: dt.date, working_days: int, calendar: Calendar) -> dt.date:
    """Last day a report on the period ending ``period_end`` is on time: the
    ``working_days``-th working day after the period's last day."""
    return calendar.add_working_days(period_end, working_days)


def timeliness(*, submitted_on: dt.date | None, due: dt.date, today: dt.date) -> str:
    """``on_time`` | ``late`` | ``missing`` (due date passed, nothing submitted) |
    ``pending`` (not submitted, still within the deadline)."""
    if submitted_on is not None:
        return "on_time" if submitted_on <= due else "late"
    return "missing" if today > due else "pending"
