"""Phụ lục 1 of the annual report, laid out like the Bắc Giang plan's Phụ lục 1: TT,
indicator, unit, last year's actual, the plan's targets year by year, then this year's
actual, its assessment and the source of each figure. Grouped by objective (I, II, ...)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from mch.documents.official import date_line

from .data import AnnualReportData

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
FONT = "Times New Roman"


def _baseline_year(data: AnnualReportData) -> int | None:
    """The plan's own "Thực hiện" year before its period (Bắc Giang: 2023), when the
    document gives figures for it and it is not already last year's column."""
    year = data.plan.period_start - 1
    if year == data.year - 1 or not any(r.baseline.source for r in data.rows):
        return None
    return year


def annex_columns(data: AnnualReportData) -> list[str]:
    baseline = _baseline_year(data)
    return [
        "TT",
        "Chỉ tiêu",
        "Đơn vị tính",
        *([f"Thực hiện năm {baseline} (văn bản)"] if baseline else []),
        f"Thực hiện năm {data.year - 1}",
        *[f"Mục tiêu năm {y}" for y in data.target_years],
        f"Thực hiện năm {data.year}",
        "Đánh giá",
        "Nguồn số liệu",
    ]


def annual_report_xlsx(data: AnnualReportData) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục 1"
    columns = annex_columns(data)
    width = len(columns)
    last = get_column_letter(width)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def title(row: int, text: str, *, bold: bool = True, italic: bool = False) -> None:
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(name=FONT, size=13, bold=bold, italic=italic)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)

    report = data.report
    title(1, "PHỤ LỤC 1")
    title(2, f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM {data.year}")
    day = date_line(data.place, report.report_date).split(", ", 1)[1]
    title(3, f"(Kèm theo Báo cáo số {data.number} {day} của Sở Y tế)", bold=False, italic=True)
    title(4, f"Số liệu đến {data.as_of_text}; {data.unit_name}", bold=False, italic=True)

    header_row = 6
    for i, name in enumerate(columns, 1):
        cell = sheet.cell(row=header_row, column=i, value=name)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    row_no = header_row + 1
    objective = None
    group = -1
    for r in data.rows:
        if r.objective != objective:
            objective = r.objective
            group += 1
            sheet.cell(row=row_no, column=1, value=ROMAN[group % len(ROMAN)])
            sheet.cell(row=row_no, column=2, value=objective or "Chỉ tiêu khác")
            for c in range(1, width + 1):
                cell = sheet.cell(row=row_no, column=c)
                cell.font = Font(name=FONT, size=11, bold=True)
                cell.border = border
            row_no += 1
        values = [
            r.number,
            r.name,
            r.unit_symbol,
            *([r.baseline.text] if _baseline_year(data) else []),
            r.previous.value if r.previous.value is not None else r.previous.text,
            *[r.targets_by_year.get(y, "") for y in data.target_years],
            r.actual.value if r.actual.value is not None else r.actual.text,
            r.status_text,
            data.row_sources(r),
        ]
        for c, value in enumerate(values, 1):
            cell = sheet.cell(row=row_no, column=c, value=value)
            cell.font = Font(name=FONT, size=11)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=c in (2, width))
            if isinstance(value, float):
                cell.number_format = "0.0"
                cell.alignment = Alignment(horizontal="right", vertical="top")
        row_no += 1
    widths = [5, 48, 9, *[13] * (width - 6), 16, 60]
    for i, w in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = w
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
