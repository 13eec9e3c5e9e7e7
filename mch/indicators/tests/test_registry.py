from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from mch.indicators import registry
from mch.indicators.tests.conftest import catalogue_text, indicator_entry

DOCS = Path(__file__).resolve().parents[3] / "docs" / "indicator-catalogue.md"


def core_codes_from_docs() -> list[str]:
    section = DOCS.read_text(encoding="utf-8").split("## Core codes", 1)[1]
    return [c for c in re.findall(r"^\| ([a-z0-9_]+) \|", section, re.M) if c != "code"]


def parse_one(entry: Any) -> registry.Catalogue:
    return registry.parse_documents([("extra-test.yaml", catalogue_text([entry]))])


def test_valid_entry_parses_into_a_spec() -> None:
    spec = parse_one(indicator_entry()).indicator("test_rate")

    assert spec.multiplier == 100
    assert spec.disaggregations == ("unit", "sex")
    assert spec.source == "extra-test.yaml"
    assert spec.version_fields()["disaggregations"] == ["unit", "sex"]


MALFORMED = [
    ("missing code", {"code": None}, "thiếu mã 'code'"),
    ("code with capitals", {"code": "Bad_Code"}, "mã 'Bad_Code' không hợp lệ"),
    ("code with hyphen", {"code": "bad-code"}, "không hợp lệ"),
    ("code too long", {"code": "a" * 65}, "tối đa 64"),
    ("unknown domain", {"domain": "finance"}, "'domain' = 'finance' không hợp lệ"),
    ("unknown direction", {"direction": "up"}, "'direction' = 'up'"),
    ("unknown source", {"data_source": "hmis"}, "'data_source' = 'hmis'"),
    ("missing direction", {"direction": None}, "thiếu trường bắt buộc 'direction'"),
    ("multiplier not allowed", {"multiplier": 10}, "'multiplier' = 10 không hợp lệ"),
    ("multiplier as text", {"multiplier": "100"}, "'multiplier' = '100'"),
    ("multiplier boolean", {"multiplier": True}, "'multiplier' = True"),
    ("missing multiplier", {"multiplier": None}, "thiếu trường bắt buộc 'multiplier'"),
    ("unit does not match", {"unit_symbol": "‰"}, "không khớp với multiplier 100"),
    ("missing unit", {"unit_symbol": None}, "'unit_symbol'"),
    ("rate without denominator", {"denominator": ""}, "phải có 'denominator'"),
    ("empty Vietnamese name", {"name_vi": "  "}, "'name_vi' không được để trống"),
    ("name not text", {"name_en": 12}, "'name_en' phải là chuỗi"),
    ("name too long", {"name_vi": "x" * 301}, "dài quá 300"),
    ("missing numerator", {"numerator": None}, "thiếu trường bắt buộc 'numerator'"),
    (
        "unknown dimension",
        {"disaggregations": ["province"]},
        "chiều phân tổ không hợp lệ: province",
    ),
    ("dimensions not a list", {"disaggregations": "sex"}, "phải là danh sách"),
    ("repeated dimension", {"disaggregations": ["sex", "sex"]}, "lặp lại"),
    ("misspelt field", {"multipler": 100}, "trường không hợp lệ: multipler"),
]


