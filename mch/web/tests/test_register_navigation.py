from __future__ import annotations

import pytest
from django.urls import reverse

from mch.registers.testing import build_register_world


@pytest.fixture
def rw(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_register_world()


def test_station_staff_see_the_register_links(rw, client) -> None:
    client.force_login(rw.staff)
    page = client.get(reverse("home")).content.decode()
    for link in ("person-list", "worklist-overview", "register-import"):
        assert f'href="{reverse(link)}"' in page
    assert "Việc cần làm" in page


def test_leaders_are_not_offered_the_registers(rw, client) -> None:
    client.force_login(rw.leader)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("person-list")}"' not in page
    assert "Việc cần làm" not in page
