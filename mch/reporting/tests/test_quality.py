"""Data quality checks on constructed values whose findings are known (no database)."""

from __future__ import annotations

import pytest

from mch.reporting import quality as q

YEAR = 2025
MONTHS = q.year_months(YEAR)
UNITS = [1, 2, 3, 4, 5, 6, 7]


def clean() -> dict[q.Key, float]:
    """Seven communes, every month alike give or take one event: nothing to find."""
    values: dict[q.Key, float] = {}
    for unit in UNITS:
        for year, month in MONTHS:
            wobble = month % 3
            values[(unit, (year, month), q.ANC1)] = 11 + wobble
            values[(unit, (year, month), q.DELIVERIES)] = 10 + wobble
            values[(unit, (year, month), q.LIVE_BIRTHS)] = 10 + wobble
            values[(unit, (year, month), q.BCG)] = 10 + wobble
            values[(unit, (year, month), q.DEATHS_UNDER_1)] = month % 2
    return values


def kinds(review: q.QualityReview, unit: int) -> list[tuple[str, str, q.Month | None]]:
    return [(f.kind, f.element, f.month) for f in review.for_unit(unit)]


def test_clean_values_have_no_finding_and_full_scores() -> None:
    review = q.review(clean(), units=UNITS, months=MONTHS)
    assert review.findings == []
    assert {u: s.score for u, s in review.scores.items()} == dict.fromkeys(UNITS, 100.0)
    assert review.province_completeness == 100.0


def test_a_commune_with_no_record_in_a_month_is_incomplete() -> None:
    values = clean()
    for element in q.ELEMENTS:
        del values[(2, (YEAR, 3), element)]
    review = q.review(values, units=UNITS, months=MONTHS)
    assert kinds(review, 2) == [(q.COMPLETENESS, "", (YEAR, 3))]
    assert review.completeness[2] == pytest.approx(100 * 11 / 12, abs=0.1)
    assert "tháng 03/2025" in review.for_unit(2)[0].message
    assert all(review.for_unit(u) == [] for u in UNITS if u != 2)


def test_a_month_far_from_the_units_own_history_is_an_outlier() -> None:
    values = clean()
    values[(3, (YEAR, 7), q.DELIVERIES)] = 60
    values[(3, (YEAR, 7), q.LIVE_BIRTHS)] = 60
    review = q.review(values, units=UNITS, months=MONTHS)
    own = [f for f in review.for_unit(3) if f.kind == q.OUTLIER_OWN]
    assert [(f.element, f.month, f.value) for f in own] == [
        (q.DELIVERIES, (YEAR, 7), 60),
        (q.LIVE_BIRTHS, (YEAR, 7), 60),
    ]
    assert "điểm z hiệu chỉnh" in own[0].message
    assert review.scores[3].score is not None and review.scores[3].score < 100


def test_modified_z_score_as_iglewicz_and_hoaglin() -> None:
    series = [10.0, 11, 12, 10, 11, 12, 40]
    # median 11, MAD 1: 0.6745 × (40 − 11) / 1
    assert q.modified_z(40, series) == pytest.approx(19.5605)
    assert q.modified_z(5, [5.0, 5, 5, 5]) is None


def test_bcg_far_below_live_births_is_inconsistent_and_an_outlier_against_the_province() -> None:
    values = clean()
    for month in MONTHS:
        values[(4, month, q.BCG)] = 3
    review = q.review(values, units=UNITS, months=MONTHS)
    found = {(f.kind, f.element) for f in review.for_unit(4)}
    assert found == {(q.CONSISTENCY, q.BCG), (q.OUTLIER_PROVINCE, q.BCG)}
    assert all(review.for_unit(u) == [] for u in UNITS if u != 4)


def test_more_live_births_than_deliveries_allow_and_deaths_above_births() -> None:
    values = clean()
    for month in MONTHS:
        values[(5, month, q.LIVE_BIRTHS)] = values[(5, month, q.DELIVERIES)] * 1.5
        values[(6, month, q.DEATHS_UNDER_1)] = 30
    review = q.review(values, units=UNITS, months=MONTHS)
    messages = [f.message for f in review.for_unit(5) if f.kind == q.CONSISTENCY]
    assert any(m.startswith("Trẻ đẻ sống / số ca đẻ = 1,5") for m in messages)
    deaths = [f for f in review.for_unit(6) if f.element == q.DEATHS_UNDER_1]
    assert [f.kind for f in deaths] == [q.CONSISTENCY]


