"""The rules without a database: Wilson intervals, policy roll-up, staffing standards,
which series wins."""

from __future__ import annotations

import math

import pytest

from mch.reported_values import rules
from mch.reported_values.rules import Doctors, FacilityStaff, PolicyEntry


def _wilson_by_hand(p: float, n: int) -> tuple[float, float]:
    z = 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


@pytest.mark.parametrize(("value", "n"), [(62.5, 400), (0.0, 30), (100.0, 12), (50.0, 1)])
def test_wilson_interval(value: float, n: int) -> None:
    low, high = rules.wilson(value, n)
    exp_low, exp_high = _wilson_by_hand(value / 100, n)
    assert (round(low, 6), round(high, 6)) == (round(exp_low, 6), round(exp_high, 6))
    assert 0 <= low <= value <= high <= 100


def test_wilson_known_value() -> None:
    # 62.5% of 400 (250 of 400): 57.7%–67.1%, as prop.test(250, 400, correct = FALSE) in R.
    low, high = rules.wilson(62.5, 400)
    assert (round(low, 1), round(high, 1)) == (57.7, 67.1)


def test_interval_given_is_kept_and_checked() -> None:
    given = rules.survey_interval(62.5, 400, 55.0, 70.0)
    assert (given.low, given.high, given.computed) == (55.0, 70.0, False)
    computed = rules.survey_interval(62.5, 400, None, None)
    assert computed.computed and round(computed.low, 1) == 57.7
    with pytest.raises(ValueError, match="chứa giá trị"):
        rules.survey_interval(62.5, 400, 63.0, 70.0)
    with pytest.raises(ValueError, match="cả hai đầu"):
        rules.survey_interval(62.5, 400, 55.0, None)


def test_policy_own_entry_wins_over_units_below() -> None:
    below = [PolicyEntry(2, answer=True), PolicyEntry(3, answer=False)]
    own = rules.policy_value(PolicyEntry(1, numerator=8, denominator=10), below, multiplier=100)
    assert own is not None and own.value == 80.0
    rolled = rules.policy_value(None, below, multiplier=100)
    assert rolled is not None and (rolled.value, rolled.numerator, rolled.denominator) == (
        50.0,
        1.0,
        2.0,
    )
    mixed = rules.policy_value(None, [*below, PolicyEntry(4, number=90)], multiplier=100)
    assert mixed is not None and mixed.value == 50.0 and "không cộng được" in mixed.detail


def test_policy_count_sums_numbers() -> None:
    value = rules.policy_value(
        None, [PolicyEntry(2, number=2), PolicyEntry(3, number=1)], multiplier=1
    )
    assert value is not None and value.value == 3.0


def _staff(fid: int, kind: str, obs: Doctors, paed: Doctors) -> FacilityStaff:
    return FacilityStaff(fid, kind, obs, paed)


def test_staffing_standards_of_the_two_plans() -> None:
    full = Doctors(level2=0, level1=1, oriented=1)  # 2 doctors, one CKI
    no_cki = Doctors(level2=0, level1=0, oriented=2)
    one = Doctors(level1=0, oriented=1)
    staff = [
        _staff(1, "provincial_hospital", full, full),
        _staff(2, "district_health_centre", no_cki, full),
        _staff(3, "district_health_centre", one, one),
        _staff(4, "commune_health_station", full, full),  # not a hospital
    ]
    bac_giang = rules.workforce_value("hospital_obgyn_paed_staffing_standard", staff)
    assert bac_giang is not None and (bac_giang.numerator, bac_giang.denominator) == (1.0, 3.0)
    ninh_thuan = rules.workforce_value("district_hospital_obgyn_paed_min_staffing", staff)
    assert ninh_thuan is not None and (ninh_thuan.numerator, ninh_thuan.denominator) == (2.0, 2.0)


@pytest.mark.parametrize(
    ("data_source", "available", "chosen"),
    [
        ("survey", {"survey", "registers"}, "survey"),
        ("survey", {"registers"}, "registers"),
        ("registers", {"registers", "approved_aggregate"}, "registers"),
        ("registers", {"approved_aggregate"}, "approved_aggregate"),
        ("aggregate", {"reported", "registers"}, "reported"),
        ("policy", {"reported"}, "reported"),
        ("policy", set(), None),
    ],
)
def test_which_series_wins(data_source: str, available: set[str], chosen: str | None) -> None:
    assert rules.choose_series(data_source, available) == chosen
