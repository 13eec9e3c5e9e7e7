from __future__ import annotations

import pytest
from django.urls import reverse

from mch.indicators.models import Indicator, IndicatorVersion, PopulationGroup
from mch.indicators.services import catalogue_load
from mch.indicators.tests.conftest import indicator_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(write_catalogue) -> Indicator:
    catalogue_load(directory=write_catalogue("core.yaml", [indicator_entry(code="a")]))
    return Indicator.objects.get(code="a")


def form_data(indicator: Indicator, **overrides: str) -> dict[str, str]:
    data = {
        "indicator": str(indicator.pk),
        "name_vi": "Tỷ lệ thử",
        "name_en": "Test rate",
        "definition_vi": "Định nghĩa",
        "definition_en": "Definition",
        "numerator": "Tử số",
        "denominator": "Mẫu số",
        "multiplier": "100",
        "unit_symbol": "%",
        "direction": "higher",
        "data_source": "registers",
        "disaggregations": '["unit", "sex"]',
        "notes": "",
        "change_reason": "Sửa định nghĩa",
    }
    data.update(overrides)
    return data


def test_new_version_form_is_prefilled_from_the_latest_version(admin_client, indicator) -> None:
    url = reverse("admin:indicators_indicatorversion_add") + f"?indicator={indicator.pk}"

    response = admin_client.get(url)

    assert response.status_code == 200
    assert response.context["adminform"].form.initial["numerator"] == "Tử số"


def test_new_version_form_creates_the_next_version(admin_client, admin_user, indicator) -> None:
    url = reverse("admin:indicators_indicatorversion_add")

    response = admin_client.post(url, form_data(indicator, numerator="Tử số mới"))

    assert response.status_code == 302
    latest = indicator.current_version()
    assert (latest.version, latest.numerator, latest.created_by) == (2, "Tử số mới", admin_user)
    assert indicator.versions.get(version=1).numerator == "Tử số"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "không thay đổi"),
        ({"multiplier": "1000", "numerator": "x"}, "không khớp với multiplier"),
        ({"disaggregations": '["province"]', "numerator": "x"}, "chiều phân tổ không hợp lệ"),
        ({"change_reason": "", "numerator": "x"}, ""),
    ],
)
def test_new_version_form_rejects_invalid_edits(
    admin_client, indicator, overrides, message
) -> None:
    response = admin_client.post(
        reverse("admin:indicators_indicatorversion_add"), form_data(indicator, **overrides)
    )

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors)
    assert indicator.versions.count() == 1


def test_saved_version_cannot_be_changed_or_deleted(admin_client, indicator) -> None:
    version = indicator.versions.get()
    change_url = reverse("admin:indicators_indicatorversion_change", args=[version.pk])

    admin_client.post(change_url, form_data(indicator, numerator="Sửa trực tiếp"))
    delete = admin_client.post(
        reverse("admin:indicators_indicatorversion_delete", args=[version.pk]), {"post": "yes"}
    )

    version.refresh_from_db()
    assert version.numerator == "Tử số"
    assert delete.status_code == 403
    assert IndicatorVersion.objects.count() == 1


def test_indicator_page_shows_versions_read_only_with_a_new_version_link(
    admin_client, indicator
) -> None:
    response = admin_client.get(reverse("admin:indicators_indicator_change", args=[indicator.pk]))

    assert response.status_code == 200
    assert f"?indicator={indicator.pk}" in response.content.decode()
    inline = response.context["inline_admin_formsets"][0]
    assert not inline.has_change_permission and not inline.has_add_permission


def test_indicator_list_page(admin_client, indicator) -> None:
    response = admin_client.get(reverse("admin:indicators_indicator_changelist"))

    assert response.status_code == 200
    assert "Tỷ lệ thử" in response.content.decode()


def test_population_group_definition_is_validated(admin_client) -> None:
    url = reverse("admin:indicators_populationgroup_add")
    base = {"code": "g", "name_vi": "Nhóm", "name_en": "Group", "order": "0"}

    bad = admin_client.post(url, {**base, "definition": '{"zone": {"gt": 1}}'})
    good = admin_client.post(url, {**base, "definition": "{}"})

    assert bad.status_code == 200
    assert good.status_code == 302
    assert PopulationGroup.objects.get(code="g").definition == {}


def test_adding_an_indicator_leads_to_its_first_version(admin_client) -> None:
    response = admin_client.post(
        reverse("admin:indicators_indicator_add"),
        {
            "code": "new_code",
            "domain": "coverage",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )

    indicator = Indicator.objects.get(code="new_code")
    assert (
        response.url
        == reverse("admin:indicators_indicatorversion_add") + f"?indicator={indicator.pk}"
    )
