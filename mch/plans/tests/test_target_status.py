"""Target status, projection and gap contributions from worked examples (no database)."""

from __future__ import annotations

import math

import pytest

from mch.plans.target_status import (
    AT_RISK,
    MET,
    NO_DATA,
    NOT_MET,
    ON_TRACK,
    Point,
    TargetSpec,
    UnitCount,
    evaluate,
    gap_contributions,
    operator_of,
    project,
    threshold_of,
)


def _series(*pairs: tuple[int, float | None]) -> list[Point]:
    return [Point(year, value) for year, value in pairs]


@pytest.mark.parametrize(
    ("comparator", "direction", "operator"),
    [
        ("dat", "higher", ">="),
        ("tren", "higher", ">"),
        ("duoi", "lower", "<"),
        ("xuong", "lower", "<="),
        ("tang", "higher", ">="),
        ("giam", "lower", "<="),
        ("bare", "lower", "<="),
        ("bare", "higher", ">="),
        ("duy_tri", "higher", ">="),
        ("duy_tri", "lower", "<="),
    ],
)
def test_operator_follows_comparator_and_bare_follows_direction(
    comparator: str, direction: str, operator: str
) -> None:
    assert operator_of(TargetSpec(comparator, 10, 2025, direction)) == operator


@pytest.mark.parametrize(
    ("comparator", "value", "change_unit", "baseline", "threshold"),
    [
        ("tang", 15, "percent", 40.0, 46.0),  # tăng 15% so với 2020: 40 × 1,15
        ("tang", 15, "", 40.0, 46.0),  # no unit written: relative, as the plan files read it
        ("tang", 15, "points", 40.0, 55.0),
        ("giam", 10, "percent", 20.0, 18.0),
        ("giam", 10, "points", 20.0, 10.0),
        ("tang", 15, "percent", None, None),  # no baseline: cannot be resolved
        ("dat", 95, "", None, 95.0),
        ("duy_tri", None, "", 80.0, 80.0),  # maintain without a figure: keep the baseline
    ],
)
def test_threshold_resolves_relative_targets(
    comparator: str,
    value: float | None,
    change_unit: str,
    baseline: float | None,
    threshold: float | None,
) -> None:
    spec = TargetSpec(comparator, value, 2025, "higher", 2020, change_unit)
    result = threshold_of(spec, baseline)
    assert result == (pytest.approx(threshold) if threshold is not None else None)


# comparator, value, direction, milestone year, yearly values (complete years), current year
CASES = [
    # milestone year complete: judged on its own value
    ("xuong", 10, "lower", 2025, [(2023, 12.0), (2024, 11.0), (2025, 9.5)], 2026, MET),
    ("xuong", 10, "lower", 2025, [(2023, 9.0), (2024, 9.0), (2025, 10.5)], 2026, NOT_MET),
    ("duoi", 15, "lower", 2025, [(2025, 15.0)], 2026, NOT_MET),  # "dưới 15": 15 is not below
    ("xuong", 15, "lower", 2025, [(2025, 15.0)], 2026, MET),  # "xuống 15": 15 reaches it
    ("tren", 95, "higher", 2025, [(2025, 95.0)], 2026, NOT_MET),
    ("dat", 95, "higher", 2025, [(2025, 95.0)], 2026, MET),
    # milestone passed without its value; nothing at all
    ("dat", 95, "higher", 2025, [(2023, 96.0)], 2026, NO_DATA),
    ("dat", 95, "higher", 2025, [], 2024, NO_DATA),
    ("dat", 95, "higher", 2025, [(2023, None)], 2024, NO_DATA),
    # before the milestone: already there and the trend keeps it there
    ("dat", 95, "higher", 2025, [(2022, 95.5), (2023, 96.0), (2024, 96.5)], 2025, MET),
    # already there but falling: at risk
    ("dat", 95, "higher", 2026, [(2022, 99.0), (2023, 97.0), (2024, 95.5)], 2025, AT_RISK),
    # not there yet, rising fast enough: on track (88, 90, 92 -> 96 in 2026)
    ("dat", 95, "higher", 2026, [(2022, 88.0), (2023, 90.0), (2024, 92.0)], 2025, ON_TRACK),
    # lower is better, falling fast enough: on track (14, 13, 12 -> 10 in 2026)
    ("xuong", 10, "lower", 2026, [(2022, 14.0), (2023, 13.0), (2024, 12.0)], 2025, ON_TRACK),
    # not there and flat with little noise: the whole interval misses -> not met
    (
        "dat",
        95,
        "higher",
        2026,
        [(2021, 80.0), (2022, 80.2), (2023, 79.8), (2024, 80.0)],
        2025,
        NOT_MET,
    ),
    # one year only: no trend -> at risk
    ("dat", 95, "higher", 2026, [(2024, 90.0)], 2025, AT_RISK),
]


@pytest.mark.parametrize(
    ("comparator", "value", "direction", "milestone", "pairs", "current", "status"), CASES
)
def test_status(
    comparator: str,
    value: float,
    direction: str,
    milestone: int,
    pairs: list[tuple[int, float | None]],
    current: int,
    status: str,
) -> None:
    spec = TargetSpec(comparator, value, milestone, direction, highest=100.0)
    result = evaluate(spec, _series(*pairs), current_year=current)
    assert result.status == status, result.reason
    assert result.reason


def test_noisy_flat_series_is_at_risk_not_not_met() -> None:
    # 80, 95, 78, 90: the trend ends at 90,3 in 2026, its interval reaches 95
    spec = TargetSpec("dat", 95, 2026, "higher", highest=100.0)
    points = _series((2021, 80.0), (2022, 95.0), (2023, 78.0), (2024, 90.0))
    result = evaluate(spec, points, current_year=2025)
    assert result.projection is not None
    assert result.projection.value < 95 <= (result.projection.high or 0)
    assert result.status == AT_RISK


