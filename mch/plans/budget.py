"""A plan's budget without counting the same money twice.

Documents state a whole-period amount and then split it by year ("Tổng kinh phí:
745.880.000 VNĐ, trong đó: Năm 2024: 378.940.000; Năm 2025: 366.940.000"). A yearly line
is *part of* a whole-period line when that line states the same funding source, or states
none (it then covers every source). A yearly line that belongs to no whole-period line
stands on its own. The plan's total is the whole-period lines plus the standalone yearly
lines; a year's total is its yearly lines. ``budget_parents`` holds the rule (plain data),
used by the import and by the check of a plan file; ``plan_budget`` reads it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


def budget_parents(lines: Sequence[tuple[int | None, str]]) -> list[int | None]:
    """For each (year, funding source) line, the index of the whole-period line it is part
    of, or None (whole-period lines themselves, and standalone yearly lines)."""
    wholes = [i for i, (year, _) in enumerate(lines) if year is None]
    out: list[int | None] = []
    for year, source in lines:
        if year is None:
            out.append(None)
            continue
        same = [i for i in wholes if lines[i][1].strip() == source.strip()]
        covering = same or [i for i in wholes if not lines[i][1].strip()]
        out.append(covering[0] if covering else None)
    return out


def budget_overruns(lines: Sequence[tuple[int | None, str, int]]) -> list[tuple[int, int, int]]:
    """(whole-period line index, its amount, the sum of its yearly parts) where the parts
    add up to more than the whole: the file is then inconsistent."""
    parents = budget_parents([(year, source) for year, source, _ in lines])
    sums: dict[int, int] = {}
    for (_, _, amount), parent in zip(lines, parents, strict=True):
        if parent is not None:
            sums[parent] = sums.get(parent, 0) + amount
    return [(i, lines[i][2], total) for i, total in sums.items() if total > lines[i][2]]


@dataclass(frozen=True)
class BudgetRow:
    line: Any  # a BudgetLine
    parts: list[Any] = field(default_factory=list)  # its yearly lines, by year

    @property
    def unallocated(self) -> int:
        """Part of a whole-period amount not split into years (0 when fully split or when
        it has no yearly lines)."""
        if not self.parts:
            return 0
        return int(self.line.amount_vnd) - sum(int(p.amount_vnd) for p in self.parts)


@dataclass(frozen=True)
class Budget:
    rows: list[BudgetRow]
    total: int  # every đồng once
    by_year: dict[int, int]  # the yearly lines, per year

    @property
    def lines(self) -> int:
        return sum(1 + len(row.parts) for row in self.rows)


def budget_of(lines: Sequence[Any]) -> Budget:
    """Rows for display and totals from a plan's lines (``part_of_id`` set by the import)."""
    by_id = {line.pk: line for line in lines}
    rows: dict[int, BudgetRow] = {}
    for line in lines:
        if line.part_of_id is None or line.part_of_id not in by_id:
            rows[line.pk] = BudgetRow(line)
    for line in lines:
        if line.part_of_id in rows:
            rows[line.part_of_id].parts.append(line)
    for row in rows.values():
        row.parts.sort(key=lambda p: (p.year, p.order))
    ordered = sorted(rows.values(), key=lambda r: (r.line.year is not None, r.line.order))
    by_year: dict[int, int] = {}
    for line in lines:
        if line.year is not None:
            by_year[line.year] = by_year.get(line.year, 0) + int(line.amount_vnd)
    total = sum(int(row.line.amount_vnd) for row in ordered)
    return Budget(rows=ordered, total=total, by_year=dict(sorted(by_year.items())))


def plan_budget(*, plan: Any) -> Budget:
    return budget_of(list(plan.budget_lines.all()))
