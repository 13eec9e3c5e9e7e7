"""The indicator page names its disaggregations; the codes stay in the catalogue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mch.indicators.dimensions import DISAGGREGATION_LABELS
from mch.indicators.models import IndicatorVersion
from mch.indicators.registry import DISAGGREGATIONS

pytestmark = pytest.mark.django_db


def test_every_disaggregation_code_has_a_name() -> None:
    assert set(DISAGGREGATION_LABELS) == set(DISAGGREGATIONS)


def test_indicator_page_shows_names_not_codes(world, as_user) -> None:
    IndicatorVersion.objects.filter(indicator__code="neonatal_mortality").update(
        disaggregations=["unit", "ethnic_minority_area", "urban_rural", "wealth"]
    )
    response = as_user(world.officer).get(reverse("indicator-detail", args=["neonatal_mortality"]))
    text = response.content.decode()
    assert "Vùng đồng bào dân tộc thiểu số và miền núi" in text
    assert "Thành thị / nông thôn" in text
    assert "ethnic_minority_area" not in text
    assert "urban_rural" not in text
