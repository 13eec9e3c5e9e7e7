"""The template workbook and docs/register-import.md come from the spec."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from mch.registers.bundle.reader import read_bundle
from mch.registers.bundle.spec import BY_KEY, FILES
from mch.registers.bundle.template import render_docs, template_workbook

DOC = Path(__file__).resolve().parents[3] / "docs" / "register-import.md"


def test_docs_are_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_docs(), (
        "Run: python -m mch.registers.bundle.template > docs/register-import.md"
    )


def test_docs_name_every_file_and_column() -> None:
    text = render_docs()
    for spec in FILES:
        assert f"### `{spec.name_vi}` / `{spec.key}`" in text
        for column in spec.columns:
            assert f"| `{column.header_vi}` | `{column.key}` |" in text


def test_template_has_a_sheet_per_file_with_help_and_choices() -> None:
    book = load_workbook(io.BytesIO(template_workbook()))
    assert book.sheetnames[:2] == ["Hướng dẫn", "Danh mục"]
    assert book.sheetnames[2:] == [spec.name_vi for spec in FILES]
    deliveries = book["de"]
    headers = [cell.value for cell in deliveries[1]]
    assert headers == [c.header_vi for c in BY_KEY["deliveries"].columns]
    attendant = deliveries.cell(row=1, column=headers.index("nguoi_do") + 1)
    assert "Bắt buộc" in attendant.comment.text and "Hộ sinh" in attendant.comment.text
    assert any("Danh mục" in str(v.formula1) for v in deliveries.data_validations.dataValidation)


def test_a_filled_template_reads_as_a_bundle(tmp_path) -> None:
    book = load_workbook(io.BytesIO(template_workbook()))
    book["nguoi"].append(["A1", "Lò Thị Mai", "Nữ"])
    path = tmp_path / "mau.xlsx"
    book.save(path)
    bundle = read_bundle(path)
    assert bundle.problems == []
    assert list(bundle.tables) == ["persons"]
    assert bundle.tables["persons"].rows[0][1][:3] == ["A1", "Lò Thị Mai", "Nữ"]


def test_an_empty_template_has_nothing_to_import() -> None:
    bundle = read_bundle(("mau.xlsx", template_workbook()))
    assert [p.message for p in bundle.problems] == ["Không có dòng dữ liệu nào để nhập."]
