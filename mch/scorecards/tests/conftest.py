from __future__ import annotations

from pathlib import Path

import pytest

from .builders import Province, build_province


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province(db, tmp_path: Path) -> Province:
    return build_province(tmp_path)
