"""At 390 px in headless Chromium: a commune enters its month's report (a bad value is
refused in Vietnamese, then corrected), submits it; the province approves it and the
values are locked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from mch.core.testing_browser import log_in
from mch.registers.testing import PASSWORD, build_register_world

from ..models import PeriodicReport, ReportStatus
from ..services import definitions_load

SHOTS = os.environ.get("AGGREGATE_SHOTS", "")


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    rw = build_register_world()
    definitions_load()
    return rw


@pytest.fixture
def page(phone_page):  # type: ignore[no-untyped-def]
    return phone_page


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    log_in(page, base, username, PASSWORD)


@pytest.mark.browser
def test_commune_enters_and_submits_province_approves(page, live_server, world) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    _login(page, base, world.staff.username)
    page.goto(base + reverse("aggregate-overview"))
    page.locator("#ag-table a").first.click()
    page.fill("#f-deliveriesfacility", "12")
    page.fill("#f-deliveriesother", "hai")
    page.click("button[value=save]")
    assert "không phải là số" in page.locator(".has-error").inner_text()
    assert not PeriodicReport.objects.exists()
    _shot(page, "1-error")
    page.fill("#f-deliveriesother", "2")
    page.fill("#f-live_birthsmale", "7")
    page.fill("#f-live_birthsfemale", "6")
    page.click("button[value=submit]")
    assert "Đã nộp báo cáo" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "2-submitted")
    report = PeriodicReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    entry_url = page.url

    _login(page, base, world.officer.username)
    page.goto(entry_url)
    page.click("#ag-approve")
    assert "Đã duyệt báo cáo" in page.locator(".messages").inner_text()
    assert page.locator("#f-deliveriesfacility").get_attribute("readonly") is not None
    _shot(page, "3-approved")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert dict(report.values.values_list("cell", "value")) == {
        "facility": 12,
        "other": 2,
        "male": 7,
        "female": 6,
    }
