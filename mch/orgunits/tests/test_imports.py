from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mch.orgunits.imports import UnitImportError, unit_attributes_import, unit_shares_import
from mch.orgunits.models import Attribute, Level, OrgUnit, UnitAttribute, UnitLineage

from .conftest import Reference

SHARES_HEADER = "old_code,new_code,share\n"
ATTRS_HEADER = "level,code,key,value,valid_from,valid_to,legal_basis,source\n"


def _csv(text: str) -> io.StringIO:
    return io.StringIO(text)


def _shares(old_code: str) -> dict[str, Decimal | None]:
    return {
        link.target.code: link.share
        for link in UnitLineage.objects.filter(
            source__code=old_code, source__valid_from=None
        ).select_related("target")
    }


def test_shares_import_sets_shares(ref: Reference) -> None:
    result = unit_shares_import(file=_csv(SHARES_HEADER + '00007,00008,0.7\n00007,00025,"0,3"\n'))

    assert result.updated == 2
    assert _shares("00007") == {"00008": Decimal("0.7"), "00025": Decimal("0.3")}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("00007,00008,1.5\n", "Dòng 2: tỷ lệ “1.5” không hợp lệ (phải lớn hơn 0 và không quá 1)."),
        ("00007,00008,abc\n", "Dòng 2: tỷ lệ “abc” không hợp lệ (phải lớn hơn 0 và không quá 1)."),
        (
            "00007,00008,0.5\n99999,00008,0.5\n",
            "Dòng 3: không có liên kết từ đơn vị cũ mã 99999 sang đơn vị mới mã 00008.",
        ),
        ("00007,00008,0.5\n00007,00008,0.4\n", "Dòng 3: liên kết 00007 → 00008 đã có ở dòng 2."),
        (
            "00007,00008,0.7\n00007,00025,0.4\n",
            "Dòng 2: tổng tỷ lệ của đơn vị cũ mã 00007 là 1.1, vượt quá 1.",
        ),
        (",00008,0.5\n", "Dòng 2: thiếu mã đơn vị cũ hoặc mã đơn vị mới."),
    ],
)
def test_shares_import_rejects_the_whole_file(ref: Reference, rows: str, message: str) -> None:
    with pytest.raises(UnitImportError) as error:
        unit_shares_import(file=_csv(SHARES_HEADER + rows))

    assert message in error.value.messages
    assert _shares("00007") == {"00008": None, "00025": None}


def test_shares_import_requires_columns(ref: Reference) -> None:
    with pytest.raises(UnitImportError) as error:
        unit_shares_import(file=_csv("old,new\n1,2\n"))

    assert error.value.messages == ["Dòng 1: thiếu cột old_code, new_code, share."]


def _attrs(unit: OrgUnit) -> list[tuple[str, str, dt.date | None]]:
    return list(
        unit.attributes.order_by("key", "valid_from").values_list("key", "value", "valid_from")
    )


def test_attributes_import_resolves_codes_by_date(small_tree: dict[str, OrgUnit]) -> None:
    province = small_tree["province"]
    reused = OrgUnit.objects.create(
        code="T111",
        name="Xã Mới",
        level=Level.COMMUNE,
        parent=province,
        valid_from=dt.date(2025, 7, 1),
        path=f"{province.path}999999/",
        depth=2,
    )
    text = ATTRS_HEADER + (
        "commune,T111,zone,III,2021-06-04,2025-06-30,QĐ 861/QĐ-TTg,UBDT\n"
        "commune,T111,zone,ii,01/01/2026,,QĐ 60/QĐ-BDTTG,UBDT\n"
        "commune,T111,border,có,2026-01-01,,QĐ 60/QĐ-BDTTG,UBDT\n"
    )

    result = unit_attributes_import(file=_csv(text))

    assert (result.created, result.updated) == (3, 0)
    assert _attrs(small_tree["commune"]) == [("zone", "III", dt.date(2021, 6, 4))]
    assert _attrs(reused) == [
        ("border", "true", dt.date(2026, 1, 1)),
        ("zone", "II", dt.date(2026, 1, 1)),
    ]


