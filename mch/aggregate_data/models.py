"""Periodic aggregate reports: the definitions in force (versioned), the official days off,
one report per form × unit × period, and its values."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DefinitionVersion(models.Model):
    """A loaded copy of the definitions file; never changed once written."""

    number = models.PositiveIntegerField(unique=True)
    data = models.JSONField()
    digest = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number} ({self.source})"


class Holiday(models.Model):
    """An official day off on a weekday, or a Saturday worked in exchange (``working_saturday``)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, blank=True)
    working_saturday = models.BooleanField(default=False)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    DISTRICT_APPROVED = "district_approved", _("Checked by the district")
    APPROVED = "approved", _("Approved")


class PeriodicReport(models.Model):
    form_code = models.CharField(max_length=64)
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period_kind = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.ForeignKey(DefinitionVersion, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # Timeliness counts the first submission: a report reopened later stays on time.
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    district_approved_at = models.DateTimeField(null=True, blank=True)
    district_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form_code", "unit", "period_start", "period_end"],
                name="aggregate_report_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="aggregate_report_period",
            ),
        ]
        indexes = [models.Index(fields=["form_code", "period_start"], name="aggregate_form_period")]

    def __str__(self) -> str:
        return f"{self.form_code} {self.unit_id} {self.period_start:%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        return self.status != ReportStatus.DRAFT


class DataValue(models.Model):
    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="values")
    element = models.CharField(max_length=64)
    cell = models.CharField(max_length=200)
    value = models.PositiveIntegerField()
    # What the registers gave when the value was saved (null: no registers or no rule).
    register_value = models.IntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "element", "cell"], name="aggregate_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.element}/{self.cell}={self.value}"
