"""The days any input may name: 01/01/1900 to 31/12/2100.

A year outside this range is a typing mistake (9999 for 2025, 0025), and date arithmetic on
it overflows (the expected delivery 280 days after 01/12/9999). Every way in (API fields and
query strings, page forms, the bundle importer) refuses such a day with the same message.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


def day_in_range(day: dt.date) -> bool:
    value = day.date() if isinstance(day, dt.datetime) else day
    return EARLIEST <= value <= LATEST


def day_range_message() -> str:
    """In the active language."""
    return gettext("The date must be between 01/01/1900 and 31/12/2100.")


def validate_day_in_range(day: dt.date | None) -> None:
    """A Django validator for form and model fields."""
    if day is not None and not day_in_range(day):
        raise ValidationError(day_range_message(), code="date_range")