def test_small_series_are_not_judged() -> None:
    values = {(1, (YEAR, 1), q.DELIVERIES): 2.0, (1, (YEAR, 2), q.DELIVERIES): 3.0}
    review = q.review(values, units=[1], months=MONTHS[:2])
    assert review.findings == []
    assert review.scores[1].checks == 2  # the two months are complete, nothing else run


def test_a_commune_is_expected_only_in_the_months_it_existed() -> None:
    values = {k: v for k, v in clean().items() if k[0] != 2 or k[1][1] <= 6}
    merged = {2: MONTHS[:6]}  # dissolved on 30 June (the 2025 merger)
    review = q.review(values, units=UNITS, months=MONTHS, expected=merged)
    assert [f for f in review.findings if f.kind == q.COMPLETENESS] == []
    assert review.completeness[2] == 100.0 and review.province_completeness == 100.0


def test_small_counts_are_not_outliers() -> None:
    values = {k: (v if k[2] != q.DELIVERIES else 0.0) for k, v in clean().items()}
    values[(1, (YEAR, 5), q.DELIVERIES)] = 4  # median 0: z is large, but 4 births are noise
    values[(1, (YEAR, 6), q.DELIVERIES)] = 1
    review = q.review(values, units=UNITS, months=MONTHS)
    assert [f for f in review.for_unit(1) if f.kind == q.OUTLIER_OWN] == []


def test_a_quarter_is_judged_against_the_year_so_far() -> None:
    values = clean()
    values[(2, (YEAR, 5), q.DELIVERIES)] = 40  # May, in the second quarter
    values[(2, (YEAR, 2), q.DELIVERIES)] = 40  # February, before it
    del values[(3, (YEAR, 1), q.ANC1)]
    for element in q.ELEMENTS:  # commune 3: nothing at all in January
        values.pop((3, (YEAR, 1), element), None)
    q2 = [(YEAR, 4), (YEAR, 5), (YEAR, 6)]

    review = q.review(values, units=UNITS, months=q2, history=MONTHS[:6])

    outliers = [(f.unit_id, f.month) for f in review.findings if f.kind == q.OUTLIER_OWN]
    assert outliers == [(2, (YEAR, 5))]  # February is the first quarter's page's
    assert not [f for f in review.findings if f.kind == q.COMPLETENESS]
    assert review.province_completeness == 100.0
    assert all(f.month in q2 for f in review.findings if f.month is not None)
    # ratios over the quarter's totals: live births 11 + 12 + 10 (wobble 1, 2, 0) against
    # deliveries 11 + 40 + 10
    ratio = next(
        f for f in review.for_unit(2) if f.element == q.LIVE_BIRTHS and f.kind == q.CONSISTENCY
    )
    assert "(33 / 61)" in ratio.message and ratio.value == pytest.approx(33 / 61)


def test_routine_against_survey_within_and_beyond_a_third() -> None:
    routine = {(1, "anc4"): 60.0, (1, "full_immunisation"): 50.0, (2, "anc4"): 110.0}
    surveys = {
        (1, "anc4"): (80.0, "MICS 2025"),
        (1, "full_immunisation"): (80.0, "MICS 2025"),
        (2, "anc4"): (80.0, "MICS 2025"),
        (3, "anc4"): (70.0, "MICS 2025"),  # no routine value: nothing to compare
    }

    found = q.survey_comparison(routine, surveys, names={"anc4": "Khám thai ≥ 4 lần"})

    by_key = {(c.unit_id, c.indicator): c for c in found}
    assert set(by_key) == {(1, "anc4"), (1, "full_immunisation"), (2, "anc4")}
    # 60 / 80 − 1 = −25 %: within ±33 %
    assert by_key[(1, "anc4")].difference == pytest.approx(60 / 80 - 1)
    assert by_key[(1, "anc4")].finding is None
    # 50 / 80 − 1 = −37,5 %; 110 / 80 − 1 = +37,5 %: both flagged
    low, high = by_key[(1, "full_immunisation")], by_key[(2, "anc4")]
    assert low.finding is not None and low.difference == pytest.approx(-0.375)
    assert high.finding is not None and high.difference == pytest.approx(0.375)
    assert high.difference_text == "+37,5%" and low.difference_text == "−37,5%"
    assert "Khám thai ≥ 4 lần" in high.finding.message and "MICS 2025" in high.finding.message
    assert "ngưỡng ±33%" in high.finding.message
    assert high.finding.kind_name == "Lệch so với điều tra"
