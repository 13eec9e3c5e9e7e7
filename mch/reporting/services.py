"""Writes of the reporting cycle: task reports (draft, submit, attachments) and the
annual report's editable parts. Every write checks the user's right on the task or plan
and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mch.plans.models import Plan, Task
from mch.registers.models import AuditAction
from mch.registers.services.audit import audit_log, diff, snapshot

from .models import MAX_ATTACHMENT_BYTES, AnnualReport, TaskReport, TaskReportAttachment
from .permissions import can_report_on, can_write_annual_report

MAX_FIGURES = 30


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str
    data: bytes


def _clean_figures(figures: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for item in figures:
        label = str(item.get("label", "")).strip()[:200]
        value = str(item.get("value", "")).strip()[:60]
        unit = str(item.get("unit", "")).strip()[:40]
        if not label and not value:
            continue
        if not label or not value:
            raise ValidationError("Mỗi số liệu cần cả tên và giá trị.")
        out.append({"label": label, "value": value, "unit": unit})
    if len(out) > MAX_FIGURES:
        raise ValidationError(f"Tối đa {MAX_FIGURES} số liệu cho một nhiệm vụ.")
    return out


@transaction.atomic
def task_report_save(
    *,
    user: Any,
    task: Task,
    year: int,
    narrative: str,
    figures: Sequence[dict[str, Any]] = (),
    uploads: Sequence[Upload] = (),
    submit: bool = False,
    now: dt.datetime | None = None,
) -> TaskReport:
    """Keep the draft of ``task``'s report for ``year``; ``submit`` sends it (then locked)."""
    if not can_report_on(user, task):
        raise PermissionDenied("Bạn không được báo cáo nhiệm vụ của cơ quan này.")
    if not task.plan.period_start <= year <= task.plan.period_end:
        raise ValidationError(f"Năm {year} ngoài thời kỳ của kế hoạch.")
    report = TaskReport.objects.select_for_update().filter(task=task, year=year).first()
    if report is not None and report.status == TaskReport.Status.SUBMITTED:
        raise ValidationError("Báo cáo đã gửi, không sửa được nữa.")
    cleaned = _clean_figures(figures)
    narrative = narrative.strip()
    if submit and not narrative:
        raise ValidationError("Cần ghi kết quả thực hiện trước khi gửi báo cáo.")
    for upload in uploads:
        if len(upload.data) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(f"Tệp {upload.name} lớn hơn 5 MB.")
    created = report is None
    before = {} if report is None else snapshot(report)
    if report is None:
        report = TaskReport(task=task, year=year)
    report.narrative = narrative
    report.figures = cleaned
    report.updated_by = user
    if submit:
        report.status = TaskReport.Status.SUBMITTED
        report.submitted_at = now or timezone.now()
        report.submitted_by = user
    report.save()
    for upload in uploads:
        TaskReportAttachment.objects.create(
            report=report,
            name=upload.name[:200],
            content_type=upload.content_type[:120],
            size=len(upload.data),
            data=upload.data,
            uploaded_by=user,
        )
    changes = diff(before, snapshot(report))
    if uploads:
        changes["attachments"] = [None, [u.name for u in uploads]]
    audit_log(
        user=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=report,
        changes=changes,
        note="Gửi báo cáo nhiệm vụ" if submit else "Lưu nháp báo cáo nhiệm vụ",
    )
    return report


ANNUAL_FIELDS = (
    "number",
    "report_date",
    "difficulties",
    "proposals",
    "budget_spent_vnd",
    "recipients",
    "signer_authority",
    "signer_position",
    "signer_name",
)


@transaction.atomic
def annual_report_save(*, user: Any, plan: Plan, year: int, **values: Any) -> AnnualReport:
    """Keep the editable parts of the annual report (narratives, number, date, signer,
    recipients, budget spent); the figures are never stored, they are generated."""
    if not can_write_annual_report(user):
        raise PermissionDenied("Chỉ Sở Y tế soạn báo cáo năm.")
    unknown = set(values) - set(ANNUAL_FIELDS)
    if unknown:
        raise TypeError(f"Không có trường {sorted(unknown)}")
    if values.get("budget_spent_vnd") is not None and values["budget_spent_vnd"] < 0:
        raise ValidationError("Kinh phí đã chi không được âm.")
    report, created = AnnualReport.objects.select_for_update().get_or_create(
        plan=plan, year=year, defaults=annual_report_defaults(plan=plan)
    )
    before = snapshot(report)
    for name, value in values.items():
        setattr(report, name, value)
    report.updated_by = user
    report.save()
    audit_log(
        user=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=report,
        changes=diff(before, snapshot(report)),
        note="Báo cáo năm",
    )
    return report


def annual_report_defaults(*, plan: Plan) -> dict[str, Any]:
    """A first draft's recipients and signer, from the plan's reporting clause."""
    recipient = plan.report_recipient or "UBND tỉnh"
    return {
        "recipients": "\n".join(
            ["Bộ Y tế (báo cáo);", f"{recipient} (báo cáo);", "Các sở, ngành liên quan;"]
        ),
        "signer_authority": "KT. GIÁM ĐỐC",
        "signer_position": "PHÓ GIÁM ĐỐC",
    }


def annual_report_ensure(*, plan: Plan, year: int) -> AnnualReport:
    report, _ = AnnualReport.objects.get_or_create(
        plan=plan, year=year, defaults=annual_report_defaults(plan=plan)
    )
    return report