def test_attributes_import_replaces_same_start(small_tree: dict[str, OrgUnit]) -> None:
    row = "commune,T111,zone,{},2021-06-04,2025-06-30,QĐ 861/QĐ-TTg,UBDT\n"
    unit_attributes_import(file=_csv(ATTRS_HEADER + row.format("I")))

    result = unit_attributes_import(file=_csv(ATTRS_HEADER + row.format("II")))

    assert (result.created, result.updated) == (0, 1)
    assert _attrs(small_tree["commune"]) == [("zone", "II", dt.date(2021, 6, 4))]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "commune,T111,zone,IV,2021-06-04,,x,y",
            "Dòng 3: giá trị “IV” không hợp lệ cho zone (I, II hoặc III).",
        ),
        (
            "commune,T111,border,maybe,2021-06-04,,x,y",
            "Dòng 3: giá trị “maybe” không hợp lệ cho border (true/false (có/không)).",
        ),
        (
            "village,T111,zone,I,2021-06-04,,x,y",
            "Dòng 3: cấp “village” không hợp lệ (country, province, district, commune).",
        ),
        ("commune,T111,colour,I,2021-06-04,,x,y", "Dòng 3: thuộc tính “colour” không hợp lệ."),
        (
            "commune,T111,zone,I,2021-13-04,,x,y",
            "Dòng 3: ngày “2021-13-04” không hợp lệ (YYYY-MM-DD hoặc DD/MM/YYYY).",
        ),
        (
            "commune,T111,zone,I,2024-01-01,2023-01-01,x,y",
            "Dòng 3: ngày kết thúc trước ngày bắt đầu.",
        ),
        (
            "commune,NOPE,zone,I,2021-06-04,,x,y",
            "Dòng 3: không có đơn vị cấp commune mã NOPE còn hiệu lực trong khoảng thời gian này.",
        ),
        (
            "commune,T111,zone,I,2026-01-01,,x,y",
            "Dòng 3: không có đơn vị cấp commune mã T111 còn hiệu lực trong khoảng thời gian này.",
        ),
        (
            "commune,T111,zone,I,2022-01-01,,x,y",
            "Dòng 3: thời gian hiệu lực của zone cho đơn vị T111 trùng với dòng 2.",
        ),
    ],
)
def test_attributes_import_is_all_or_nothing(
    small_tree: dict[str, OrgUnit], row: str, message: str
) -> None:
    good = "commune,T111,zone,II,2021-06-04,2025-06-30,x,y\n"

    with pytest.raises(UnitImportError) as error:
        unit_attributes_import(file=_csv(ATTRS_HEADER + good + row + "\n"))

    assert error.value.messages == [message]
    assert not UnitAttribute.objects.filter(unit=small_tree["commune"]).exists()


def test_attributes_import_rejects_overlap_with_stored(small_tree: dict[str, OrgUnit]) -> None:
    UnitAttribute.objects.create(
        unit=small_tree["commune"], key=Attribute.ZONE, value="I", valid_from=dt.date(2021, 6, 4)
    )

    with pytest.raises(UnitImportError) as error:
        unit_attributes_import(file=_csv(ATTRS_HEADER + "commune,T111,zone,II,2023-01-01,,x,y\n"))

    assert error.value.messages == [
        "Dòng 2: thời gian hiệu lực của zone cho đơn vị T111 trùng với giá trị đã lưu từ 04/06/2021."
    ]


def test_import_commands(small_tree: dict[str, OrgUnit], tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(ATTRS_HEADER + "commune,T111,zone,II,2021-06-04,,x,y\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(SHARES_HEADER + "1,2,0.5\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    call_command("import_unit_attributes", str(good), stdout=out)
    with pytest.raises(CommandError):
        call_command("import_unit_shares", str(bad), stderr=err)

    assert "1 mới" in out.getvalue()
    assert "Dòng 2: không có liên kết từ đơn vị cũ mã 1 sang đơn vị mới mã 2." in err.getvalue()
