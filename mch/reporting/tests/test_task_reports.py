"""Agencies report on their own tasks; drafts are kept, a submitted report is locked; the
Department of Health's board says who has reported, who is late, who has not started."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mch.registers.models import AuditEntry
from mch.reporting import selectors as sel
from mch.reporting.models import TaskReport
from mch.reporting.services import Upload, task_report_save

YEAR = 2025
DEADLINE = dt.date(YEAR, 12, 10)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _task(world, agency):
    return world.plan.tasks.get(agency=agency)


@pytest.mark.parametrize(
    ("status", "submitted", "today", "state"),
    [
        (None, None, dt.date(YEAR, 12, 1), sel.NOT_STARTED),
        ("draft", None, dt.date(YEAR, 12, 1), sel.DRAFT),
        ("draft", None, DEADLINE, sel.LATE),  # "trước ngày 10/12": the 10th is too late
        (None, None, dt.date(YEAR, 12, 11), sel.LATE),
        ("submitted", dt.date(YEAR, 12, 9), dt.date(YEAR, 12, 20), sel.SUBMITTED),
        ("submitted", DEADLINE, dt.date(YEAR, 12, 20), sel.SUBMITTED_LATE),
    ],
)
def test_task_state_against_the_deadline(status, submitted, today, state) -> None:
    report = None
    if status:
        report = TaskReport(status=status, submitted_at=_at(submitted) if submitted else None)

    assert sel.task_state(report, DEADLINE, today) == state


def test_a_draft_is_kept_then_submitted_and_locked_with_an_audit_trail(world) -> None:
    task = _task(world, world.education_dept)
    task_report_save(
        user=world.department,
        task=task,
        year=YEAR,
        narrative="Đã lồng ghép vào 40 trường.",
        figures=[{"label": "Số trường", "value": "40", "unit": "trường"}],
        uploads=[Upload("bao-cao.docx", "application/octet-stream", b"PK\x03\x04")],
    )
    report = task_report_save(
        user=world.department,
        task=task,
        year=YEAR,
        narrative="Đã lồng ghép vào 42 trường.",
        figures=[{"label": "Số trường", "value": "42", "unit": "trường"}],
        submit=True,
        now=_at(dt.date(YEAR, 12, 5)),
    )

    assert (report.status, report.narrative, report.figures[0]["value"]) == (
        "submitted",
        "Đã lồng ghép vào 42 trường.",
        "42",
    )
    assert report.attachments.get().name == "bao-cao.docx"
    assert AuditEntry.objects.filter(model="taskreport", object_id=report.pk).count() == 2
    with pytest.raises(ValidationError):
        task_report_save(user=world.department, task=task, year=YEAR, narrative="sửa")


def test_an_agency_cannot_report_on_another_agencys_task(world) -> None:
    with pytest.raises(PermissionDenied):
        task_report_save(
            user=world.department, task=_task(world, world.health_dept), year=YEAR, narrative="x"
        )


def test_the_department_sees_and_opens_only_its_own_tasks(world, as_user) -> None:
    client = as_user(world.department)
    page = client.get(reverse("reporting-tasks", args=[world.plan.slug, YEAR])).content.decode()

    assert "Lồng ghép giáo dục dinh dưỡng" in page
    assert "Chủ trì, hướng dẫn các đơn vị" not in page
    other = _task(world, world.health_dept)
    url = reverse("reporting-task", args=[world.plan.slug, YEAR, other.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("reporting-board", args=[world.plan.slug, YEAR])).status_code == 403


def test_the_form_saves_a_draft_and_submits(world, as_user) -> None:
    client = as_user(world.department)
    task = _task(world, world.education_dept)
    url = reverse("reporting-task", args=[world.plan.slug, 2026, task.pk])

    client.post(url, {"narrative": "Nháp đầu", "figures": "Số lớp | 3 | lớp", "save": "1"})
    assert "Nháp đầu" in client.get(url).content.decode()
    response = client.post(url, {"narrative": "Bản gửi", "figures": "", "submit": "1"})

    assert response.status_code == 302
    report = TaskReport.objects.get(task=task, year=2026)
    assert (report.status, report.narrative, report.figures) == ("submitted", "Bản gửi", [])


def test_board_lists_who_reported_who_is_late_and_who_has_not_started(world, as_user) -> None:
    task_report_save(
        user=world.department,
        task=_task(world, world.education_dept),
        year=YEAR,
        narrative="Đã làm.",
        submit=True,
        now=_at(dt.date(YEAR, 12, 1)),
    )
    board = sel.task_report_board(
        user=world.officer, plan=world.plan, year=YEAR, today=dt.date(YEAR, 12, 11)
    )

    states = {a.agency.name: a.state for a in board.agencies}
    assert states == {"Sở Giáo dục và Đào tạo": sel.SUBMITTED, "Sở Y tế": sel.LATE}
    page = as_user(world.officer).get(reverse("reporting-board", args=[world.plan.slug, YEAR]))
    assert "gửi đúng hạn" in page.content.decode()


@pytest.mark.django_db(databases=["default", "jobs"])
def test_annual_report_page_keeps_the_narrative_between_drafts(world, as_user) -> None:
    client = as_user(world.officer)
    url = reverse("reporting-annual", args=[world.plan.slug, YEAR])
    form = {"number": "15/BC-SYT", "report_date": "05/12/2025", "difficulties": "Thiếu nhân lực."}

    assert client.post(url, {**form, "save": "1"}).status_code == 302
    page = client.get(url).content.decode()

    assert "Thiếu nhân lực." in page and "15/BC-SYT" in page and "05/12/2025" in page
    assert as_user(world.department).get(url).status_code == 403
