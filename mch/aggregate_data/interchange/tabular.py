"""CSV and XLSX of a period's values: columns ``don_vi`` (unit code), ``chi_tieu``
(element code), ``phan_to`` (cell code, empty = total) and ``gia_tri`` (value); optional
``bieu_mau`` (form) and ``ky`` (period token) override the form and period chosen on the
page. The first row is the header."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from ..services import ImportRow
from . import ExportGroup, FileInvalid

COLUMNS = ("bieu_mau", "ky", "don_vi", "chi_tieu", "phan_to", "gia_tri")
REQUIRED = ("don_vi", "chi_tieu", "gia_tri")


def _rows(table: list[list[Any]], *, form: str, period: str) -> list[ImportRow]:
    if not table:
        raise FileInvalid("Tệp trống")
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileInvalid(f"Thiếu cột: {', '.join(missing)} (cần {', '.join(COLUMNS)})")
    col = {name: header.index(name) for name in COLUMNS if name in header}
    out = []
    for n, raw in enumerate(table[1:], 2):
        if not any(str(v or "").strip() for v in raw):
            continue

        def get(name: str, raw: list[Any] = raw) -> Any:
            i = col.get(name)
            return raw[i] if i is not None and i < len(raw) else None

        out.append(
            ImportRow(
                line=n,
                form=str(get("bieu_mau") or form).strip(),
                unit=str(get("don_vi") or "").strip(),
                period=str(get("ky") or period).strip(),
                element=str(get("chi_tieu") or "").strip(),
                cell=str(get("phan_to") or "").strip(),
                value=get("gia_tri"),
            )
        )
    return out


def csv_read(content: bytes, *, form: str, period: str) -> list[ImportRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileInvalid("Tệp CSV phải mã hóa UTF-8") from exc
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t") if text.strip() else csv.excel
    return _rows(list(csv.reader(io.StringIO(text), dialect)), form=form, period=period)


def xlsx_read(content: bytes, *, form: str, period: str) -> list[ImportRow]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a bad file
        raise FileInvalid(f"Không đọc được tệp XLSX: {exc}") from exc
    sheet = book.worksheets[0]
    return _rows([list(r) for r in sheet.iter_rows(values_only=True)], form=form, period=period)


def csv_write(groups: Sequence[ExportGroup]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for group in groups:
        for element, cell, value in group.values:
            writer.writerow(
                [
                    group.form.code,
                    group.token,
                    group.report.unit.code,
                    element.code,
                    cell.code,
                    value,
                ]
            )
    return ("\ufeff" + buffer.getvalue()).encode()
