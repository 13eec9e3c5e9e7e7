"""Test set-up shared by every test folder."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Playwright's sync API keeps an event loop in this thread; the tests' own ORM reads are
# plain synchronous code, so Django's async-safety guard must not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher() -> None:
    # Argon2 costs 0.4-1.4 s a hash on this machine and the suite creates thousands of users;
    # what the tests check does not depend on the hasher (production keeps Argon2: settings).
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):  # type: ignore[no-untyped-def]
    # On PostgreSQL the jobs alias is a second connection to the same test database
    # (mch/jobs/database.py); it must be closed before that database is dropped.
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """The session's one headless Chromium (mch.core.testing_browser says why only one)."""
    from mch.core.testing_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

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
def page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A desktop tab in a context of its own. The browser is set to Vietnamese; a test of
    another language or viewport takes mch.core.testing_browser.new_page."""
    from mch.core.testing_browser import new_page

    tab = new_page(browser)
    yield tab
    tab.context.close()


@pytest.fixture
def phone_page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A tab 390 px wide, the phone of a commune health worker."""
    from mch.core.testing_browser import PHONE, new_page

    tab = new_page(browser, PHONE)
    yield tab
    tab.context.close()
