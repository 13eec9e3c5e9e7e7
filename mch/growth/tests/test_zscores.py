import math

import numpy as np
import pytest

from mch.growth import compute, compute_one
from mch.growth.tables import sd_value, table
from mch.growth.tests.reference import reference

LYING, STANDING, UNKNOWN = True, False, None


def row(name: str, sex: int, key: float) -> tuple[float, float, float]:
    t = table(name)
    i = sex * t.rows + round((key - t.first) * (10 if name in ("wfl", "wfh") else 1))
    return float(t.l[i]), float(t.m[i]), float(t.s[i])


# Worked examples from the test suite of WHO's R package anthro (expected z to 2 decimals).
@pytest.mark.parametrize(
    ("sex", "age", "weight", "length", "lying", "expected"),
    [
        (1, 987, None, 72.86, LYING, {"haz": -6.09, "flag_haz": True, "length_cm": 72.16}),
        (1, 244, None, 60, STANDING, {"haz": -4.81, "flag_position": True, "length_cm": 60.0}),
        (1, 274, None, 60, STANDING, {"haz": -5.02, "flag_position": False, "length_cm": 60.7}),
        (2, 731, 8.8, 77.5, STANDING, {"haz": -2.55, "length_cm": 77.5}),
        (2, 731, 8.8, 77.5, UNKNOWN, {"haz": -2.55, "length_cm": 77.5}),
        (2, 1522, 17, None, UNKNOWN, {"waz": 0.24, "flag_waz": False}),
        (2, 1, 10.37, None, UNKNOWN, {"flag_waz": True}),
        (2, 1, 25 * 0.5**2, 50, LYING, {"flag_baz": True, "bmi": 25.0}),
    ],
)
def test_who_worked_examples(sex, age, weight, length, lying, expected):
    result = compute_one(sex, age, weight, length, lying)

    assert {k: getattr(result, k) for k in expected} == pytest.approx(expected)


# The position rule and the switch of tables at 731 days, boy of 11 kg: the
# weight-for-height table is the weight-for-length table moved by 0.7 cm, so the same
# child gives the same WHZ whichever way he is measured.
@pytest.mark.parametrize(
    ("age", "lying", "length", "converted", "haz", "whz"),
    [
        (730, LYING, 85.0, 85.0, -0.92, -0.55),  # wfl row 85.0
        (730, STANDING, 85.0, 85.7, -0.69, -0.73),  # +0.7, wfl row 85.7
        (730, UNKNOWN, 85.0, 85.0, -0.92, -0.55),  # no conversion
        (731, STANDING, 85.0, 85.0, -0.70, -0.73),  # wfh row 85.0
        (731, LYING, 85.0, 84.3, -0.93, -0.55),  # -0.7, wfh row 84.3
        (731, UNKNOWN, 85.0, 85.0, -0.70, -0.73),
        (731, STANDING, 84.3, 84.3, -0.93, -0.55),
    ],
)
def test_position_conversion_and_table_switch_at_731_days(age, lying, length, converted, haz, whz):
    result = compute_one(1, age, 11.0, length, lying)

    assert result.length_cm == pytest.approx(converted)
    assert (result.haz, result.whz) == (haz, whz)
    assert result.bmi == pytest.approx(11.0 / (converted / 100) ** 2)
    assert result.baz == round(reference(1, age, 11.0, length, lying, False)["baz"], 2)


def test_table_rows_behind_the_switch():
    assert row("wfl", 1, 85.7) == row("wfh", 1, 85.0)
    assert row("wfl", 1, 85.0) == (-0.3521, 11.5007, 0.08181)


@pytest.mark.parametrize(
    ("age", "flagged", "converted"),
    [
        (0, True, 50.0),
        (273, True, 50.0),  # 8.97 months
        (274, False, 50.7),  # 9.002 months
        (500, False, 50.7),
    ],
)
def test_standing_under_9_months_is_position_unknown(age, flagged, converted):
    result = compute_one(2, age, None, 50.0, STANDING)

    assert result.flag_position is flagged
    assert result.length_cm == pytest.approx(converted)
    assert result.haz == round(reference(2, age, None, converted, None, False)["haz"], 2)


def test_lying_under_9_months_is_not_flagged():
    assert compute_one(2, 100, None, 55.0, LYING).flag_position is False


def test_oedema_removes_weight_based_scores_only():
    result = compute_one(1, 400, 9.0, 75.0, LYING, oedema=True)

    assert (result.waz, result.whz, result.baz) == (None, None, None)
    assert result.haz is not None
    assert result.bmi == pytest.approx(9.0 / 0.75**2)
    assert (result.flag_waz, result.flag_whz, result.flag_baz) == (False, False, False)
    assert result.oedema is True


