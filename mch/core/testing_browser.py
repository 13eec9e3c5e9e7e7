"""Headless Chromium (Debian's package) for the browser tests of every app.

The session's one Playwright and browser are the root conftest's ``browser`` fixture; a test
takes a fresh context from it (``page``, or ``new_page`` for another viewport or user). A test
module must not start a Playwright of its own: the sync API refuses to start a second one in a
thread where the first keeps its event loop.

Without /usr/bin/chromium the browser tests are skipped on a developer's machine but fail
under CI=true, so a CI image that lost its browser cannot pass silently.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from mch.reporting.annual.pdf import ARGS

CHROMIUM = Path("/usr/bin/chromium")
# The flags the annual report prints with: the tests run Chromium as production does.
CHROMIUM_ARGS = list(ARGS)
# CI runs the SQLite and PostgreSQL suites side by side on two cores: a page that takes 2 s
# on a quiet machine has been seen to take more than 15 s there. A page that never comes
# still fails the test, a minute later.
TIMEOUT_MS = 60_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def require_chromium(executable: Path = CHROMIUM, env: dict[str, str] | None = None) -> None:
    environment = os.environ if env is None else env
    if executable.exists():
        return
    message = f"{executable} is missing (apt-get install -y chromium)"
    if environment.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def new_page(browser: Any, viewport: dict[str, int] | None = None, locale: str = "vi-VN") -> Any:
    """A tab in a context of its own (its own cookies); closing the tab's context is the
    caller's (``page.context.close()``)."""
    context = browser.new_context(locale=locale, viewport=viewport or DESKTOP)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.set_default_navigation_timeout(TIMEOUT_MS)
    return tab


def log_in(page: Any, base: str, username: str, password: str) -> None:
    """Log in through the log-in form and wait for the home page."""
    from django.urls import reverse

    page.context.clear_cookies()
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    page.wait_for_url(base + reverse("home"))
