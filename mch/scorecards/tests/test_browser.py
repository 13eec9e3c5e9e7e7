"""The scorecard page in headless Chromium: an officer reads a cell's value, status and
interval as the page shows them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium

from .builders import PASSWORD, YEAR, Province, build_province, facility_births, vi

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def live_province(transactional_db, tmp_path: Path) -> Province:
    return build_province(tmp_path)


@pytest.fixture
def page(live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
    browser.close()
    playwright.stop()


@pytest.mark.browser
def test_officer_reads_the_scorecard(page, live_server, live_province: Province) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page.goto(base + reverse("login"))
    page.fill("#id_username", live_province.officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(base + reverse("home"))

    page.goto(base + reverse("plan-scorecard", args=[live_province.plan.slug]) + f"?nam={YEAR}")
    commune = live_province.communes[0]
    num, den = facility_births({commune.pk})
    cell = page.locator(f'tr[data-indicator="facility_birth"] td[data-unit="{commune.pk}"]')
    status = "đạt" if 100 * num / den >= 50 else "không đạt"
    assert cell.locator(".val").inner_text().strip() == f"{vi(100 * num / den)}%"
    assert cell.locator(".st").inner_text().strip() == status
    assert f"tử số {num} / mẫu số {den}" in (cell.get_attribute("title") or "")
    more = cell.locator(".more")
    assert not more.is_visible()
    cell.locator("summary").click()  # a tap opens the details
    assert more.is_visible() and "KTC 95%" in more.inner_text()
    assert page.locator("#legend").get_by_text("có nguy cơ").is_visible()
    assert page.get_by_text("Số liệu đến").is_visible()
    assert commune.name in page.locator("#scorecard thead").text_content()
