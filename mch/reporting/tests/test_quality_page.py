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
