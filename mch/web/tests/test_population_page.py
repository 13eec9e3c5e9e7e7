"""The mid-year population page: the province officer uploads a CSV or XLSX file, gets
every bad row in Vietnamese with nothing saved, and sees what is loaded per year inside
the province; other roles may not."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from mch.core.testing import make_unit
from mch.orgunits.models import Population
from mch.orgunits.population import population_total

pytestmark = pytest.mark.django_db
HEADER = ["ma_xa", "nam", "gioi_tinh", "nhom_tuoi", "dan_so", "nguon"]


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("dan-so.xlsx", out.getvalue())


def test_the_officer_uploads_a_file_and_sees_it_per_year(as_user, world) -> None:
    client = as_user(world.officer)
    upload = _xlsx(
        [
            ["22945", 2024, "", "0-4", 1200, ""],
            ["22946", 2024, "", "0-4", 800, ""],
            ["22947", 2024, "", "0-4", "1.000", ""],
            ["22945", 2025, "", "0-4", 2100, "Cục Thống kê, ước tính 2025"],
        ]
    )
    response = client.post(
        reverse("population"),
        {"file": upload, "source": "Cục Thống kê tỉnh, dân số giữa năm 2024"},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã nhập dân số: 4 dòng (4 mới, 0 thay thế)" in page
    assert Population.objects.get(unit=world.old_b).source == (
        "Cục Thống kê tỉnh, dân số giữa năm 2024"
    )
    # the listing: 2024 complete (the three old communes), 2025 one of the two new ones
    assert "3 / 3" in page
    assert "1 / 2" in page and "chưa đủ" in page
    # the merged commune and the province before 2025: the sum of the old communes
    assert population_total(world.new_n, 2024, "0-4") == 2000
    assert population_total(world.province, 2024, "0-4") == 3000


def test_bad_rows_are_listed_in_vietnamese_and_nothing_is_saved(as_user, world) -> None:
    outside = make_unit(code="99901", name="Xã Ngoài", level="commune", parent=world.other_province)
    text = (
        ",".join(HEADER) + "\n"
        "22945,2024,,0-4,1200,Cục Thống kê\n"
        "22945,2024,,0-4,abc,Cục Thống kê\n"
        f"{outside.code},2024,,0-4,500,Cục Thống kê\n"
        "22946,2024,,0-4,800,\n"
    )
    upload = SimpleUploadedFile("dan-so.csv", text.encode())
    response = as_user(world.officer).post(reverse("population"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dòng 3: dân số “abc” phải là số nguyên ≥ 0." in page
    assert "Dòng 4: xã mã “99901” ngoài phạm vi đơn vị của bạn." in page
    assert "Dòng 5: thiếu nguồn số liệu" in page
    assert not Population.objects.exists()


def test_only_the_province_officer(as_user, world) -> None:
    for user in (world.leader, world.commune_n):
        client = as_user(user)
        assert client.get(reverse("population")).status_code == 403
        upload = SimpleUploadedFile(
            "d.csv", (",".join(HEADER) + "\n22945,2024,,0-4,1,x\n").encode()
        )
        assert client.post(reverse("population"), {"file": upload}).status_code == 403
    assert not Population.objects.exists()
