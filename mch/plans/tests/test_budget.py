"""A plan's budget counts every amount once (whole-period lines and their yearly parts)."""

from __future__ import annotations

import pytest

from mch.plans.budget import budget_parents, plan_budget
from mch.plans.services import PlanFileError, plan_import

from .test_services import GOOD


@pytest.mark.parametrize(
    ("lines", "parents"),
    [
        # Bắc Giang: total for the period, then the same money by year
        ([(None, "NSNN"), (2024, "NSNN"), (2025, "NSNN")], [None, 0, 0]),
        # a whole-period line stating no source covers the yearly lines of any source
        ([(2024, "Ngân sách tỉnh"), (None, "")], [1, None]),
        # yearly lines of another source than the whole-period line stand on their own
        ([(None, "Trung ương"), (2024, "Địa phương")], [None, None]),
        # no whole-period line: every yearly line stands on its own
        ([(2024, "NSNN"), (2025, "NSNN")], [None, None]),
    ],
)
def test_yearly_lines_belong_to_the_whole_period_line_of_their_source(lines, parents) -> None:
    assert budget_parents(lines) == parents


def test_imported_plan_total_counts_the_whole_period_once(plan_world) -> None:
    plan = plan_import(content=GOOD, filename="test.yaml")

    budget = plan_budget(plan=plan)

    assert budget.total == 745_880_000
    assert budget.by_year == {2024: 378_940_000}
    [row] = budget.rows
    assert [p.amount_vnd for p in row.parts] == [378_940_000]
    assert row.unallocated == 745_880_000 - 378_940_000


def test_yearly_lines_above_their_whole_period_line_are_refused(plan_world) -> None:
    content = GOOD.replace(
        "{year: 2024, amount_vnd: 378940000", "{year: 2024, amount_vnd: 800000000"
    )

    with pytest.raises(PlanFileError) as error:
        plan_import(content=content, filename="test.yaml")

    assert any("vượt dòng cả giai đoạn 745.880.000" in p.message for p in error.value.problems)


def test_a_note_that_says_null_is_refused(plan_world) -> None:
    content = GOOD.replace('notes: ["Một ghi chú."]', 'notes: ["Dòng tổng (năm null)."]')

    with pytest.raises(PlanFileError) as error:
        plan_import(content=content, filename="test.yaml")

    assert any("null" in p.message for p in error.value.problems)
