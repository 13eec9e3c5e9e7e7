"""How the system is served: debug off by default, the demo's own settings, gunicorn's workers."""

from __future__ import annotations

import runpy
import stat
from pathlib import Path

import pytest

from config.gunicorn import workers_for
from mch.cli import demo_environment

SETTINGS = Path(__file__).resolve().parents[3] / "config" / "settings.py"


def _settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    monkeypatch.delenv("DJANGO_SECURE_SSL_REDIRECT", raising=False)
    monkeypatch.delenv("MCH_PLAIN_HTTP", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize(("cores", "workers"), [(1, 3), (2, 5), (4, 9), (32, 9)])
def test_workers_are_two_per_core_plus_one_capped(cores: int, workers: int) -> None:
    assert workers_for(cores) == workers


def test_debug_is_off_and_cookies_https_only_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    values = _settings(monkeypatch)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True


def test_plain_http_flag_lets_the_demo_log_in_without_https(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = _settings(monkeypatch, MCH_PLAIN_HTTP="1")
    assert values["DEBUG"] is False
    assert values.get("SESSION_COOKIE_SECURE", False) is False
    assert values.get("CSRF_COOKIE_SECURE", False) is False
    assert values.get("SECURE_SSL_REDIRECT", False) is False


def test_demo_makes_its_secret_key_once_readable_only_by_its_owner(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
    monkeypatch.setenv("MCH_VAR_DIR", str(tmp_path))
    first = demo_environment("8000")
    second = demo_environment("8000")
    key_file = tmp_path / "secret_key"
    assert len(first["DJANGO_SECRET_KEY"]) >= 50
    assert second["DJANGO_SECRET_KEY"] == first["DJANGO_SECRET_KEY"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first["DJANGO_ALLOWED_HOSTS"] == "127.0.0.1,localhost"
    assert first["MCH_PLAIN_HTTP"] == "1"


def test_demo_keeps_what_the_environment_sets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MCH_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DJANGO_SECRET_KEY", "given-by-the-operator")
    monkeypatch.setenv("MCH_PLAIN_HTTP", "0")
    values = demo_environment("9000")
    assert values["DJANGO_SECRET_KEY"] == "given-by-the-operator"
    assert values["MCH_PLAIN_HTTP"] == "0"
    assert values["MCH_BIND"] == "127.0.0.1:9000"
    assert not (tmp_path / "secret_key").exists()
