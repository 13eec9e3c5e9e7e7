"""One entry point for files: pick the reader by name, import through the service."""

from __future__ import annotations

from typing import Any

from .interchange import FileInvalid, adx, dhis2, tabular
from .services import ImportRefused, ImportSummary, definitions_current, values_import


def file_rows(*, name: str, content: bytes, form: str = "", period: str = "") -> list[Any]:
    _, defs = definitions_current()
    lower = name.lower()
    if lower.endswith(".xml") or lower.endswith(".adx"):
        return adx.adx_read(content, defs)
    if lower.endswith(".json"):
        return dhis2.dhis2_read(content, defs, form_code=form)
    if lower.endswith(".xlsx"):
        return tabular.xlsx_read(content, form=form, period=period)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return tabular.csv_read(content, form=form, period=period)
    raise FileInvalid("Định dạng tệp không hỗ trợ: dùng .csv, .xlsx, .xml (ADX) hoặc .json (DHIS2)")


def file_import(
    *, user: Any, name: str, content: bytes, form: str = "", period: str = ""
) -> ImportSummary:
    """Raises ``FileInvalid`` (the file cannot be read) or ``ImportRefused`` (row problems);
    nothing is written in either case."""
    try:
        rows = file_rows(name=name, content=content, form=form, period=period)
    except FileInvalid as exc:
        raise ImportRefused([str(exc)]) from exc
    return values_import(user=user, rows=rows, source=name)
