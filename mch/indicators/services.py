"""Writes to the indicator catalogue.

Definitions are append-only: a changed definition becomes a new ``IndicatorVersion`` and
the old one stays, because plan targets and computed results point at the version they
were made with. Nothing here updates or deletes a version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mch.indicators import registry
from mch.indicators.models import Indicator, IndicatorVersion, PopulationGroup

EDITABLE_FIELDS = frozenset(registry.VERSION_FIELDS)
# Versions written by the loader carry one of these reasons; that is how a reload tells a
# file change from an edit made in the admin site since the last load.
CREATED_FROM_FILE = "Tạo từ tệp "
UPDATED_FROM_FILE = "Cập nhật từ tệp "


@dataclass
class CatalogueLoadSummary:
    files: list[str] = field(default_factory=list)
    indicators_total: int = 0
    indicators_created: int = 0
    versions_created: int = 0
    unchanged: int = 0
    admin_edits_kept: list[str] = field(default_factory=list)
    domains_changed: int = 0
    groups_total: int = 0
    groups_created: int = 0
    groups_updated: int = 0
    changed_codes: list[str] = field(default_factory=list)
    not_in_files: list[str] = field(default_factory=list)


def catalogue_load(
    *, directory: Path | str | None = None, user: Any | None = None
) -> CatalogueLoadSummary:
    """Bring the database in line with the catalogue files; idempotent and all-or-nothing.

    A new indicator gets version 1; an indicator whose file definition differs from its
    latest version gets the next version; an unchanged one is left alone. An edit made in
    the admin site after the last load is kept as long as the file still says what was last
    loaded from it (otherwise every reload would undo it); once the file changes, the file
    wins and its definition becomes the next version. Indicators that
    exist in the database but no longer in any file are kept (codes are never reused) and
    listed in the summary. Raises ``registry.CatalogueError`` before writing anything when
    a file is malformed.
    """
    catalogue = registry.load_catalogue(directory)
    summary = CatalogueLoadSummary(
        files=list(catalogue.files),
        indicators_total=len(catalogue.indicators),
        groups_total=len(catalogue.population_groups),
    )
    with transaction.atomic():
        existing = {ind.code: ind for ind in Indicator.objects.select_for_update()}
        latest, latest_from_file = _latest_by_indicator(existing.values())
        for spec in catalogue.indicators:
            indicator = existing.get(spec.code)
            if indicator is None:
                indicator = Indicator.objects.create(code=spec.code, domain=spec.domain)
                _version_create(
                    indicator=indicator,
                    number=1,
                    values=spec.version_fields(),
                    reason=f"{CREATED_FROM_FILE}{spec.source}",
                    user=user,
                )
                summary.indicators_created += 1
                summary.versions_created += 1
                continue
            if indicator.domain != spec.domain:
                # The domain only groups indicators on pages; it is not part of a definition.
                indicator.domain = spec.domain
                indicator.save(update_fields=["domain"])
                summary.domains_changed += 1
            current = latest.get(indicator.pk)
            if current is not None and version_values(current) == spec.version_fields():
                summary.unchanged += 1
                continue
            loaded = latest_from_file.get(indicator.pk)
            if loaded is not None and version_values(loaded) == spec.version_fields():
                summary.unchanged += 1
                summary.admin_edits_kept.append(spec.code)
                continue
            _version_create(
                indicator=indicator,
                number=(current.version + 1) if current else 1,
                values=spec.version_fields(),
                reason=f"{UPDATED_FROM_FILE}{spec.source}",
                user=user,
            )
            summary.versions_created += 1
            summary.changed_codes.append(spec.code)
        summary.not_in_files = sorted(set(existing) - set(catalogue.codes))
        for group in catalogue.population_groups:
            obj, created = PopulationGroup.objects.get_or_create(
                code=group.code, defaults=group.model_fields()
            )
            if created:
                summary.groups_created += 1
            elif any(getattr(obj, k) != v for k, v in group.model_fields().items()):
                for key, value in group.model_fields().items():
                    setattr(obj, key, value)
                obj.save()
                summary.groups_updated += 1
    return summary


def indicator_version_create(
    *, indicator: Indicator, changes: dict[str, Any], reason: str, user: Any | None
) -> IndicatorVersion:
    """Record an edit made by a person as the next version of ``indicator``.

    ``changes`` holds only the definition fields that change; the rest is copied from the
    latest version. The result is validated by the same rules as the catalogue files.
    """
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Trường không sửa được: {', '.join(unknown)}")
    if not reason or not reason.strip():
        raise ValidationError({"change_reason": "Cần ghi lý do thay đổi định nghĩa."})
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        current = indicator.versions.order_by("-version").first()
        values = version_values(current) if current else {}
        values.update(changes)
        spec = indicator_spec_validate(indicator=indicator, values=values)
        if current is not None and version_values(current) == spec.version_fields():
            raise ValidationError("Định nghĩa không thay đổi so với phiên bản hiện hành.")
        return _version_create(
            indicator=indicator,
            number=(current.version + 1) if current else 1,
            values=spec.version_fields(),
            reason=reason.strip(),
            user=user,
        )


def indicator_spec_validate(
    *, indicator: Indicator, values: dict[str, Any]
) -> registry.IndicatorSpec:
    """Check definition ``values`` with the catalogue rules; raise ``ValidationError``."""
    raw = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
    raw.update(code=indicator.code, domain=indicator.domain)
    if isinstance(raw.get("disaggregations"), tuple):
        raw["disaggregations"] = list(raw["disaggregations"])
    try:
        return registry.parse_indicator(raw, source="admin", label=f"Chỉ số '{indicator.code}'")
    except registry.CatalogueError as exc:
        raise ValidationError(exc.errors) from exc


def version_values(version: IndicatorVersion) -> dict[str, Any]:
    """The definition fields of a stored version, comparable with ``spec.version_fields()``."""
    values = {name: getattr(version, name) for name in registry.VERSION_FIELDS}
    values["disaggregations"] = list(values["disaggregations"] or [])
    values["compute"] = values["compute"] or {}
    return values


def _latest_by_indicator(
    indicators: Any,
) -> tuple[dict[int, IndicatorVersion], dict[int, IndicatorVersion]]:
    """Latest version of each indicator, and latest version written by the loader."""
    latest: dict[int, IndicatorVersion] = {}
    from_file: dict[int, IndicatorVersion] = {}
    ids = [ind.pk for ind in indicators]
    for version in IndicatorVersion.objects.filter(indicator_id__in=ids).order_by("version"):
        latest[version.indicator_id] = version
        if version.change_reason.startswith((CREATED_FROM_FILE, UPDATED_FROM_FILE)):
            from_file[version.indicator_id] = version
    return latest, from_file


def _version_create(
    *, indicator: Indicator, number: int, values: dict[str, Any], reason: str, user: Any | None
) -> IndicatorVersion:
    version = IndicatorVersion(
        indicator=indicator, version=number, change_reason=reason[:300], created_by=user, **values
    )
    # An empty list of disaggregations is valid, but JSONField counts [] as blank.
    version.full_clean(exclude=["disaggregations", "compute"])
    version.save(force_insert=True)
    return version
