"""Import of a year's survey, policy and workforce values from XLSX (one sheet per kind)
or CSV (one kind per file), with a downloadable template.

Every row goes through the same service as the forms (rights, Vietnamese validation,
audit with ``via="import"``). All or nothing: one problem in any row and nothing is
written; each problem names the sheet, the row and the column."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from mch.orgunits.models import Facility, OrgUnit

from . import selectors, services
from .models import SurveyResult

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    required: bool = False
    field: str = ""  # the service's field, when it differs from the column


SURVEY_COLUMNS = (
    Column("ma_chi_so", "Mã chỉ số (tỷ lệ %, xem trang Hướng dẫn)", True, "indicator"),
    Column("ma_don_vi", "Mã đơn vị hành chính (tỉnh, huyện hoặc xã)", True, "unit"),
    Column("ten_dieu_tra", "Tên cuộc điều tra, ví dụ MICS 2025", True, "survey_name"),
    Column("ngay_dieu_tra", "Ngày điều tra, ngày/tháng/năm", True, "survey_date"),
    Column("co_mau", "Cỡ mẫu n (số người được hỏi)", True, "sample_size"),
    Column("gia_tri", "Giá trị (%), dấu phẩy thập phân: 62,5", True, "value"),
    Column("can_duoi", "Cận dưới khoảng tin cậy 95% (để trống: tính theo Wilson)", False, "ci_low"),
    Column(
        "can_tren", "Cận trên khoảng tin cậy 95% (để trống: tính theo Wilson)", False, "ci_high"
    ),
    Column("tai_lieu", "Báo cáo, số văn bản", False, "document_ref"),
    Column("ghi_chu", "Ghi chú", False, "note"),
)
POLICY_COLUMNS = (
    Column("ma_chi_so", "Mã chỉ tiêu chính sách (xem trang Hướng dẫn)", True, "indicator"),
    Column("ma_don_vi", "Mã đơn vị hành chính", True, "unit"),
    Column(
        "co_khong", "có / không (hoặc để trống và dùng tử số/mẫu số, hoặc số liệu)", False, "answer"
    ),
    Column("tu_so", "Tử số, ví dụ số xã đã có (8)", False, "numerator"),
    Column("mau_so", "Mẫu số, ví dụ tổng số xã (10)", False, "denominator"),
    Column("so_lieu", "Một số hoặc tỷ lệ (%)", False, "number"),
    Column("tai_lieu", "Văn bản: nghị quyết, kế hoạch, quyết định…", False, "document_ref"),
    Column("ghi_chu", "Ghi chú", False, "note"),
)
WORKFORCE_CODES = {
    "bs_san_ck2": "obstetric_level2",
    "bs_san_ck1": "obstetric_level1",
    "bs_san_dinh_huong": "obstetric_oriented",
    "bs_nhi_ck2": "paediatric_level2",
    "bs_nhi_ck1": "paediatric_level1",
    "bs_nhi_dinh_huong": "paediatric_oriented",
    "ho_sinh": "midwives",
    "co_do_thon_ban": "village_midwives",
    "bs_cssk_tre_em": "child_doctors",
    "bs_da_dao_tao_so_sinh": "child_doctors_trained",
    "dao_tao_eenc": "trained_eenc",
    "dao_tao_hoi_suc_so_sinh": "trained_resuscitation",
    "dao_tao_kangaroo": "trained_kangaroo",
}
WORKFORCE_COLUMNS = (
    Column("ma_co_so", "Mã cơ sở y tế (bệnh viện, trung tâm y tế, trạm y tế)", True, "facility"),
    Column("ngay_bao_cao", "Ngày báo cáo, ngày/tháng/năm", True, "as_of"),
    *(Column(col, services.WORKFORCE_LABELS[f], False, f) for col, f in WORKFORCE_CODES.items()),
    Column("tai_lieu", "Báo cáo, số văn bản", False, "document_ref"),
    Column("ghi_chu", "Ghi chú", False, "note"),
)

KIND_NAMES = {"khao_sat": "Khảo sát", "chinh_sach": "Chính sách", "nhan_luc": "Nhân lực"}
COLUMNS = {"khao_sat": SURVEY_COLUMNS, "chinh_sach": POLICY_COLUMNS, "nhan_luc": WORKFORCE_COLUMNS}


class ImportRefused(Exception):
    """Nothing was written; ``problems`` says why, row by row, in Vietnamese."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Row:
    kind: str
    number: int  # the row number in the sheet or file (the header is row 1)
    values: dict[str, Any]


