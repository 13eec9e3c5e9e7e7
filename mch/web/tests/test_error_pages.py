"""Failed requests get the site's own pages in the user's language, never Django's
technical pages or a bare English "403 Forbidden"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_refused_page_is_vietnamese_with_the_reason(world, as_user) -> None:
    response = as_user(world.commune_n).get(reverse("plan-import"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Bạn không được mở trang này" in text
    assert "Lỗi 403" in text
    assert "Forbidden" not in text
    assert 'href="/"' in text or "Về trang chủ" in text


def test_missing_page_is_vietnamese_and_hides_django_messages(world, as_user) -> None:
    client = as_user(world.officer)
    response = client.get("/don-vi/999999999/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Không tìm thấy trang" in text
    assert "matches the given query" not in text
    assert "Traceback" not in text


def test_missing_page_shows_the_views_own_reason(world, as_user) -> None:
    response = as_user(world.commune_n).get(reverse("plan-detail", args=[world.other_plan.slug]))
    assert response.status_code == 404
    assert "Không tìm thấy kế hoạch trong phạm vi của bạn." in response.content.decode()


def test_english_user_gets_english_error_pages(world, as_user) -> None:
    client = as_user(world.commune_n)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("plan-import"))
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()


def test_server_error_page_is_vietnamese(world) -> None:
    client = Client(raise_request_exception=False)
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="mch.web.tests.urls_failing"):
        response = client.get("/hong/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Hệ thống gặp lỗi" in text
    assert "Traceback" not in text


def test_expired_form_is_explained_in_vietnamese(world) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()


def test_unauthenticated_api_call_is_401_with_a_challenge(world) -> None:
    response = Client().get("/api/plans/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
