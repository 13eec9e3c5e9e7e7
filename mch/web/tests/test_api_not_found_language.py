"""A 404 from the API says what was not found in the caller's language: the selectors' own
reasons (a person, a record, a plan, an indicator outside the caller's scope) and Django's
generic ``get_object_or_404`` ("No OrgUnit matches the given query.") alike."""

from __future__ import annotations

import pytest
from django.test import Client

from .english import english_in

pytestmark = pytest.mark.django_db

BIG = 99_999_999


def _urls(world) -> list[str]:
    return [
        f"/api/registers/people/{BIG}/",
        f"/api/registers/immunisations/{BIG}/",
        f"/api/registers/pregnancies/{BIG}/",
        "/api/plans/khong-co-ke-hoach/",
        f"/api/plans/{world.plan.slug}/99999/",
        f"/api/units/{BIG}/",
        "/api/indicators/khong-co-chi-so/",
    ]


def _details(world, language: str) -> dict[str, str]:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.officer, backend="django.contrib.auth.backends.ModelBackend")
    details = {}
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        details[url] = response.json()["detail"]
    return details


VIETNAMESE_LETTERS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def test_404_details_are_vietnamese_when_asked(world) -> None:
    for url, detail in _details(world, "vi").items():
        assert set(detail.lower()) & VIETNAMESE_LETTERS, (url, detail)
        assert not english_in(detail), (url, detail)
        assert "matches the given query" not in detail


def test_404_details_are_english_when_asked(world) -> None:
    details = _details(world, "en")
    for url, detail in details.items():
        assert not set(detail.lower()) & VIETNAMESE_LETTERS, (url, detail)
        assert "matches the given query" not in detail, (url, detail)
    assert "person" in details[f"/api/registers/people/{BIG}/"]
    assert "plan" in details["/api/plans/khong-co-ke-hoach/"]


def test_the_selectors_reason_is_kept(world) -> None:
    details = _details(world, "vi")
    assert "người" in details[f"/api/registers/people/{BIG}/"]
    assert "kế hoạch" in details["/api/plans/khong-co-ke-hoach/"]
    assert "khong-co-chi-so" in details["/api/indicators/khong-co-chi-so/"]
