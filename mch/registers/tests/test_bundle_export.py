"""Export of the registers: scope, audit, and round trips through the importer."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from mch.registers import services
from mch.registers.bundle.checks import MODELS, compared_fields
from mch.registers.bundle.exporter import register_export
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import AuditEntry, ImportBatch, Person, Residence
from mch.registers.testing import TODAY

from .bundle_helpers import basic_files, write_bundle

pytestmark = pytest.mark.django_db

FOREIGN = {
    "person_id": "persons",
    "mother_id": "persons",
    "pregnancy_id": "pregnancies",
    "delivery_id": "deliveries",
}


def dump() -> dict[str, list[tuple]]:
    """Every stored record by its values, references by external ID (not by row id)."""
    ids = {
        key: dict(MODELS[key].objects.values_list("pk", "external_id"))
        for key in MODELS
        if key != "residences"  # a residence has no ID of its own
    }
    found = {}
    for key, model in MODELS.items():
        names = compared_fields(model)
        rows = []
        extra = () if key == "residences" else ("external_id",)
        for values in model.objects.values(*names, *extra):
            for name, target in FOREIGN.items():
                if name in values and values[name] is not None:
                    values[name] = ids[target][values[name]]
            rows.append(tuple(sorted((k, repr(v)) for k, v in values.items())))
        found[key] = sorted(rows)
    return found


def empty_registers() -> None:
    for model in reversed(list(MODELS.values())):
        if model is Person:
            Residence.objects.all().delete()
            Person.objects.update(mother=None)
        model.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_register_gives_the_same_records(
    rw, tmp_path, fmt
) -> None:
    result = bundle_import(
        source=write_bundle(tmp_path / "b", basic_files()), user=rw.staff, today=TODAY
    )
    assert result.errors == []
    before = dump()
    export = register_export(user=rw.staff, file_key="all", fmt=fmt)
    assert export.rows == 12  # 10 records and the residence of each person
    empty_registers()
    again = bundle_import(source=(export.filename, export.content), user=rw.staff, today=TODAY)
    assert again.errors == []
    assert again.count("created") == 12
    assert dump() == before


def test_records_entered_in_forms_get_stable_ids_and_import_back_unchanged(rw) -> None:
    mother = services.person_register(
        user=rw.staff,
        full_name="Trần Thị Bích",
        sex="F",
        residence_unit=rw.commune,
        birth_date=TODAY.replace(year=1996),
        today=TODAY,
    )
    services.pregnancy_register(
        user=rw.staff,
        person=mother,
        date=TODAY.replace(month=10),
        lmp=TODAY.replace(month=9),
        today=TODAY,
    )
    first = register_export(user=rw.staff, file_key="all", fmt="csv")
    mother.refresh_from_db()
    assert mother.external_id == f"mch-{mother.pk}"
    second = register_export(user=rw.staff, file_key="all", fmt="csv")
    assert first.content == second.content
    result = bundle_import(source=(first.filename, first.content), user=rw.staff, today=TODAY)
    assert result.errors == []
    assert result.count("unchanged") == 3 and result.count("created") == 0  # with the residence


def test_a_single_register_as_vietnamese_csv(rw, tmp_path) -> None:
    bundle_import(source=write_bundle(tmp_path / "b", basic_files()), user=rw.staff, today=TODAY)
    export = register_export(user=rw.staff, file_key="antenatal_visits", fmt="csv")
    assert export.filename == "kham_thai.csv"
    text = export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["ma", "ma_nguoi", "ngay", "ma_xa"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["ma"], first["ngay"], first["can_nang_kg"]) == ("KT-1", "10/05/2025", "52,5")
    assert first["ma_thai_ky"] == "TK-1"
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["xn_hiv"] == "Âm tính"


def test_export_respects_scope_and_is_audited(rw, tmp_path) -> None:
    bundle_import(source=write_bundle(tmp_path / "b", basic_files()), user=rw.staff, today=TODAY)
    assert register_export(user=rw.other_staff, file_key="persons").rows == 0
    assert register_export(user=rw.officer, file_key="persons").rows == 2
    entry = AuditEntry.objects.filter(action="export", user=rw.officer).get()
    assert entry.changes["rows"] == {"persons": 2}
    assert "nguoi.csv: 2 dòng" in entry.note
    with pytest.raises(PermissionDenied):
        register_export(user=rw.leader, file_key="persons")
    with pytest.raises(PermissionDenied):
        register_export(user=rw.other_staff, file_key="persons", unit=rw.commune)


def test_export_of_a_period(rw, tmp_path) -> None:
    bundle_import(source=write_bundle(tmp_path / "b", basic_files()), user=rw.staff, today=TODAY)
    period = (TODAY.replace(year=2025, month=8, day=1), TODAY.replace(year=2025, month=12, day=31))
    assert register_export(user=rw.staff, file_key="antenatal_visits", period=period).rows == 1


def test_import_command_prints_errors_and_fails(rw, tmp_path) -> None:
    files = basic_files()
    files["persons"][0]["gioi_tinh"] = "không rõ"
    folder = write_bundle(tmp_path / "b", files)
    out = io.StringIO()
    with pytest.raises(Exception, match="không lưu gì"):
        call_command("import_registers", str(folder), "--user", rw.staff.username, stdout=out)
    text = out.getvalue()
    assert "nguoi.csv, dòng 2, cột gioi_tinh: 'không rõ' không có trong danh mục" in text
    assert ImportBatch.objects.get().status == "rejected"
    assert not Person.objects.exists()


def test_import_and_export_commands(rw, tmp_path) -> None:
    folder = write_bundle(tmp_path / "b", basic_files())
    out = io.StringIO()
    call_command("import_registers", str(folder), "--user", rw.staff.username, stdout=out)
    assert "% kiểm tra — Đã kiểm tra tệp nguoi" in out.getvalue()
    assert "100% xong" in out.getvalue()
    assert "10 thêm mới" in out.getvalue()
    target = tmp_path / "out.xlsx"
    call_command(
        "export_registers",
        "nguoi",
        "--user",
        rw.staff.username,
        "--format",
        "xlsx",
        "-o",
        str(target),
        stdout=out,
    )
    assert "Đã xuất 2 dòng" in out.getvalue()
    assert target.read_bytes()[:2] == b"PK"


def test_a_record_served_at_a_hospital_imports_back_unchanged(rw) -> None:
    """A dose given at the provincial hospital has the province as its service unit; the
    export leaves the service commune empty (it is no commune) and the importer derives the
    province again from the hospital, instead of refusing "no commune 00056"."""
    child = services.person_register(
        user=rw.officer,
        full_name="Lê Văn Tý",
        sex="M",
        residence_unit=rw.commune,
        birth_date=TODAY.replace(month=1),
        today=TODAY,
    )
    dose = services.dose_record(
        user=rw.officer,
        person=child,
        antigen="BCG",
        dose=1,
        date=TODAY.replace(month=1),
        facility=rw.hospital,
        today=TODAY,
    )
    assert dose.service_unit == rw.province
    export = register_export(user=rw.officer, file_key="all", fmt="csv")
    result = bundle_import(source=(export.filename, export.content), user=rw.officer, today=TODAY)
    assert [str(e) for e in result.errors] == []
    assert result.count("created") == 0 and result.count("updated") == 0
    dose.refresh_from_db()
    assert dose.service_unit == rw.province and dose.facility == rw.hospital
