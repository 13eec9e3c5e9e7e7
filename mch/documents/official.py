"""Documents in the official layout of Nghị định 30/2020/NĐ-CP (administrative documents).

A4; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13 pt (14 pt for
the title), tables 11 pt. The header is a two-column borderless table: on the left the
parent body and the issuing body (bold) in capitals with a short rule, then "Số: ...";
on the right the national motto with its rule, then place and date in italics. The body is
justified, its last paragraph ends with "./."; the signature block sits on the right
beside the "Nơi nhận:" list at the bottom left.

Usage::

    doc = OfficialDocument(
        header=Header(
            parent_body="UBND TỈNH KHÁNH HÒA", issuing_body="SỞ Y TẾ",
            number="15/BC-SYT", place="Khánh Hòa", day=date(2026, 12, 5),
        ),
        kind="BÁO CÁO", summary="Kết quả thực hiện Kế hoạch ... năm 2026",
    )
    doc.heading("I. KẾT QUẢ THỰC HIỆN")
    doc.paragraph("Trong năm 2026, ...")
    doc.table(["Chỉ tiêu", "Kết quả"], [["Tỷ số tử vong mẹ", "28,4"]])
    doc.finish(
        signature=Signature(authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", name="Nguyễn Văn A"),
        recipients=["Bộ Y tế (báo cáo);", "UBND tỉnh (báo cáo);"],
        archive="Lưu: VT, NVY.",
    )
    data = doc.to_bytes()

python-docx (MIT) writes the file. Liberation Serif is metric-compatible with Times New Roman
when the file is rendered on Linux.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
TABLE_PT = 11
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
END_MARK = "./."


@dataclass(frozen=True)
class Header:
    """The header block. ``number`` is the part after "Số: " ("15/BC-SYT"); leave the
    sequence blank ("/BC-SYT") for a draft numbered by the clerk. ``day`` None prints
    "ngày ... tháng ... năm ..." to be filled by hand."""

    issuing_body: str
    number: str
    place: str
    day: dt.date | None
    parent_body: str = ""


@dataclass(frozen=True)
class Signature:
    """``authority`` is the line with TM./KT./Q. ("KT. GIÁM ĐỐC"), ``position`` the
    signer's own position ("PHÓ GIÁM ĐỐC", empty when the head signs), ``name`` the full name."""

    position: str
    name: str
    authority: str = ""


