"""Every write of periodic aggregate reports, each audited (``registers.AuditEntry``).

Errors are ``ValidationError`` with Vietnamese messages (keyed by cell ``element/cell``
for values) or ``PermissionDenied``; nothing is saved when one is raised. The page, the
file import (CSV, XLSX, ADX, DHIS2 JSON) and the demo loader all write values through
``_values_write``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mch.indicators.engine.periods import Period
from mch.orgunits.models import OrgUnit
from mch.registers.models import AuditAction
from mch.registers.services.audit import audit_log

from . import access, registry
from .deadlines import Calendar
from .models import DataValue, DefinitionVersion, Holiday, PeriodicReport, ReportStatus
from .periods import PeriodInvalid, period_from_token, period_label

MAX_VALUE = 10_000_000
Cells = Mapping[tuple[str, str], Any]


# -- definitions and holidays -----------------------------------------------------------
@dataclass(frozen=True)
class LoadSummary:
    version: int
    version_created: bool
    holidays: int
    working_saturdays: int


@transaction.atomic
def definitions_load(
    *, path: Path | str | None = None, holidays_path: Path | str | None = None, user: Any = None
) -> LoadSummary:
    """Load the definitions file (a new version when its content changed; idempotent) and
    the holidays file (rows upserted by date, days no longer in the file removed)."""
    spec = registry.load_definitions_file(path)
    source, days = registry.load_holidays_file(holidays_path)
    current = DefinitionVersion.objects.select_for_update().order_by("-number").first()
    created = current is None or current.digest != spec.digest
    if created:
        current = DefinitionVersion.objects.create(
            number=(current.number + 1) if current else 1,
            data=spec.data,
            digest=spec.digest,
            source=Path(path or registry.DEFINITIONS_FILE).name,
            loaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
    assert current is not None
    Holiday.objects.exclude(date__in=[d.date for d in days]).delete()
    for day in days:
        Holiday.objects.update_or_create(
            date=day.date,
            defaults={
                "name": day.name,
                "status": day.status,
                "working_saturday": day.working_saturday,
                "source": source[:300],
            },
        )
    return LoadSummary(
        version=current.number,
        version_created=created,
        holidays=sum(not d.working_saturday for d in days),
        working_saturdays=sum(d.working_saturday for d in days),
    )


def definitions_current() -> tuple[DefinitionVersion, registry.Definitions]:
    """The version in force (loading the shipped files the first time)."""
    version = DefinitionVersion.objects.order_by("-number").first()
    if version is None:
        definitions_load()
        version = DefinitionVersion.objects.order_by("-number").first()
    assert version is not None
    return version, definitions_of(version.pk, version.digest)


@lru_cache(maxsize=16)
def _parsed(pk: int, digest: str) -> registry.Definitions:
    return registry.Definitions(DefinitionVersion.objects.get(pk=pk).data)


def definitions_of(version_id: int, digest: str = "") -> registry.Definitions:
    if not digest:
        digest = DefinitionVersion.objects.values_list("digest", flat=True).get(pk=version_id)
    return _parsed(version_id, digest)


def calendar() -> Calendar:
    rows = list(Holiday.objects.values_list("date", "working_saturday"))
    return Calendar.of([d for d, sat in rows if not sat], [d for d, sat in rows if sat])


def reporting_level(unit: OrgUnit) -> str:
    return unit.level if unit.level in registry.LEVELS else "province"


def district_step_applies(
    defs: registry.Definitions, period_end: dt.date, unit: OrgUnit | None = None
) -> bool:
    """Whether a commune's report of a period ending ``period_end`` is checked by its
    district before the province approves it (a district's or province's own report
    is approved in one step)."""
    if unit is not None and reporting_level(unit) != "commune":
        return False
    return period_end < defs.district_step_until


# -- values ------------------------------------------------------------------------------
def _parse_value(raw: Any) -> tuple[int | None, str]:
    if raw is None:
        return None, ""
    if isinstance(raw, bool):
        return None, "Giá trị phải là số nguyên không âm"
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            return None, "Giá trị phải là số nguyên (không có phần thập phân)"
        number = int(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if text == "":
            return None, ""
        if text.startswith("-"):
            return None, "Giá trị không được âm"
        # Thousands written with a dot ("1.250") are accepted; a decimal part is not.
        if "," in text or (text.count(".") == 1 and len(text.split(".")[1]) != 3):
            return None, "Giá trị phải là số nguyên (không có phần thập phân)"
        text = text.replace(".", "")
        if not text.isdigit():
            return None, f"'{raw}' không phải là số"
        number = int(text)
    if number < 0:
        return None, "Giá trị không được âm"
    if number > MAX_VALUE:
        return None, f"Giá trị quá lớn (tối đa {MAX_VALUE:,})".replace(",", ".")
    return number, ""


def cell_key(element: str, cell: str) -> str:
    return f"{element}/{cell}"


def _check_cells(
    defs: registry.Definitions, form: registry.Form, values: Cells
) -> tuple[dict[tuple[str, str], int | None], dict[str, str]]:
    known = {
        (element.code, cell.code) for element in defs.form_elements(form) for cell in element.cells
    }
    parsed: dict[tuple[str, str], int | None] = {}
    errors: dict[str, str] = {}
    for (element, cell), raw in values.items():
        key = cell_key(element, cell)
        if element not in defs.elements or element not in form.elements:
            errors[key] = f"Chỉ tiêu '{element}' không có trong biểu {form.code}"
            continue
        if (element, cell) not in known:
            errors[key] = f"Phân tổ '{cell}' không thuộc chỉ tiêu '{element}'"
            continue
        number, problem = _parse_value(raw)
        if problem:
            errors[key] = problem
        else:
            parsed[(element, cell)] = number
    return parsed, errors


def _report_for_write(
    *, user: Any, form_code: str, unit: OrgUnit, period: Period
) -> tuple[PeriodicReport, registry.Definitions, bool]:
    version, defs = definitions_current()
    try:
        form = defs.form(form_code)
    except KeyError as exc:
        raise ValidationError(str(exc.args[0])) from exc
    if period.kind != form.period:
        raise ValidationError(
            f"Biểu {form.code} báo cáo theo kỳ '{form.period}', không phải '{period.kind}'"
        )
    if not access.can_enter(user, unit):
        raise PermissionDenied("Tài khoản này không nhập báo cáo cho đơn vị này.")
    report = (
        PeriodicReport.objects.select_for_update()
        .filter(form_code=form_code, unit=unit, period_start=period.start, period_end=period.end)
        .first()
    )
    created = report is None
    if report is None:
        report = PeriodicReport.objects.create(
            form_code=form_code,
            unit=unit,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            version=version,
        )
        audit_log(
            user=user,
            action=AuditAction.CREATE,
            instance=report,
            changes={"form": form_code, "unit": unit.pk, "period": period_label(period)},
            note="Mở báo cáo định kỳ",
        )
    elif report.is_locked:
        raise ValidationError(
            f"Báo cáo {period_label(period)} của {unit.name} đã "
            f"{ReportStatus(report.status).label.lower()}: không sửa được (cần mở lại, có lý do)."
        )
    return report, definitions_of(report.version_id), created


def _values_write(
    *,
    user: Any,
    report: PeriodicReport,
    values: Mapping[tuple[str, str], int | None],
    register_values: Mapping[tuple[str, str], int] | None,
    action: str,
    note: str,
) -> dict[str, list[Any]]:
    existing = {(v.element, v.cell): v for v in report.values.all()}
    changes: dict[str, list[Any]] = {}
    actor = user if getattr(user, "is_authenticated", False) else None
    register_values = register_values or {}
    for key, number in values.items():
        old = existing.get(key)
        before = old.value if old else None
        if number is None:
            if old is not None:
                old.delete()
                changes[cell_key(*key)] = [before, None]
            continue
        if old is None:
            DataValue.objects.create(
                report=report,
                element=key[0],
                cell=key[1],
                value=number,
                register_value=register_values.get(key),
                updated_by=actor,
            )
            changes[cell_key(*key)] = [None, number]
        elif old.value != number or (
            key in register_values and old.register_value != register_values[key]
        ):
            old.value = number
            if key in register_values:
                old.register_value = register_values[key]
            old.updated_by = actor
            old.save(update_fields=["value", "register_value", "updated_by", "updated_at"])
            if before != number:
                changes[cell_key(*key)] = [before, number]
    if changes:
        audit_log(user=user, action=action, instance=report, changes=changes, note=note)
    report.save(update_fields=["updated_at"])
    return changes


@transaction.atomic
def report_values_save(
    *,
    user: Any,
    form_code: str,
    unit: OrgUnit,
    period: Period,
    values: Cells,
    register_values: Mapping[tuple[str, str], int] | None = None,
    submit: bool = False,
    now: dt.datetime | None = None,
) -> PeriodicReport:
    """Save a draft's values (all or none); ``submit`` also sends it for approval.
    An empty value removes the cell (not reported). Register values are kept beside the
    entered ones, never in their place."""
    report, defs, _ = _report_for_write(user=user, form_code=form_code, unit=unit, period=period)
    parsed, errors = _check_cells(defs, defs.form(form_code), values)
    if errors:
        raise ValidationError(errors)
    _values_write(
        user=user,
        report=report,
        values=parsed,
        register_values=register_values,
        action=AuditAction.UPDATE,
        note="Lưu giá trị báo cáo định kỳ",
    )
    if submit:
        _submit(user=user, report=report, defs=defs, now=now)
    return report


@transaction.atomic
def report_values_from_communes(
    *, user: Any, form_code: str, unit: OrgUnit, period: Period
) -> PeriodicReport:
    """A province's (district's) draft set to the sums of its communes' counted reports:
    every cell of the form replaced, a cell no counted commune reported emptied."""
    from .rollup import is_rollup_unit, rollup

    if not is_rollup_unit(unit):
        raise ValidationError("Chỉ báo cáo của tỉnh (huyện) được tổng hợp từ các xã.")
    _, defs = definitions_current()
    lower = rollup(
        user=user,
        form_code=form_code,
        unit=unit,
        period=period,
        district_step=period.end < defs.district_step_until,
    )
    if not lower.counted:
        raise ValidationError("Chưa có báo cáo xã nào được duyệt: chưa tổng hợp được.")
    form = defs.form(form_code)
    values = {
        (element.code, cell.code): lower.sums.get((element.code, cell.code))
        for element in defs.form_elements(form)
        for cell in element.cells
    }
    return report_values_save(
        user=user, form_code=form_code, unit=unit, period=period, values=values
    )


def _submit(
    *, user: Any, report: PeriodicReport, defs: registry.Definitions, now: dt.datetime | None
) -> None:
    if not report.values.exists():
        raise ValidationError("Báo cáo chưa có giá trị nào: không nộp được.")
    moment = now or timezone.now()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = moment
    report.first_submitted_at = report.first_submitted_at or moment
    report.submitted_by = user if getattr(user, "is_authenticated", False) else None
    report.save(
        update_fields=["status", "submitted_at", "first_submitted_at", "submitted_by", "updated_at"]
    )
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=report,
        changes={"status": [ReportStatus.DRAFT, ReportStatus.SUBMITTED]},
        note="Nộp báo cáo định kỳ",
    )


def _locked(report: PeriodicReport) -> PeriodicReport:
    return PeriodicReport.objects.select_for_update().select_related("unit").get(pk=report.pk)


@transaction.atomic
def report_submit(
    *, user: Any, report: PeriodicReport, now: dt.datetime | None = None
) -> PeriodicReport:
    report = _locked(report)
    if not access.can_enter(user, report.unit):
        raise PermissionDenied("Tài khoản này không nộp báo cáo cho đơn vị này.")
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Chỉ nộp được báo cáo đang là bản nháp.")
    _submit(user=user, report=report, defs=definitions_of(report.version_id), now=now)
    return report


@transaction.atomic
def report_approve(
    *, user: Any, report: PeriodicReport, now: dt.datetime | None = None
) -> PeriodicReport:
    """Submitted → approved, or for periods before 1 July 2025 submitted → checked by the
    district → approved by the province. An approved report is locked."""
    report = _locked(report)
    if not access.can_approve(user, report.unit, submitted_by_id=report.submitted_by_id):
        if report.unit.level == "province" and access.can_approve(user, report.unit):
            raise PermissionDenied("Báo cáo của tỉnh do một cán bộ tỉnh khác với người nộp duyệt.")
        raise PermissionDenied("Tài khoản này không duyệt báo cáo của đơn vị này.")
    defs = definitions_of(report.version_id)
    moment = now or timezone.now()
    before = report.status
    district_step = district_step_applies(defs, report.period_end, report.unit)
    if report.status == ReportStatus.SUBMITTED and district_step:
        report.status = ReportStatus.DISTRICT_APPROVED
        report.district_approved_at, report.district_approved_by = moment, user
        note = "Huyện duyệt báo cáo định kỳ"
        if not access.is_district_user(user):
            note += " (tỉnh thay mặt huyện)"
    elif report.status == ReportStatus.DISTRICT_APPROVED or (
        report.status == ReportStatus.SUBMITTED and not district_step
    ):
        if district_step and access.is_district_user(user) and not user.is_superuser:
            raise PermissionDenied("Bước duyệt của tỉnh do cán bộ tỉnh thực hiện.")
        report.status = ReportStatus.APPROVED
        report.approved_at, report.approved_by = moment, user
        note = "Tỉnh duyệt báo cáo định kỳ"
    else:
        raise ValidationError("Chỉ duyệt được báo cáo đã nộp.")
    report.save()
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=report,
        changes={"status": [before, report.status]},
        note=note,
    )
    return report


@transaction.atomic
def report_reopen(
    *, user: Any, report: PeriodicReport, reason: str, now: dt.datetime | None = None
) -> PeriodicReport:
    """A submitted or approved report back to draft, with the reason in the audit trail."""
    report = _locked(report)
    if not access.can_approve(user, report.unit):
        raise PermissionDenied("Tài khoản này không mở lại báo cáo của đơn vị này.")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": "Cần ghi lý do mở lại (ít nhất 5 ký tự)."})
    if report.status == ReportStatus.DRAFT:
        raise ValidationError("Báo cáo đang là bản nháp, không cần mở lại.")
    before = report.status
    report.status = ReportStatus.DRAFT
    report.approved_at = report.approved_by = None
    report.district_approved_at = report.district_approved_by = None
    report.reopened_count += 1
    report.save()
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=report,
        changes={"status": [before, ReportStatus.DRAFT], "reason": reason},
        note=f"Mở lại: {reason}"[:300],
    )
    return report


# -- import of a period's values -----------------------------------------------------------
@dataclass(frozen=True)
class ImportRow:
    line: int | str  # row number or position in the file, for the messages
    form: str
    unit: str  # unit code
    period: str  # period token (2026-03, 2026-Q1, ...)
    element: str
    cell: str
    value: Any


@dataclass
class ImportSummary:
    reports: int = 0
    created: int = 0
    values: int = 0
    changed: int = 0
    problems: list[str] = field(default_factory=list)


class ImportRefused(ValidationError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems)


def _unit_find(
    code: str, on: dt.date, cache: dict[tuple[str, dt.date], OrgUnit | None]
) -> OrgUnit | None:
    key = (code, on)
    if key not in cache:
        found = list(OrgUnit.objects.filter(code=code).valid_on(on)[:2])
        cache[key] = found[0] if len(found) == 1 else None
    return cache[key]


@transaction.atomic
def values_import(*, user: Any, rows: Sequence[ImportRow], source: str) -> ImportSummary:
    """Write the values of several reports (unit × period) from a file: every row is
    checked first; one problem and nothing is written (``ImportRefused`` lists them by
    row). Reports not yet open are created as drafts; submitted or approved ones refuse."""
    _, defs = definitions_current()
    problems: list[str] = []
    groups: dict[tuple[str, int, Period], dict[tuple[str, str], Any]] = defaultdict(dict)
    lines: dict[tuple[str, int, Period, str, str], int | str] = {}
    units: dict[tuple[str, dt.date], OrgUnit | None] = {}
    by_id: dict[int, OrgUnit] = {}
    if not rows:
        raise ImportRefused(["Tệp không có dòng giá trị nào."])
    for row in rows:
        where = f"Dòng {row.line}"
        if row.form not in defs.forms:
            problems.append(f"{where}: không có biểu mẫu '{row.form}'")
            continue
        try:
            period = period_from_token(row.period)
        except PeriodInvalid as exc:
            problems.append(f"{where}: {exc}")
            continue
        form = defs.forms[row.form]
        if period.kind != form.period:
            problems.append(
                f"{where}: biểu {form.code} báo cáo theo kỳ '{form.period}', kỳ '{row.period}' không đúng loại"
            )
            continue
        unit = _unit_find(row.unit, period.end, units)
        if unit is None:
            problems.append(
                f"{where}: không tìm thấy đơn vị mã '{row.unit}' (còn hiệu lực ngày {period.end:%d/%m/%Y})"
            )
            continue
        if not access.can_enter(user, unit):
            problems.append(f"{where}: tài khoản này không nhập được báo cáo của {unit.name}")
            continue
        by_id[unit.pk] = unit
        key = (row.element, row.cell or registry.TOTAL)
        if (row.form, unit.pk, period, *key) in lines:
            problems.append(
                f"{where}: trùng với dòng {lines[(row.form, unit.pk, period, *key)]} ({row.element}/{key[1]})"
            )
            continue
        lines[(row.form, unit.pk, period, *key)] = row.line
        _, errors = _check_cells(defs, form, {key: row.value})
        for message in errors.values():
            problems.append(f"{where}: {message}")
        groups[(row.form, unit.pk, period)][key] = row.value
    summary = ImportSummary()
    reports: list[tuple[PeriodicReport, dict[tuple[str, str], int | None]]] = []
    if not problems:
        for (form_code, unit_id, period), values in groups.items():
            unit = by_id[unit_id]
            try:
                report, report_defs, created = _report_for_write(
                    user=user, form_code=form_code, unit=unit, period=period
                )
            except (ValidationError, PermissionDenied) as exc:
                problems.append(f"{unit.name}, {period_label(period)}: {_message(exc)}")
                continue
            parsed, errors = _check_cells(report_defs, report_defs.form(form_code), values)
            problems += [
                f"{unit.name}, {period_label(period)}, {k}: {m}" for k, m in errors.items()
            ]
            reports.append((report, parsed))
            summary.created += created
    if problems:
        transaction.set_rollback(True)
        raise ImportRefused(problems)
    for report, parsed in reports:
        changes = _values_write(
            user=user,
            report=report,
            values=parsed,
            register_values=None,
            action=AuditAction.IMPORT,
            note=f"Nhập từ tệp {source}"[:300],
        )
        summary.reports += 1
        summary.values += sum(v is not None for v in parsed.values())
        summary.changed += len(changes)
    return summary


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)
