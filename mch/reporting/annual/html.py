"""The annual report as one HTML page (A4 print CSS): the preview and the PDF's source."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from mch.documents.official import date_line

from .data import AnnualReportData
from .docx import result_columns
from .texts import budget_rows, lines, missing_agencies, opening_text, sources_text


def annual_report_html(data: AnnualReportData) -> str:
    report = data.report
    with translation.override("vi"):
        return render_to_string(
            "reporting/annual_print.html",
            {
                "d": data,
                "date_line": date_line(data.place, report.report_date),
                "opening": opening_text(data),
                "sources_paragraph": sources_text(data),
                "columns": result_columns(data.year),
                "missing": missing_agencies(data),
                "budget_rows": budget_rows(data),
                "difficulties": lines(report.difficulties) or ["Chưa ghi."],
                "proposals": lines(report.proposals) or ["Chưa ghi."],
                "recipients": lines(report.recipients),
            },
        )
