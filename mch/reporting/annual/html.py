"""The annual report as one HTML page (A4 print CSS): the preview and the PDF's source."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from mch.documents.official import date_line

from .charts import trend_svg
from .data import AnnualReportData
from .docx import MPDSR_COLUMNS, _mpdsr_rows, chart_caption, mpdsr_text, result_columns
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
                "charts": [
                    (mark_safe(trend_svg(t)), chart_caption(i, t, data.year))  # noqa: S308 - built here, text escaped
                    for i, t in enumerate(data.trends, 1)
                ],
                "mpdsr_text": mpdsr_text(data),
                "mpdsr_columns": MPDSR_COLUMNS,
                "mpdsr_rows": _mpdsr_rows(data),
                "missing": missing_agencies(data),
                "budget_rows": budget_rows(data),
                "difficulties": lines(report.difficulties) or ["Chưa ghi."],
                "proposals": lines(report.proposals) or ["Chưa ghi."],
                "recipients": lines(report.recipients),
            },
        )
