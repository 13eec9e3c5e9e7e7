"""Administration: provincial settings are edited here; the audit trail is read-only.
Records of people are edited through the register pages, which validate and audit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import AuditEntry, ImportBatch, RegisterSettings


@admin.register(RegisterSettings)
class RegisterSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "village_midwife_is_skilled", "iron_tablets_full")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "model", "object_id", "person_id", "note")
    list_filter = ("action", "model")
    search_fields = ("note", "=person_id", "=object_id")
    date_hierarchy = "at"


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "file_name",
        "status",
        "rows_total",
        "rows_created",
        "rows_rejected",
    )
    list_filter = ("status",)
