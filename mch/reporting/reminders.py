"""Reminders to the agencies before the 10 December deadline of their task reports.

``reminders_send(today=...)`` (``mch send_reminders``) finds every task of every plan whose
report for this year is not submitted, and, once the deadline is 30, 14, 7, 3 or 1 days
away (or passed: stage 0), records one ``Reminder`` per user of the agency for the stage
reached, shown on that user's home page, and e-mails it when e-mail is configured. Running
it again sends nothing new: a reminder is sent once per user, task, year and stage (a
database constraint), and a missed stage is not sent late (only the nearest one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from mch.plans.models import Plan, Task

from .models import Reminder, TaskReport
from .selectors import report_deadline

STAGES = (30, 14, 7, 3, 1)  # days before the deadline
OVERDUE = 0


@dataclass
class ReminderSummary:
    sent: int = 0
    emailed: int = 0
    already: int = 0
    without_user: list[str] = field(default_factory=list)  # agencies nobody could be told


def stage_for(days_left: int) -> int | None:
    """The stage reached ``days_left`` days before the deadline (None: too early)."""
    if days_left <= 0:
        return OVERDUE
    reached = [s for s in STAGES if days_left <= s]
    return min(reached) if reached else None


def email_configured() -> bool:
    """E-mail is sent when the deployment set a mail server (``MCH_EMAIL_HOST``) or another
    backend than Django's default SMTP to localhost (tests: locmem)."""
    backend = settings.EMAIL_BACKEND
    return backend != "django.core.mail.backends.smtp.EmailBackend" or (
        settings.EMAIL_HOST not in ("", "localhost", "127.0.0.1")
    )


def _message(task: Task, year: int, deadline: dt.date, stage: int) -> tuple[str, str]:
    if stage == OVERDUE:
        subject = f"Quá hạn báo cáo nhiệm vụ năm {year}"
        when = f"đã quá hạn (hạn: trước ngày {deadline:%d/%m/%Y})"
    else:
        subject = f"Nhắc báo cáo nhiệm vụ năm {year}: còn {stage} ngày"
        when = f"hạn gửi trước ngày {deadline:%d/%m/%Y}"
    url = reverse("reporting-task", args=[task.plan.slug, year, task.pk])
    base = getattr(settings, "MCH_SITE_URL", "").rstrip("/")
    body = (
        f"Báo cáo năm {year} về nhiệm vụ “{task.description[:200]}” của {task.agency.name} "
        f"(kế hoạch {task.plan.title[:150]}) chưa được gửi, {when}.\n\n"
        f"Soạn và gửi báo cáo tại: {base}{url}\n"
    )
    return subject, body


def reminders_send(*, today: dt.date) -> ReminderSummary:
    summary = ReminderSummary()
    mail = email_configured()
    users = get_user_model().objects.filter(is_active=True, agency__isnull=False)
    by_agency: dict[int | None, list[Any]] = {}
    for user in users:
        by_agency.setdefault(user.agency_id, []).append(user)
    for plan in Plan.objects.filter(period_start__lte=today.year, period_end__gte=today.year):
        year = today.year
        deadline = report_deadline(plan, year)
        stage = stage_for((deadline - today).days)
        if stage is None:
            continue
        submitted = set(
            TaskReport.objects.filter(
                task__plan=plan, year=year, status=TaskReport.Status.SUBMITTED
            ).values_list("task_id", flat=True)
        )
        for task in plan.tasks.select_related("agency", "plan").order_by("order", "pk"):
            if task.pk in submitted:
                continue
            people = by_agency.get(task.agency_id, [])
            if not people and task.agency.name not in summary.without_user:
                summary.without_user.append(task.agency.name)
            for user in people:
                _send(summary, user, task, year, deadline, stage, mail)
    return summary


def _send(
    summary: ReminderSummary,
    user: Any,
    task: Task,
    year: int,
    deadline: dt.date,
    stage: int,
    mail: bool,
) -> None:
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                user=user, task=task, year=year, stage=stage, deadline=deadline
            )
    except IntegrityError:
        summary.already += 1
        return
    summary.sent += 1
    if mail and user.email:
        subject, body = _message(task, year, deadline, stage)
        send_mail(subject, body, None, [user.email])
        Reminder.objects.filter(pk=reminder.pk).update(emailed=True)
        summary.emailed += 1


def reminders_for(*, user: Any) -> list[Reminder]:
    """The user's latest reminder per task whose report is still not submitted."""
    if not getattr(user, "is_authenticated", False):
        return []
    latest: dict[tuple[int, int], Reminder] = {}
    for reminder in Reminder.objects.filter(user=user).select_related("task", "task__plan"):
        latest.setdefault((reminder.task_id, reminder.year), reminder)
    if not latest:
        return []
    submitted = set(
        TaskReport.objects.filter(
            task_id__in=[k[0] for k in latest], status=TaskReport.Status.SUBMITTED
        ).values_list("task_id", "year")
    )
    return [r for key, r in latest.items() if key not in submitted]
