"""Imports, the audit trail and provincial settings of the registers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One import of a bundle of files: what came in, what was refused, how far it got."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        REJECTED = "rejected", _("Rejected (nothing saved)")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CHECKING)
    keep_valid_rows = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    # {"errors": [{"file": ..., "row": ..., "column": ..., "message": ...}], "counts": {...}}
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class AuditAction(models.TextChoices):
    CREATE = "create", _("Record created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    MERGE = "merge", _("Merged")
    IMPORT = "import", _("Imported")
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")


class AuditEntry(models.Model):
    """Who did what to which record, when. Never updated; never deleted by the application,
    except views and exports older than AUDIT_READ_RETENTION_DAYS (``audit_reads_prune``)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=8, choices=AuditAction.choices)
    model = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    # Plain id (no foreign key) so the trail outlives merges and deletions.
    person_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person_id", "at"], name="audit_person_at")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.model} {self.object_id}"


class RegisterSettings(models.Model):
    """Choices a province makes (domain.md: "a provincial setting"). The row without a
    province is the national default."""

    province = models.OneToOneField(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    village_midwife_is_skilled = models.BooleanField(
        _("trained village midwife counts as skilled attendant"), default=False
    )
    iron_tablets_full = models.PositiveSmallIntegerField(
        _("tablets for a full iron/micronutrient course"), default=90
    )
    anc_revisit_days = models.PositiveSmallIntegerField(
        _("days after a visit when the next antenatal visit is due"), default=30
    )
    anc_overdue_days = models.PositiveSmallIntegerField(
        _("days after the due date when a visit is overdue"), default=14
    )
    followup_days = models.PositiveSmallIntegerField(
        _("days after a stunting/wasting measurement when a follow-up is due"), default=30
    )

    class Meta:
        verbose_name_plural = "register settings"

    def __str__(self) -> str:
        return f"Register settings: {self.province or 'national'}"
