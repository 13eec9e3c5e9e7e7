"""Report periods and their short forms in URLs and files.

Tokens: ``2026-03`` (month), ``2026-Q1`` (quarter), ``2026-6T`` (first six months),
``2026-9T`` (first nine months), ``2026`` (year). Calendar periods of Thông tư 37; the
6- and 9-month reports cover the months from January."""

from __future__ import annotations

import datetime as dt
import re

from mch.indicators.engine.periods import Period

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_FIRST = re.compile(r"^(\d{4})-([69])T$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodInvalid(ValueError):
    pass


def period_token(period: Period) -> str:
    start = period.start
    if period.kind == "month":
        return f"{start.year}-{start.month:02d}"
    if period.kind == "quarter":
        return f"{start.year}-Q{(start.month + 2) // 3}"
    if period.kind == "half":
        return f"{start.year}-6T"
    if period.kind == "9m":
        return f"{start.year}-9T"
    if period.kind == "year":
        return str(start.year)
    raise PeriodInvalid(f"Kỳ báo cáo không hợp lệ: {period}")


def period_from_token(token: str) -> Period:
    text = (token or "").strip().upper()
    try:
        if m := _MONTH.match(text):
            return Period.month(int(m[1]), int(m[2]))
        if m := _QUARTER.match(text):
            return Period.quarter(int(m[1]), int(m[2]))
        if m := _FIRST.match(text):
            return Period.first_months(int(m[1]), int(m[2]))
        if m := _YEAR.match(text):
            return Period.year(int(m[1]))
    except ValueError as exc:
        raise PeriodInvalid(f"Kỳ báo cáo không hợp lệ: '{token}'") from exc
    raise PeriodInvalid(
        f"Kỳ báo cáo không hợp lệ: '{token}' (ví dụ 2026-03, 2026-Q1, 2026-6T, 2026-9T, 2026)"
    )


def period_label(period: Period) -> str:
    start = period.start
    return {
        "month": f"Tháng {start.month:02d}/{start.year}",
        "quarter": f"Quý {(start.month + 2) // 3}/{start.year}",
        "half": f"6 tháng {start.year}",
        "9m": f"9 tháng {start.year}",
        "year": f"Năm {start.year}",
    }.get(period.kind, str(period))


def period_of_kind(kind: str, day: dt.date) -> Period:
    """The period of ``kind`` that contains ``day`` (6/9 months: of that year)."""
    if kind == "month":
        return Period.month(day.year, day.month)
    if kind == "quarter":
        return Period.quarter(day.year, (day.month + 2) // 3)
    if kind == "half":
        return Period.first_months(day.year, 6)
    if kind == "9m":
        return Period.first_months(day.year, 9)
    if kind == "year":
        return Period.year(day.year)
    raise PeriodInvalid(f"Loại kỳ không hợp lệ: {kind}")


def periods_ended(kind: str, before: dt.date, count: int) -> list[Period]:
    """The last ``count`` periods of ``kind`` that ended before ``before``, newest first."""
    out: list[Period] = []
    year, month = before.year, before.month
    while len(out) < count and year > 1900:
        period = period_of_kind(kind, dt.date(year, month, 1))
        if period.end < before and period not in out:
            out.append(period)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(out, key=lambda p: p.start, reverse=True)[:count]
