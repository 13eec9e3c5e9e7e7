"""The annual report as a .docx in the layout of Nghị định 30/2020 (mch.documents.official)."""

from __future__ import annotations

import io
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from mch.documents.official import Header, OfficialDocument, Signature
from mch.mpdsr.report_section import COLUMNS as MPDSR_COLUMNS
from mch.mpdsr.report_section import WIDTHS_CM as MPDSR_WIDTHS_CM

from .charts import Trend
from .data import AnnualReportData
from .texts import budget_rows, closing_text, lines, missing_agencies, opening_text, sources_text

RESULT_COLUMNS = (
    "TT",
    "Chỉ tiêu",
    "Đơn vị",
    "Thực hiện {prev}",
    "Chỉ tiêu kế hoạch (năm)",
    "Thực hiện {year}",
    "Đánh giá",
    "Nguồn số liệu",
)


def chart_caption(number: int, trend: Trend, year: int) -> str:
    return (
        f"Biểu đồ {number}. {trend.title}, {trend.years[0]}–{year}: thực hiện theo sổ đăng ký "
        f"(điểm rỗng: số liệu văn bản kế hoạch) và chỉ tiêu kế hoạch."
    )


RESULT_WIDTHS_CM = (0.8, 4.8, 1.2, 1.7, 2.0, 1.7, 1.9, 2.3)


def result_columns(year: int) -> list[str]:
    return [c.format(prev=year - 1, year=year) for c in RESULT_COLUMNS]


def _mpdsr_rows(data: AnnualReportData) -> list[list[Any]]:
    from mch.mpdsr.report_section import table_rows

    return table_rows(data.mpdsr_actions)


def mpdsr_text(data: AnnualReportData) -> str:
    from mch.mpdsr.report_section import summary_text

    return summary_text(data.mpdsr_actions, data.mpdsr_visible, data.year)


def annual_report_docx(data: AnnualReportData, charts: list[bytes] | None = None) -> bytes:
    report = data.report
    doc = OfficialDocument(
        header=Header(
            parent_body=data.parent_body,
            issuing_body=data.issuing_body,
            number=data.number,
            place=data.place,
            day=report.report_date,
        ),
        kind="BÁO CÁO",
        summary=data.summary,
    )
    doc.paragraph(opening_text(data))

    doc.heading("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    doc.paragraph(sources_text(data))
    doc.table(
        result_columns(data.year),
        [
            [
                r.number,
                r.name,
                r.unit_symbol,
                r.previous.text,
                r.target_text + (f" ({r.target_year})" if r.target_year else ""),
                r.actual.text,
                r.status_text,
                r.source_text,
            ]
            for r in data.rows
        ],
        widths_cm=RESULT_WIDTHS_CM,
        font_pt=10,
        numeric=(3, 5),
        caption=f"Bảng 1. Kết quả thực hiện các chỉ tiêu năm {data.year}",
    )
    if data.source_notes:
        doc.paragraph("Nguồn số liệu:", italic=True)
        for n, note in enumerate(data.source_notes, 1):
            doc.paragraph(f"({n}) {note}.", italic=True)
    for number, (trend, png) in enumerate(zip(data.trends, charts or [], strict=False), 1):
        doc.docx.add_picture(io.BytesIO(png), width=Cm(15.5))
        doc.docx.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.paragraph(chart_caption(number, trend, data.year), italic=True)

    doc.heading("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC CƠ QUAN, ĐƠN VỊ")
    for agency in data.agencies:
        if not agency.reports:
            continue
        doc.paragraph(agency.name, bold=True)
        for task_report in agency.reports:
            text = task_report.narrative.strip().replace("\n", " ")
            figures = "; ".join(
                f"{f['label']}: {f['value']}{(' ' + f['unit']) if f.get('unit') else ''}"
                for f in task_report.figures
            )
            doc.bullet(f"{text}{f' ({figures})' if figures else ''}")
        if agency.missing:
            doc.paragraph(f"Chưa báo cáo {len(agency.missing)} nhiệm vụ.", italic=True)
    missing = missing_agencies(data)
    if missing:
        doc.paragraph("Chưa gửi báo cáo: " + "; ".join(missing) + ".", italic=True)
    if not any(a.reports for a in data.agencies):
        doc.paragraph("Chưa có cơ quan, đơn vị nào gửi báo cáo nhiệm vụ năm này.", italic=True)

    doc.heading("III. HÀNH ĐỘNG SAU THẨM ĐỊNH TỬ VONG MẸ, CHU SINH")
    doc.paragraph(mpdsr_text(data))
    if data.mpdsr_actions:
        doc.table(
            MPDSR_COLUMNS,
            _mpdsr_rows(data),
            widths_cm=MPDSR_WIDTHS_CM,
            font_pt=9,
        )

    doc.heading("IV. KINH PHÍ THỰC HIỆN")
    doc.table(
        ["Nội dung", "Kế hoạch (đồng)", "Đã thực hiện (đồng)", "Tỷ lệ"],
        budget_rows(data),
        widths_cm=(7.5, 3.2, 3.3, 2.0),
        numeric=(1, 2, 3),
    )

    doc.heading("V. KHÓ KHĂN, VƯỚNG MẮC")
    for line in lines(report.difficulties) or ["Chưa ghi."]:
        doc.paragraph(line)
    doc.heading("VI. ĐỀ XUẤT, KIẾN NGHỊ")
    for line in lines(report.proposals) or ["Chưa ghi."]:
        doc.paragraph(line)
    doc.paragraph(closing_text(data))

    doc.finish(
        signature=Signature(
            authority=report.signer_authority,
            position=report.signer_position,
            name=report.signer_name,
        ),
        recipients=lines(report.recipients),
        archive="Lưu: VT, NVY.",
    )
    return doc.to_bytes()