@pytest.mark.parametrize("oedema", [None, False, math.nan, 0])
def test_missing_or_false_oedema_is_no_oedema(oedema):
    scores = compute(1, 400, 9.0, 75.0, True, oedema)

    assert not np.isnan(scores.waz).any()
    assert not scores.oedema.any()


@pytest.mark.parametrize(
    ("name", "sex", "age"), [("wfa", 1, 100), ("wfa", 2, 1500), ("bfa", 1, 800)]
)
@pytest.mark.parametrize("k", [-4.5, -3.5, -3.0, 3.0, 3.5, 5.0])
def test_restricted_rule_beyond_3_sd(name, sex, age, k):
    t = table(name)
    i = sex * t.rows + age
    sd2, sd3 = (
        (float(t.sd[-2][i]), float(t.sd[-3][i]))
        if k < 0
        else (float(t.sd[2][i]), float(t.sd[3][i]))
    )
    # beyond 3 SD, one more z is one more (SD3 - SD2), measured from SD3
    y = sd3 + (abs(k) - 3) * (sd3 - sd2)
    length = 100.0 if name == "bfa" else 80.0
    weight = y * (length / 100) ** 2 if name == "bfa" else y
    z = compute(sex, age, weight, length, STANDING if age >= 731 else LYING, decimals=None)

    assert getattr(z, "waz" if name == "wfa" else "baz")[()] == pytest.approx(k, abs=1e-9)


def test_restricted_rule_differs_from_plain_lms():
    l, m, s = row("wfa", 1, 100)  # noqa: E741
    heavy = float(sd_value(l, m, s, 3)) * 1.3
    plain = ((heavy / m) ** l - 1) / (s * l)
    z = compute_one(1, 100, heavy, None, decimals=None).waz

    assert z != pytest.approx(plain, abs=0.01)
    assert z == pytest.approx(reference(1, 100, heavy, None, None, False)["waz"], abs=1e-12)


def test_restricted_rule_on_interpolated_weight_for_length():
    lo, hi = row("wfl", 2, 60.0), row("wfl", 2, 60.1)
    l, m, s = ((a + b) / 2 for a, b in zip(lo, hi, strict=True))  # noqa: E741
    sd3, sd2 = sd_value(l, m, s, -3), sd_value(l, m, s, -2)
    weight = float(sd3 - 0.5 * (sd2 - sd3))

    assert compute_one(2, 100, weight, 60.05, LYING, decimals=None).whz == pytest.approx(
        -3.5, abs=1e-9
    )


def test_whz_interpolates_between_rows():
    lo, hi = row("wfh", 1, 95.2), row("wfh", 1, 95.3)
    l, m, s = (a + 0.25 * (b - a) for a, b in zip(lo, hi, strict=True))  # noqa: E741
    expected = ((14.0 / m) ** l - 1) / (s * l)

    assert compute_one(1, 1000, 14.0, 95.225, STANDING, decimals=None).whz == pytest.approx(
        expected, abs=1e-12
    )


@pytest.mark.parametrize(
    ("age", "lying", "length", "computed"),
    [
        (100, LYING, 44.9, False),
        (100, LYING, 45.0, True),
        (100, LYING, 110.0, True),
        (100, LYING, 110.1, False),
        (730, STANDING, 109.3, True),  # 110.0 after +0.7
        (730, STANDING, 109.4, False),  # 110.1 after +0.7
        (800, STANDING, 64.9, False),
        (800, STANDING, 65.0, True),
        (800, LYING, 65.6, False),  # 64.9 after -0.7
        (800, STANDING, 120.0, True),
        (800, STANDING, 120.1, False),
    ],
)
def test_whz_only_inside_the_table(age, lying, length, computed):
    result = compute_one(1, age, 10.0, length, lying)

    assert (result.whz is not None) is computed
    assert result.haz is not None


@pytest.mark.parametrize(
    ("age", "computed"),
    [(0, True), (1826, True), (1826.2, True), (1826.3, False), (1827, False), (1856, False)],
)
def test_z_scores_under_60_months_only(age, computed):
    # 60 months are 1826.25 days; WHO compares the unrounded age with 60 months
    result = compute_one(1, age, 15.0, 100.0, STANDING)

    assert [v is not None for v in (result.haz, result.waz, result.whz, result.baz)] == [
        computed
    ] * 4


def test_fraction_of_a_day_rounds_half_up():
    assert [compute_one(1, a, 10.0, None).age_days for a in (99.49, 99.5, 100.0)] == [99, 100, 100]
    assert compute_one(1, 99.5, 10.0, None).waz == compute_one(1, 100, 10.0, None).waz


def test_negative_age_gives_nothing():
    result = compute_one(1, -1, 10.0, 80.0, LYING)

    assert (result.haz, result.waz, result.whz, result.baz, result.age_days) == (None,) * 5


