"""Import of a year's values from the XLSX template or a CSV: all or nothing, each
problem naming its sheet, row and column in Vietnamese; a second import changes rather
than duplicates."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from mch.registers.models import AuditEntry
from mch.reported_values import imports
from mch.reported_values.models import PolicyValue, SurveyResult, WorkforceReport

from .conftest import YEAR, World

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _filled(world: World, client: Client, survey_value: object = "62,5") -> bytes:
    """The downloaded template with one row on each sheet."""
    response = client.get("/so-lieu-khac/mau.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Hướng dẫn", "Khảo sát", "Chính sách", "Nhân lực"]
    rw = world.rw

    def put(sheet: str, values: dict[str, object]) -> None:
        headers = [c.value for c in book[sheet][1]]
        book[sheet].append([values.get(h) for h in headers])

    put(
        "Khảo sát",
        {
            "ma_chi_so": "caregiver_newborn_danger_signs",
            "ma_don_vi": rw.province.code,
            "ten_dieu_tra": "MICS 2025",
            "ngay_dieu_tra": "15/06/2025",
            "co_mau": 400,
            "gia_tri": survey_value,
        },
    )
    put(
        "Chính sách",
        {"ma_chi_so": "policy_goal_in_sep", "ma_don_vi": rw.commune.code, "co_khong": "có"},
    )
    put(
        "Nhân lực",
        {
            "ma_co_so": rw.hospital.code,
            "ngay_bao_cao": "31/12/2025",
            "bs_san_ck1": 2,
            "bs_nhi_ck1": 2,
            "ho_sinh": 15,
            "dao_tao_eenc": 9,
        },
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: Client, name: str, content: bytes, **fields: str) -> str:
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post("/so-lieu-khac/nhap/", {"nam": str(YEAR), "file": upload, **fields})
    assert response.status_code == 200
    return response.content.decode()


def test_the_template_filled_in_imports_every_kind(world: World) -> None:
    client = _client(world.rw.officer)
    html = _upload(client, "so-lieu.xlsx", _filled(world, client))
    assert 'id="rv-import-ok"' in html and "Đã nhập 3 dòng" in html
    survey = SurveyResult.objects.get()
    assert (float(survey.value), survey.year, survey.entered_via) == (62.5, YEAR, "import")
    assert survey.ci_computed and round(float(survey.ci_low), 1) == 57.7
    policy = PolicyValue.objects.get()
    assert (policy.unit, policy.answer, policy.year) == (world.rw.commune, True, YEAR)
    report = WorkforceReport.objects.get()
    assert (report.facility, report.midwives, report.trained_eenc) == (world.rw.hospital, 15, 9)
    # The same file again, with a new value: changed, not duplicated.
    html = _upload(client, "so-lieu.xlsx", _filled(world, client, survey_value=64))
    assert "0 mới, 1 cập nhật" in html
    assert SurveyResult.objects.get().value == 64
    assert (PolicyValue.objects.count(), WorkforceReport.objects.count()) == (1, 1)
    assert AuditEntry.objects.filter(model="surveyresult", action="update").count() == 1


def test_one_bad_row_and_nothing_is_written(world: World) -> None:
    client = _client(world.rw.officer)
    html = _upload(client, "so-lieu.xlsx", _filled(world, client, survey_value="120"))
    assert 'id="rv-import-problems"' in html
    assert "Khảo sát, dòng 2, cột gia_tri: Tỷ lệ phải trong khoảng 0–100%" in html
    # The policy and workforce rows were good, and are not written either.
    assert not SurveyResult.objects.exists()
    assert not PolicyValue.objects.exists() and not WorkforceReport.objects.exists()


def test_csv_of_one_kind_with_every_problem_named(world: World) -> None:
    rw = world.rw
    content = (
        "ma_chi_so;ma_don_vi;co_khong;tu_so;mau_so\n"
        f"policy_goal_in_sep;{rw.commune.code};có;;\n"
        f"policy_goal_in_sep;{rw.other_commune.code};không;;\n"
        f"policy_budget_allocated;{rw.commune.code};;5;4\n"
        f"policy_goal_in_sep;99999;có;;\n"
        f"stunting_u5;{rw.commune.code};có;;\n"
    ).encode()
    html = _upload(_client(rw.staff), "chinh-sach.csv", content)
    # Another commune is outside the station's units.
    assert (
        f"Chính sách, dòng 3, cột ma_don_vi: Không có đơn vị mã &#x27;{rw.other_commune.code}&#x27;"
        in html
    )
    assert "Chính sách, dòng 4, cột tu_so: Tử số không được lớn hơn mẫu số" in html
    assert "Chính sách, dòng 5, cột ma_don_vi: Không có đơn vị mã &#x27;99999&#x27;" in html
    assert "Chính sách, dòng 6, cột ma_chi_so:" in html
    assert "dòng 2" not in html
    assert not PolicyValue.objects.exists()
    good = content.decode().splitlines()[:2]
    ok = _upload(_client(rw.staff), "chinh-sach.csv", "\n".join(good).encode())
    assert "Đã nhập 1 dòng" in ok
    assert PolicyValue.objects.get().entered_by == rw.staff


def test_a_row_the_user_may_not_enter_is_refused(world: World) -> None:
    content = f"ma_chi_so,ma_don_vi,co_khong\npolicy_goal_in_sep,{world.rw.province.code},có\n"
    html = _upload(_client(world.hospital_user), "chinh-sach.csv", content.encode())
    assert "Chính sách, dòng 2: Bạn không có quyền nhập chỉ tiêu chính sách" in html
    assert not PolicyValue.objects.exists()


def test_files_that_cannot_be_read(world: World) -> None:
    client = _client(world.rw.officer)
    assert "Định dạng tệp không hỗ trợ" in _upload(client, "a.pdf", b"%PDF")
    assert "Không đọc được tệp XLSX" in _upload(client, "a.xlsx", b"not a workbook")
    assert "thiếu cột" in _upload(client, "a.csv", b"ma_chi_so,ten_dieu_tra\nx,y\n")
    assert "Năm nhập" in _upload(
        client, "a.csv", b"ma_co_so,ngay_bao_cao\nBV-56,31/12/2025\n", nam="1990"
    )
    with pytest.raises(imports.ImportRefused, match="không có dòng"):
        imports.file_rows(name="a.csv", content=b"ma_co_so,ngay_bao_cao\n")


def test_csv_template_has_the_columns(world: World) -> None:
    response = _client(world.rw.officer).get("/so-lieu-khac/mau.csv?loai=nhan_luc")
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["ma_co_so", "ngay_bao_cao", "bs_san_ck2"]
    assert "dao_tao_kangaroo" in header
