from __future__ import annotations

import datetime as dt

import pytest

from mch.registers.testing import RegisterWorld, build_register_world

from ..services import definitions_load


@pytest.fixture(autouse=True)
def _fast_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rw(db) -> RegisterWorld:
    world = build_register_world()
    definitions_load()
    return world


def at(day: str, hour: int = 9) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))