@pytest.mark.parametrize(
    ("lying", "length", "table_used"),
    [(LYING, 90.0, "wfl"), (STANDING, 80.0, "wfh"), (UNKNOWN, 86.9, "wfl"), (UNKNOWN, 87.0, "wfh")],
)
def test_whz_without_age_chooses_the_table_by_position_then_by_87_cm(lying, length, table_used):
    l, m, s = row(table_used, 2, length)  # noqa: E741
    result = compute_one(2, None, 11.0, length, lying, decimals=None)

    assert (result.haz, result.waz, result.baz) == (None, None, None)
    assert result.length_cm == length
    assert result.whz == pytest.approx(((11.0 / m) ** l - 1) / (s * l), abs=1e-12)


@pytest.mark.parametrize(
    ("sex", "weight", "length", "present"),
    [
        (1, None, 80.0, {"haz"}),
        (1, 10.0, None, {"waz"}),
        (1, 0.0, 80.0, {"haz"}),
        (1, -3.0, 80.0, {"haz"}),
        (1, 10.0, 0.0, {"waz"}),
        (0, 10.0, 80.0, set()),
        (3, 10.0, 80.0, set()),
        (None, 10.0, 80.0, set()),
    ],
)
def test_missing_inputs(sex, weight, length, present):
    result = compute_one(sex, 500, weight, length, LYING)

    assert {k for k in ("haz", "waz", "whz", "baz") if getattr(result, k) is not None} == present


@pytest.mark.parametrize(
    ("indicator", "z", "flagged"),
    [
        ("haz", 6.004, False),
        ("haz", 6.006, True),
        ("haz", -6.004, False),
        ("haz", -6.006, True),
        ("waz", 5.004, False),
        ("waz", 5.006, True),
        ("waz", -6.004, False),
        ("waz", -6.006, True),
    ],
)
def test_implausible_on_the_value_rounded_to_2_decimals(indicator, z, flagged):
    sex, age = 2, 600
    if indicator == "haz":
        _, m, s = row("lhfa", sex, age)
        result = compute_one(sex, age, None, m * (1 + s * z), LYING, decimals=None)
    else:
        t, i = table("wfa"), sex * 1827 + age
        sd3, sd2 = (t.sd[3][i], t.sd[2][i]) if z > 0 else (t.sd[-3][i], t.sd[-2][i])
        weight = float(sd3 + (abs(z) - 3) * (sd3 - sd2))
        result = compute_one(sex, age, weight, None, decimals=None)

    assert getattr(result, indicator) == pytest.approx(z, abs=1e-9)
    assert getattr(result, f"flag_{indicator}") is flagged


def test_z_scores_rounded_to_2_decimals_by_default():
    full = compute(1, 400, 9.3, 74.2, LYING, decimals=None)
    rounded = compute(1, 400, 9.3, 74.2, LYING)

    for k in ("haz", "waz", "whz", "baz"):
        assert getattr(rounded, k) == np.round(getattr(full, k), 2)
        assert getattr(full, k) != getattr(rounded, k)


def test_inputs_broadcast_and_keep_their_shape():
    ages = np.array([[100, 200, 300], [400, 500, 600]])
    scores = compute(2, ages, 8.0, [65.0, 70.0, 75.0], LYING)

    assert scores.haz.shape == (2, 3)
    assert scores.haz[1, 2] == compute_one(2, 600, 8.0, 75.0, LYING).haz


def test_sequences_with_none_are_missing_values():
    scores = compute([1, 2], [100, None], [6.0, 7.0], [60.0, 61.0], [True, None], [None, False])

    assert not np.isnan(scores.haz[0])
    assert np.isnan(scores.haz[1])
    assert not np.isnan(scores.whz[1])


def test_matches_the_reference_reading_on_random_measurements():
    rng = np.random.default_rng(7)
    n = 3000
    sex = rng.integers(1, 3, n)
    age = rng.integers(0, 1827, n)
    age[:40] = np.repeat([0, 272, 273, 274, 729, 730, 731, 732, 1825, 1826], 4)
    length = rng.uniform(40, 125, n)
    length = np.where(rng.random(n) < 0.7, np.round(length, 1), np.round(length, 2))
    weight = np.round(np.exp(rng.uniform(np.log(1.5), np.log(35), n)), 2)
    lying = rng.choice([1.0, 0.0, np.nan], n)
    oedema = rng.random(n) < 0.05
    scores = compute(sex, age, weight, length, lying, oedema, decimals=None)

    for i in range(n):
        position = None if math.isnan(lying[i]) else bool(lying[i])
        expected = reference(int(sex[i]), int(age[i]), weight[i], length[i], position, oedema[i])
        for k, v in expected.items():
            got = getattr(scores, k)[i]
            assert math.isnan(got) if v is None else got == pytest.approx(v, abs=1e-9), (i, k)
