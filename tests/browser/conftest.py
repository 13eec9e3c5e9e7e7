"""Headless Chromium (Debian's package) against pytest-django's live server.

Without /usr/bin/chromium the browser tests are skipped on a developer's machine but fail
under CI=true, so a CI image that lost its browser cannot pass silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API keeps an event loop in this thread; the test's own ORM reads are
# plain synchronous code, so Django's async-safety guard must not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def require_chromium(executable: Path = CHROMIUM, env: dict[str, str] | None = None) -> None:
    environment = os.environ if env is None else env
    if executable.exists():
        return
    message = f"{executable} is missing (apt-get install -y chromium)"
    if environment.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def demo(transactional_db) -> None:
    """The real reference data, catalogue, five plans and demo users."""
    from mch.core.demo import demo_setup

    demo_setup()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    # A browser set to English, as many staff have: the interface must still start in
    # Vietnamese (see mch.web.middleware) or follow the language the user chose.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
