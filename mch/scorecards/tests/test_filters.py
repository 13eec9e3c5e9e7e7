"""What a cell says on hover or tap, in Vietnamese with the decimal comma."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from mch.plans.target_status import Projection
from mch.scorecards.templatetags.scorecards import cell_title, status_label, value1


@pytest.mark.parametrize(
    ("value", "text"), [(9.5, "9,5"), (41.666, "41,7"), (50.0, "50"), (0.0, "0"), (None, "")]
)
def test_one_decimal_with_the_decimal_comma(value, text) -> None:  # type: ignore[no-untyped-def]
    with translation.override("vi"):
        assert value1(value) == text


def test_cell_title_gives_value_interval_counts_trend_and_reason() -> None:
    cell = SimpleNamespace(
        value=12.34,
        ci_low=10.0,
        ci_high=15.0,
        numerator=3.0,
        denominator=30.0,
        small_numbers=True,
        reason="Chưa đạt.",
        projection=Projection(2030, 9.5, 7.0, 12.0, (2024, 2025)),
    )
    with translation.override("vi"):
        assert cell_title(cell, "‰") == (
            "12,3‰ · KTC 95% 10–15 · tử số 3 / mẫu số 30 · số nhỏ: cần thận trọng khi đọc"
            " · xu hướng đến 2030: 9,5‰ (7–12) · Chưa đạt."
        )
        assert status_label("on_track") == "đúng tiến độ"
