"""Bulk import of a bundle: what is stored, what is refused, re-imports, scope."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from mch.core.testing import make_unit
from mch.registers import services
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import (
    AntenatalVisit,
    AuditEntry,
    Birth,
    Death,
    Delivery,
    GrowthMeasurement,
    Immunisation,
    ImportBatch,
    Person,
    PostnatalContact,
    Pregnancy,
    Residence,
)
from mch.registers.testing import TODAY

from .bundle_helpers import basic_files, csv_text, write_bundle

pytestmark = pytest.mark.django_db


def run(rw, tmp_path, files, *, user=None, name="b", **options):
    folder = write_bundle(tmp_path / name, files)
    return bundle_import(source=folder, user=user or rw.staff, today=TODAY, **options)


def counts() -> dict[str, int]:
    models = (Person, Pregnancy, AntenatalVisit, Delivery, Birth, PostnatalContact)
    return {m.__name__: m.objects.count() for m in (*models, GrowthMeasurement, Immunisation)}


def test_a_bundle_is_stored_with_the_values_the_forms_derive(rw, tmp_path) -> None:
    result = run(rw, tmp_path, basic_files())
    assert result.errors == []
    assert result.status == ImportBatch.Status.DONE
    assert result.count("created") == 10
    mother = Person.objects.get(external_id="ND-1")
    child = Person.objects.get(external_id="ND-2")
    assert mother.full_name == "Nguyễn Thị Lan"
    assert mother.ethnicity == "12"
    assert mother.residence_unit == rw.commune
    assert child.mother == mother
    assert child.ethnicity == "12"  # from the mother, as the form does
    assert Residence.objects.filter(person=mother, unit=rw.commune).count() == 1
    pregnancy = Pregnancy.objects.get(external_id="TK-1")
    assert pregnancy.edd == dt.date(2026, 1, 6)  # LMP + 280 days
    assert (pregnancy.anc_visits, pregnancy.anc_trimesters, pregnancy.iron_tablets) == (2, "12", 60)
    assert (pregnancy.outcome, pregnancy.outcome_date) == ("live_birth", dt.date(2026, 1, 2))
    assert pregnancy.area_ethnic_minority and pregnancy.area_zone == "III"
    assert pregnancy.ethnic_minority is True
    visit = AntenatalVisit.objects.get(external_id="KT-1")
    assert (visit.gestational_weeks, visit.trimester, visit.weight_kg) == (5, 1, 52.5)
    delivery = Delivery.objects.get(external_id="DE-1")
    assert delivery.skilled and delivery.facility == rw.station
    assert (delivery.facility_level, delivery.live_births, delivery.stillbirths) == (
        "commune",
        1,
        0,
    )
    birth = Birth.objects.get(external_id="TS-1")
    assert (birth.mother, birth.person, birth.birth_weight_g) == (mother, child, 3200)
    assert birth.gestational_weeks == 39 and birth.eenc_breastfed_1h is True
    contact = PostnatalContact.objects.get(external_id="SS-1")
    assert (contact.subject, contact.day_after_birth) == ("mother", 3)
    assert mother.source == "import" and mother.import_batch == result.batch


def test_growth_and_doses_are_derived_like_the_single_record_services(rw, tmp_path) -> None:
    run(rw, tmp_path, basic_files())
    imported = GrowthMeasurement.objects.get(external_id="CD-1")
    child = imported.person
    by_form = services.measurement_record(
        user=rw.staff,
        person=child,
        date=imported.date,
        weight_kg=7.9,
        length_cm=67.5,
        position="lying",
        today=TODAY,
    )
    fields = ("age_days", "haz", "waz", "whz", "baz", "stunting", "underweight", "wasting")
    assert [getattr(imported, f) for f in (*fields, "overweight", "flags")] == [
        getattr(by_form, f) for f in (*fields, "overweight", "flags")
    ]
    dose = Immunisation.objects.get(external_id="TC-1")
    assert dose.flags  # the schedule's warnings are kept as flags


def test_one_audit_entry_for_the_batch(rw, tmp_path) -> None:
    result = run(rw, tmp_path, basic_files())
    entry = AuditEntry.objects.get(import_batch=result.batch, action="import")
    assert entry.changes["created"] == 10
    assert entry.user == rw.staff


def test_rejected_rows_are_listed_and_nothing_is_saved(rw, tmp_path) -> None:
    files = basic_files()
    files["persons"][1]["ngay_sinh"] = "31/02/2026"
    files["antenatal_visits"][1]["ngay"] = "20/08/2027"
    files["deliveries"][0]["nguoi_do"] = "bà mụ vườn"
    result = run(rw, tmp_path, files)
    assert result.status == ImportBatch.Status.REJECTED
    assert set(counts().values()) == {0}
    found = {(e.file, e.row, e.column) for e in result.errors}
    assert ("nguoi.csv", 3, "ngay_sinh") in found
    assert ("kham_thai.csv", 3, "ngay") in found
    assert ("de.csv", 2, "nguoi_do") in found
    messages = " ".join(e.message for e in result.errors)
    assert "31/02/2026" in messages and "ở tương lai" in messages and "bà mụ vườn" in messages
    # The measurement of a rejected child is rejected too, naming the child's row.
    dependent = next(e for e in result.errors if e.file == "can_do.csv")
    assert "Dòng 3 của tệp nguoi (mã 'ND-2') bị từ chối" in dependent.message
    batch = ImportBatch.objects.get(pk=result.batch.pk)
    assert batch.rows_created == 0 and batch.report["errors_total"] == len(result.errors)


def test_keep_valid_rows_saves_the_rest_and_rejects_dependants(rw, tmp_path) -> None:
    files = basic_files()
    files["pregnancies"][0]["ngay_kinh_cuoi"] = "01/04/2027"  # in the future
    result = run(rw, tmp_path, files, keep_valid_rows=True)
    assert result.status == ImportBatch.Status.DONE
    assert Person.objects.count() == 2
    assert not Pregnancy.objects.exists() and not AntenatalVisit.objects.exists()
    rejected = {e.file for e in result.errors}
    assert {"thai_ky.csv", "kham_thai.csv"} <= rejected
    visit_error = next(e for e in result.errors if e.file == "kham_thai.csv")
    assert "thai_ky" in visit_error.message and "TK-1" in visit_error.message
    # The delivery named the rejected pregnancy, so it and its births go too.
    assert not Delivery.objects.exists() and not Birth.objects.exists()
    assert GrowthMeasurement.objects.count() == 1
    assert result.counts["persons"].created == 2


def test_importing_the_same_file_again_changes_nothing(rw, tmp_path) -> None:
    run(rw, tmp_path, basic_files())
    before = counts()
    audits = AuditEntry.objects.count()
    again = run(rw, tmp_path, basic_files(), name="again")
    assert again.errors == []
    assert again.count("unchanged") == 10 and again.count("created") == 0
    assert counts() == before
    assert not AuditEntry.objects.filter(action="update").exists()
    assert AuditEntry.objects.count() == audits + 1  # only the batch's own entry


def test_a_changed_value_updates_the_record_and_is_audited(rw, tmp_path) -> None:
    run(rw, tmp_path, basic_files())
    files = basic_files()
    files["antenatal_visits"][0]["can_nang_kg"] = "53"
    files["persons"][0]["dien_thoai"] = "0912345678"
    result = run(rw, tmp_path, files, name="changed")
    assert result.count("updated") == 2 and result.count("unchanged") == 8
    visit = AntenatalVisit.objects.get(external_id="KT-1")
    assert visit.weight_kg == 53.0
    entry = AuditEntry.objects.get(action="update", model="antenatalvisit")
    assert entry.changes == {"weight_kg": [52.5, 53.0]}
    assert entry.import_batch == result.batch and entry.person_id == visit.person_id
    person = AuditEntry.objects.get(action="update", model="person")
    assert person.changes == {"phone": ["", "0912345678"]}


def test_a_reference_to_an_unknown_id(rw, tmp_path) -> None:
    files = {
        "growth": [{"ma": "CD-9", "ma_nguoi": "KHONG-CO", "ngay": "01/06/2026", "can_nang_kg": "8"}]
    }
    result = run(rw, tmp_path, files)
    assert [e.message for e in result.errors] == [
        "Không tìm thấy mã 'KHONG-CO' trong tệp nguoi hoặc trong sổ."
    ]


def test_references_to_records_stored_before(rw, tmp_path) -> None:
    run(rw, tmp_path, basic_files())
    later = {
        "growth": [
            {
                "ma": "CD-2",
                "ma_nguoi": "ND-2",
                "ngay": "02/09/2026",
                "can_nang_kg": "8,6",
                "chieu_cao_cm": "71",
            }
        ],
        "antenatal_visits": [
            {
                "ma": "KT-3",
                "ma_nguoi": "ND-1",
                "ngay": "01/12/2025",
                "ma_thai_ky": "TK-1",
                "vien_sat": "30",
            }
        ],
    }
    result = run(rw, tmp_path, later, name="later")
    assert result.errors == [] and result.count("created") == 2
    pregnancy = Pregnancy.objects.get(external_id="TK-1")
    assert (pregnancy.anc_visits, pregnancy.anc_trimesters, pregnancy.iron_tablets) == (
        3,
        "123",
        90,
    )


def test_a_commune_code_is_read_on_the_records_date(rw, tmp_path) -> None:
    old = make_unit(
        code="22795",
        name="Xã Hòa Bình (cũ)",
        level="commune",
        parent=rw.province,
        valid_to=dt.date(2025, 6, 30),
    )
    files = basic_files()
    files["pregnancies"][0]["ma_xa"] = "22795"  # dated 10/05/2025: the old commune
    files["growth"][0]["ma_xa"] = "22795"  # dated 02/07/2026: the new commune
    result = run(rw, tmp_path, files, user=rw.officer)
    assert result.errors == []
    assert Pregnancy.objects.get().residence_unit == old
    assert GrowthMeasurement.objects.get().residence_unit == rw.commune
    # A code that named no commune on the date is refused with the code's validity.
    files["pregnancies"][0]["ma_xa"] = "22759"  # Đông Hải exists only from 01/07/2025
    result = run(rw, tmp_path, files, user=rw.officer, name="again")
    error = next(e for e in result.errors if e.file == "thai_ky.csv")
    assert "22759" in error.message and "10/05/2025" in error.message
    assert "01/07/2025–nay" in error.message


def test_rows_outside_the_users_communes_are_refused(rw, tmp_path) -> None:
    files = basic_files()
    files["persons"][1]["ma_xa"] = "22759"  # the child lives in the other commune
    result = run(rw, tmp_path, files, user=rw.staff)
    assert result.status == ImportBatch.Status.REJECTED
    error = next(e for e in result.errors if e.row == 3 and e.file == "nguoi.csv")
    assert (
        error.message
        == "Xã/phường cư trú Phường Đông Hải nằm ngoài phạm vi đơn vị của tài khoản này."
    )
    assert not Person.objects.exists()


def test_users_who_may_not_see_people_cannot_import(rw, tmp_path) -> None:
    with pytest.raises(PermissionDenied):
        run(rw, tmp_path, basic_files(), user=rw.leader)


def test_an_update_of_another_units_record_is_refused(rw, tmp_path) -> None:
    run(rw, tmp_path, basic_files())
    files = {"persons": [dict(basic_files()["persons"][0], ho_ten="Nguyễn Thị Lan Anh")]}
    result = run(rw, tmp_path, files, user=rw.other_staff, name="other")
    assert result.status == ImportBatch.Status.REJECTED
    assert Person.objects.get(external_id="ND-1").full_name == "Nguyễn Thị Lan"


def test_english_headers_semicolons_and_a_zip(rw, tmp_path) -> None:
    persons = [
        {
            "id": "A1",
            "full_name": "Lò Thị Mai",
            "sex": "F",
            "birth_date": "1998-02-01",
            "commune": "22795",
        },
    ]
    pregnancies = [{"id": "A1-P", "person_id": "A1", "date": "2026-09-01", "edd": "2027-04-01"}]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/persons.csv", csv_text(persons, delimiter=";"))
        archive.writestr("export/pregnancies.csv", csv_text(pregnancies))
    result = bundle_import(source=("so.zip", buffer.getvalue()), user=rw.staff, today=TODAY)
    assert result.errors == []
    assert Pregnancy.objects.get().lmp == dt.date(2026, 6, 25)


def test_a_single_csv_file(rw, tmp_path) -> None:
    path = tmp_path / "Người.csv"
    path.write_text(csv_text(basic_files()["persons"][:1]), encoding="utf-8")
    result = bundle_import(source=path, user=rw.staff, today=TODAY)
    assert result.errors == [] and Person.objects.count() == 1


def test_an_xlsx_workbook_with_a_sheet_per_file(rw, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Hướng dẫn"
    people = book.create_sheet("Người")
    people.append(["Mã", "Họ tên", "Giới tính", "Ngày sinh", "Mã xã", "CCCD"])
    people.append(["X1", "Hà Thị Thu", "Nữ", dt.datetime(1990, 5, 4), 22795, "056190012345"])
    growth = book.create_sheet("can_do")
    growth.append(["ma", "ma_nguoi", "ngay", "can_nang_kg"])
    growth.append(["X1-G", "X1", dt.datetime(2026, 1, 1), 52.5])
    path = tmp_path / "so.xlsx"
    book.save(path)
    result = bundle_import(source=path, user=rw.officer, today=TODAY)
    # A woman of 35 has no growth z-scores but the measurement is stored with its flags.
    assert result.errors == []
    person = Person.objects.get()
    assert (person.birth_date, person.national_id) == (dt.date(1990, 5, 4), "056190012345")
    assert GrowthMeasurement.objects.get().flags == ["age_over_5"]


def test_unknown_files_and_headers_are_refused_whole(rw, tmp_path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "nguoi.csv").write_text("ma,ho_ten,gioi_tinh,ma_xa,mau_mat\nA,Lan,Nữ,22795,nâu\n")
    (folder / "thuoc.csv").write_text("ma\n1\n")
    result = bundle_import(source=folder, user=rw.staff, today=TODAY, keep_valid_rows=True)
    assert result.status == ImportBatch.Status.REJECTED
    messages = [str(e) for e in result.errors]
    assert any("Cột 'mau_mat' không có trong tệp nguoi" in m for m in messages)
    assert any("'thuoc.csv' không thuộc bộ dữ liệu sổ" in m for m in messages)
    assert not Person.objects.exists()


def test_a_missing_required_column(rw, tmp_path) -> None:
    (tmp_path / "nguoi.csv").write_text("ma,ho_ten,ma_xa\nA,Lan,22795\n")
    result = bundle_import(source=tmp_path / "nguoi.csv", user=rw.staff, today=TODAY)
    assert "Thiếu cột bắt buộc 'gioi_tinh'" in result.errors[0].message


def test_duplicate_ids_and_empty_required_cells(rw, tmp_path) -> None:
    persons = basic_files()["persons"]
    persons.append(dict(persons[0], ho_ten=""))
    result = run(rw, tmp_path, {"persons": persons})
    found = {(e.row, e.message) for e in result.errors}
    assert (4, "Mã 'ND-1' trùng với dòng 2.") in found
    assert (4, "Chưa nhập ho_ten.") in found


def test_progress_is_one_figure_that_never_goes_back(rw, tmp_path) -> None:
    calls = []
    run(
        rw,
        tmp_path,
        basic_files(),
        progress=lambda phase, done, total, message: calls.append((phase, done, total, message)),
    )
    phases = [phase for phase, *_ in calls]
    assert phases[0] == "đọc tệp" and phases[-1] == "ghi"
    assert phases == sorted(phases, key=("đọc tệp", "kiểm tra", "ghi").index)
    dones = [done for _, done, _, _ in calls]
    assert dones == sorted(dones)
    assert {total for _, _, total, _ in calls[1:]} == {20}  # 10 rows checked, then written
    assert calls[-1][1] == 20
    assert any("kiểm tra" in message for *_, message in calls)
    assert any("ghi" in message for *_, message in calls)


def test_an_error_in_the_last_files_saves_nothing_at_all(rw, tmp_path) -> None:
    # On PostgreSQL the first files are already written when the later ones are checked:
    # the rejected measurement must roll them back.
    files = basic_files()
    files["growth"][0]["ngay"] = "01/12/2025"  # before the child was born: found by the check
    result = run(rw, tmp_path, files)
    assert result.status == ImportBatch.Status.REJECTED
    assert [(e.file, e.column) for e in result.errors] == [("can_do.csv", "ngay")]
    assert set(counts().values()) == {0}
    assert not Residence.objects.exists()
    assert not AuditEntry.objects.exclude(action="import").exists()


def test_deaths_date_the_person_and_refuse_later_events(rw, tmp_path) -> None:
    files = basic_files()
    files["deaths"] = [
        {
            "ma": "TV-1",
            "ma_nguoi": "ND-2",
            "ngay": "10/07/2026",
            "noi_tu_vong": "Tại nhà",
            "nhom_nguyen_nhan": "Viêm phổi",
        },
        {
            "ma": "TV-2",
            "ma_nguoi": "ND-1",
            "ngay": "20/01/2026",
            "noi_tu_vong": "Tại cơ sở y tế",
            "lien_quan_thai_san": "Trong 42 ngày sau kết thúc thai kỳ",
        },
    ]
    files["growth"].append(
        {"ma": "CD-2", "ma_nguoi": "ND-2", "ngay": "15/07/2026", "can_nang_kg": "8"}
    )
    result = run(rw, tmp_path, files, keep_valid_rows=True)
    assert [(e.file, e.row, e.column) for e in result.errors] == [("can_do.csv", 3, "ngay")]
    assert "sau ngày tử vong (10/07/2026)" in result.errors[0].message
    child = Person.objects.get(external_id="ND-2")
    assert child.deceased_on == dt.date(2026, 7, 10)
    death = Death.objects.get(external_id="TV-1")
    assert (death.age_days, death.age_group, death.possible_maternal) == (
        189,
        "postneonatal",
        False,
    )
    mother = Death.objects.get(external_id="TV-2")
    assert mother.possible_maternal and mother.review_status == "to_notify"
    assert Person.objects.get(external_id="ND-1").deceased_on == dt.date(2026, 1, 20)
    # The same file again: nothing changes, the stored dates of death included.
    again = run(rw, tmp_path, files, keep_valid_rows=True, name="again")
    assert again.count("created") == 0 and again.count("updated") == 0


def test_a_national_id_already_registered_elsewhere_does_not_show_the_name(rw, tmp_path) -> None:
    other = [dict(basic_files()["persons"][0], ma="X-9", ma_xa="22759", cccd="056195001234")]
    run(rw, tmp_path, {"persons": other}, user=rw.other_staff, name="other")
    mine = [dict(basic_files()["persons"][0], cccd="056195001234")]
    result = run(rw, tmp_path, {"persons": mine})
    message = result.errors[0].message
    assert "056195001234" in message and "một người ở đơn vị khác" in message
    assert "Nguyễn Thị Lan" not in message
