"""The audit trail: who created, changed, merged, viewed or exported which record."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import transaction
from django.db.models import Model

from ..models import AuditAction, AuditEntry

_SKIP = {"updated_at", "created_at", "name_key"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def snapshot(instance: Model) -> dict[str, Any]:
    """The stored values of a row, by column (foreign keys as ids)."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SKIP or field.primary_key:
            continue
        values[field.attname] = _plain(getattr(instance, field.attname))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def audit_log(
    *,
    user: Any,
    action: str,
    instance: Model | None = None,
    person_id: int | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    import_batch_id: int | None = None,
) -> AuditEntry:
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    if action not in (AuditAction.VIEW, AuditAction.EXPORT) and person_id is not None:
        # What the change can move in the stored indicator cells, refreshed on commit.
        from mch.indicators.adapter import aggregates

        aggregates.record_touch(
            instance=instance, action=action, person_id=person_id, changes=changes or {}
        )
    return AuditEntry.objects.create(
        user=actor,
        action=action,
        model=(instance._meta.model_name or "") if instance is not None else "",
        object_id=instance.pk if instance is not None else None,
        person_id=person_id,
        changes=changes or {},
        note=note[:300],
        import_batch_id=import_batch_id,
    )


def audit_view(*, user: Any, person_id: int, note: str = "") -> AuditEntry:
    """Log that a user opened an identifiable record (Law 91/2025/QH15)."""
    return audit_log(user=user, action=AuditAction.VIEW, person_id=person_id, note=note)


READ_ACTIONS = (AuditAction.VIEW, AuditAction.EXPORT)
PRUNE_BATCH = 5000


def audit_reads_prune(*, before: dt.datetime, dry_run: bool = False) -> int:
    """Delete the entries of views and exports made before ``before``; return how many.

    Only reads: the entries of creations, changes, merges, imports and deletions are the
    history of a person's record and are never pruned. Deleted in batches so a large trail
    never holds a long lock."""
    rows = AuditEntry.objects.filter(action__in=READ_ACTIONS, at__lt=before)
    if dry_run:
        return rows.count()
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(rows.order_by("id").values_list("id", flat=True)[:PRUNE_BATCH])
            if not ids:
                return deleted
            deleted += AuditEntry.objects.filter(id__in=ids).delete()[0]
