from __future__ import annotations

import pytest

from mch.registers.testing import RegisterWorld, build_register_world


@pytest.fixture(autouse=True)
def _fast_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rw(db) -> RegisterWorld:
    return build_register_world()
