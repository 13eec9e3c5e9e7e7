"""The whole MPDSR flow in headless Chromium: the hospital records a woman's death in the
register, the province is alerted on its home page, notifies it (M1), the board reviews it
(M2) and tracks its action to done, the quarter's M5 shows the case de-identified; a
commune user never sees the review. Uses the run's one Chromium (root conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from mch.core.testing_browser import log_in
from mch.registers.models import Death
from mch.registers.testing import PASSWORD

from .conftest import MpdsrWorld, build_mpdsr_world

SHOTS = os.environ.get("MPDSR_SHOTS", "")


@pytest.fixture
def live_mw(transactional_db) -> MpdsrWorld:
    return build_mpdsr_world(death=False)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    log_in(page, base, username, PASSWORD)


@pytest.mark.browser
def test_maternal_death_from_alert_to_m5(page, live_server, live_mw: MpdsrWorld) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    # The hospital records the death in the register, from the woman's page.
    _login(page, base, live_mw.hospital_user.username)
    page.goto(base + reverse("person-detail", args=[live_mw.woman.pk]))
    page.get_by_role("link", name="Ghi tử vong").click()
    page.fill("#id_date", "14/02/2026")
    page.locator("input[name=place][value=facility]").check()
    page.select_option("#id_facility", label="Bệnh viện Đa khoa tỉnh")
    page.select_option("#id_cause_group", "haemorrhage")
    page.locator("input[name=pregnancy_relation][value=pregnant]").check()
    page.locator("input[name=pregnancy_related][value='1']").check()
    page.select_option("#id_maternal_cause", "direct")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu", exact=True).click()
    assert "Có thể là tử vong mẹ — cần thông báo" in page.content()
    death = Death.objects.get(person=live_mw.woman)
    assert death.facility == live_mw.rw.hospital and death.possible_maternal

    _login(page, base, live_mw.board.username)
    alert = page.locator("#mpdsr-alert")
    assert "cần thông báo" in alert.inner_text()
    _shot(page, "1-home")
    alert.get_by_role("link", name="Xã Hòa Bình").click()
    page.fill("#id_died_at", "2026-02-14T20:30")
    page.fill("#id_notified_at", "2026-02-15T07:00")
    page.fill("#id_circumstances", "Băng huyết sau đẻ, chuyển tuyến muộn")
    page.click("#m1-form button[type=submit]")
    assert "10,5 giờ sau khi tử vong" in page.locator("#m1").inner_text()
    page.get_by_role("link", name="Mở thẩm định").click()
    page.select_option("#id_method", "facility_review")
    page.fill("#id_meeting_date", "2026-03-10")
    page.select_option("#id_underlying_cause", "3")
    page.get_by_label("3 · Thiếu máu, chế phẩm máu").check()
    page.select_option("#id_avoidability", "avoidable")
    page.fill("#id_case_summary", "Chồng là Hà Văn Tư, nhà ở thôn Suối Cát")
    page.check("#id_complete")
    _shot(page, "2-review-form")
    page.click("#m2-form button[type=submit]")
    assert page.locator("#cause").inner_text() == "Chảy máu sản khoa"
    page.fill("#id_recommendation", "Dự trữ máu nhóm O tại khoa Sản")
    page.select_option("#id_owner_facility", label="Bệnh viện Đa khoa tỉnh")
    page.fill("#id_deadline", "2026-04-30")
    page.click("#action-form button[type=submit]")
    row = page.locator("#actions tr[data-action]")
    row.locator("select[name=status]").select_option("done")
    row.get_by_role("button", name="Cập nhật").click()
    assert page.locator("#actions tr[data-action] .status").inner_text() == "Đã hoàn thành"
    _shot(page, "3-review")
    review_url = page.url
    page.goto(base + reverse("mpdsr-m5") + "?ky=Q1/2026")
    assert page.locator("#m5-maternal").inner_text() == "1"
    cases = page.locator("#m5-cases").inner_text()
    assert "TVM-2026-0001" in cases and "Hà Thị Mơ" not in cases
    assert "Đã hoàn thành" in page.locator("#m5-actions").inner_text()
    _shot(page, "4-m5")

    _login(page, base, live_mw.rw.staff.username)
    page.goto(base + reverse("mpdsr-surveillance") + "?nam=2026")
    assert "Hà Thị Mơ" in page.locator("table.deaths").inner_text()
    assert "TVM-2026-0001" not in page.content()
    _shot(page, "5-commune")
    response = page.goto(review_url)
    assert response is not None and response.status == 403


@pytest.mark.browser
def test_perinatal_review_from_audit_list_to_action(page, live_server, live_mw: MpdsrWorld) -> None:  # type: ignore[no-untyped-def]
    from .test_extra import _stillbirth

    _stillbirth(live_mw)
    base = live_server.url
    _login(page, base, live_mw.board.username)
    page.goto(base + reverse("mpdsr-perinatal") + "?ky=Q1/2026")
    assert page.locator("#pm-stillbirths").inner_text().startswith("1")
    page.locator("#pm-cases tr[data-kind=stillbirth]").get_by_role(
        "link", name="Mở thẩm định"
    ).click()
    page.select_option("#id_method", "facility_review")
    page.fill("#id_meeting_date", "2026-03-20")
    page.select_option("#id_cause", "I3")
    page.select_option("#id_maternal_condition", "M1")
    page.get_by_label("2 · Không có phương tiện vận chuyển").check()
    page.select_option("#id_avoidability", "possibly")
    page.check("#id_complete")
    page.click("#p2-form button[type=submit]")
    assert page.locator("#timing").inner_text() == "Trong chuyển dạ"
    assert "Lò Thị Ka" in page.locator("#identifiable").inner_text()
    page.fill("#id_recommendation", "Tập huấn hồi sức sơ sinh cho nữ hộ sinh")
    page.select_option("#id_owner_facility", label="Bệnh viện Đa khoa tỉnh")
    page.fill("#id_deadline", "2026-06-30")
    page.click("#action-form button[type=submit]")
    row = page.locator("#actions tr[data-action]")
    row.locator("select[name=status]").select_option("in_progress")
    row.get_by_role("button", name="Cập nhật").click()
    assert page.locator("#actions tr[data-action] .status").inner_text() == "Đang thực hiện"
    _shot(page, "6-perinatal-review")
    review_url = page.url
    page.goto(base + reverse("mpdsr-perinatal") + "?ky=Q1/2026")
    assert "TVCS-2026-0001" in page.locator("#pm-cases").inner_text()
    assert "Đang thực hiện" in page.locator("#pm-actions").inner_text()
    _login(page, base, live_mw.rw.staff.username)
    response = page.goto(review_url)
    assert response is not None and response.status == 403