@dataclass
class ImportSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def lines(self) -> list[str]:
        return [
            f"{KIND_NAMES[k]}: {self.created[k]} mới, {self.updated[k]} cập nhật"
            for k in KIND_NAMES
            if self.created[k] or self.updated[k]
        ]


# ---------------------------------------------------------------- reading


def _key(text: Any) -> str:
    plain = unicodedata.normalize("NFD", str(text or "")).encode("ascii", "ignore").decode()
    return plain.strip().lower().replace(" ", "_").replace("đ", "d")


def _kind_of_sheet(title: str) -> str | None:
    key = _key(title)
    return next((k for k, name in KIND_NAMES.items() if key in (k, _key(name))), None)


def _kind_of_headers(headers: list[str], chosen: str) -> str | None:
    if chosen in KIND_NAMES:
        return chosen
    if "ma_co_so" in headers:
        return "nhan_luc"
    if "ten_dieu_tra" in headers:
        return "khao_sat"
    if "ma_chi_so" in headers:
        return "chinh_sach"
    return None


def _rows(kind: str, table: list[list[Any]], sheet: str, problems: list[str]) -> list[Row]:
    if not table:
        return []
    headers = [_key(h) for h in table[0]]
    known = {c.name for c in COLUMNS[kind]}
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        problems.append(
            f"{sheet}: cột không dùng được: {', '.join(unknown)} "
            f"(các cột: {', '.join(c.name for c in COLUMNS[kind])})"
        )
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in headers]
    if missing:
        problems.append(f"{sheet}: thiếu cột {', '.join(missing)}")
        return []
    out = []
    for number, cells in enumerate(table[1:], start=2):
        values = {h: c for h, c in zip(headers, cells, strict=False) if h}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        out.append(Row(kind, number, values))
    return out


