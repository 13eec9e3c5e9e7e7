"""The M5 report as XLSX and as DOCX in the Nghị định 30/2020 layout. De-identified:
cases appear by case code, age and commune only; no name, no address, no narrative."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from mch.documents.official import Header, OfficialDocument, Signature, number_vi

from .registry import FormsSpec
from .report_section import STATUS_VI as STATUS_ACTION_VI
from .report_section import deidentify, identifiers
from .selectors import M5Report, SurveillanceRow

STATUS_VI = {
    "maternal_direct": "Tử vong mẹ – trực tiếp",
    "maternal_indirect": "Tử vong mẹ – gián tiếp",
    "maternal_unspecified": "Tử vong mẹ – không rõ",
    "late": "Tử vong mẹ muộn (43 ngày–1 năm)",
    "not_maternal": "Không phải tử vong mẹ",
    "pending": "Chờ xác định",
}
ACTION_VI = STATUS_ACTION_VI  # one set of labels with the pages and the yearly report


def _texts(action: Any) -> tuple[str, str]:
    """The recommendation and the action, the woman's name, ID and phone blanked out."""
    hidden = identifiers(action)
    return deidentify(action.recommendation, hidden), deidentify(action.action, hidden)


def _case_row(row: SurveillanceRow, spec: FormsSpec) -> list[Any]:
    review = row.review
    return [
        review.case_code if review else f"#{row.death.pk}",
        row.death.date.strftime("%d/%m/%Y"),
        row.age,
        row.death.residence_unit.name,
        STATUS_VI[row.status],
        spec.label("icd_mm_groups", review.underlying_cause)
        if review and review.underlying_cause
        else "",
        ", ".join(review.delays) if review else "",
        spec.label("avoidability", review.avoidability) if review and review.avoidability else "",
        (
            f"{number_vi(float(row.notification.hours_to_notify), 1)} giờ"
            if row.notification
            else "chưa"
        ),
    ]


CASE_COLUMNS = [
    "Mã ca",
    "Ngày tử vong",
    "Tuổi",
    "Xã cư trú",
    "Phân loại",
    "Nguyên nhân (ICD-MM)",
    "Chậm trễ",
    "Tránh được",
    "Thông báo sau",
]


def _summary(report: M5Report) -> list[tuple[str, str]]:
    mmr = (
        f"{number_vi(report.mmr, 1)} (KTC 95%: {number_vi(report.mmr_low, 1)}–{number_vi(report.mmr_high, 1)})"
        if report.mmr is not None
        else "—"
    )
    return [
        ("Tử vong phụ nữ 15–49 tuổi", str(len(report.rows))),
        ("Tử vong mẹ (đến 42 ngày sau kết thúc thai nghén)", str(len(report.maternal))),
        ("Tử vong mẹ muộn (43 ngày–1 năm, tính riêng)", str(len(report.late))),
        ("Trẻ đẻ sống", number_vi(report.live_births)),
        (
            "Tỷ số tử vong mẹ /100.000 trẻ đẻ sống"
            + (" (số nhỏ, diễn giải thận trọng)" if report.small else ""),
            mmr,
        ),
        (
            "Được thông báo trong 24 giờ (tử vong mẹ và nghi tử vong mẹ)",
            f"{report.timeliness.within}/{report.timeliness.due}"
            + (f" ({number_vi(report.timeliness.share, 0)}%)" if report.timeliness.due else "")
            + (
                f"; {report.timeliness.not_notified} chưa thông báo"
                if report.timeliness.not_notified
                else ""
            ),
        ),
        (
            "Đã thẩm định; có thể tránh được",
            f"{report.reviewed}; {report.avoidable}"
            + (f" ({number_vi(report.avoidable_share, 0)}%)" if report.reviewed else ""),
        ),
    ]


