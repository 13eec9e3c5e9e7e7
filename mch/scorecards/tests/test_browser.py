"""The scorecard page in headless Chromium: an officer reads a cell's value, status and
interval as the page shows them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from .builders import PASSWORD, YEAR, Province, build_province, facility_births, vi


@pytest.fixture
def live_province(transactional_db, tmp_path: Path) -> Province:
    return build_province(tmp_path)


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
