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
from .charts import trend_svg
from .data import annual_report_data
from .docx import annual_report_docx
from .html import annual_report_html
from .pdf import html_to_pdf, svgs_to_png
from .xlsx import annual_report_xlsx

# The job's phases, in order (mch.jobs shows them); ``progress(phase, done, total, message)``.
PHASES = ("tính số liệu", "tạo tệp Word", "tạo phụ lục Excel", "in PDF", "lưu")
Progress = Callable[[str, int, int, str], None]


class GenerationFailed(Exception):
    """A step of the generation failed; the message says which and why, in Vietnamese."""


def annual_report_generate(
    *,
    user: Any,
    plan: Plan,
    year: int,
    as_of: dt.datetime | None = None,
    progress: Progress | None = None,
) -> dict[str, AnnualReportFile]:
    """The .docx, the .xlsx annex and the PDF for ``plan`` and ``year``, kept with the
    report (each kind replaced by the new one). ``progress(phase, done, total, message)``
    reports steps out of 100; a failed step raises ``GenerationFailed`` naming it."""
    say = progress or (lambda phase, done, total, message: None)
    as_of = as_of or timezone.now()
    say(PHASES[0], 5, 100, "Tính số liệu các chỉ tiêu từ sổ đăng ký và kế hoạch")
    data = _step(
        "Không tính được số liệu", annual_report_data, user=user, plan=plan, year=year, as_of=as_of
    )
    say(PHASES[1], 40, 100, "Vẽ biểu đồ xu hướng")
    charts = _step(
        "Không vẽ được biểu đồ", lambda: svgs_to_png([trend_svg(t) for t in data.trends])
    )
    say(PHASES[1], 50, 100, "Tạo tệp Word (Nghị định 30)")
    docx = _step("Không tạo được tệp Word", annual_report_docx, data, charts)
    say(PHASES[2], 60, 100, "Tạo phụ lục 1 (Excel)")
    xlsx = _step("Không tạo được phụ lục Excel", annual_report_xlsx, data)
    say(PHASES[3], 70, 100, "In PDF bằng Chromium")
    pdf = _step("Không in được PDF", lambda: html_to_pdf(annual_report_html(data)))
    say(PHASES[4], 95, 100, "Lưu các tệp")
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
    say(PHASES[4], 100, 100, "Xong")
    return files


def _step(what: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except GenerationFailed:
        raise
    except Exception as error:
        raise GenerationFailed(f"{what}: {_reason(error)}") from error


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    name = type(error).__name__
    if "Executable doesn't exist" in str(error) or isinstance(error, FileNotFoundError):
        return f"không tìm thấy trình duyệt Chromium ({text[:200]})"
    if name in ("TimeoutError", "Error") and "playwright" in type(error).__module__:
        return f"trình duyệt Chromium báo lỗi ({text[:200]})"
    return f"{name}: {text[:300]}"
