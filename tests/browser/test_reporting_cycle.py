"""The year's reporting cycle in headless Chromium, as the province officer: from the reports
page to the year's data quality of the communes' periodic reports (completeness, timeliness,
what is missing or doubtful), the agencies' task-report board, the approval of a commune's
month from the finding's link, then the annual report generated as a job and its .docx and
.xlsx downloaded and read back (figures checked against the engine)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from docx import Document

from mch.aggregate_data.demo_plans import _values
from mch.aggregate_data.models import PeriodicReport, ReportStatus
from mch.aggregate_data.services import (
    definitions_current,
    definitions_load,
    report_approve,
    report_values_save,
)
from mch.core.testing_browser import log_in
from mch.documents.official import number_vi
from mch.indicators.engine.periods import Period
from mch.indicators.values import indicator_values
from mch.orgunits.models import Agency
from mch.reporting.services import task_report_save
from mch.scorecards.tests.builders import PASSWORD, YEAR, build_province

from .conftest import require_chromium

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SHOTS = os.environ.get("REPORTING_SHOTS", "")
WAITING = dt.date(YEAR, 11, 1)  # the first commune's November: submitted, not approved
MISSING = dt.date(YEAR, 10, 1)  # the last commune never sent October


def _moment(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"r9b-cycle-{name}.png"), full_page=True)


@pytest.fixture
def cycle(transactional_db, tmp_path):  # type: ignore[no-untyped-def]
    province = build_province(tmp_path / "registers")
    definitions_load()
    _, defs = definitions_current()
    elements = defs.form_elements(defs.form("mch_month"))
    officer = province.officer
    for i, commune in enumerate(province.communes):
        for month in range(1, 13):
            period = Period.month(YEAR, month)
            if i == len(province.communes) - 1 and period.start == MISSING:
                continue
            late = i == 1 and month == 3  # sent three weeks after the month
            sent = period.end + dt.timedelta(days=21 if late else 2)
            report = report_values_save(
                user=officer, form_code="mch_month", unit=commune, period=period,
                values=_values(elements, commune, period), submit=True, now=_moment(sent),
            )  # fmt: skip
            if i == 0 and period.start == WAITING:
                continue
            while report.status != ReportStatus.APPROVED:
                report = report_approve(user=officer, report=report, now=_moment(sent))
    reported = Agency.objects.create(code="so-gd", name="Sở Giáo dục thử", unit=province.unit)
    silent = Agency.objects.create(code="so-tc", name="Sở Tài chính thử", unit=province.unit)
    done = province.plan.tasks.create(agency=reported, description="Giáo dục sức khỏe học đường.")
    province.plan.tasks.create(agency=silent, description="Bố trí kinh phí thực hiện.")
    task_report_save(
        user=officer, task=done, year=YEAR, narrative="Đã lồng ghép vào 40 trường học.",
        submit=True,
    )  # fmt: skip
    return province


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=["default", "jobs"])
def test_the_officer_goes_through_the_years_reporting(page, live_server, cycle, settings) -> None:  # type: ignore[no-untyped-def]
    require_chromium()
    settings.TASKS = IMMEDIATE
    base, plan, first = live_server.url, cycle.plan, cycle.communes[0]
    log_in(page, base, cycle.officer.username, PASSWORD)

    # the year's reporting page → data quality of the approved periodic reports
    page.goto(base + reverse("reporting-index"))
    page.locator("a", has_text="Chất lượng số liệu").first.click()
    page.wait_for_selector("#quality")
    counts = page.locator("#quality-counts").inner_text()
    # 3 communes × 12 months, 2 not approved: 34 of 36
    assert f"{number_vi(100 * 34 / 36, 1)}%" in counts
    assert "Nộp muộn: 1" in counts
    assert "Nộp muộn" in page.locator(f"#unit-{cycle.communes[1].pk}").inner_text()
    row = page.locator(f"#unit-{first.pk}")
    assert "Báo cáo tháng 11/2025 đã nộp, chưa được duyệt." in row.inner_text()
    last = page.locator(f"#unit-{cycle.communes[-1].pk}").inner_text()
    assert "Chưa nộp báo cáo tháng 10/2025" in last
    _shot(page, "1-quality")

    # the agencies' task reports: who has reported, who has not started
    page.goto(base + reverse("reporting-board", args=[plan.slug, YEAR]))
    board = page.locator("#board").inner_text()
    assert "Sở Giáo dục thử" in board and "Sở Tài chính thử" in board
    assert "chưa bắt đầu" in board.lower() or "quá hạn" in board.lower()
    _shot(page, "2-board")

    # back to the finding: its link opens the commune's November, which the officer approves
    page.goto(base + reverse("reporting-quality", args=[plan.slug, YEAR]) + "?nguon=bao-cao")
    page.locator(f"#unit-{first.pk} a", has_text="Mở báo cáo").first.click()
    page.click("#ag-approve")
    assert "Đã duyệt báo cáo" in page.locator(".messages").inner_text()
    report = PeriodicReport.objects.get(unit=first, period_start=WAITING)
    assert report.status == ReportStatus.APPROVED
    page.goto(base + reverse("reporting-quality", args=[plan.slug, YEAR]) + "?nguon=bao-cao")
    assert f"{number_vi(100 * 35 / 36, 1)}%" in page.locator("#quality-counts").inner_text()
    assert "chưa được duyệt" not in page.locator(f"#unit-{first.pk}").inner_text()

    # the annual report: generated as a job, then both files downloaded and read back
    page.goto(base + reverse("reporting-annual", args=[plan.slug, YEAR]))
    page.click("button[name=generate]")
    page.wait_for_selector("#generation-done")
    _shot(page, "3-annual")
    with page.expect_download() as got:
        page.click("a[href$='tai.docx']")
    document = Document(io.BytesIO(Path(got.value.path()).read_bytes()))
    with page.expect_download() as got:
        page.click("a[href$='tai.xlsx']")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))["Phụ lục 1"]

    [births] = indicator_values(
        user=cycle.officer, indicators=["facility_birth"], units=[cycle.unit],
        period=Period.year(YEAR),
    )  # fmt: skip
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    row_texts = [[c.text for c in r.cells] for r in table.rows[1:]]
    docx_births = next(r for r in row_texts if "đẻ tại cơ sở y tế" in r[1])
    assert docx_births[5] == number_vi(births.value, 1)
    assert "Sổ đăng ký (" in docx_births[7]
    texts = [p.text for p in document.paragraphs]
    assert "Sở Giáo dục thử" in texts and "Chưa gửi báo cáo: Sở Tài chính thử." in texts
    header = [c.value for c in sheet[6]]
    xlsx_births = next(
        [c.value for c in r]
        for r in sheet.iter_rows(min_row=7)
        if "đẻ tại cơ sở y tế" in str(r[1].value)
    )
    assert number_vi(xlsx_births[header.index(f"Thực hiện năm {YEAR}")], 1) == number_vi(
        births.value, 1
    )
    assert "Sổ đăng ký" in xlsx_births[header.index("Nguồn số liệu")]
