"""In headless Chromium, as the province officer: a population file with a bad row is
refused with the row named in Vietnamese, then the corrected file is loaded and listed
per year."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook

from mch.orgunits.models import Population
from mch.registers.testing import PASSWORD, build_register_world

SHOTS = os.environ.get("POPULATION_SHOTS", "")
HEADER = ["ma_xa", "nam", "gioi_tinh", "nhom_tuoi", "dan_so", "nguon"]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.browser
def test_officer_uploads_the_population_file(page, live_server, transactional_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    world = build_register_world()
    base = live_server.url
    page.goto(base + reverse("login"))
    page.fill("#id_username", world.officer.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    page.goto(base + reverse("unit-tree"))
    with page.expect_navigation():
        page.click("a[href='/don-vi/dan-so/']")
    assert "Chưa nhập dân số" in page.inner_text("main")
    rows: list[list[object]] = [
        ["22795", 2025, "Nam", "0-4", 410, ""],
        ["22795", 2025, "Nữ", "0-4", "39O", ""],
        ["22759", 2025, "", "0-4", 1250, ""],
    ]
    page.set_input_files("#id_file", str(_xlsx(tmp_path / "dan-so.xlsx", rows)))
    page.fill("#id_source", "Cục Thống kê tỉnh Khánh Hòa, dân số giữa năm 2025")
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    assert "Dòng 3: dân số “39O” phải là số nguyên ≥ 0." in page.inner_text("#problems")
    assert not Population.objects.exists()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "population-1-error.png"), full_page=True)
    rows[1][4] = 390
    page.set_input_files("#id_file", str(_xlsx(tmp_path / "dan-so.xlsx", rows)))
    page.fill("#id_source", "Cục Thống kê tỉnh Khánh Hòa, dân số giữa năm 2025")
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    assert "Đã nhập dân số: 3 dòng" in page.inner_text(".messages")
    listed = page.inner_text("#loaded")
    assert "2025" in listed and "2 / 2" in listed and "Cục Thống kê tỉnh Khánh Hòa" in listed
    assert Population.objects.count() == 3
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "population-2-loaded.png"), full_page=True)
