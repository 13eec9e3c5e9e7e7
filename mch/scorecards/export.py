"""The scorecard table as rows for CSV and XLSX: one line per target row × unit, the
registers' figures and status, and the document's own figures in their own columns."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from mch.web.templatetags.mch_web import observed_text, target_text

from .assembly import Scorecard
from .templatetags.scorecards import status_label

HEADERS = [
    "Chỉ số",
    "Mã chỉ số",
    "Nhóm dân số",
    "Đơn vị",
    "Chỉ tiêu",
    "Năm chỉ tiêu",
    "Giá trị",
    "Nguồn giá trị",
    "Đơn vị tính",
    "KTC 95% thấp",
    "KTC 95% cao",
    "Tử số",
    "Mẫu số",
    "Số nhỏ",
    "Tình trạng",
    "Lý do",
    "Thực hiện theo văn bản (nguồn: văn bản)",
    "Số liệu đến",
]


def _source(cell: Any, indicator_code: str) -> str:
    """Where the value comes from: "sổ đăng ký", or the survey or report (with its detail)."""
    if cell.value is None:
        return ""
    from mch.reported_values.templatetags.reported_values import source_label

    label = source_label(cell, indicator_code)
    if not label:
        return "Sổ đăng ký"
    return f"{label} ({cell.detail})" if cell.detail else label


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def scorecard_rows(scorecard: Scorecard) -> list[list[Any]]:
    out: list[list[Any]] = []
    as_of = f"{scorecard.as_of:%d/%m/%Y}"
    for row in scorecard.rows:
        document = "; ".join(
            f"{observed_text(o, row.unit_symbol)} ({o.year})" for o in row.document_actuals
        )
        for unit in scorecard.units:
            cell = row.cells[unit.unit_id]
            out.append(
                [
                    row.indicator_name,
                    row.indicator_code,
                    row.population,
                    unit.name,
                    target_text(row.target, row.unit_symbol) if row.target else "",
                    row.target.year if row.target else None,
                    _round(cell.value),
                    _source(cell, row.indicator_code),
                    row.unit_symbol,
                    _round(cell.ci_low),
                    _round(cell.ci_high),
                    cell.numerator,
                    cell.denominator,
                    "có" if cell.small_numbers and cell.value is not None else "",
                    status_label(cell.status),
                    cell.reason,
                    document,
                    as_of,
                ]
            )
    return out


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return str(value)


def scorecard_csv(scorecard: Scorecard) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for line in scorecard_rows(scorecard):
        writer.writerow([_csv_value(v) for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def scorecard_xlsx(scorecard: Scorecard) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Bảng điểm"
    sheet.append(HEADERS)
    for line in scorecard_rows(scorecard):
        sheet.append(line)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