def xlsx_tables(content: bytes) -> list[tuple[str, list[list[Any]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's problem
        raise ImportRefused([f"Không đọc được tệp XLSX: {exc.__class__.__name__}"]) from exc
    tables = []
    for sheet in book.worksheets:
        rows = [
            list(r)
            for r, _ in zip(sheet.iter_rows(values_only=True), range(MAX_ROWS + 2), strict=False)
        ]
        tables.append((sheet.title, rows))
    book.close()
    return tables


def csv_table(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(["Tệp CSV phải dùng bảng mã UTF-8"]) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def file_rows(*, name: str, content: bytes, kind: str = "") -> list[Row]:
    lower = name.lower()
    problems: list[str] = []
    rows: list[Row] = []
    if lower.endswith(".xlsx"):
        for title, table in xlsx_tables(content):
            sheet_kind = _kind_of_sheet(title)
            if sheet_kind is None:
                if title.strip().lower().startswith("hướng dẫn"):
                    continue
                headers = [_key(h) for h in table[0]] if table else []
                sheet_kind = _kind_of_headers(headers, kind)
                if sheet_kind is None:
                    continue
            rows += _rows(sheet_kind, table, f"Trang {title}", problems)
    elif lower.endswith(".csv") or lower.endswith(".txt"):
        table = csv_table(content)
        headers = [_key(h) for h in table[0]] if table else []
        csv_kind = _kind_of_headers(headers, kind)
        if csv_kind is None:
            raise ImportRefused(
                ["Không nhận ra loại số liệu: chọn loại, hoặc dùng cột của tệp mẫu"]
            )
        rows = _rows(csv_kind, table, KIND_NAMES[csv_kind], problems)
    else:
        raise ImportRefused(["Định dạng tệp không hỗ trợ: dùng .xlsx hoặc .csv"])
    if len(rows) > MAX_ROWS:
        problems.append(f"Tệp có hơn {MAX_ROWS} dòng")
    if problems:
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused(["Tệp không có dòng số liệu nào"])
    return rows


# ---------------------------------------------------------------- writing


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _unit(user: Any, code: str, year: int) -> OrgUnit | None:
    rows = list(selectors.units_in_scope(user=user).filter(code=code))
    for day in (dt.date(year, 12, 31), dt.date(year, 1, 1)):
        valid = [u for u in rows if u.is_valid_on(day)]
        if len(valid) == 1:
            return valid[0]
    return rows[0] if len(rows) == 1 else None


def _answer(value: Any) -> tuple[bool | None, bool]:
    """(answer, understood)."""
    key = _key(value)
    if key in ("", "none"):
        return None, True
    if key in ("co", "yes", "1", "x", "true", "dung"):
        return True, True
    if key in ("khong", "no", "0", "false", "sai"):
        return False, True
    return None, False


def _column(kind: str, service_field: str) -> str:
    return next((c.name for c in COLUMNS[kind] if c.field == service_field), service_field)


def _save_row(user: Any, row: Row, year: int, summary: ImportSummary) -> None:
    v: dict[str, Any] = {
        k: _text(x) if not isinstance(x, dt.date) else x for k, x in row.values.items()
    }
    if row.kind == "khao_sat":
        unit = _unit(user, v.get("ma_don_vi", ""), year)
        if unit is None:
            raise ValidationError(
                {"unit": f"Không có đơn vị mã '{v.get('ma_don_vi', '')}' trong phạm vi của bạn"}
            )
        existing = _survey_existing(v, unit)
        services.survey_result_save(
            user=user,
            indicator_code=v.get("ma_chi_so", ""),
            unit=unit,
            survey_name=v.get("ten_dieu_tra", ""),
            survey_date=v.get("ngay_dieu_tra", ""),
            sample_size=v.get("co_mau", ""),
            value=v.get("gia_tri", ""),
            ci_low=v.get("can_duoi") or None,
            ci_high=v.get("can_tren") or None,
            year=year,
            document_ref=v.get("tai_lieu", ""),
            note=v.get("ghi_chu", ""),
            via="import",
            instance=existing,
        )
        (summary.updated if existing else summary.created)[row.kind] += 1
    elif row.kind == "chinh_sach":
        unit = _unit(user, v.get("ma_don_vi", ""), year)
        if unit is None:
            raise ValidationError(
                {"unit": f"Không có đơn vị mã '{v.get('ma_don_vi', '')}' trong phạm vi của bạn"}
            )
        answer, understood = _answer(v.get("co_khong"))
        if not understood:
            raise ValidationError({"answer": "Ghi 'có' hoặc 'không' (hoặc để trống)"})
        numbers = [v.get(k) for k in ("tu_so", "mau_so", "so_lieu")]
        if answer is None and not any(numbers):
            raise ValidationError(
                {"answer": "Dòng không có giá trị: ghi có/không, tử số và mẫu số, hoặc số liệu"}
            )
        code = v.get("ma_chi_so", "")
        existed = services.PolicyValue.objects.filter(
            indicator__code=code, unit=unit, year=year
        ).exists()
        services.policy_value_save(
            user=user,
            indicator_code=code,
            unit=unit,
            year=year,
            answer=answer,
            numerator=v.get("tu_so") or None,
            denominator=v.get("mau_so") or None,
            number=v.get("so_lieu") or None,
            document_ref=v.get("tai_lieu", ""),
            note=v.get("ghi_chu", ""),
            via="import",
        )
        (summary.updated if existed else summary.created)[row.kind] += 1
    else:
        code = v.get("ma_co_so", "")
        facility = (
            selectors.Scope.for_user(user)
            .filter(Facility.objects.filter(code=code), "unit")
            .select_related("unit")
            .first()
        )
        if facility is None:
            raise ValidationError(
                {"facility": f"Không có cơ sở y tế mã '{code}' trong phạm vi của bạn"}
            )
        existed = facility.workforce_reports.filter(year=year).exists()
        services.workforce_report_save(
            user=user,
            facility=facility,
            year=year,
            as_of=v.get("ngay_bao_cao", ""),
            counts={f: v.get(col, "") for col, f in WORKFORCE_CODES.items()},
            document_ref=v.get("tai_lieu", ""),
            note=v.get("ghi_chu", ""),
            via="import",
        )
        (summary.updated if existed else summary.created)[row.kind] += 1


def _survey_existing(v: dict[str, Any], unit: OrgUnit) -> SurveyResult | None:
    """The stored result the row is a new version of (same survey, day, indicator, unit):
    importing a file again changes it instead of refusing it."""
    errors: dict[str, str] = {}
    day = services._date(v.get("ngay_dieu_tra", ""), errors, "d", "d")
    if day is None:
        return None
    return SurveyResult.objects.filter(
        Q(indicator__code=v.get("ma_chi_so", "")),
        unit=unit,
        population_code="all",
        survey_name=(v.get("ten_dieu_tra") or "").strip(),
        survey_date=day,
    ).first()


def values_import(*, user: Any, rows: list[Row], year: Any) -> ImportSummary:
    errors: dict[str, str] = {}
    the_year = services._year(year, errors)
    if the_year is None:
        raise ImportRefused([f"Năm nhập: {errors['year']}"])
    summary = ImportSummary()
    problems: list[str] = []
    with transaction.atomic():
        for row in rows:
            where = f"{KIND_NAMES[row.kind]}, dòng {row.number}"
            try:
                with transaction.atomic():
                    _save_row(user, row, the_year, summary)
            except PermissionDenied as exc:
                problems.append(f"{where}: {exc}")
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, messages in exc.message_dict.items():
                        column = _column(row.kind, name)
                        problems += [f"{where}, cột {column}: {m}" for m in messages]
                else:
                    problems += [f"{where}: {m}" for m in exc.messages]
        if problems:
            raise ImportRefused(problems)
    return summary


def file_import(
    *, user: Any, name: str, content: bytes, year: Any, kind: str = ""
) -> ImportSummary:
    """Raises ``ImportRefused`` (nothing written) when the file or any row is at fault."""
    rows = file_rows(name=name, content=content, kind=kind)
    return values_import(user=user, rows=rows, year=year)


# ---------------------------------------------------------------- templates


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    guide = book.active
    guide.title = "Hướng dẫn"
    guide.append(["Nhập số liệu khảo sát, chính sách và nhân lực của một năm"])
    guide["A1"].font = Font(bold=True)
    guide.append(
        [
            "Mỗi trang một loại số liệu; dòng 1 là tên cột (giữ nguyên). Chọn năm khi nhập. "
            "Chỉ cần một dòng sai là không dòng nào được lưu; mỗi lỗi ghi rõ trang, dòng và cột."
        ]
    )
    for kind, columns in COLUMNS.items():
        guide.append([])
        guide.append([f"Trang {KIND_NAMES[kind]}"])
        guide.cell(guide.max_row, 1).font = Font(bold=True)
        for c in columns:
            guide.append([c.name, c.help + (" (bắt buộc)" if c.required else "")])
    for title, items in (
        ("Chỉ số khảo sát (ma_chi_so)", selectors.survey_indicators()),
        ("Chỉ tiêu chính sách (ma_chi_so)", selectors.policy_indicators()),
    ):
        guide.append([])
        guide.append([title])
        guide.cell(guide.max_row, 1).font = Font(bold=True)
        for item in items:
            guide.append([item.code, item.name])
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 90
    for kind, columns in COLUMNS.items():
        sheet = book.create_sheet(KIND_NAMES[kind])
        sheet.append([c.name for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i, c in enumerate(columns, start=1):
            sheet.cell(1, i).comment = None
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(12, len(c.name) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(kind: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.name for c in COLUMNS[kind]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
