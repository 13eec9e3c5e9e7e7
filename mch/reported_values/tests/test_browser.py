"""In the browser: a province officer on a phone enters a survey result on the page, and
the plan's scorecard judges the target on it and says where the value comes from."""

from __future__ import annotations

from typing import Any

import pytest

from mch.core.testing_browser import log_in
from mch.registers.testing import PASSWORD

from .conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = "/work/shots"


def _shot(page: Any, name: str) -> None:
    import os

    if os.path.isdir(SHOTS):
        page.screenshot(path=f"{SHOTS}/r9a-browser-{name}.png", full_page=True)


def test_officer_enters_a_survey_on_a_phone_and_the_scorecard_uses_it(
    phone_page: Any, live_server: Any
) -> None:
    world = build_world()
    base = live_server.url
    page = phone_page
    log_in(page, base, world.rw.officer.username, PASSWORD)
    page.get_by_role("link", name="Số liệu khác").click()
    page.wait_for_url(f"{base}/so-lieu-khac/khao-sat/")
    page.click("#rv-add")
    page.wait_for_url(f"{base}/so-lieu-khac/khao-sat/them/")
    # The form fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    form = page.locator("#rv-survey-form")
    form.get_by_label("Chỉ số").select_option("caregiver_newborn_danger_signs")
    form.get_by_label("Đơn vị").select_option(str(world.rw.province.pk))
    form.get_by_label("Tên cuộc điều tra").fill("MICS 2025")
    form.get_by_label("Ngày điều tra").fill("15/06/2025")
    form.get_by_label("Cỡ mẫu").fill("400")
    form.get_by_label("Giá trị (%)").fill("62,5")
    _shot(page, "survey-form")
    form.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{base}/so-lieu-khac/khao-sat/")
    message = page.locator(".msg-success")
    assert "62,5%" in message.inner_text() and "57,7–67,1" in message.inner_text()
    assert page.locator("#rv-table").get_by_text("MICS 2025").is_visible()

    page.goto(f"{base}/ke-hoach/{world.plan.slug}/bang-diem/?nam=2025")
    cell = page.locator(
        f"tr[data-indicator=caregiver_newborn_danger_signs] td[data-unit='{world.rw.province.pk}']"
    )
    assert cell.get_attribute("data-status") == "not_met"  # 62,5% against a 70% target
    text = cell.inner_text()
    assert "62,5%" in text and "không đạt" in text
    assert "Khảo sát: MICS 2025, n = 400" in text
    _shot(page, "scorecard")
