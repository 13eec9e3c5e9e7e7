import json
from decimal import Decimal

import pytest
import yaml

from mch.plans.models import Observation, Plan, Target, Task
from mch.plans.planfile import PlanFileError
from mch.plans.selectors import plan_conflicts
from mch.plans.services import plan_export, plan_import

GOOD = """
format: mch-plan/1
slug: test-plan
kind: ke_hoach
number: "12/KH-UBND"
title: "Kế hoạch thử"
issuer:
  name: "UBND tỉnh Ninh Thuận"
  unit: {level: province, code: "58", on: 2022-01-01}
scope_unit: {level: province, code: "58", on: 2022-01-01}
issued: {date: 2022-01-15, text: "Ninh Thuận, ngày 15 tháng 01 năm 2022"}
period: {start: 2022, end: 2030}
reporting:
  deadline: {month: 12, day: 10}
  text: "trước ngày 10/12 hằng năm"
objectives:
  - code: MT1
    title: "Giảm tử vong"
    targets:
      - indicator: neonatal_mortality
        year: 2025
        comparator: xuống
        value: 9.5
        value_text: "9,5‰"
        quote: "Giảm tỷ suất tử vong trẻ sơ sinh xuống 9,5‰"
      - indicator: skilled_birth_attendance
        year: 2025
        comparator: trên
        value: 95
        value_text: "> 95%"
        source: body
      - indicator: skilled_birth_attendance
        year: 2025
        comparator: trên
        value: 99
        value_text: ">99"
        source: annex
      - indicator: neonatal_mortality
        year: 2025
        comparator: "="
        value: 9.5
        value_text: "9,5"
        source: annex
      - indicator: exclusive_breastfeeding_u6m
        year: 2025
        comparator: tăng
        value: 15
        change_unit: percent
        baseline_year: 2020
observations:
  - indicator: neonatal_mortality
    kind: actual
    year: 2021
    value: 2.7
    population: ethnic_minority
    source: annex
budget:
  - {year: 2024, amount_vnd: 378940000, funding_source: "Ngân sách tỉnh"}
  - {year: null, amount_vnd: 745880000}
agencies:
  - {code: nt-so-y-te, name: "Sở Y tế", kind: department}
tasks:
  - {agency: nt-so-y-te, role: lead, description: "Chủ trì triển khai kế hoạch."}
notes: ["Một ghi chú."]
"""


def test_import_keeps_every_value_as_written(plan_world) -> None:
    plan = plan_import(content=GOOD, filename="test.yaml")

    nmr = Target.objects.get(plan=plan, indicator__code="neonatal_mortality", source_part="body")
    assert (nmr.comparator, nmr.value, nmr.value_text) == ("xuong", Decimal("9.5"), "9,5‰")
    assert nmr.objective.code == "MT1"
    relative = Target.objects.get(plan=plan, indicator__code="exclusive_breastfeeding_u6m")
    assert (relative.comparator, relative.baseline_year, relative.change_unit) == (
        "tang",
        2020,
        "percent",
    )
    actual = Observation.objects.get(plan=plan)
    assert (actual.year, actual.population.code, actual.value) == (
        2021,
        "ethnic_minority",
        Decimal("2.7"),
    )
    assert [b.amount_vnd for b in plan.budget_lines.all()] == [378940000, 745880000]
    assert Task.objects.get(plan=plan).agency.name == "Sở Y tế"
    assert plan.scope_unit == plan_world["province"]
    assert (plan.report_deadline_month, plan.report_deadline_day) == (12, 10)


def test_body_and_annex_targets_that_disagree_are_both_kept_and_flagged(plan_world) -> None:
    plan = plan_import(content=GOOD)

    conflicts = plan_conflicts(plan=plan)

    assert [(row.indicator_code, year) for row, year in conflicts] == [
        ("skilled_birth_attendance", 2025)
    ]
    assert sorted(t.value_text for t in conflicts[0][0].targets[2025]) == ["> 95%", ">99"]


