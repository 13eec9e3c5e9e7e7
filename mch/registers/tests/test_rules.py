"""Every validation rule of the registers, from worked examples (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from mch.registers import rules

D = dt.date
TODAY = D(2026, 11, 20)


def codes(problems: list[rules.Problem]) -> list[str]:
    return [p.code for p in problems]


@pytest.mark.parametrize(
    ("value", "sex", "birth", "expected"),
    [
        ("056198000123", "F", D(1998, 3, 4), []),
        ("056098000123", "M", D(1998, 3, 4), []),
        ("056303000001", "F", D(2003, 1, 1), []),
        ("05619800012", "F", None, ["cccd_format"]),
        ("05619800012A", "F", None, ["cccd_format"]),
        ("099198000123", "F", None, ["cccd_province"]),
        ("056098000123", "F", D(1998, 3, 4), ["cccd_sex_century"]),
        ("056197000123", "F", D(1998, 3, 4), ["cccd_sex_century"]),
        ("056398000123", "F", D(1998, 3, 4), ["cccd_sex_century"]),
        ("", "F", None, []),
    ],
)
def test_national_id(value, sex, birth, expected) -> None:
    assert codes(rules.national_id_check(value, sex=sex, birth=birth)) == expected


def test_person_check_messages_are_vietnamese_and_english() -> None:
    problems = rules.person_check(
        full_name="A",
        sex="X",
        birth_date=D(2027, 1, 1),
        national_id="123",
        insurance_number="XX",
        phone="12",
        today=TODAY,
    )
    assert codes(problems) == [
        "name_invalid",
        "required",
        "future_date",
        "cccd_format",
        "insurance_format",
        "phone_format",
    ]
    future = problems[2]
    assert future.message() == "Ngày sinh (01/01/2027) ở tương lai."
    assert future.message("en") == "Ngày sinh (01/01/2027) is in the future."


@pytest.mark.parametrize(
    ("insurance", "phone", "ok"),
    [("GD4797931234567", "0905 123 456", True), ("7931234567", "+84905123456", True)],
)
def test_valid_insurance_and_phone(insurance, phone, ok) -> None:
    problems = rules.person_check(
        full_name="Lò Thị Mai",
        sex="F",
        birth_date=D(2000, 1, 1),
        insurance_number=insurance,
        phone=phone,
        today=TODAY,
    )
    assert (problems == []) is ok


@pytest.mark.parametrize(
    ("lmp", "edd", "expected"),
    [
        (D(2026, 1, 5), None, (D(2026, 1, 5), D(2026, 10, 12))),
        (None, D(2026, 10, 12), (D(2026, 1, 5), D(2026, 10, 12))),
        (None, None, (None, None)),
    ],
)
def test_pregnancy_dates(lmp, edd, expected) -> None:
    assert rules.pregnancy_dates(lmp, edd) == expected


@pytest.mark.parametrize(
    ("weeks", "trimester"), [(0, 1), (13, 1), (14, 2), (27, 2), (28, 3), (41, 3)]
)
def test_trimester_boundaries(weeks, trimester) -> None:
    assert rules.trimester(weeks) == trimester


@pytest.mark.parametrize(
    ("registered", "lmp", "edd", "sex", "birth", "expected"),
    [
        (D(2026, 2, 10), D(2026, 1, 5), None, "F", D(1998, 1, 1), []),
        (D(2026, 2, 10), None, None, "F", None, ["lmp_edd_missing"]),
        (D(2026, 2, 10), D(2026, 1, 5), D(2026, 12, 1), "F", None, ["lmp_edd_mismatch"]),
        (D(2026, 1, 1), D(2026, 1, 5), None, "F", None, ["lmp_after"]),
        (D(2026, 2, 10), D(2025, 3, 1), None, "F", None, ["lmp_too_early"]),
        (D(2026, 12, 10), D(2026, 11, 5), None, "F", None, ["future_date"]),
        (D(2026, 2, 10), D(2026, 1, 5), None, "M", None, ["woman_sex"]),
        (D(2026, 2, 10), D(2026, 1, 5), None, "F", D(2019, 1, 1), ["mother_age"]),
    ],
)
def test_pregnancy_check(registered, lmp, edd, sex, birth, expected) -> None:
    problems = rules.pregnancy_check(
        registered_on=registered, lmp=lmp, edd=edd, woman_sex=sex, woman_birth=birth, today=TODAY
    )
    assert codes(problems) == expected


def test_edd_mismatch_is_a_warning_not_an_error() -> None:
    problems = rules.pregnancy_check(
        registered_on=D(2026, 2, 10),
        lmp=D(2026, 1, 5),
        edd=D(2026, 12, 1),
        woman_sex="F",
        woman_birth=None,
        today=TODAY,
    )
    assert rules.errors(problems) == [] and rules.warning_codes(problems) == ["lmp_edd_mismatch"]


@pytest.mark.parametrize(
    ("day", "ended", "expected"),
    [
        (D(2026, 3, 1), None, []),
        (D(2025, 12, 31), None, ["lmp_after"]),
        (D(2026, 11, 21), None, ["future_date"]),
        (D(2026, 10, 20), D(2026, 10, 1), ["after_outcome"]),
    ],
)
def test_antenatal_visit_check(day, ended, expected) -> None:
    problems = rules.antenatal_visit_check(day=day, lmp=D(2026, 1, 5), ended_on=ended, today=TODAY)
    assert codes(problems) == expected


def test_visit_at_46_weeks_is_refused() -> None:
    problems = rules.antenatal_visit_check(
        day=D(2025, 11, 25), lmp=D(2025, 1, 5), ended_on=None, today=TODAY
    )
    assert codes(problems) == ["gestation_range"]


@pytest.mark.parametrize(
    ("day", "place", "has_facility", "died", "expected"),
    [
        (D(2026, 10, 1), "facility", True, None, []),
        (D(2025, 12, 1), "home", False, None, ["lmp_after"]),
        (D(2026, 4, 1), "home", False, None, ["gestation_range"]),
        (D(2026, 10, 1), "facility", False, None, ["facility_required"]),
        (D(2026, 10, 1), "home", False, D(2026, 9, 1), ["after_death"]),
        (D(2026, 11, 21), "home", False, None, ["future_date"]),
    ],
)
def test_delivery_check(day, place, has_facility, died, expected) -> None:
    problems = rules.delivery_check(
        day=day,
        lmp=D(2026, 1, 5),
        mother_birth=D(1998, 1, 1),
        mother_died_on=died,
        place=place,
        has_facility=has_facility,
        today=TODAY,
    )
    assert codes(problems) == expected


@pytest.mark.parametrize(
    ("weight", "weeks", "expected"),
    [
        (3100, 39, []),
        (300, 24, []),
        (7000, 42, []),
        (299, 30, ["birth_weight_range"]),
        (7001, 40, ["birth_weight_range"]),
        (32, 40, ["birth_weight_range"]),
        (3000, 19, ["gestation_range"]),
        (3000, 46, ["gestation_range"]),
        (800, 39, ["birth_weight_unlikely"]),
        (None, None, []),
    ],
)
def test_birth_check(weight, weeks, expected) -> None:
    assert codes(rules.birth_check(birth_weight_g=weight, gestational_weeks=weeks)) == expected


def test_birth_weight_message_uses_vietnamese_thousands() -> None:
    (problem,) = rules.birth_check(birth_weight_g=32, gestational_weeks=None)
    assert problem.message() == "Cân nặng sơ sinh 32 g nằm ngoài khoảng 300–7.000 g."


@pytest.mark.parametrize(
    ("day", "expected", "severity"),
    [
        (D(2026, 10, 4), [], None),
        (D(2026, 9, 30), ["before_delivery"], rules.ERROR),
        (D(2026, 11, 15), ["pnc_too_late"], rules.WARNING),
    ],
)
def test_postnatal_check(day, expected, severity) -> None:
    problems = rules.postnatal_check(day=day, delivered_on=D(2026, 10, 1), today=TODAY)
    assert codes(problems) == expected
    assert [p.severity for p in problems] == ([severity] if severity else [])


@pytest.mark.parametrize(
    ("day", "died", "expected"),
    [
        (D(2026, 5, 1), None, []),
        (D(2026, 3, 31), None, ["before_birth"]),
        (D(2026, 6, 1), D(2026, 5, 15), ["after_death"]),
        (D(2026, 12, 1), None, ["future_date"]),
    ],
)
def test_child_event_check(day, died, expected) -> None:
    problems = rules.child_event_check(
        day=day, birth=D(2026, 4, 1), died_on=died, today=TODAY, label="Ngày tiêm"
    )
    assert codes(problems) == expected


def test_death_before_birth_and_injury_without_type() -> None:
    problems = rules.death_check(
        day=D(2026, 3, 1), birth=D(2026, 4, 1), today=TODAY, cause_group="injury", injury_type=""
    )
    assert codes(problems) == ["before_birth", "injury_type_required"]


@pytest.mark.parametrize(
    ("birth", "died", "group"),
    [
        (D(2024, 1, 10), D(2024, 1, 10), "neonatal"),  # day 0
        (D(2024, 1, 10), D(2024, 2, 6), "neonatal"),  # 27 completed days
        (D(2024, 1, 10), D(2024, 2, 7), "postneonatal"),  # 28 days
        (D(2023, 1, 10), D(2024, 1, 9), "postneonatal"),  # 364 days, the day before
        (D(2023, 1, 10), D(2024, 1, 10), "child"),  # first birthday, 365 days
        # 365 days but the first birthday (in a leap year) is the next day: still an infant
        (D(2023, 3, 1), D(2024, 2, 29), "postneonatal"),
        (D(2024, 3, 1), D(2025, 3, 1), "child"),  # 365 days, birthday reached
        (D(2024, 2, 29), D(2025, 2, 28), "postneonatal"),  # birthday is 1 March
        (D(2024, 2, 29), D(2025, 3, 1), "child"),
        (D(2020, 6, 1), D(2025, 5, 31), "child"),  # the day before the fifth birthday
        (D(2020, 6, 1), D(2025, 6, 1), "older"),  # the fifth birthday (1,826 days)
        # 1,826 days after a birth on 1 March 2021 is 1 March 2026, the fifth birthday;
        # after 1 March 2019 it is 29 February 2024, a day before it
        (D(2019, 3, 1), D(2024, 2, 29), "child"),
        (D(2020, 2, 29), D(2025, 2, 28), "child"),
        (D(2020, 2, 29), D(2025, 3, 1), "older"),
    ],
)
def test_age_group_by_completed_days_and_calendar_birthdays(birth, died, group) -> None:
    assert rules.age_group(birth, died) == group


@pytest.mark.parametrize(
    ("birth", "day", "years"),
    [
        (D(2024, 2, 29), D(2025, 2, 28), 0),
        (D(2024, 2, 29), D(2025, 3, 1), 1),
        (D(2000, 6, 15), D(2026, 6, 14), 25),
        (D(2000, 6, 15), D(2026, 6, 15), 26),
    ],
)
def test_age_years_counts_completed_years(birth, day, years) -> None:
    assert rules.age_years(birth, day) == years


@pytest.mark.parametrize(
    ("attendant", "village_skilled", "skilled"),
    [
        ("doctor", False, True),
        ("midwife", False, True),
        ("assistant_doctor", False, True),
        ("nurse", False, True),
        ("village_midwife", False, False),
        ("village_midwife", True, True),
        ("other", True, False),
        ("none", False, False),
    ],
)
def test_skilled_attendance_follows_the_provincial_setting(
    attendant, village_skilled, skilled
) -> None:
    assert rules.is_skilled(attendant, village_midwife_is_skilled=village_skilled) is skilled


@pytest.mark.parametrize(
    ("sex", "age", "relation", "related", "cause", "group", "possible"),
    [
        ("F", 30, "pregnant", None, "haemorrhage", "maternal", True),
        ("F", 30, "within_42_days", None, "unknown", "maternal", True),
        ("F", None, "pregnant", None, "indirect", "maternal", True),
        # an accident while pregnant is not a possible maternal death
        ("F", 30, "pregnant", None, "injury", "incidental", False),
        ("F", 30, "pregnant", False, "other", "incidental", False),
        # 43 days to 1 year: a late maternal death, kept apart and not notified
        ("F", 30, "late", None, "haemorrhage", "late_maternal", False),
        ("F", 30, "late", None, "injury", "incidental", False),
        ("F", 30, "not_pregnant", None, "haemorrhage", "", False),
        ("F", 30, "", None, "haemorrhage", "", False),
        ("M", 30, "pregnant", None, "haemorrhage", "", False),
        ("F", 70, "pregnant", None, "haemorrhage", "maternal", False),
    ],
)
def test_maternal_group_and_possible_maternal_death(
    sex, age, relation, related, cause, group, possible
) -> None:
    cause_group = rules.maternal_cause_default(pregnancy_relation=relation, cause_group=cause)
    found = rules.maternal_group(
        sex=sex, pregnancy_relation=relation, pregnancy_related=related, maternal_cause=cause_group
    )
    assert found == group
    assert rules.possible_maternal_death(sex=sex, age=age, group=found) is possible


@pytest.mark.parametrize(
    ("pregnant", "ended", "relation"),
    [
        (True, [], "pregnant"),
        (False, [D(2025, 12, 31)], "within_42_days"),  # 42 days after
        (False, [D(2025, 12, 30)], "late"),  # 43 days after
        (False, [D(2025, 2, 11)], "late"),  # 365 days after
        (False, [D(2025, 2, 10)], ""),  # 366 days after
        (False, [D(2024, 1, 1), D(2026, 1, 20)], "within_42_days"),  # the latest counts
        (False, [D(2026, 3, 1)], ""),  # ended after the death: not this one
        (False, [], ""),
    ],
)
def test_pregnancy_timing_of_a_death_from_her_pregnancies(pregnant, ended, relation) -> None:
    died = D(2026, 2, 11)
    assert rules.pregnancy_relation_on(died, pregnant=pregnant, ended_on=ended) == relation


@pytest.mark.parametrize(
    ("weight", "length", "muac", "expected"),
    [
        (9.5, 75.0, 140, []),
        (None, None, None, ["required"]),
        (0.1, None, None, ["range"]),
        (None, 250.0, None, ["range"]),
        (None, None, 20, ["range"]),
    ],
)
def test_measurement_check(weight, length, muac, expected) -> None:
    assert (
        codes(rules.measurement_check(weight_kg=weight, length_cm=length, muac_mm=muac)) == expected
    )


def test_record_invalid_keeps_only_errors() -> None:
    error = rules.Problem("required", "sex", params={"label": "giới tính"})
    warning = rules.Problem("pnc_too_late", "date", rules.WARNING, {"value": 50})
    raised = rules.RecordInvalid([error, warning])
    assert raised.problems == [error]
    assert str(raised) == "Chưa nhập giới tính."


def test_every_message_has_both_languages_and_formats() -> None:
    for code in rules.MESSAGES:
        problem = rules.Problem(
            code, params={"label": "X", "value": 1, "other": 2, "low": 0, "high": 9}
        )
        assert problem.message("vi") and problem.message("en")
