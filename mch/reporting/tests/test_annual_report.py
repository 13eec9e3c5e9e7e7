"""The annual report generated for a generated province: the files are read back (python-docx,
openpyxl, the PDF's pages rendered to PNG) and their figures checked against the engine."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from docx import Document

from mch.documents.official import number_vi
from mch.indicators.values import Period, indicator_values
from mch.reporting.annual.generate import annual_report_generate
from mch.reporting.services import annual_report_save, task_report_save
from mch.scorecards.tests.builders import YEAR, Province, build_province
from tests.browser.conftest import require_chromium


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict]:
    require_chromium()
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                province = build_province(tmp_path_factory.mktemp("registers"))
                _other_sources(province)
                task = province.plan.tasks.create(
                    agency=_agency(province), description="Tuyên truyền chăm sóc bà mẹ."
                )
                task_report_save(
                    user=province.officer,
                    task=task,
                    year=YEAR,
                    narrative="Đã tổ chức 12 buổi truyền thông tại xã.",
                    figures=[{"label": "Số buổi", "value": "12", "unit": "buổi"}],
                    submit=True,
                )
                annual_report_save(
                    user=province.officer,
                    plan=province.plan,
                    year=YEAR,
                    number="15/BC-SYT",
                    report_date=dt.date(YEAR, 12, 5),
                    difficulties="Thiếu bác sĩ sản nhi ở tuyến xã.",
                    proposals="Đề nghị bổ sung kinh phí đào tạo.",
                    signer_name="Nguyễn Văn An",
                )
                files = annual_report_generate(user=province.officer, plan=province.plan, year=YEAR)
                yield {"province": province, "files": {k: bytes(f.data) for k, f in files.items()}}
                raise _Rollback
        except _Rollback:
            pass


SURVEY = "Điều tra kiến thức chăm sóc sơ sinh tỉnh thử"


def _other_sources(province: Province) -> None:
    """A survey indicator with a survey, a policy indicator answered by the communes (yes,
    no, yes), and a policy indicator nobody answered."""
    from mch.reported_values.services import policy_value_save, survey_result_save
    from mch.scorecards.tests.builders import _target

    _target(province.plan, "caregiver_newborn_danger_signs", "dat", "80", "80%", 4)
    _target(province.plan, "policy_budget_allocated", "dat", "100", "100%", 5)
    survey_result_save(
        user=province.officer,
        indicator_code="caregiver_newborn_danger_signs",
        unit=province.unit,
        survey_name=SURVEY,
        survey_date=dt.date(YEAR, 6, 30),
        sample_size=400,
        value="72.5",
    )
    for commune, answer in zip(province.communes, (True, False, True), strict=True):
        policy_value_save(
            user=province.officer,
            indicator_code="policy_goal_in_sep",
            unit=commune,
            year=YEAR,
            answer=answer,
        )


def _agency(province: Province):  # type: ignore[no-untyped-def]
    from mch.orgunits.models import Agency

    return Agency.objects.create(code="so-y-te-thu", name="Sở Y tế thử", unit=province.unit)


def _engine(province: Province, code: str, year: int) -> str:
    [value] = indicator_values(
        user=province.officer, indicators=[code], units=[province.unit], period=Period.year(year)
    )
    return number_vi(value.value, 1) if value.value is not None else "—"


def _results_table(document):  # type: ignore[no-untyped-def]
    return next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")


@pytest.mark.django_db
def test_docx_in_the_official_layout(generated) -> None:
    document = Document(io.BytesIO(generated["files"]["docx"]))
    header = document.tables[0].rows[0].cells
    section = document.sections[0]

    assert "SỞ Y TẾ" in header[0].text and "Số: 15/BC-SYT" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert f"ngày 05 tháng 12 năm {YEAR}" in header[1].text
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert document.styles["Normal"].font.name == "Times New Roman"
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Thiếu bác sĩ sản nhi ở tuyến xã." in texts
    assert "Đề nghị bổ sung kinh phí đào tạo." in texts
    assert any("Đã tổ chức 12 buổi truyền thông tại xã. (Số buổi: 12 buổi)" in t for t in texts)
    assert any(t.endswith("./.") for t in texts)
    assert "Nguyễn Văn An" in document.tables[-1].rows[0].cells[1].text


def _expected(province: Province) -> dict[str, tuple[str, str, str]]:
    """{indicator name: (this year's figure, its source label, a part of its note)}, from
    the engine, the survey series and the policy entries, computed here."""
    from mch.indicators.models import IndicatorVersion

    def name(code: str) -> str:
        return IndicatorVersion.objects.filter(indicator__code=code).order_by("-version")[0].name_vi

    def version(code: str) -> str:
        latest = IndicatorVersion.objects.filter(indicator__code=code).order_by("-version")[0]
        return f"“{code}” (phiên bản {latest.version})"

    return {
        name("facility_birth"): (
            _engine(province, "facility_birth", YEAR),
            "Sổ đăng ký",
            version("facility_birth"),
        ),
        name("neonatal_mortality"): (
            _engine(province, "neonatal_mortality", YEAR),
            "Sổ đăng ký",
            version("neonatal_mortality"),
        ),
        # the survey's own figure, its name, date and sample size
        name("caregiver_newborn_danger_signs"): (
            "72,5",
            "Điều tra",
            f"{SURVEY}, 30/06/{YEAR}, n = 400",
        ),
        # 2 of the 3 communes answered yes
        name("policy_goal_in_sep"): (number_vi(200 / 3, 1), "Báo cáo chính sách", f"năm {YEAR}"),
        name("policy_budget_allocated"): ("—", "", ""),
    }


def _notes(texts: list[str]) -> dict[int, str]:
    start = texts.index("Nguồn số liệu:")
    out = {}
    for text in texts[start + 1 :]:
        if not text.startswith("("):
            break
        number, note = text[1:].split(") ", 1)
        out[int(number)] = note
    return out


def _check_sources(rows: dict[str, list[str]], notes: dict[int, str], expected, col) -> None:  # type: ignore[no-untyped-def]
    for name, (figure, label, part) in expected.items():
        row = rows[name]
        assert row[col["actual"]] == figure, name
        if not label:
            assert row[col["source"]] == "—", name
            continue
        refs = {
            ref.rsplit(" (", 1)[0]: [int(n) for n in ref.rsplit(" (", 1)[1].rstrip(")").split(", ")]
            for ref in row[col["source"]].split("; ")
        }
        assert label in refs, (name, row[col["source"]])
        assert all(notes[n].startswith(label) for n in refs[label]), name
        assert any(part in notes[n] for n in refs[label]), name


@pytest.mark.django_db
def test_docx_results_equal_the_engine_with_their_source(generated) -> None:
    province = generated["province"]
    document = Document(io.BytesIO(generated["files"]["docx"]))
    table = _results_table(document)
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}

    assert [c.text for c in table.rows[0].cells][3:8] == [
        f"Thực hiện {YEAR - 1}",
        "Chỉ tiêu kế hoạch (năm)",
        f"Thực hiện {YEAR}",
        "Đánh giá",
        "Nguồn số liệu",
    ]
    notes = _notes([p.text.rstrip(".") for p in document.paragraphs])
    expected = _expected(province)
    assert len(rows) == len(expected)
    _check_sources(rows, notes, expected, {"actual": 5, "source": 7})
    births = next(r for name, r in rows.items() if "đẻ tại cơ sở y tế" in name)
    # the registers start in YEAR: last year's figure is the plan document's, labelled so
    assert _engine(province, "facility_birth", YEAR - 1) == "—"
    assert births[3] == "12,3%"
    assert "Văn bản kế hoạch" in births[7]
    assert all("số liệu đến" in n for n in notes.values() if n.startswith("Sổ đăng ký"))
    # an indicator nobody can give: no figure invented
    policy = next(r for r in rows.values() if r[7] == "—")
    assert (policy[5], policy[6]) == ("—", "Chưa tính được")


@pytest.mark.django_db
def test_xlsx_annex_like_phu_luc_1(generated) -> None:
    province = generated["province"]
    sheet = openpyxl.load_workbook(io.BytesIO(generated["files"]["xlsx"]))["Phụ lục 1"]
    header = [c.value for c in sheet[6]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=7)]

    assert sheet["A1"].value == "PHỤ LỤC 1"
    assert header[:4] == ["TT", "Chỉ tiêu", "Đơn vị tính", f"Thực hiện năm {YEAR - 1}"]
    assert f"Mục tiêu năm {YEAR}" in header and f"Thực hiện năm {YEAR}" in header
    births = next(r for r in rows if r[1] and "đẻ tại cơ sở y tế" in r[1])
    actual = births[header.index(f"Thực hiện năm {YEAR}")]
    assert number_vi(actual, 1) == _engine(province, "facility_birth", YEAR)
    # every row's value and its source, written out in full in the last column
    actual_at, source_at = header.index(f"Thực hiện năm {YEAR}"), header.index("Nguồn số liệu")
    by_name = {r[1]: r for r in rows if isinstance(r[0], int)}
    expected = _expected(province)
    assert set(by_name) == set(expected)
    for name, (figure, label, part) in expected.items():
        value, sources = by_name[name][actual_at], by_name[name][source_at]
        assert (number_vi(value, 1) if isinstance(value, (int, float)) else value) == figure, name
        if not label:
            assert sources == "—", name
            continue
        notes = [n.split(") ", 1)[1] for n in sources.split("; (")]
        assert any(n.startswith(label) and part in n for n in notes), (name, sources)


def _png(array) -> bytes:  # type: ignore[no-untyped-def]
    height, width, _ = array.shape
    raw = b"".join(b"\x00" + array[y].tobytes() for y in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.mark.django_db
def test_pdf_is_a4_with_the_same_figures_and_renders_to_images(generated, tmp_path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    province = generated["province"]
    pdf = pdfium.PdfDocument(generated["files"]["pdf"])
    width, height = pdf[0].get_size()
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))

    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert "BÁO CÁO" in text and "./." in text
    assert _engine(province, "facility_birth", YEAR) in text
    # the same figures and sources as the .docx: each row's source label, each note's detail
    flat = " ".join(text.split())
    for figure, label, part in _expected(province).values():
        assert figure in flat and label in flat and " ".join(part.split()) in flat, (figure, part)
    assert "Nguồn số liệu:" in flat
    image = pdf[0].render(scale=1, rev_byteorder=True).to_numpy()
    (tmp_path / "page-1.png").write_bytes(_png(image))
    for i in range(len(pdf)):  # kept for a person to look at (MCH_KEEP_PAGES=folder)
        if os.environ.get("MCH_KEEP_PAGES"):
            page = pdf[i].render(scale=1.5, rev_byteorder=True).to_numpy()
            Path(os.environ["MCH_KEEP_PAGES"], f"bao-cao-trang-{i + 1}.png").write_bytes(_png(page))
    assert int(image.min()) < 50 and int(image.max()) > 250  # ink on a white page


@pytest.mark.django_db
def test_downloads_stay_inside_the_officers_scope(generated) -> None:
    province = generated["province"]
    officer, outsider = Client(), Client()
    officer.force_login(province.officer, backend="django.contrib.auth.backends.ModelBackend")
    outsider.force_login(province.commune_user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("reporting-download", args=[province.plan.slug, YEAR, "docx"])

    response = officer.get(url)
    assert response.status_code == 200
    assert response.content == generated["files"]["docx"]
    assert outsider.get(url).status_code == 403


@pytest.mark.django_db
def test_docx_has_the_trend_charts_and_the_mpdsr_section(generated) -> None:
    province = generated["province"]
    document = Document(io.BytesIO(generated["files"]["docx"]))
    texts = [p.text for p in document.paragraphs]
    captions = [t for t in texts if t.startswith("Biểu đồ ")]

    assert len(document.inline_shapes) == len(captions) >= 1
    assert any("đẻ tại cơ sở y tế" in c for c in captions)
    assert "III. HÀNH ĐỘNG SAU THẨM ĐỊNH TỬ VONG MẸ, CHU SINH" in texts
    assert texts.index("IV. KINH PHÍ THỰC HIỆN") < texts.index("V. KHÓ KHĂN, VƯỚNG MẮC")
    picture = document.inline_shapes[0]
    assert round(picture.width.cm, 1) == 15.5
    # the chart's figure for this year is the engine's, as in the table
    from mch.reporting.annual.data import annual_report_data

    data = annual_report_data(user=province.officer, plan=province.plan, year=YEAR)
    births = next(t for t in data.trends if "đẻ tại cơ sở y tế" in t.title)
    assert number_vi(births.values[-1], 1) == _engine(province, "facility_birth", YEAR)
    assert births.years == [YEAR - 3, YEAR - 2, YEAR - 1, YEAR]
