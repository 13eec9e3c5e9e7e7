"""Calendar periods of the routine reports (Thông tư 37/2019/TT-BYT): month, quarter, the
first 6 and 9 months, the year, and spans of several years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from mch.core.dates import dmy

KINDS = ("month", "quarter", "half", "9m", "year", "years", "custom")
# Kinds for which "latest measurement of a child in the period" cells are stored.
STORED_KINDS = ("month", "quarter", "half", "9m", "year")


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"Kỳ không hợp lệ: {dmy(self.start)} sau {dmy(self.end)}")
        if self.kind not in KINDS:
            raise ValueError(f"Loại kỳ không hợp lệ: {self.kind!r}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1), _month_end(year, month), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"Quý không hợp lệ: {quarter}")
        first = 3 * quarter - 2
        return cls(dt.date(year, first, 1), _month_end(year, first + 2), "quarter")

    @classmethod
    def first_months(cls, year: int, months: int) -> Period:
        """The first ``months`` months of the year: 6 -> "half", 9 -> "9m"."""
        if not 1 <= months <= 12:
            raise ValueError(f"Số tháng không hợp lệ: {months}")
        kind = {1: "month", 3: "quarter", 6: "half", 9: "9m", 12: "year"}.get(months, "custom")
        return cls(dt.date(year, 1, 1), _month_end(year, months), kind)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        if last < first:
            raise ValueError(f"Khoảng năm không hợp lệ: {first}–{last}")
        if first == last:
            return cls.year(first)
        return cls(dt.date(first, 1, 1), dt.date(last, 12, 31), "years")

    @classmethod
    def parse(cls, text: str) -> Period:
        """ "2025", "Q1/2025", "06/2025", "6m/2025", "9m/2025", "2021-2025"."""
        value = text.strip().replace("–", "-")
        try:
            if value.upper().startswith("Q") and "/" in value:
                q, y = value[1:].split("/")
                return cls.quarter(int(y), int(q))
            if value.lower().startswith(("6m/", "9m/")):
                return cls.first_months(int(value[3:]), int(value[0]))
            if "/" in value:
                m, y = value.split("/")
                return cls.month(int(y), int(m))
            if "-" in value:
                a, b = value.split("-")
                return cls.years(int(a), int(b))
            return cls.year(int(value))
        except ValueError as exc:
            raise ValueError(
                f"Không hiểu kỳ {text!r}: dùng 2025, Q1/2025, 06/2025, 6m/2025, 9m/2025 "
                "hoặc 2021-2025"
            ) from exc

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%m/%Y}"
        if self.kind == "quarter":
            return f"Q{(self.start.month + 2) // 3}/{self.start.year}"
        if self.kind == "half":
            return f"6 tháng {self.start.year}"
        if self.kind == "9m":
            return f"9 tháng {self.start.year}"
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "years":
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    @property
    def month_aligned(self) -> bool:
        return self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> Iterator[Period]:
        year, month = self.start.year, self.start.month
        while dt.date(year, month, 1) <= self.end:
            yield Period.month(year, month)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def stored_periods(year: int) -> list[Period]:
    """The period cells stored for "latest per child" indicators in one year."""
    cells = [Period.month(year, m) for m in range(1, 13)]
    cells += [Period.quarter(year, q) for q in range(1, 5)]
    cells += [Period.first_months(year, 6), Period.first_months(year, 9), Period.year(year)]
    return cells
