from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_wrong_password_says_so_in_vietnamese(client, world) -> None:
    response = client.post(reverse("login"), {"username": "lanhdao", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_too_many_failures_show_the_locked_out_page(client, world, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "lanhdao", "password": "sai"})
    page = response.content.decode()
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in page
    assert "3 lần" in page
    assert "15 phút" in page
