"""Register import (upload, progress, errors), exports of each register, the template.

The import is queued for the job worker (``mch worker``, ``mch.registers.bundle.jobs``);
the batch page shows the job's progress, stored in the database by the worker (HTMX polls
the fragment every second), then the batch's outcome. A failed run can be run again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mch.accounts.models import Role
from mch.accounts.permissions import can_see_people
from mch.accounts.scope import Scope
from mch.jobs.models import Job
from mch.orgunits.models import OrgUnit
from mch.registers.bundle.exporter import ALL, FORMATS, register_export
from mch.registers.bundle.jobs import (
    can_retry,
    import_job,
    register_import_enqueue,
    register_import_retry,
)
from mch.registers.bundle.reader import match_file
from mch.registers.bundle.spec import FILES
from mch.registers.bundle.template import template_workbook
from mch.registers.bundle.values import BadValue, parse_date
from mch.registers.models import ImportBatch

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
SHOWN_ERRORS = 500
STALE_AFTER = dt.timedelta(hours=2)
_IMPORTERS = {Role.PROVINCE_OFFICER, Role.COMMUNE_STAFF}


def can_import_registers(user: Any) -> bool:
    """Province programme officers and commune staff (and administrators)."""
    return bool(
        user.is_authenticated
        and can_see_people(user)
        and (user.is_superuser or user.role in _IMPORTERS)
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp dữ liệu (.xlsx, .csv hoặc .zip)",
        help_text="Mẫu .xlsx có một trang cho mỗi tệp; hoặc các tệp .csv (UTF-8) nén trong một tệp .zip.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.csv,.zip"}),
    )
    keep_valid_rows = forms.BooleanField(
        label="Nhập các dòng hợp lệ, bỏ qua dòng lỗi",
        required=False,
        help_text="Mặc định, nếu có dòng lỗi thì không lưu gì.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 100 MB: hãy chia thành nhiều lần nhập.")
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv", ".zip")):
            raise forms.ValidationError("Chỉ nhận tệp .xlsx, .csv hoặc .zip.")
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if not can_import_registers(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        keep = form.cleaned_data["keep_valid_rows"]
        batch = register_import_enqueue(
            user=request.user, file_name=upload.name, content=upload.read(), keep_valid_rows=keep
        )
        return redirect("register-import-batch", pk=batch.pk)
    batches = ImportBatch.objects.filter(created_by_id=request.user.pk).order_by("-created_at")[:10]
    return render(
        request,
        "web/registers/import.html",
        {"form": form, "batches": batches, "files": FILES, "nav_section": "registers"},
    )


def _batch_context(batch: ImportBatch) -> dict[str, Any]:
    job = import_job(batch)
    running = job is not None and not job.finished
    if job is None and batch.status in (ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING):
        # Imported before the job queue, in a thread of a web process that is gone.
        running = timezone.now() - batch.created_at < STALE_AFTER
    if job is not None and job.status == Job.Status.QUEUED:
        phase, percent, message = "", 0, "Đang chờ tiến trình xử lý bắt đầu…"
    elif job is not None:
        phase, percent, message = job.phase, job.percent, job.message
    else:
        phase, percent, message = "", 0, ""
    report = batch.report or {}
    errors = report.get("errors", [])
    counts = report.get("counts", {})
    titles = {spec.key: spec for spec in FILES}
    return {
        "batch": batch,
        "job": job,
        "running": running,
        "phase": phase,
        "percent": percent,
        "message": message,
        "can_retry": can_retry(batch, job),
        "errors": errors[:SHOWN_ERRORS],
        "errors_total": report.get("errors_total", len(errors)),
        "errors_hidden": max(0, report.get("errors_total", len(errors)) - SHOWN_ERRORS),
        "counts": [(titles[key], value) for key, value in counts.items() if key in titles],
        "failure": report.get("failure", "")
        or (job.failure.splitlines()[0] if job is not None and job.failure else "")
        or ("Máy chủ đã dừng trong khi nhập." if batch.status in ("checking", "importing") else ""),
    }


@login_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_import_registers(request.user):
        raise PermissionDenied
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    context = _batch_context(batch)
    if request.headers.get("HX-Request"):
        return render(request, "web/registers/import_status.html", context)
    return render(
        request, "web/registers/import_batch.html", {**context, "nav_section": "registers"}
    )


@login_required
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_import_registers(request.user):
        raise PermissionDenied
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    # Already running again, or its file is gone: the page then says what it is.
    with contextlib.suppress(ValueError):
        register_import_retry(batch=batch)
    return redirect("register-import-batch", pk=batch.pk)


@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    if not can_see_people(request.user):
        raise PermissionDenied
    return render(
        request,
        "web/registers/export.html",
        {
            "files": FILES,
            "formats": FORMATS,
            "can_import": can_import_registers(request.user),
            "nav_section": "registers",
        },
    )


def _period(request: HttpRequest) -> tuple[dt.date, dt.date] | None:
    try:
        start = parse_date(request.GET.get("tu", ""))
        end = parse_date(request.GET.get("den", ""))
    except BadValue as error:
        raise Http404(str(error)) from error
    if start is None and end is None:
        return None
    return (start or dt.date.min, end or dt.date.max)


@login_required
def export_file(request: HttpRequest, file: str, fmt: str) -> HttpResponse:
    if not can_see_people(request.user):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise Http404
    key = ALL if file in (ALL, "tat-ca") else getattr(match_file(file), "key", None)
    if key is None:
        raise Http404
    unit = None
    raw_unit = request.GET.get("xa", "").strip()
    if raw_unit:
        if not (raw_unit.isascii() and raw_unit.isdigit()):
            raise BadRequest(_("The commune (xa) must be given by its number."))
        unit = get_object_or_404(OrgUnit, pk=int(raw_unit))
        if not Scope.for_user(request.user).contains(unit):
            raise PermissionDenied
    export = register_export(
        user=request.user, file_key=key, fmt=fmt, unit=unit, period=_period(request)
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-so.xlsx"'
    return response
