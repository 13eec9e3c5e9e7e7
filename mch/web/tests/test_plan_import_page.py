from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mch.plans.models import Plan

from .test_api import PLAN_FILE

pytestmark = pytest.mark.django_db


def test_leader_cannot_import(as_user, world) -> None:
    client = as_user(world.leader)
    assert client.get(reverse("plan-import")).status_code == 403
    upload = SimpleUploadedFile("thu.yaml", PLAN_FILE.encode())
    assert client.post(reverse("plan-import"), {"file": upload}).status_code == 403
    assert not Plan.objects.filter(slug="ninh-thuan-kh-thu-2026").exists()
    assert (
        reverse("plan-import")
        not in as_user(world.leader).get(reverse("plan-list")).content.decode()
    )


def test_officer_imports_a_plan_and_lands_on_it(as_user, world) -> None:
    client = as_user(world.officer)
    upload = SimpleUploadedFile("thu.yaml", PLAN_FILE.encode())
    response = client.post(reverse("plan-import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("plan-detail", args=["ninh-thuan-kh-thu-2026"])
    assert "Đã nhập kế hoạch" in page
    assert "xuống 8,5‰" in page


def test_problems_are_listed_with_line_numbers_and_nothing_is_saved(as_user, world) -> None:
    bad = PLAN_FILE.replace("neonatal_mortality", "khong_co_chi_so")
    upload = SimpleUploadedFile("loi.yaml", bad.encode())
    response = as_user(world.officer).post(reverse("plan-import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="problems"' in page
    assert "khong_co_chi_so" in page
    assert "chưa lưu gì" in page
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if "khong_co_chi_so" in text)
    assert f'<td class="num">{line}</td>' in page
    assert not Plan.objects.filter(slug="ninh-thuan-kh-thu-2026").exists()


def test_export_link_downloads_json_for_officers_only(as_user, world) -> None:
    response = as_user(world.officer).get(reverse("plan-export", args=[world.plan.slug]))
    assert response.status_code == 200
    assert response.json()["slug"] == world.plan.slug
    assert "attachment" in response["Content-Disposition"]


def test_export_is_refused_to_a_leader(as_user, world) -> None:
    assert (
        as_user(world.leader).get(reverse("plan-export", args=[world.plan.slug])).status_code == 403
    )
