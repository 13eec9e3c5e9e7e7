"""The yearly reporting cycle of a plan: each agency's report on each of its tasks, and the
province's annual report (Báo cáo kết quả thực hiện) with its editable parts and the files
generated from it.

Files (attachments, generated reports) are kept in the database: they are small, they
follow the database's backups and scope checks, and no media server is needed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


class TaskReport(models.Model):
    """An agency's report for one year on one task of a plan. A draft may be edited any
    number of times; once submitted it is locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    narrative = models.TextField(_("results"), blank=True)
    # [{"label": "Số lớp tập huấn", "value": "12", "unit": "lớp"}, ...] as the agency writes them
    figures = models.JSONField(_("figures"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["task__plan_id", "task__order", "year"]
        constraints = [
            models.UniqueConstraint(fields=["task", "year"], name="task_report_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="task_report_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} / {self.year} ({self.status})"


class TaskReportAttachment(models.Model):
    report = models.ForeignKey(TaskReport, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class AnnualReport(models.Model):
    """What the Department of Health writes into a plan's annual report for a year; the
    figures themselves are never stored here, they come from the engine when generated."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number"), max_length=60, blank=True)
    report_date = models.DateField(_("date"), null=True, blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    budget_spent_vnd = models.BigIntegerField(_("budget spent (VND)"), null=True, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    signer_authority = models.CharField(max_length=80, blank=True)
    signer_position = models.CharField(max_length=80, blank=True)
    signer_name = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="annual_report_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} / {self.year}"


class AnnualReportFile(models.Model):
    class Kind(models.TextChoices):
        DOCX = "docx", "Word (.docx)"
        XLSX = "xlsx", "Excel (.xlsx)"
        PDF = "pdf", "PDF"

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    data = models.BinaryField()
    as_of = models.DateTimeField(help_text="The figures' 'số liệu đến'.")
    generated_at = models.DateTimeField(auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="annual_report_file_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}.{self.kind}"


class Reminder(models.Model):
    """A reminder sent to an agency's user about one task's report for a year, once per
    stage (days before the deadline); the home page shows the user's reminders whose
    report is still not submitted. ``emailed`` tells whether an e-mail went out too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_reminders"
    )
    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="reminders")
    year = models.PositiveSmallIntegerField()
    stage = models.SmallIntegerField(help_text="Days before the deadline; 0: overdue.")
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "task", "year", "stage"], name="reminder_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.task_id} / {self.year} / {self.stage}"
