"""The data-quality page over a generated province's registers: the counts fed to the checks
equal the registers, every finding links to where it can be corrected, scope is kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from mch.registers.models import Birth, Delivery
from mch.reporting import quality as q
from mch.reporting.quality_data import fix_link, quality_page, quality_values
from mch.scorecards.tests.builders import YEAR, build_province


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator:
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield build_province(tmp_path_factory.mktemp("registers"))
                raise _Rollback
        except _Rollback:
            pass


@pytest.mark.django_db
def test_the_checks_get_the_registers_counts(province) -> None:
    ids = [c.pk for c in province.communes]
    values = quality_values(communes=ids, year=YEAR)

    def total(element: str) -> float:
        return sum(v for (u, m, e), v in values.items() if e == element)

    in_year = {"residence_unit_id__in": ids, "date__year": YEAR}
    assert total(q.DELIVERIES) == Delivery.objects.filter(**in_year).count() > 0
    assert total(q.LIVE_BIRTHS) == Birth.objects.filter(outcome="live", **in_year).count()


@pytest.mark.django_db
def test_every_finding_links_to_where_it_can_be_corrected(province) -> None:
    page = quality_page(user=province.officer, unit=province.plan.scope_unit, year=YEAR)
    assert set(page.communes) >= {c.pk for c in province.communes}
    for finding in page.review.findings:
        link = fix_link(finding, YEAR)
        assert link.startswith("/so/")
        if finding.kind != q.COMPLETENESS:
            assert f"xa={finding.unit_id}" in link


@pytest.mark.django_db
def test_the_page_for_the_officer_and_not_for_a_commune(province) -> None:
    officer, commune = Client(), Client()
    officer.force_login(province.officer, backend="django.contrib.auth.backends.ModelBackend")
    commune.force_login(province.commune_user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("reporting-quality", args=[province.plan.slug, YEAR])

    page = officer.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="quality"' in text and province.communes[0].name in text
    assert "điểm z hiệu chỉnh" in text or "Không có phát hiện" in text
    assert commune.get(url).status_code == 403


@pytest.mark.django_db
def test_routine_against_the_survey_on_the_page_for_the_year_and_a_quarter(province) -> None:
    from mch.indicators.engine.periods import Period
    from mch.indicators.values import indicator_values
    from mch.reported_values.services import survey_result_save

    def engine(period: Period) -> float:
        [value] = indicator_values(
            user=province.officer, indicators=["facility_birth"], units=[province.unit],
            period=period,
        )  # fmt: skip
        assert value.value is not None
        return value.value

    year_value = engine(Period.year(YEAR))
    survey = round(year_value / 1.5, 1)  # the registers say half as much again
    survey_result_save(
        user=province.officer,
        indicator_code="facility_birth",
        unit=province.unit,
        survey_name="Điều tra MICS thử",
        survey_date=f"{YEAR}-09-30",
        sample_size=500,
        value=str(survey),
    )
    officer = Client()
    officer.force_login(province.officer, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("reporting-quality", args=[province.plan.slug, YEAR])

    text = officer.get(url).content.decode()
    row = text[text.index('id="survey-facility_birth"') :]
    row = row[: row.index("</tr>")]
    off = 100 * (year_value / survey - 1)
    assert off > 33
    assert f"+{q._num(off)}%" in row and "Lệch so với điều tra" in row
    assert "Điều tra MICS thử" in row and "n = 500" in row
    assert f"/chi-so/facility_birth/?don-vi={province.unit.pk}&amp;nam={YEAR}" in row

    quarter = officer.get(url + "?ky=2025-Q2")
    assert quarter.status_code == 200
    text = quarter.content.decode()
    row = text[text.index('id="survey-facility_birth"') :]
    row = row[: row.index("</tr>")]
    q2 = engine(Period.quarter(YEAR, 2))
    assert f"{q._num(100 * abs(q2 / survey - 1))}%" in row
    assert "Quý 2" in text and 'aria-current="page"' in text
    # a completeness finding names a month of the quarter only
    page = quality_page(
        user=province.officer,
        unit=province.plan.scope_unit,
        year=YEAR,
        months=[(YEAR, 4), (YEAR, 5), (YEAR, 6)],
    )
    assert all(
        f.month in {(YEAR, 4), (YEAR, 5), (YEAR, 6)} for f in page.review.findings if f.month
    )
    assert officer.get(url + "?ky=2024-Q2").status_code == 404
