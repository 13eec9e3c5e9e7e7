"""Worklists on a phone (375 and 390 px) and at a desk, as a commune station and as the
province officer: nothing wider than the screen, the name, status and dated task of
each person in view."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from mch.core.testing_browser import new_page
from mch.registers import services
from mch.registers.testing import PASSWORD, build_register_world

SCREENS = os.environ.get("MCH_SCREENS", "")


@pytest.fixture
def world(transactional_db):
    rw = build_register_world()
    today = timezone.localdate()

    def register(name, born, village, unit=rw.commune, user=rw.staff, sex="M"):
        return services.person_register(
            user=user,
            full_name=name,
            sex=sex,
            birth_date=born,
            residence_unit=unit,
            village=village,
            phone="0912000111",
            allow_likely_duplicate=True,
            today=today,
        )

    for n, days in enumerate((70, 125, 400)):
        register(f"Hà Văn Tú {n + 1}", today - dt.timedelta(days=days), f"Thôn {10 - n * 4}")
    register(
        "Trần Văn Khác",
        today - dt.timedelta(days=70),
        "Khu phố 1",
        rw.other_commune,
        rw.other_staff,
    )
    mother = register("Pi Năng Thị Hoa", dt.date(1998, 3, 4), "Thôn Suối Đá", sex="F")
    services.pregnancy_register(
        user=rw.staff,
        person=mother,
        date=today - dt.timedelta(days=90),
        lmp=today - dt.timedelta(days=140),
        today=today,
    )
    return rw


def log_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(base + reverse("home"))


def fits(page, width: int) -> None:
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"{page.url}: {page_width} px on a {width} px screen"
    for table in page.locator("table").all():
        overflow = table.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
        if overflow > 1:
            shot(page, "failed")
        assert overflow <= 1, f"{page.url}: a table {overflow} px wider than its box ({width})"


def shot(page, name: str) -> None:
    if SCREENS:
        page.screenshot(path=os.path.join(SCREENS, f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_worklists_fit_a_phone(browser, live_server, world) -> None:
    base = live_server.url
    lists = base + reverse("worklist-overview")
    for width in (375, 390, 1280):
        page = new_page(browser, {"width": width, "height": 800})
        context = page.context
        log_in(page, base, "tram")
        page.goto(base + reverse("worklist", args=["tiem-chung"]) + "?horizon=30")
        fits(page, width)
        card = page.locator("table.worklist tbody tr", has_text="Hà Văn Tú 2")
        assert card.get_by_text("Hà Văn Tú 2").is_visible()
        assert card.locator(".badge").first.is_visible()
        ipv = card.locator("li", has_text="IPV mũi 1")
        assert "đến hạn trong 30 ngày tới: " in ipv.locator(".when").inner_text()
        assert ipv.locator(".when").is_visible()
        assert page.locator("#legend").get_by_text("đã lỡ").first.is_visible()
        villages = page.locator("#wl-village option").all_inner_texts()[1:]
        assert villages == ["Thôn 2", "Thôn 6", "Thôn 10", "Thôn Suối Đá"]
        shot(page, f"worklist-station-{width}")
        page.goto(lists)
        fits(page, width)
        shot(page, f"worklists-station-overview-{width}")

        context.clear_cookies()
        log_in(page, base, "so")
        page.goto(lists)
        fits(page, width)
        row = page.locator("#area-counts tbody tr", has_text=world.commune.name)
        assert row.get_by_role("link", name=world.commune.name).is_visible()
        cell = row.locator('td[data-list="tiem-chung"][data-status="overdue"]')
        assert cell.is_visible() and cell.inner_text().strip().endswith("3")
        shot(page, f"worklists-province-{width}")
        context.close()
