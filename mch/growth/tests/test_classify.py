import numpy as np
import pytest

from mch.growth import Category, ZScores, classify, compute, compute_one


def scores(z: float, flag: bool = False, oedema: bool = False, age: float = 500.0) -> ZScores:
    """The same z-score for all four indicators, as ``compute`` would return it."""
    a = np.array([z])
    f = np.array([flag])
    return ZScores(
        haz=a, waz=a, whz=a, baz=a, length_cm=a, bmi=a,
        flag_haz=f, flag_waz=f, flag_whz=f, flag_baz=f,
        flag_position=np.array([False]), oedema=np.array([oedema]), age_days=np.array([age]),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("z", "deficit", "overweight"),
    [
        (-1.99, Category.NONE, Category.NONE),
        (-2.0, Category.NONE, Category.NONE),
        (-2.004, Category.NONE, Category.NONE),  # -2.00 at 2 decimals
        (-2.006, Category.MODERATE, Category.NONE),  # -2.01
        (-2.01, Category.MODERATE, Category.NONE),
        (-3.0, Category.MODERATE, Category.NONE),
        (-3.004, Category.MODERATE, Category.NONE),
        (-3.006, Category.SEVERE, Category.NONE),
        (-4.99, Category.SEVERE, Category.NONE),
        (2.0, Category.NONE, Category.NONE),
        (2.004, Category.NONE, Category.NONE),
        (2.006, Category.NONE, Category.OVERWEIGHT),
        (4.5, Category.NONE, Category.OVERWEIGHT),
        (np.nan, Category.MISSING, Category.MISSING),
    ],
)
def test_cut_offs_on_the_value_rounded_to_2_decimals(z, deficit, overweight):
    classes = classify(scores(z))

    assert classes.stunting.tolist() == [deficit]
    assert classes.underweight.tolist() == [deficit]
    assert classes.wasting.tolist() == [deficit]
    assert classes.overweight.tolist() == [overweight]


@pytest.mark.parametrize("z", [-6.5, 5.5])
def test_implausible_values_are_excluded(z):
    classes = classify(scores(z, flag=True))

    assert {str(v) for c in vars(classes).values() for v in c} == {Category.IMPLAUSIBLE}


@pytest.mark.parametrize(
    ("age", "weight_based", "overweight"),
    [
        (500.0, Category.SEVERE, Category.NONE),
        (np.nan, Category.SEVERE, Category.NONE),
        (1827.0, Category.MISSING, Category.MISSING),
    ],
)
def test_oedema_counts_as_severe_wasting_and_underweight(age, weight_based, overweight):
    classes = classify(scores(np.nan, oedema=True, age=age))

    assert classes.wasting.tolist() == [weight_based]
    assert classes.underweight.tolist() == [weight_based]
    assert classes.overweight.tolist() == [overweight]
    assert classes.stunting.tolist() == [Category.MISSING]


def test_oedema_does_not_change_stunting():
    classes = classify(compute(1, 400, 9.0, 70.5, True, True))

    assert classes.stunting.item() == Category.MODERATE
    assert classes.wasting.item() == Category.SEVERE


def test_full_precision_scores_are_rounded_before_classifying():
    full = compute(1, 400, 9.0, 72.203, True, decimals=None)

    assert full.haz[()] == pytest.approx(-2.0046, abs=1e-4)
    assert classify(full).stunting.item() == Category.NONE


def test_compute_one_carries_the_categories():
    result = compute_one(2, 900, 7.6, 77.0, True)

    assert (result.haz, result.waz, result.whz) == (-4.0, -4.15, -2.62)
    assert (result.stunting, result.underweight, result.wasting, result.overweight) == (
        Category.SEVERE,
        Category.SEVERE,
        Category.MODERATE,
        Category.NONE,
    )


def test_categories_are_plain_strings():
    classes = classify(compute([1, 1], [400, 400], [9.0, np.nan], [68.0, 68.0], True))

    assert classes.wasting.tolist() == ["none", "missing"]