def date_line(place: str, day: dt.date | None) -> str:
    """ "Khánh Hòa, ngày 05 tháng 12 năm 2026" (days and months below 10 with a leading zero,
    as Nghị định 30 writes them for days 1–9 and months 1–2)."""
    if day is None:
        return f"{place}, ngày      tháng      năm      "
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_vi(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """Vietnamese number format: "." for thousands, "," for decimals; "—" when missing."""
    if value is None:
        return "—"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


class OfficialDocument:
    """A document built top to bottom: header, title, body, then ``finish``."""

    def __init__(
        self,
        *,
        header: Header,
        kind: str = "BÁO CÁO",
        summary: str = "",
        landscape: bool = False,
        body_pt: int = BODY_PT,
    ) -> None:
        self.body_pt = body_pt
        self._doc: Any = Document()
        self._finished = False
        self._last_body: Any = None
        self._page_setup(landscape)
        self._styles()
        self._header(header)
        self._title(kind, summary)

    # -- layout -----------------------------------------------------------------------
    def _page_setup(self, landscape: bool) -> None:
        section = self._doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = Mm(20)
        section.bottom_margin = Mm(20)
        section.left_margin = Mm(30)
        section.right_margin = Mm(15)

    def _styles(self) -> None:
        style = self._doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(self.body_pt)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        fmt = style.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0

    @property
    def text_width(self) -> Any:
        section = self._doc.sections[0]
        return section.page_width - section.left_margin - section.right_margin

    def _header(self, header: Header) -> None:
        table = self._doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        left_width, right_width = Cm(6.5), self.text_width - Cm(6.5)
        left, right = table.rows[0].cells
        left.width, right.width = left_width, right_width

        first = True
        if header.parent_body:
            self._cell_line(left, header.parent_body.upper(), size=13, first=first)
            first = False
        issuing = self._cell_line(left, header.issuing_body.upper(), bold=True, first=first)
        _rule_below(issuing, Cm(1.5))
        self._cell_line(left, "", size=6)
        self._cell_line(left, f"Số: {header.number}")

        self._cell_line(right, MOTTO, bold=True, size=12, first=True)
        motto = self._cell_line(right, MOTTO_LINE, bold=True, size=13)
        _rule_below(motto, Cm(2.4))
        self._cell_line(right, "", size=6)
        self._cell_line(right, date_line(header.place, header.day), italic=True)

    def _cell_line(
        self,
        cell: Any,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: int | None = None,
        first: bool = False,
    ) -> Any:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic
        run.font.size = Pt(size or self.body_pt)
        return paragraph

    def _title(self, kind: str, summary: str) -> None:
        self._doc.add_paragraph().paragraph_format.space_after = Pt(6)
        title = self._doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(kind.upper())
        run.bold = True
        run.font.size = Pt(TITLE_PT)
        for line in [part for part in summary.split("\n") if part]:
            p = self._doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(line)
            r.bold = True
            r.font.size = Pt(TITLE_PT)
        if summary:
            _rule_below(self._doc.paragraphs[-1], Cm(3.5))
        self._doc.add_paragraph().paragraph_format.space_after = Pt(6)

    # -- body -------------------------------------------------------------------------
    def heading(self, text: str) -> None:
        """A section heading ("I. KẾT QUẢ THỰC HIỆN"), bold, flush with the body indent."""
        p = self._body_paragraph()
        p.add_run(text).bold = True

    def paragraph(self, text: str, *, bold: bool = False, italic: bool = False) -> None:
        """A justified body paragraph with a first-line indent."""
        p = self._body_paragraph()
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        self._last_body = p

    def bullet(self, text: str) -> None:
        """A "- " item, the way administrative documents list points."""
        p = self._body_paragraph()
        p.add_run(f"- {text}")
        self._last_body = p

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        widths_cm: Sequence[float] | None = None,
        font_pt: int = TABLE_PT,
        numeric: Sequence[int] = (),
        caption: str = "",
    ) -> None:
        """A results table with borders: bold header row, ``numeric`` column indexes
        right-aligned. Cells are written as given (format numbers with ``number_vi``)."""
        if caption:
            p = self._doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(caption)
            r.bold = True
            r.font.size = Pt(font_pt + 1)
        table = self._doc.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, name in enumerate(columns):
            self._table_cell(table.rows[0].cells[i], str(name), font_pt, bold=True, center=True)
        _repeat_header(table.rows[0])
        for row in rows:
            cells = table.add_row().cells
            for i, value in enumerate(row):
                self._table_cell(
                    cells[i], "" if value is None else str(value), font_pt, right=i in numeric
                )
        if widths_cm:
            for row in table.rows:
                for cell, width in zip(row.cells, widths_cm, strict=False):
                    cell.width = Cm(width)
        self._doc.add_paragraph().paragraph_format.space_after = Pt(3)

    def _table_cell(
        self,
        cell: Any,
        text: str,
        font_pt: int,
        *,
        bold: bool = False,
        center: bool = False,
        right: bool = False,
    ) -> None:
        p = cell.paragraphs[0]
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(font_pt)

    def _body_paragraph(self) -> Any:
        if self._finished:
            raise RuntimeError("The document is finished; nothing can be added after it.")
        p = self._doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt = p.paragraph_format
        fmt.first_line_indent = Cm(1)
        fmt.space_before = Pt(3)
        fmt.space_after = Pt(3)
        fmt.line_spacing = 1.15
        return p

    # -- end ----------------------------------------------------------------------------
    def finish(
        self,
        *,
        signature: Signature,
        recipients: Sequence[str],
        archive: str = "Lưu: VT.",
    ) -> None:
        """End the body with "./.", then "Nơi nhận:" (left) beside the signature (right)."""
        if self._last_body is None:
            self.paragraph("")
        last = self._last_body
        last.add_run(END_MARK)

        self._doc.add_paragraph()
        table = self._doc.add_table(rows=1, cols=2)
        table.autofit = False
        left, right = table.rows[0].cells
        left.width, right.width = Cm(7.5), self.text_width - Cm(7.5)

        head = left.paragraphs[0]
        r = head.add_run("Nơi nhận:")
        r.bold = True
        r.italic = True
        r.font.size = Pt(12)
        for item in [*recipients, archive]:
            p = left.add_paragraph()
            run = p.add_run(f"- {item}")
            run.font.size = Pt(11)

        first = True
        for line in [signature.authority, signature.position]:
            if line:
                self._cell_line(right, line.upper(), bold=True, first=first)
                first = False
        for _ in range(4):
            self._cell_line(right, "", first=first)
            first = False
        self._cell_line(right, signature.name, bold=True)
        self._finished = True

    def save(self, target: Any) -> None:
        self._doc.save(target)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._doc.save(buffer)
        return buffer.getvalue()

    @property
    def docx(self) -> Any:
        """The underlying python-docx ``Document`` (for tests and rare additions)."""
        return self._doc


def _rule_below(paragraph: Any, indent: Any) -> None:
    """A short horizontal rule under a centred line: a bottom border on the paragraph,
    shortened by equal left and right indents."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = indent
    fmt.right_indent = indent
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    trpr.append(element)
