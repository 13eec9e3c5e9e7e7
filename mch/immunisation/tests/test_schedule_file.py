"""The schedule file parser (no database)."""

from __future__ import annotations

import pytest
import yaml

from mch.immunisation.schedule_file import (
    FORMAT,
    ScheduleFileError,
    load_schedule_file,
    parse_schedule,
)
from mch.immunisation.tests.conftest import day

ANTIGEN = {
    "code": "opv",
    "abbreviation": "OPV",
    "name_vi": "Vắc xin bại liệt uống",
    "name_en": "Oral polio vaccine",
    "diseases": ["polio"],
    "target": "child",
}


def entry(**overrides):
    values = {
        "antigen": "opv",
        "dose": 1,
        "min_age_days": 42,
        "due_age_days": 59,
        "valid_from": day("01/08/2024"),
        "legal_basis": "Thông tư 10/2024/TT-BYT",
        "certainty": "confirmed",
    }
    values.update(overrides)
    return values


def text(antigens=None, schedule=None, **top) -> str:
    data = {"format": FORMAT, "antigens": antigens or [ANTIGEN], "schedule": schedule or [entry()]}
    data.update(top)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def errors_of(source: str) -> list[str]:
    with pytest.raises(ScheduleFileError) as caught:
        parse_schedule(source, source="t.yaml")
    return caught.value.errors


def test_the_shipped_schedule_is_valid_and_complete() -> None:
    schedule = load_schedule_file()
    assert [a.code for a in schedule.antigens] == [
        "hepb_birth",
        "bcg",
        "dpt_hepb_hib",
        "opv",
        "ipv",
        "rota",
        "measles",
        "je",
        "mr",
        "dpt_booster",
        "tt",
    ]
    diseases = {d for a in schedule.antigens for d in a.diseases}
    assert len(diseases) == 11  # the 11 diseases of Thông tư 10/2024/TT-BYT
    assert {e.valid_from for e in schedule.entries} == {day("01/01/2018"), day("01/08/2024")}
    assert all(e.note and e.legal_basis for e in schedule.entries)


def test_a_minimal_file_parses() -> None:
    schedule = parse_schedule(text(), source="t.yaml")
    assert [(e.antigen, e.dose, e.min_age_days) for e in schedule.entries] == [("opv", 1, 42)]
    assert schedule.antigens[0].model_fields()["diseases"] == ["polio"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("format: [", "t.yaml: YAML không hợp lệ"),
        (text(format="x/1"), f"t.yaml: 'format' phải là '{FORMAT}'"),
        (text(extra=1), "t.yaml: khóa không biết: extra"),
        (text(antigens=[{**ANTIGEN, "code": "OPV"}]), "t.yaml: vắc xin 'OPV': mã phải là"),
        (text(antigens=[ANTIGEN, ANTIGEN]), "t.yaml: vắc xin 'opv': mã bị trùng"),
        (
            text(antigens=[{**ANTIGEN, "diseases": ["flu"]}]),
            "t.yaml: vắc xin 'opv': bệnh không biết: flu",
        ),
        (
            text(antigens=[{**ANTIGEN, "target": "adult"}]),
            "t.yaml: vắc xin 'opv': 'target' phải là",
        ),
        (
            text(antigens=[{**ANTIGEN, "name_vi": "x" * 201}]),
            "t.yaml: vắc xin 'opv': 'name_vi' dài quá 200 ký tự",
        ),
        (
            text(schedule=[entry(antigen="ipv")]),
            "t.yaml: ipv mũi 1: vắc xin 'ipv' không có trong 'antigens'",
        ),
        (text(schedule=[entry(dose=0)]), "t.yaml: opv mũi 0: 'dose' phải là số nguyên từ 1"),
        (
            text(schedule=[entry(min_age_days="6 tuần")]),
            "t.yaml: opv mũi 1: 'min_age_days' phải là số ngày",
        ),
        (
            text(schedule=[entry(min_age_days=60)]),
            "t.yaml: opv mũi 1: tuổi nên tiêm nhỏ hơn tuổi tối thiểu",
        ),
        (
            text(schedule=[entry(certainty="sure")]),
            "t.yaml: opv mũi 1: 'certainty' phải là một trong",
        ),
        (
            text(schedule=[entry(valid_from="1/8/2024")]),
            "t.yaml: opv mũi 1: 'valid_from' phải là ngày",
        ),
        (
            text(schedule=[entry(valid_to=day("01/01/2024"))]),
            "t.yaml: opv mũi 1: 'valid_to' trước 'valid_from'",
        ),
        (text(schedule=[entry(legal_basis="")]), "t.yaml: opv mũi 1: thiếu 'legal_basis'"),
        (
            text(schedule=[entry(), entry()]),
            "t.yaml: opv mũi 1: trùng vắc xin, mũi và ngày hiệu lực",
        ),
        (text(schedule=[entry(when=1)]), "t.yaml: opv mũi 1: khóa không biết: when"),
        (
            text(
                schedule=[entry(interval_from={"antigen": "opv", "dose": 3}, min_interval_days=7)]
            ),
            "t.yaml: opv mũi 1: 'interval_from' trỏ tới opv mũi 3 không có trong lịch",
        ),
        (
            text(schedule=[entry(interval_from={"antigen": "bcg", "dose": 1})]),
            "t.yaml: opv mũi 1: 'interval_from' phải có dạng",
        ),
    ],
)
def test_problems_are_named_with_file_and_entry(source: str, expected: str) -> None:
    assert any(message.startswith(expected) for message in errors_of(source)), errors_of(source)


def test_every_problem_is_reported_at_once() -> None:
    source = text(schedule=[entry(dose=0), entry(dose=2, certainty="x"), entry(min_age_days=99)])
    assert len(errors_of(source)) == 3
