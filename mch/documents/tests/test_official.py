import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from mch.documents.official import Header, OfficialDocument, Signature, date_line, number_vi


def _document() -> OfficialDocument:
    doc = OfficialDocument(
        header=Header(
            parent_body="UBND tỉnh Khánh Hòa",
            issuing_body="Sở Y tế",
            number="15/BC-SYT",
            place="Khánh Hòa",
            day=dt.date(2026, 12, 5),
        ),
        summary="Tử vong mẹ quý IV năm 2026",
    )
    doc.heading("I. KẾT QUẢ")
    doc.paragraph("Trong quý có 2 trường hợp tử vong mẹ.")
    doc.table(["Chỉ số", "Giá trị"], [["Tỷ số tử vong mẹ", number_vi(28.44, 1)]], numeric=[1])
    doc.finish(
        signature=Signature(
            authority="KT. Giám đốc", position="Phó Giám đốc", name="Nguyễn Văn An"
        ),
        recipients=["Bộ Y tế (báo cáo);", "UBND tỉnh (báo cáo);"],
        archive="Lưu: VT, NVY.",
    )
    return doc


def _reopened() -> Document:
    return Document(io.BytesIO(_document().to_bytes()))


def _cell_texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def test_page_is_a4_with_decree_margins_and_times_new_roman():
    reopened = _reopened()
    section = reopened.sections[0]
    mm = [
        round(length.mm)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 20, 20, 30, 15]
    normal = reopened.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(13))


def test_header_block_has_bodies_number_motto_and_italic_date():
    header = _reopened().tables[0]
    left, right = header.rows[0].cells
    assert _cell_texts(left) == ["UBND TỈNH KHÁNH HÒA", "SỞ Y TẾ", "Số: 15/BC-SYT"]
    assert left.paragraphs[1].runs[0].bold
    assert _cell_texts(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Khánh Hòa, ngày 05 tháng 12 năm 2026",
    ]
    date_paragraph = [p for p in right.paragraphs if p.text.startswith("Khánh Hòa")][0]
    assert date_paragraph.runs[0].italic


def test_title_body_end_mark_signature_and_recipients():
    reopened = _reopened()
    texts = [p.text for p in reopened.paragraphs if p.text]
    assert texts[:2] == ["BÁO CÁO", "Tử vong mẹ quý IV năm 2026"]
    assert texts[-1] == "Trong quý có 2 trường hợp tử vong mẹ../."
    body = [p for p in reopened.paragraphs if p.text.startswith("Trong quý")][0]
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    results = reopened.tables[1]
    assert [c.text for c in results.rows[1].cells] == ["Tỷ số tử vong mẹ", "28,4"]
    recipients, signature = reopened.tables[2].rows[0].cells
    assert _cell_texts(recipients) == [
        "Nơi nhận:",
        "- Bộ Y tế (báo cáo);",
        "- UBND tỉnh (báo cáo);",
        "- Lưu: VT, NVY.",
    ]
    assert _cell_texts(signature) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]


def test_nothing_can_be_added_after_the_end():
    doc = _document()
    with pytest.raises(RuntimeError):
        doc.paragraph("Thêm")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 3), "Khánh Hòa, ngày 03 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "Khánh Hòa, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 11, 9), "Khánh Hòa, ngày 09 tháng 11 năm 2026"),
    ],
)
def test_date_line_pads_days_below_10_and_months_1_and_2(day, expected):
    assert date_line("Khánh Hòa", day) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1234567, 0, "1.234.567"), (28.449, 1, "28,4"), (0.5, 2, "0,50"), (None, 1, "—")],
)
def test_number_vi(value, decimals, expected):
    assert number_vi(value, decimals) == expected