@pytest.mark.parametrize(
    ("overrides", "message"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_malformed_indicator_is_rejected_with_file_and_entry(
    overrides: dict[str, Any], message: str
) -> None:
    entry = {k: v for k, v in indicator_entry(**overrides).items() if v is not None}

    with pytest.raises(registry.CatalogueError) as caught:
        parse_one(entry)

    assert message in str(caught.value)
    assert "extra-test.yaml, indicators mục 1" in str(caught.value)


def test_count_indicator_needs_no_denominator_and_names_its_unit() -> None:
    entry = indicator_entry(multiplier=1, unit_symbol="người", denominator="")

    assert parse_one(entry).indicator("test_rate").multiplier == 1


MALFORMED_FILES = [
    ("not yaml", "format: [unclosed", "không đọc được YAML"),
    ("not a mapping", "- a\n- b\n", "phải là một bảng"),
    (
        "wrong format",
        "format: mch-catalogue/2\nindicators: []\n",
        "'format' phải là 'mch-catalogue/1'",
    ),
    (
        "unknown top key",
        "format: mch-catalogue/1\nindicator: []\n",
        "khóa không hợp lệ ở cấp đầu: indicator",
    ),
    (
        "indicators not a list",
        "format: mch-catalogue/1\nindicators: {}\n",
        "'indicators' phải là một danh sách",
    ),
    (
        "entry not a mapping",
        "format: mch-catalogue/1\nindicators: [x]\n",
        "mỗi chỉ số phải là một bảng",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [c[1:] for c in MALFORMED_FILES], ids=[c[0] for c in MALFORMED_FILES]
)
def test_malformed_file_is_rejected(text: str, message: str) -> None:
    with pytest.raises(registry.CatalogueError) as caught:
        registry.parse_documents([("extra-x.yaml", text)])

    assert message in str(caught.value)
    assert "extra-x.yaml" in str(caught.value)


GROUP_CASES = [
    ("everyone", {}, []),
    ("equality", {"ethnicity": "01"}, []),
    ("membership", {"ethnicity": {"not_in": ["01"]}}, []),
    ("any", {"any": [{"zone": "III"}, {"especially_difficult": True}]}, []),
    ("not a mapping", ["ethnicity"], ["phải là một bảng"]),
    ("bad operator", {"zone": {"gt": "II"}}, ["chỉ được dùng 'in' hoặc 'not_in'"]),
    ("in needs a list", {"zone": {"in": "III"}}, ["cần một danh sách"]),
    ("empty any", {"any": []}, ["'any' phải là danh sách"]),
    ("nested value", {"zone": [["III"]]}, ["giá trị phải là chuỗi"]),
    ("bad attribute name", {"Zone": "III"}, ["tên thuộc tính 'Zone'"]),
]


@pytest.mark.parametrize(
    ("definition", "expected"), [c[1:] for c in GROUP_CASES], ids=[c[0] for c in GROUP_CASES]
)
def test_population_filter_grammar(definition: Any, expected: list[str]) -> None:
    problems = registry.filter_problems(definition)

    assert len(problems) == len(expected)
    assert all(e in p for e, p in zip(expected, problems, strict=True))


def test_malformed_group_names_file_and_entry() -> None:
    group = {
        "code": "bad",
        "name_vi": "Nhóm",
        "name_en": "Group",
        "definition": {"zone": {"gt": 1}},
    }

    with pytest.raises(registry.CatalogueError) as caught:
        registry.parse_documents([("extra-g.yaml", catalogue_text([], [group]))])

    assert "extra-g.yaml, population_groups mục 1 ('bad'): 'definition'" in str(caught.value)


def test_duplicate_code_across_two_files_is_rejected(write_catalogue) -> None:
    write_catalogue("core.yaml", [indicator_entry(code="x")])
    directory = write_catalogue("extra-bac-giang.yaml", [indicator_entry(code="x")])

    with pytest.raises(registry.CatalogueError) as caught:
        registry.load_catalogue(directory)

    assert caught.value.errors == ["Mã chỉ số 'x' bị trùng trong core.yaml và extra-bac-giang.yaml"]


def test_duplicate_code_within_one_file_is_rejected() -> None:
    text = catalogue_text([indicator_entry(code="x"), indicator_entry(code="x")])

    with pytest.raises(registry.CatalogueError) as caught:
        registry.parse_documents([("extra-a.yaml", text)])

    assert caught.value.errors == ["Mã chỉ số 'x' bị trùng hai lần trong extra-a.yaml"]


def test_duplicate_population_group_across_files_is_rejected(write_catalogue) -> None:
    group = {"code": "all", "name_vi": "Toàn bộ", "name_en": "Everyone", "definition": {}}
    write_catalogue("core.yaml", [], [group])
    directory = write_catalogue("extra-a.yaml", [], [group])

    with pytest.raises(registry.CatalogueError) as caught:
        registry.load_catalogue(directory)

    assert caught.value.errors == ["Mã nhóm dân số 'all' bị trùng trong core.yaml và extra-a.yaml"]


def test_every_problem_of_every_file_is_reported_together(write_catalogue) -> None:
    write_catalogue("core.yaml", [indicator_entry(code="a", multiplier=7)])
    directory = write_catalogue("extra-b.yaml", [indicator_entry(code="b", direction="up")])

    with pytest.raises(registry.CatalogueError) as caught:
        registry.load_catalogue(directory)

    assert len(caught.value.errors) == 2


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(registry.CatalogueError, match="Không tìm thấy tệp"):
        registry.load_catalogue(tmp_path)


def test_core_file_is_read_first(write_catalogue) -> None:
    write_catalogue("extra-a.yaml", [indicator_entry(code="a")])
    directory = write_catalogue("core.yaml", [indicator_entry(code="b")])

    assert registry.load_catalogue(directory).files == ("core.yaml", "extra-a.yaml")


def test_real_catalogue_is_valid_and_holds_every_core_code() -> None:
    catalogue = registry.load_catalogue()
    core = [spec for spec in catalogue.indicators if spec.source == "core.yaml"]

    assert sorted(spec.code for spec in core) == sorted(core_codes_from_docs())
    assert len(core_codes_from_docs()) == 31


def test_core_population_groups_are_present() -> None:
    groups = {
        g.code for g in registry.load_catalogue().population_groups if g.source == "core.yaml"
    }

    assert groups == {
        "all",
        "ethnic_minority",
        "ethnic_minority_area",
        "especially_difficult_area",
        "mountainous_area",
        "kinh",
    }


@pytest.mark.parametrize("code", core_codes_from_docs())
def test_core_indicator_is_fully_described(code: str) -> None:
    spec = registry.load_catalogue().indicator(code)

    assert all([spec.name_vi, spec.name_en, spec.definition_vi, spec.definition_en, spec.notes])
    assert spec.denominator
    assert spec.disaggregations


@pytest.mark.parametrize(
    ("code", "multiplier", "direction"),
    [
        ("neonatal_mortality", 1000, "lower"),
        ("maternal_mortality", 100000, "lower"),
        ("under5_injury_mortality", 100000, "lower"),
        ("facility_birth", 100, "higher"),
        ("stunting_u5", 100, "lower"),
        ("policy_injury_programme", 100, "higher"),
    ],
)
def test_core_multiplier_and_direction(code: str, multiplier: int, direction: str) -> None:
    spec = registry.load_catalogue().indicator(code)

    assert (spec.multiplier, spec.direction) == (multiplier, direction)
