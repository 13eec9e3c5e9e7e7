"""Reminders before the 10 December deadline: on the agency user's home page, by e-mail
(locmem), once per stage however often the command runs; none for a submitted report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from mch.reporting.models import Reminder
from mch.reporting.reminders import reminders_for, reminders_send, stage_for
from mch.reporting.services import task_report_save

YEAR = 2025


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [(45, None), (30, 30), (20, 30), (14, 14), (8, 14), (5, 7), (2, 3), (1, 1), (0, 0), (-9, 0)],
)
def test_the_stage_reached(days_left, stage) -> None:
    assert stage_for(days_left) == stage


@pytest.fixture
def agency_user(world):
    world.department.email = "giaoduc@example.vn"
    world.department.save()
    return world.department


def test_the_command_reminds_once_per_stage_by_e_mail_and_on_the_home_page(
    world, agency_user, as_user
) -> None:
    out = io.StringIO()
    call_command("send_reminders", "--today", f"{YEAR}-12-05", stdout=out)
    call_command("send_reminders", "--today", f"{YEAR}-12-06", stdout=out)  # same stage

    task = world.plan.tasks.get(agency=world.education_dept)
    mine = Reminder.objects.filter(user=agency_user)
    assert list(mine.values_list("task_id", "stage", "emailed")) == [(task.pk, 7, True)]
    assert [m.to for m in mail.outbox if m.to == [agency_user.email]] == [[agency_user.email]]
    message = next(m for m in mail.outbox if m.to == [agency_user.email])
    assert "còn 7 ngày" in message.subject and "trước ngày 10/12/2025" in message.body
    assert reverse("reporting-task", args=[world.plan.slug, YEAR, task.pk]) in message.body
    second = next(line for line in out.getvalue().splitlines() if line.startswith("06/12"))
    assert second.startswith("06/12/2025: 0 lời nhắc mới, 0 e-mail")

    home = as_user(agency_user).get("/").content.decode()
    assert 'id="report-reminders"' in home
    assert reverse("reporting-task", args=[world.plan.slug, YEAR, task.pk]) in home


def test_a_submitted_report_is_not_reminded_and_leaves_the_home_page(
    world, agency_user, as_user
) -> None:
    reminders_send(today=dt.date(YEAR, 11, 20))
    assert reminders_for(user=agency_user)
    task = world.plan.tasks.get(agency=world.education_dept)
    task_report_save(
        user=agency_user, task=task, year=YEAR, narrative="Xong.", figures=[], submit=True
    )
    assert reminders_for(user=agency_user) == []
    before = Reminder.objects.count()
    summary = reminders_send(today=dt.date(YEAR, 12, 11))  # overdue stage: others only
    assert not Reminder.objects.filter(user=agency_user, stage=0).exists()
    assert Reminder.objects.count() == before + summary.sent
    assert 'id="report-reminders"' not in as_user(agency_user).get("/").content.decode()


def test_too_early_nothing_is_sent(world, agency_user) -> None:
    summary = reminders_send(today=dt.date(YEAR, 10, 1))
    assert (summary.sent, Reminder.objects.count(), mail.outbox) == (0, 0, [])
