"""Mid-year population: the import (all or nothing, Vietnamese row errors), the roll-up
through the hierarchy, a missing figure never summed, the demo generator."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from mch.orgunits.imports import UnitImportError
from mch.orgunits.models import Level, Population
from mch.orgunits.population import (
    SYNTHETIC_SOURCE,
    demo_population_rows,
    population_import,
    population_total,
    rows_csv,
)
from mch.orgunits.services import unit_create

HEADER = "ma_xa,nam,gioi_tinh,nhom_tuoi,dan_so,nguon\n"
SOURCE = "Cục Thống kê tỉnh, dân số giữa năm"


@pytest.fixture
def tree(small_tree):  # type: ignore[no-untyped-def]
    second = unit_create(
        code="T112",
        name="Xã Hai",
        level=Level.COMMUNE,
        parent=small_tree["district"],
        valid_to=small_tree["district"].valid_to,
    )
    return {**small_tree, "second": second}


def _import(text: str):  # type: ignore[no-untyped-def]
    return population_import(file=io.StringIO(HEADER + text), name="p.csv")


def test_rows_are_stored_and_rolled_up_through_the_hierarchy(tree) -> None:  # type: ignore[no-untyped-def]
    result = _import(
        f"T111,2020,Nam,0,60,{SOURCE}\n"
        f"T111,2020,Nữ,0,55,{SOURCE}\n"
        f"T111,2020,,1-4,470,{SOURCE}\n"
        f"T112,2020,,0-4,1.203,{SOURCE}\n"
        f"T111,2020,Nữ,15-49,2100,{SOURCE}\n"
        f"T112,2020,,15-49,3000,{SOURCE}\n"
    )
    assert (result.rows, result.created, result.updated) == (6, 6, 0)
    assert Population.objects.get(unit=tree["second"], age_group="15-49").sex == "F"
    # T111: under 1 = 60 + 55, under 5 = 115 + 470; T112 has the 0–4 row itself
    assert population_total(tree["commune"], 2020, "0") == 115
    assert population_total(tree["commune"], 2020, "0-4") == 585
    assert population_total(tree["district"], 2020, "0-4") == 585 + 1203
    assert population_total(tree["province"], 2020, "0-4") == 1788
    assert population_total(tree["province"], 2020, "15-49") == 5100
    # T112 has no under-1 figure: the district has none either, never a partial sum
    assert population_total(tree["district"], 2020, "0") is None
    assert population_total(tree["province"], 2021, "0-4") is None
    # a new import of the same key replaces it
    again = _import(f"T112,2020,,0-4,1300,{SOURCE} (điều chỉnh)\n")
    assert (again.created, again.updated) == (0, 1)
    assert population_total(tree["district"], 2020, "0-4") == 585 + 1300


def test_one_bad_row_rejects_the_file_with_vietnamese_messages(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnitImportError) as refused:
        _import(
            f"T111,2020,Nam,0,60,{SOURCE}\n"
            f"T999,2020,Nam,0,60,{SOURCE}\n"
            f"T111,20x0,Nam,0,60,{SOURCE}\n"
            f"T111,2020,Nam,7-9,60,{SOURCE}\n"
            f"T111,2020,Nam,0,-3,{SOURCE}\n"
            "T111,2020,Nữ,0,60,\n"
            f"T111,2020,Nam,0,61,{SOURCE}\n"
            f"T111,2026,Nam,0,61,{SOURCE}\n"
        )
    messages = refused.value.messages
    assert messages == [
        "Dòng 3: không có xã mã “T999” còn hiệu lực ngày 01/07/2020.",
        "Dòng 4: năm “20x0” không hợp lệ.",
        "Dòng 5: nhóm tuổi “7-9” không hợp lệ (0, 1-4, 0-4, 15-49).",
        "Dòng 6: dân số “-3” phải là số nguyên ≥ 0.",
        "Dòng 7: thiếu nguồn số liệu (cột nguon).",
        "Dòng 8: trùng với dòng 2 (cùng xã, năm, giới, nhóm tuổi).",
        "Dòng 9: không có xã mã “T111” còn hiệu lực ngày 01/07/2026.",  # merged in 2025
    ]
    assert not Population.objects.exists()


def test_xlsx_and_english_headers(tree, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["code", "year", "sex", "age_group", "population", "source"])
    sheet.append(["T111", 2024, "Nữ", "15-49", 2222, SOURCE])
    path = tmp_path / "dan_so.xlsx"
    book.save(path)
    assert population_import(file=path).created == 1
    assert population_total(tree["commune"], 2024, "15-49") == 2222


def test_demo_populations_are_plausible_and_marked_synthetic(tree) -> None:  # type: ignore[no-untyped-def]
    # The tree's own communes: another test may leave committed units behind.
    communes = [tree["commune"], tree["second"]]
    rows = demo_population_rows(communes, range(2020, 2026))
    assert {r["nguon"] for r in rows} == {SYNTHETIC_SOURCE}
    assert {r["nam"] for r in rows} == set(range(2020, 2025))  # not after the communes end
    result = population_import(file=io.StringIO(rows_csv(rows)), name="d.csv", synthetic=True)
    assert result.created == len(rows) == 2 * 5 * 7
    assert not Population.objects.filter(synthetic=False).exists()
    for commune in communes:
        under5 = population_total(commune, 2022, "0-4")
        women = population_total(commune, 2022, "15-49")
        assert under5 is not None and women is not None
        assert 150 < under5 < 1500 and 900 < women < 4500
        assert under5 == population_total(commune, 2022, "0") + population_total(
            commune, 2022, "1-4"
        )


def test_command_imports_a_file_and_the_demo(tree, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.csv"
    path.write_text(HEADER + f"T111,2020,,0-4,500,{SOURCE}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_population", str(path), stdout=out)
    assert "Đã nhập 1 dòng dân số: 1 mới, 0 cập nhật." in out.getvalue()
    call_command("import_population", demo="T1", years="2021-2022", stdout=out)
    assert Population.objects.filter(synthetic=True).count() == 2 * 2 * 7
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "T111,2020,,0-4,x,\n", encoding="utf-8")
    with pytest.raises(Exception, match="chưa có thay đổi"):
        call_command("import_population", str(bad), stdout=out, stderr=io.StringIO())


def test_a_merged_province_before_2025_is_the_sum_of_its_predecessors(db) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from mch.orgunits.models import UnitChange, UnitLineage

    end, start = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    country = unit_create(code="YY", name="Testland", level=Level.COUNTRY, parent=None)

    def unit(code: str, level: str, parent, **validity):  # type: ignore[no-untyped-def]
        return unit_create(code=code, name=code, level=level, parent=parent, **validity)

    old_a = unit("M1", Level.PROVINCE, country, valid_to=end)
    old_b = unit("M2", Level.PROVINCE, country, valid_to=end)
    a1, a2 = (
        unit("M101", Level.COMMUNE, old_a, valid_to=end),
        unit("M102", Level.COMMUNE, old_a, valid_to=end),
    )
    b1 = unit("M201", Level.COMMUNE, old_b, valid_to=end)
    new = unit("M1", Level.PROVINCE, country, valid_from=start)
    n1, n2 = (
        unit("M901", Level.COMMUNE, new, valid_from=start),
        unit("M902", Level.COMMUNE, new, valid_from=start),
    )
    change = UnitChange.objects.create(kind=UnitChange.Kind.MERGE, effective_on=start)
    for old in (old_a, old_b):
        UnitLineage.objects.create(change=change, source=old, target=new, share=1)
    # commune M102 was split: 60 % into M901 (with M101), 40 % into M902 (with M201)
    for source, target, share in (
        (a1, n1, "1"),
        (a2, n1, "0.6"),
        (a2, n2, "0.4"),
        (b1, n2, "1"),
    ):
        UnitLineage.objects.create(change=change, source=source, target=target, share=share)
    _import(
        f"M101,2024,,0-4,1000,{SOURCE}\n"
        f"M102,2024,,0-4,500,{SOURCE}\n"
        f"M201,2024,,0-4,800,{SOURCE}\n"
        f"M901,2025,,0-4,1400,{SOURCE}\n"
        f"M902,2025,,0-4,1000,{SOURCE}\n"
    )
    # before the merger: the sum of the old provinces (and of the old communes' parts)
    assert population_total(new, 2024, "0-4") == 1000 + 500 + 800
    assert population_total(n1, 2024, "0-4") == 1000 + 300
    assert population_total(n2, 2024, "0-4") == 200 + 800
    # from 2025 (valid on 1 July): its own communes
    assert population_total(new, 2025, "0-4") == 2400
    # the old province had ended by 1 July 2025: no mid-year figure
    assert population_total(old_a, 2025, "0-4") is None
    assert population_total(old_a, 2024, "0-4") == 1500
    # a predecessor without a figure: none for the merged province either
    Population.objects.filter(unit=b1).delete()
    assert population_total(new, 2024, "0-4") is None
