"""Reads of the reporting cycle, always through the acting user's scope: the plan comes
from ``plan_get`` (scoped), its tasks from ``plan_tasks`` (a department sees only its own)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mch.orgunits.models import Agency
from mch.plans.models import Plan, Task
from mch.plans.selectors import plan_tasks

from .models import AnnualReport, TaskReport

DEFAULT_DEADLINE = (12, 10)  # "trước ngày 10 tháng 12" in every source document that says

# A task's state for a year; the board's order (worst first).
LATE = "late"  # not submitted and the deadline has passed
NOT_STARTED = "not_started"
DRAFT = "draft"
SUBMITTED_LATE = "submitted_late"
SUBMITTED = "submitted"
STATES = (LATE, NOT_STARTED, DRAFT, SUBMITTED_LATE, SUBMITTED)


def report_years(plan: Plan) -> list[int]:
    return list(range(plan.period_start, plan.period_end + 1))


def report_default_year(plan: Plan, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return min(max(today.year, plan.period_start), plan.period_end)


def report_deadline(plan: Plan, year: int) -> dt.date:
    """Reports are due *before* this day (the plan's own date, else 10 December)."""
    month = plan.report_deadline_month or DEFAULT_DEADLINE[0]
    day = plan.report_deadline_day or DEFAULT_DEADLINE[1]
    return dt.date(year, month, day)


def task_state(report: TaskReport | None, deadline: dt.date, today: dt.date) -> str:
    if report is not None and report.status == TaskReport.Status.SUBMITTED:
        assert report.submitted_at is not None
        submitted = timezone.localtime(report.submitted_at).date()
        return SUBMITTED if submitted < deadline else SUBMITTED_LATE
    if today >= deadline:
        return LATE
    return DRAFT if report is not None else NOT_STARTED


@dataclass(frozen=True)
class TaskLine:
    task: Task
    report: TaskReport | None
    state: str


def task_report_lines(*, user: Any, plan: Plan, year: int, today: dt.date) -> list[TaskLine]:
    """The plan's tasks the user may see, each with its report for ``year``."""
    tasks = list(plan_tasks(user=user, plan=plan).order_by("agency__name", "order"))
    reports = {
        r.task_id: r
        for r in TaskReport.objects.filter(task__in=tasks, year=year).prefetch_related(
            "attachments"
        )
    }
    deadline = report_deadline(plan, year)
    return [
        TaskLine(task, reports.get(task.pk), task_state(reports.get(task.pk), deadline, today))
        for task in tasks
    ]


@dataclass
class AgencyLine:
    agency: Agency
    lines: list[TaskLine] = field(default_factory=list)

    @property
    def counts(self) -> Counter[str]:
        return Counter(line.state for line in self.lines)

    @property
    def state(self) -> str:
        """Late when any task is overdue; reported when every task is submitted; in
        progress when something was written; otherwise not started."""
        counts = self.counts
        if counts[LATE]:
            return LATE
        if counts[SUBMITTED] + counts[SUBMITTED_LATE] == len(self.lines):
            return SUBMITTED_LATE if counts[SUBMITTED_LATE] else SUBMITTED
        if counts[DRAFT] or counts[SUBMITTED] or counts[SUBMITTED_LATE]:
            return DRAFT
        return NOT_STARTED

    @property
    def last_submitted(self) -> dt.datetime | None:
        times = [
            line.report.submitted_at
            for line in self.lines
            if line.report is not None and line.report.submitted_at
        ]
        return max(times) if times else None


@dataclass(frozen=True)
class Board:
    plan: Plan
    year: int
    deadline: dt.date
    agencies: list[AgencyLine]

    def count(self, state: str) -> int:
        return sum(1 for a in self.agencies if a.state == state)


def task_report_board(*, user: Any, plan: Plan, year: int, today: dt.date) -> Board:
    """Every agency of the plan with its tasks' states, the ones to chase first."""
    by_agency: dict[int, AgencyLine] = {}
    for line in task_report_lines(user=user, plan=plan, year=year, today=today):
        by_agency.setdefault(line.task.agency_id, AgencyLine(line.task.agency)).lines.append(line)
    order = {state: i for i, state in enumerate(STATES)}
    agencies = sorted(by_agency.values(), key=lambda a: (order[a.state], a.agency.name))
    return Board(plan=plan, year=year, deadline=report_deadline(plan, year), agencies=agencies)


def task_report_line(*, user: Any, plan: Plan, year: int, task_id: int, today: dt.date) -> TaskLine:
    for line in task_report_lines(user=user, plan=plan, year=year, today=today):
        if line.task.pk == task_id:
            return line
    raise Http404(_("No such task in your scope."))


def annual_report_get(*, plan: Plan, year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(plan=plan, year=year).prefetch_related("files").first()


def submitted_task_reports(*, plan: Plan, year: int) -> list[TaskReport]:
    """Submitted reports for the annual report (the caller holds the plan through scope)."""
    return list(
        TaskReport.objects.filter(
            task__plan=plan, year=year, status=TaskReport.Status.SUBMITTED
        ).select_related("task", "task__agency")
    )