def m5_xlsx(report: M5Report, spec: FormsSpec) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "M5"
    sheet.append([f"Báo cáo tử vong mẹ (M5) — kỳ {report.period.label}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    for label, value in _summary(report):
        sheet.append([label, value])
    sheet.append([])
    sheet.append(CASE_COLUMNS)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in report.maternal + report.late:
        sheet.append(_case_row(row, spec))
    causes = book.create_sheet("Nguyên nhân, chậm trễ")
    causes.append(["Nguyên nhân (ICD-MM)", "Số ca"])
    for label, n in report.causes:
        causes.append([label, n])
    causes.append([])
    causes.append(["Chậm trễ", "Số ca"])
    for label, n in report.delays:
        causes.append([label, n])
    causes.append([])
    causes.append(["Yếu tố", "Số ca"])
    for label, n in report.factors:
        causes.append([label, n])
    actions = book.create_sheet("Hành động")
    actions.append(
        [
            "Mã ca",
            "Khuyến nghị",
            "Hành động",
            "Đơn vị chịu trách nhiệm",
            "Hạn",
            "Trạng thái",
            "Ngày xong",
        ]
    )
    for a in report.actions:
        recommendation, done_what = _texts(a)
        actions.append(
            [
                a.case_code,
                recommendation,
                done_what,
                a.owner,
                a.deadline.strftime("%d/%m/%Y"),
                ACTION_VI.get(a.status, a.status),
                a.done_on.strftime("%d/%m/%Y") if a.done_on else "",
            ]
        )
    for ws in book.worksheets:
        ws.column_dimensions["A"].width = 48
        ws.column_dimensions["B"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def m5_docx(report: M5Report, spec: FormsSpec, *, units: list[Any], user: Any) -> bytes:
    province = units[0] if units else None
    place = province.name.replace("Tỉnh ", "").replace("Thành phố ", "") if province else ""
    doc = OfficialDocument(
        header=Header(
            parent_body=f"UBND {province.name}".upper() if province else "",
            issuing_body="SỞ Y TẾ",
            number="     /BC-SYT",
            place=place,
            day=timezone.localdate(),
        ),
        summary=f"Tình hình tử vong mẹ và thẩm định tử vong mẹ kỳ {report.period.label} (Mẫu M5)",
        landscape=True,
    )
    doc.heading("I. TỔNG HỢP")
    doc.table(["Nội dung", "Kết quả"], _summary(report), widths_cm=[14, 9])
    doc.heading("II. DANH SÁCH CA TỬ VONG MẸ (KHÔNG ĐỊNH DANH)")
    if report.maternal or report.late:
        doc.table(
            CASE_COLUMNS,
            [_case_row(r, spec) for r in report.maternal + report.late],
            font_pt=10,
            numeric=(2,),
        )
    else:
        doc.paragraph("Không có ca tử vong mẹ trong kỳ.")
    doc.heading("III. NGUYÊN NHÂN VÀ CHẬM TRỄ")
    for label, n in report.causes:
        doc.bullet(f"{label}: {n} ca")
    for label, n in report.delays:
        doc.bullet(f"{label}: {n} ca")
    if not report.causes and not report.delays:
        doc.paragraph("Chưa có ca được thẩm định.")
    doc.heading("IV. KHUYẾN NGHỊ VÀ HÀNH ĐỘNG")
    if report.actions:
        doc.table(
            ["Mã ca", "Khuyến nghị / hành động", "Đơn vị", "Hạn", "Trạng thái"],
            [
                [
                    a.case_code,
                    " — ".join(t for t in _texts(a) if t),
                    a.owner,
                    a.deadline.strftime("%d/%m/%Y"),
                    ACTION_VI.get(a.status, a.status)
                    + (f" ({a.done_on:%d/%m/%Y})" if a.done_on else ""),
                ]
                for a in report.actions
            ],
            font_pt=10,
        )
    doc.paragraph(
        "Báo cáo được lập từ hệ thống quản lý sức khỏe bà mẹ – trẻ em; danh sách ca không chứa thông tin định danh."
    )
    doc.finish(
        signature=Signature(
            authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", name=user.get_full_name() or ""
        ),
        recipients=[
            "Bộ Y tế (Vụ Sức khỏe Bà mẹ – Trẻ em) (báo cáo);",
            "UBND tỉnh (báo cáo);",
            "Hội đồng thẩm định tử vong mẹ tỉnh;",
        ],
        archive="Lưu: VT, NVY.",
    )
    return doc.to_bytes()