def test_relative_target_uses_the_same_series_baseline() -> None:
    spec = TargetSpec("tang", 15, 2025, "higher", baseline_year=2020, change_unit="percent")
    points = _series((2020, 40.0), (2025, 47.0))
    result = evaluate(spec, points, current_year=2026)
    assert result.threshold == pytest.approx(46.0)
    assert result.status == MET
    without_baseline = evaluate(spec, _series((2025, 47.0)), current_year=2026)
    assert without_baseline.status == NO_DATA
    assert "2020" in without_baseline.reason


def test_partial_year_is_the_latest_but_not_in_the_trend() -> None:
    spec = TargetSpec("xuong", 10, 2027, "lower")
    points = [
        Point(2023, 14.0),
        Point(2024, 13.0),
        Point(2025, 12.0),
        Point(2026, 30.0, complete=False),
    ]
    result = evaluate(spec, points, current_year=2026)
    assert result.latest == points[-1]
    assert result.projection is not None
    assert result.projection.years == (2023, 2024, 2025)
    assert result.projection.value == pytest.approx(10.0)
    assert result.status == ON_TRACK


def test_milestone_year_in_progress_is_not_judged_final() -> None:
    spec = TargetSpec("dat", 95, 2026, "higher")
    rising = [Point(2024, 90.0), Point(2025, 94.0)]
    ahead = evaluate(spec, [*rising, Point(2026, 96.0, complete=False)], current_year=2026)
    behind = evaluate(spec, [*rising, Point(2026, 93.0, complete=False)], current_year=2026)
    assert ahead.status == MET
    assert behind.status == ON_TRACK  # 93 so far, the trend reaches 98: not yet "không đạt"


def test_clear_when_interval_excludes_threshold() -> None:
    spec = TargetSpec("xuong", 10, 2025, "lower")
    far = evaluate(spec, [Point(2025, 14.0, 12.0, 16.0)], current_year=2026)
    straddling = evaluate(spec, [Point(2025, 11.0, 8.0, 14.0)], current_year=2026)
    assert (far.status, far.clear) == (NOT_MET, True)
    assert (straddling.status, straddling.clear) == (NOT_MET, False)


def test_projection_ordinary_least_squares_matches_hand_calculation() -> None:
    points = _series((2021, 10.0), (2022, 12.0), (2023, 11.0), (2024, 13.0))
    result = project(points, 2026)
    assert result is not None
    # slope = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = (−1,5·−1,5 + −0,5·0,5 + 0,5·−0,5 + 1,5·1,5)/5 = 0,8
    # at 2026: ȳ + 0,8 × (2026 − 2022,5) = 11,5 + 2,8 = 14,3
    assert result.value == pytest.approx(14.3)
    residuals = [10 - (11.5 - 1.2), 12 - (11.5 - 0.4), 11 - (11.5 + 0.4), 13 - (11.5 + 1.2)]
    s2 = sum(r * r for r in residuals) / 2
    half = 4.303 * math.sqrt(s2 * (1 / 4 + 3.5**2 / 5))
    assert result.low == pytest.approx(14.3 - half)
    assert result.high == pytest.approx(14.3 + half)


def test_projection_weighted_by_intervals_and_bounded() -> None:
    # The precise points (narrow intervals) decide the line; the imprecise one barely counts.
    points = [
        Point(2022, 90.0, 89.0, 91.0),
        Point(2023, 92.0, 91.0, 93.0),
        Point(2024, 60.0, 20.0, 100.0),
    ]
    result = project(points, 2030, highest=100.0)
    assert result is not None
    assert result.value > 95
    assert result.high == 100.0
    assert project(_series((2024, 90.0)), 2030) is None
    two = project(_series((2023, 90.0), (2024, 91.0)), 2026)
    assert two is not None
    assert (two.value, two.low, two.high) == (pytest.approx(93.0), None, None)


def test_gap_contributions_add_up_to_the_province_gap() -> None:
    # Target: neonatal mortality 10‰. A big commune slightly above it weighs more than a
    # small commune far above it.
    units = [
        UnitCount(1, 24, 2000),  # 12‰: 24 − 20 = 4 excess deaths
        UnitCount(2, 3, 100),  # 30‰: 3 − 1 = 2 excess deaths
        UnitCount(3, 5, 1000),  # 5‰: 5 − 10 = −5 (pulls the province forward)
        UnitCount(4, None, None),  # no births
    ]
    result = gap_contributions(units, threshold=10, direction="lower", multiplier=1000)
    assert [c.unit_id for c in result.contributions] == [1, 2, 4, 3]
    assert [c.excess for c in result.contributions] == pytest.approx([4, 2, 0, -5])
    assert result.contributions[0].share == pytest.approx(4 / 6)
    assert result.contributions[3].share is None
    assert result.contributions[1].value == pytest.approx(30.0)
    assert result.contributions[2].value is None
    province = (24 + 3 + 5) - 10 * (2000 + 100 + 1000) / 1000
    assert result.excess == pytest.approx(province)


def test_gap_contributions_for_coverage_count_people_not_reached() -> None:
    units = [UnitCount(1, 80, 100), UnitCount(2, 970, 1000)]  # 80% and 97%, target 95%
    result = gap_contributions(units, threshold=95, direction="higher", multiplier=100)
    assert [(c.unit_id, c.excess) for c in result.contributions] == [(1, 15.0), (2, -20.0)]
    assert result.excess == pytest.approx(-5.0)
