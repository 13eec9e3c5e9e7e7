"""Password guessing on the API (HTTP Basic) meets the same lock as the log-in page, and is told
so: 429 Too Many Requests with Retry-After, in the caller's language, not a 401 that invites
another guess."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def _basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def _one_sentence_with_one_wait(detail: str) -> None:
    """The wait is said once, in minutes (not DRF's added "… sau 900 giây" as well)."""
    assert detail.count("thử lại") == 1, detail
    assert "giây" not in detail, detail
    assert detail.count(".") == 1 and detail.endswith("."), detail


def test_wrong_passwords_are_401_until_the_limit_then_429_with_retry_after(world, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    username = world.officer.username
    first = [client.get("/api/plans/", **_basic(username, "sai")) for _ in range(2)]
    assert [r.status_code for r in first] == [401, 401]
    locking = client.get("/api/plans/", **_basic(username, "sai"))
    assert locking.status_code == 429
    assert int(locking["Retry-After"]) == 15 * 60
    assert "15 phút" in locking.json()["detail"]
    _one_sentence_with_one_wait(locking.json()["detail"])
    # Locked: even the right password is refused until the cool-off ends, and says why.
    right = client.get("/api/plans/", **_basic(username, PASSWORD))
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    assert right.json()["detail"].startswith("Đăng nhập sai quá nhiều lần")


def test_the_lock_message_is_english_when_asked(world, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 1
    response = Client().get(
        "/api/plans/", HTTP_ACCEPT_LANGUAGE="en", **_basic(world.officer.username, "sai")
    )
    assert response.status_code == 429
    detail = response.json()["detail"]
    assert "try again in 15 minutes" in detail
    assert detail.count("again") == 1 and "seconds" not in detail


def test_a_right_password_before_the_limit_still_works(world, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    client.get("/api/plans/", **_basic(world.officer.username, "sai"))
    assert client.get("/api/plans/", **_basic(world.officer.username, PASSWORD)).status_code == 200


def test_another_user_from_the_same_address_is_not_locked(world, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 1
    client = Client()
    assert client.get("/api/plans/", **_basic(world.officer.username, "sai")).status_code == 429
    response = client.get("/api/plans/", **_basic(world.leader.username, PASSWORD))
    assert response.status_code == 200