def _with(change: tuple[str, str]) -> str:
    old, new = change
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "indicator: neonatal_mortality\n        year: 2025",
                "indicator: nmr_typo\n        year: 2025",
            ),
            "Mã chỉ số 'nmr_typo' không có trong danh mục chỉ số.",
        ),
        (("comparator: xuống", "comparator: khoảng"), "Từ so sánh 'khoảng' không hợp lệ"),
        (
            ("year: 2025\n        comparator: xuống", "year: 2031\n        comparator: xuống"),
            "Năm 2031 của chỉ tiêu neonatal_mortality nằm ngoài thời kỳ kế hoạch 2022–2030.",
        ),
        (
            (
                'value: 99\n        value_text: ">99"\n        source: annex',
                'value: 99\n        value_text: ">99"\n        source: body',
            ),
            "bị trùng với dòng",
        ),
        (
            ('code: "58", on: 2022-01-01}\nscope_unit', 'code: "99", on: 2022-01-01}\nscope_unit'),
            "không có đơn vị cấp province mã '99' có hiệu lực ngày 01/01/2022",
        ),
        (
            ('code: "58", on: 2022-01-01}\nissued', 'code: "58", on: 2026-01-01}\nissued'),
            "Phạm vi: không có đơn vị cấp province mã '58' có hiệu lực ngày 01/01/2026",
        ),
        (("baseline_year: 2020", "note: thiếu năm gốc"), "cần 'baseline_year'"),
        (("population: ethnic_minority", "population: martians"), "Nhóm dân số 'martians'"),
        (("value: 9.5", "value: 9,5"), "không phải là số: '9,5'"),
        (
            ("agency: nt-so-y-te, role", "agency: nt-so-tai-chinh, role"),
            "Cơ quan 'nt-so-tai-chinh'",
        ),
        (("format: mch-plan/1", "format: other"), "Định dạng tệp phải là 'mch-plan/1'"),
        (("kind: ke_hoach", "kind: memo"), "Giá trị 'memo' của trường 'kind'"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_written(
    plan_world, change, message
) -> None:
    with pytest.raises(PlanFileError) as caught:
        plan_import(content=_with(change))

    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.line for p in caught.value.problems if "Định dạng" not in p.message)
    assert not Plan.objects.exists()


def test_problem_names_the_line_of_the_offending_entry(plan_world) -> None:
    bad = _with(("comparator: xuống", "comparator: khoảng"))
    with pytest.raises(PlanFileError) as caught:
        plan_import(content=bad)

    line = next(p.line for p in caught.value.problems if "khoảng" in p.message)
    assert "indicator: neonatal_mortality" in bad.splitlines()[line - 1]


def test_unreadable_yaml_is_reported_with_its_line(plan_world) -> None:
    with pytest.raises(PlanFileError) as caught:
        plan_import(content="format: mch-plan/1\nslug: [unclosed\n")

    assert caught.value.problems[0].message.startswith("Tệp YAML không đọc được")
    assert caught.value.problems[0].line is not None


def test_failed_reimport_keeps_the_previous_plan(plan_world) -> None:
    plan_import(content=GOOD)

    with pytest.raises(PlanFileError):
        plan_import(content=_with(("comparator: xuống", "comparator: khoảng")))

    assert Target.objects.filter(plan__slug="test-plan").count() == 5


def test_reimport_replaces_the_plan_without_duplicates(plan_world) -> None:
    plan_import(content=GOOD)
    plan_import(content=GOOD.replace("value: 9.5", "value: 9"))

    assert Plan.objects.count() == 1
    assert Target.objects.get(indicator__code="neonatal_mortality", source_part="body").value == 9


def test_export_round_trips_through_import(plan_world) -> None:
    plan = plan_import(content=GOOD)
    exported = plan_export(plan=plan)

    again = plan_import(
        content=yaml.safe_dump(json.loads(json.dumps(exported)), allow_unicode=True)
    )

    assert plan_export(plan=again) == exported
    assert exported["objectives"][0]["targets"][0]["comparator"] == "xuống"
    assert exported["budget"][0]["amount_vnd"] == 378940000
