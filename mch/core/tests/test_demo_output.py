"""The demo's set-up prints its accounts with the roles' Vietnamese names, never role codes."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from mch.accounts.models import Role
from mch.core.demo import DEMO_USERS


def test_setup_prints_the_roles_in_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mch.core.management.commands.setup_demo.demo_setup", lambda progress: None)
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    text = out.getvalue()
    assert "Cán bộ chương trình cấp tỉnh" in text
    assert "Nhân viên trạm y tế xã" in text
    for user in DEMO_USERS:
        assert user.username in text
    assert not [code for code in Role.values if code in text]
