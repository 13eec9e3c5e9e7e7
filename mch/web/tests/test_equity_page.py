"""The equity view: a group beside what it is compared with, by year, with the gap and
its interval; values checked against a count of the records the test wrote."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.test import Client

from mch.indicators.equity import COMPARISONS, equity_series
from mch.indicators.tests.test_values_api import MADE, rw  # noqa: F401  (the fixture)
from mch.indicators.values import Period

pytestmark = pytest.mark.django_db
AREA = next(c for c in COMPARISONS if c.group == "ethnic_minority_area")


def _count(commune: str, year: int) -> tuple[int, int]:
    rows = [m for m in MADE if m.commune == commune and m.delivered.year == year]
    return sum(m.place == "facility" for m in rows), len(rows)


def _wilson(k: int, n: int) -> tuple[float, float]:
    # Written out here, apart from the engine: Wilson score interval, z = 1.96.
    z, p = 1.959963984540054, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def test_group_against_the_rest_of_the_unit_with_newcombes_interval(rw) -> None:  # noqa: F811
    # Xã Hòa Bình is an ethnic-minority area; the rest of the province is Phường Đông Hải.
    (point,) = equity_series(
        user=rw.officer,
        indicator="facility_birth",
        unit=rw.province,
        periods=[Period.year(2025)],
        comparison=AREA,
    )
    (k1, n1), (k2, n2) = _count("commune", 2025), _count("other_commune", 2025)
    assert (point.group.numerator, point.group.denominator) == (k1, n1)
    assert (point.versus.numerator, point.versus.denominator) == (k2, n2)
    p1, p2 = 100 * k1 / n1, 100 * k2 / n2
    assert point.gap == pytest.approx(p1 - p2)
    (l1, u1), (l2, u2) = _wilson(k1, n1), _wilson(k2, n2)
    assert point.gap_low == pytest.approx(p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
    assert point.gap_high == pytest.approx(p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    assert point.ratio == pytest.approx(p1 / p2)


def test_page_shows_the_groups_and_the_gap_in_vietnamese(rw) -> None:  # noqa: F811
    client = Client()
    client.force_login(rw.officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(
        "/chi-so/facility_birth/cong-bang/",
        {"don-vi": rw.province.pk},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    text = response.content.decode()
    (k1, n1), (k2, n2) = _count("commune", 2025), _count("other_commune", 2025)
    gap = 100 * k1 / n1 - 100 * k2 / n2
    assert "Công bằng" in text and "Khoảng cách" in text
    assert f"({k1}/{n1})" in text and f"({k2}/{n2})" in text
    assert f"{gap:.1f}".replace(".", ",") in text
    assert "95% interval" not in text
    # Years before the first record are left out; this year is shown.
    assert f">{dt.date.today().year - 5}<" not in text


def test_a_unit_outside_the_users_scope_is_not_found(rw) -> None:  # noqa: F811
    client = Client()
    client.force_login(rw.staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/chi-so/facility_birth/cong-bang/", {"don-vi": rw.other_commune.pk})
    assert response.status_code == 404
