"""Reading and writing cells of a bundle: every value type, as people type them."""

from __future__ import annotations

import datetime as dt

import pytest

from mch.registers.bundle.reader import match_file, norm
from mch.registers.bundle.spec import BY_KEY, FILES
from mch.registers.bundle.values import BadValue, formatter, parser


def col(file: str, key: str):
    return BY_KEY[file].column(key)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12/03/2025", dt.date(2025, 3, 12)),
        ("1/7/2025", dt.date(2025, 7, 1)),
        ("2025-07-01", dt.date(2025, 7, 1)),
        ("01-07-2025", dt.date(2025, 7, 1)),
        ("01.07.2025", dt.date(2025, 7, 1)),
        (dt.datetime(2025, 7, 1, 0, 0), dt.date(2025, 7, 1)),
        (" ", None),
        ("", None),
    ],
)
def test_dates(raw, expected) -> None:
    assert parser(col("pregnancies", "date"))(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2025", "2025/13/01", "hôm qua", "12/03/25"])
def test_bad_dates_say_the_expected_form(raw) -> None:
    with pytest.raises(BadValue, match="dd/mm/yyyy"):
        parser(col("pregnancies", "date"))(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3,5", 3.5), ("3.5", 3.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), (7, 7.0), ("", None)],
)
def test_decimals_take_the_decimal_comma(raw, expected) -> None:
    assert parser(col("growth", "weight_kg"))(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("3200", 3200), ("3.200", 3200), (3200.0, 3200)])
def test_whole_numbers_accept_thousands_separators(raw, expected) -> None:
    assert parser(col("births", "birth_weight_g"))(raw) == expected


def test_a_fraction_is_not_a_whole_number() -> None:
    with pytest.raises(BadValue, match="số nguyên"):
        parser(col("births", "birth_weight_g"))("3,5")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("có", True),
        ("Có", True),
        ("co", True),
        ("x", True),
        ("X", True),
        ("1", True),
        ("yes", True),
        (True, True),
        ("không", False),
        ("Khong", False),
        ("0", False),
        ("no", False),
        (0, False),
        ("", None),
    ],
)
def test_booleans(raw, expected) -> None:
    assert parser(col("births", "vitamin_k1"))(raw) is expected


def test_a_bad_boolean_lists_what_is_accepted() -> None:
    with pytest.raises(BadValue, match="có, không, x, 1, 0"):
        parser(col("births", "vitamin_k1"))("có lẽ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("midwife", "midwife"),
        ("Hộ sinh", "midwife"),
        ("ho sinh", "midwife"),
        ("HỘ SINH", "midwife"),
        ("Điều dưỡng (có đào tạo hộ sinh)", "nurse"),
    ],
)
def test_choices_by_code_or_vietnamese_label(raw, expected) -> None:
    assert parser(col("deliveries", "attendant"))(raw) == expected


def test_an_unknown_choice_lists_the_codes() -> None:
    with pytest.raises(BadValue, match="doctor, midwife"):
        parser(col("deliveries", "attendant"))("bà mụ vườn")


def test_empty_code_choices_read_their_label() -> None:
    assert parser(col("persons", "poverty"))("Không") == ""
    assert parser(col("persons", "poverty"))("Hộ nghèo") == "poor"


def test_lists_are_codes_separated_by_semicolons() -> None:
    parse = parser(col("pregnancies", "risk_factors"))
    assert parse("Thiếu máu; hypertension;thiếu máu") == ["anaemia", "hypertension"]
    assert parse("") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01", "01"),
        ("1", "01"),
        (12, "12"),
        ("Ê Đê", "12"),
        ("e de", "12"),
        ("Mông", "08"),
        ("kinh", "01"),
    ],
)
def test_ethnicity_by_code_or_name(raw, expected) -> None:
    assert parser(col("persons", "ethnicity"))(raw) == expected


def test_unknown_ethnicity() -> None:
    with pytest.raises(BadValue, match="54 dân tộc"):
        parser(col("persons", "ethnicity"))("Mường Lát")


@pytest.mark.parametrize(("raw", "expected"), [("22795", "22795"), (4, "00004"), ("4", "00004")])
def test_commune_codes_keep_leading_zeros(raw, expected) -> None:
    assert parser(col("persons", "commune"))(raw) == expected


def test_commune_code_is_digits() -> None:
    with pytest.raises(BadValue, match="5 chữ số"):
        parser(col("persons", "commune"))("Hòa Bình")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07:30", dt.time(7, 30)),
        ("7h30", dt.time(7, 30)),
        ("23:05:10", dt.time(23, 5, 10)),
        (0.5, dt.time(12, 0)),
    ],
)
def test_times(raw, expected) -> None:
    assert parser(col("deliveries", "time"))(raw) == expected


def test_text_from_a_spreadsheet_number() -> None:
    assert parser(col("persons", "phone"))(912345678.0) == "912345678"
    assert parser(col("persons", "full_name"))("  Lan  ") == "Lan"


@pytest.mark.parametrize(
    ("file", "key", "value"),
    [
        ("growth", "weight_kg", 7.25),
        ("pregnancies", "date", dt.date(2025, 1, 31)),
        ("deliveries", "attendant", "nurse"),
        ("pregnancies", "risk_factors", ["anaemia", "other"]),
        ("births", "vitamin_k1", False),
        ("births", "vitamin_k1", None),
        ("deliveries", "time", dt.time(6, 5)),
        ("persons", "poverty", ""),
        ("births", "birth_weight_g", 3200),
    ],
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_written_values_read_back_the_same(file, key, value, language) -> None:
    column = col(file, key)
    assert parser(column)(formatter(column, language=language)(value)) == value


def test_vietnamese_writing() -> None:
    assert formatter(col("growth", "weight_kg"))(7.25) == "7,25"
    assert formatter(col("pregnancies", "date"))(dt.date(2025, 1, 31)) == "31/01/2025"
    assert formatter(col("deliveries", "attendant"))("midwife") == "Hộ sinh"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("nguoi.csv", "persons"),
        ("persons.csv", "persons"),
        ("Khám thai", "antenatal_visits"),
        ("bundle/TIEM_CHUNG.CSV", "immunisations"),
        ("tre-sinh.csv", "births"),
        ("Tử vong", "deaths"),
    ],
)
def test_file_names_in_either_language(name, key) -> None:
    assert match_file(name).key == key


def test_headers_fold_to_one_form() -> None:
    assert norm("Mã người") == norm("ma_nguoi") == "ma_nguoi"
    assert norm("Ngày kinh cuối") == "ngay_kinh_cuoi"


def test_every_header_is_unique_within_its_file() -> None:
    for spec in FILES:
        names = [norm(c.key) for c in spec.columns] + [norm(c.header_vi) for c in spec.columns]
        assert len(set(names)) == len(names) - sum(
            norm(c.key) == norm(c.header_vi) for c in spec.columns
        )
