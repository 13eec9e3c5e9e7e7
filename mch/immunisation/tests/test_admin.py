from __future__ import annotations

import pytest
from django.urls import reverse

from mch.immunisation.models import ScheduleEntry
from mch.immunisation.services import schedule_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    schedule_load()


def test_officers_see_the_schedule_in_the_admin(admin_client, loaded) -> None:
    page = admin_client.get(reverse("admin:immunisation_scheduleentry_changelist"))
    assert page.status_code == 200
    assert "89 ngày (~2,9 tháng)" in page.content.decode()
    antigens = admin_client.get(reverse("admin:immunisation_antigen_changelist"))
    assert "Viêm gan vi rút B" in antigens.content.decode()


def test_an_edit_in_the_admin_is_validated(admin_client, loaded) -> None:
    row = ScheduleEntry.objects.get(antigen__code="bcg", dose=1)
    url = reverse("admin:immunisation_scheduleentry_change", args=[row.pk])
    assert admin_client.get(url).status_code == 200
    data = {
        "antigen": row.antigen_id,
        "dose": 1,
        "province": "",
        "active": "on",
        "min_age_days": 0,
        "due_age_days": 0,
        "timely_age_days": 30,
        "latest_age_days": "",
        "min_interval_days": 28,
        "interval_from_antigen": "",
        "interval_from_dose": "",
        "counts_for_full_immunisation": "on",
        "valid_from": "01/08/2024",
        "valid_to": "",
        "legal_basis": "Thông tư 10/2024/TT-BYT",
        "certainty": "confirmed",
        "note": "",
    }
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "mũi 1 chỉ có khoảng cách tối thiểu" in refused.content.decode()
    data["min_interval_days"] = ""
    saved = admin_client.post(url, data)
    assert saved.status_code == 302
    row.refresh_from_db()
    assert row.latest_age_days is None


def test_antigens_cannot_be_deleted(admin_client, loaded) -> None:
    row = ScheduleEntry.objects.select_related("antigen").first()
    url = reverse("admin:immunisation_antigen_delete", args=[row.antigen.pk])
    assert admin_client.get(url).status_code == 403
