"""Small bundles for the import tests, written as a person would type them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mch.registers.bundle.spec import BY_KEY


def csv_text(rows: list[dict[str, object]], *, delimiter: str = ",") -> str:
    headers: list[str] = []
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return out.getvalue()


def write_bundle(folder: Path, files: dict[str, list[dict[str, object]]], **options) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for key, rows in files.items():
        name = BY_KEY[key].name_vi if key in BY_KEY else key
        (folder / f"{name}.csv").write_text(csv_text(rows, **options), encoding="utf-8-sig")
    return folder


def basic_files() -> dict[str, list[dict[str, object]]]:
    """A mother with a pregnancy, two visits, a delivery of one live-born child and its
    care; Vietnamese headers, dd/mm/yyyy dates, decimal comma, labels for choices."""
    return {
        "persons": [
            {
                "ma": "ND-1",
                "ho_ten": "Nguyễn Thị  Lan",
                "gioi_tinh": "Nữ",
                "ngay_sinh": "12/03/1995",
                "dan_toc": "Ê Đê",
                "ma_xa": "22795",
                "thon": "Buôn Ea",
            },
            {
                "ma": "ND-2",
                "ho_ten": "Nguyễn Văn An",
                "gioi_tinh": "Nam",
                "ngay_sinh": "02/01/2026",
                "ma_xa": "22795",
                "ma_me": "ND-1",
            },
        ],
        "pregnancies": [
            {
                "ma": "TK-1",
                "ma_nguoi": "ND-1",
                "ngay": "10/05/2025",
                "ngay_kinh_cuoi": "01/04/2025",
            },
        ],
        "antenatal_visits": [
            {
                "ma": "KT-1",
                "ma_nguoi": "ND-1",
                "ngay": "10/05/2025",
                "ma_thai_ky": "TK-1",
                "can_nang_kg": "52,5",
                "vien_sat": "30",
            },
            {
                "ma": "KT-2",
                "ma_nguoi": "ND-1",
                "ngay": "20/08/2025",
                "ma_thai_ky": "TK-1",
                "vien_sat": "30",
                "xn_hiv": "Âm tính",
            },
        ],
        "deliveries": [
            {
                "ma": "DE-1",
                "ma_nguoi": "ND-1",
                "ngay": "02/01/2026",
                "ma_thai_ky": "TK-1",
                "noi_de": "Tại cơ sở y tế",
                "nguoi_do": "Hộ sinh",
                "ma_co_so": "TYT-22795",
            },
        ],
        "births": [
            {
                "ma": "TS-1",
                "ma_de": "DE-1",
                "ma_nguoi": "ND-2",
                "ket_qua": "Đẻ sống",
                "gioi_tinh": "Nam",
                "can_nang_g": "3.200",
                "bu_me_trong_1_gio": "x",
            },
        ],
        "postnatal_contacts": [
            {
                "ma": "SS-1",
                "ma_nguoi": "ND-1",
                "ngay": "05/01/2026",
                "ma_de": "DE-1",
                "doi_tuong": "Mẹ",
                "noi_cham_soc": "Tại nhà",
            },
        ],
        "growth": [
            {
                "ma": "CD-1",
                "ma_nguoi": "ND-2",
                "ngay": "02/07/2026",
                "can_nang_kg": "7,9",
                "chieu_cao_cm": "67,5",
                "tu_the_do": "Nằm",
            },
        ],
        "immunisations": [
            {"ma": "TC-1", "ma_nguoi": "ND-2", "ngay": "02/01/2026", "vac_xin": "hepb", "mui": "1"},
        ],
    }
