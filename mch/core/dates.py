"""Dates as people read them in messages: dd/mm/yyyy with a four-digit year.

``f"{day:%d/%m/%Y}"`` leaves years before 1000 unpadded on Linux (``01/01/1``), and a
message that echoes a mistyped year must still read as a date.
"""

from __future__ import annotations

import datetime as dt


def dmy(day: dt.date) -> str:
    """``dt.date(1, 1, 1)`` -> ``"01/01/0001"``; a datetime gives its date."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
