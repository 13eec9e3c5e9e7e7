"""Generate the annual report's three files from one gathering of its figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from mch.plans.models import Plan
from mch.registers.models import AuditAction
from mch.registers.services.audit import audit_log

from ..models import AnnualReportFile
from ..services import annual_report_ensure
from .data import annual_report_data
from .docx import annual_report_docx
from .html import annual_report_html
from .pdf import html_to_pdf
from .xlsx import annual_report_xlsx

Progress = Callable[[int, str], None]


def annual_report_generate(
    *,
    user: Any,
    plan: Plan,
    year: int,
    as_of: dt.datetime | None = None,
    progress: Progress | None = None,
) -> dict[str, AnnualReportFile]:
    """The .docx, the .xlsx annex and the PDF for ``plan`` and ``year``, kept with the
    report (each kind replaced by the new one). ``progress(percent, step)`` reports steps."""
    say = progress or (lambda percent, step: None)
    as_of = as_of or timezone.now()
    say(5, "Tính số liệu các chỉ tiêu")
    data = annual_report_data(user=user, plan=plan, year=year, as_of=as_of)
    say(45, "Tạo tệp Word")
    docx = annual_report_docx(data)
    say(60, "Tạo phụ lục Excel")
    xlsx = annual_report_xlsx(data)
    say(70, "In PDF")
    pdf = html_to_pdf(annual_report_html(data))
    say(95, "Lưu tệp")
    files: dict[str, AnnualReportFile] = {}
    with transaction.atomic():
        report = annual_report_ensure(plan=plan, year=year)
        for kind, content in (("docx", docx), ("xlsx", xlsx), ("pdf", pdf)):
            AnnualReportFile.objects.filter(report=report, kind=kind).delete()
            files[kind] = AnnualReportFile.objects.create(
                report=report, kind=kind, data=content, as_of=as_of, generated_by=user
            )
        audit_log(
            user=user,
            action=AuditAction.EXPORT,
            instance=report,
            note=f"Tạo báo cáo năm {year} (docx, xlsx, pdf)",
        )
    say(100, "Xong")
    return files
