"""DHIS2 ``dataValueSets`` JSON (Web API ``POST /api/dataValueSets`` with
``dataElementIdScheme=CODE&orgUnitIdScheme=CODE&categoryOptionComboIdScheme=CODE``,
``dataSetIdScheme=CODE``).

Periods: month ``202603``, quarter ``2026Q1``, first six months ``2026S1``, year ``2026``.
DHIS2 has no nine-month period type: 9-month forms go out as ADX only."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .. import registry
from ..services import ImportRow
from . import ExportGroup, FileInvalid

_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_HALF = re.compile(r"^(\d{4})S1$")
_YEAR = re.compile(r"^(\d{4})$")


def dhis2_period(kind: str, year: int, month: int) -> str:
    if kind == "month":
        return f"{year}{month:02d}"
    if kind == "quarter":
        return f"{year}Q{(month + 2) // 3}"
    if kind == "half":
        return f"{year}S1"
    if kind == "year":
        return str(year)
    raise FileInvalid("DHIS2 không có loại kỳ 9 tháng: hãy xuất ADX cho biểu 9 tháng.")


def _token(period: str, where: str) -> str:
    if m := _MONTH.match(period):
        return f"{m[1]}-{m[2]}"
    if m := _QUARTER.match(period):
        return f"{m[1]}-Q{m[2]}"
    if m := _HALF.match(period):
        return f"{m[1]}-6T"
    if m := _YEAR.match(period):
        return m[1]
    raise FileInvalid(
        f"{where}: kỳ DHIS2 '{period}' không hợp lệ (ví dụ 202603, 2026Q1, 2026S1, 2026)"
    )


def dhis2_write(groups: Sequence[ExportGroup]) -> bytes:
    values = []
    data_set = ""
    for group in groups:
        report = group.report
        data_set = group.form.dhis2
        period = dhis2_period(
            report.period_kind, report.period_start.year, report.period_start.month
        )
        for element, cell, value in group.values:
            values.append(
                {
                    "dataElement": element.dhis2,
                    "period": period,
                    "orgUnit": report.unit.code,
                    "categoryOptionCombo": element.cell_dhis2(cell, group.defs.dhis2_default_coc),
                    "value": str(value),
                }
            )
    body = {"dataSet": data_set, "dataValues": values} if data_set else {"dataValues": []}
    return json.dumps(body, ensure_ascii=False, indent=1).encode()


def dhis2_read(
    content: bytes, defs: registry.Definitions, *, form_code: str = ""
) -> list[ImportRow]:
    try:
        body = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileInvalid(f"Tệp JSON không hợp lệ: {exc}") from exc
    if not isinstance(body, dict) or not isinstance(body.get("dataValues"), list):
        raise FileInvalid("Tệp không phải dataValueSets của DHIS2 (thiếu 'dataValues')")
    forms = {f.dhis2: f for f in defs.forms.values()}
    form = forms.get(str(body.get("dataSet", ""))) or defs.forms.get(form_code)
    if form is None:
        raise FileInvalid(
            "Không biết biểu mẫu: tệp thiếu 'dataSet' (mã DHIS2 của biểu) và chưa chọn biểu"
        )
    elements = {e.dhis2: e for e in defs.elements.values()}
    cells: dict[tuple[str, str], str] = {}
    for element in defs.elements.values():
        for cell in element.cells:
            cells[(element.code, element.cell_dhis2(cell, defs.dhis2_default_coc))] = cell.code
    rows = []
    for i, dv in enumerate(body["dataValues"], 1):
        if not isinstance(dv, dict):
            raise FileInvalid(f"dataValues #{i}: không phải một đối tượng")
        element = elements.get(str(dv.get("dataElement", "")))
        code = element.code if element else str(dv.get("dataElement", ""))
        coc = str(dv.get("categoryOptionCombo") or defs.dhis2_default_coc)
        rows.append(
            ImportRow(
                line=i,
                form=form.code,
                unit=str(dv.get("orgUnit", body.get("orgUnit", ""))),
                period=_token(str(dv.get("period", body.get("period", ""))), f"dataValues #{i}"),
                element=code,
                cell=cells.get((code, coc), f"?{coc}"),
                value=dv.get("value"),
            )
        )
    return rows
