"""Residence history in the bundle (``noi_o``): imported, checked, exported back, and the
commune of each event derived from it as from the moves the forms record."""

from __future__ import annotations

import pytest

from mch.registers.bundle.exporter import register_export
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import AntenatalVisit, Delivery, ImportBatch, Residence
from mch.registers.testing import TODAY

from .bundle_helpers import basic_files, write_bundle

pytestmark = pytest.mark.django_db

MOVED = [
    {"ma_nguoi": "ND-1", "ma_xa": "22759", "tu_ngay": "01/07/2025", "den_ngay": "30/09/2025"},
    {"ma_nguoi": "ND-1", "ma_xa": "22795", "thon": "Buôn Ea", "tu_ngay": "01/10/2025"},
]


def run(rw, tmp_path, files, name="b", **options):
    folder = write_bundle(tmp_path / name, files)
    return bundle_import(source=folder, user=rw.officer, today=TODAY, **options)


def test_a_move_is_imported_and_events_take_the_commune_of_their_date(rw, tmp_path) -> None:
    files = {**basic_files(), "residences": MOVED}
    result = run(rw, tmp_path, files)
    assert result.errors == [] and result.status == ImportBatch.Status.DONE
    history = list(
        Residence.objects.filter(person__external_id="ND-1")
        .order_by("valid_from")
        .values_list("unit_id", "valid_from", "valid_to", "village")
    )
    assert [(unit, str(start), str(end)) for unit, start, end, _v in history] == [
        (rw.other_commune.pk, "2025-07-01", "2025-09-30"),
        (rw.commune.pk, "2025-10-01", "None"),
    ]
    # the visit of August was in the commune she lived in then; the delivery in the new one
    assert AntenatalVisit.objects.get(external_id="KT-2").residence_unit == rw.other_commune
    assert Delivery.objects.get(external_id="DE-1").residence_unit == rw.commune
    # the child, without a history in the file, lives where nguoi says from registration
    assert Residence.objects.filter(person__external_id="ND-2").count() == 1

    again = run(rw, tmp_path, files, name="again")
    assert again.counts["residences"].unchanged == 2 and again.count("created") == 0

    exported = register_export(user=rw.officer, file_key="residences")
    assert exported.rows == 3
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "noi_o.csv").write_bytes(exported.content)
    back = bundle_import(source=folder, user=rw.officer, today=TODAY)
    assert back.errors == [] and back.count("unchanged") == 3


def test_a_changed_history_replaces_the_stored_one(rw, tmp_path) -> None:
    run(rw, tmp_path, {**basic_files(), "residences": MOVED})
    moved_later = [dict(MOVED[0], den_ngay="31/10/2025"), dict(MOVED[1], tu_ngay="01/11/2025")]
    result = run(rw, tmp_path, {"residences": moved_later}, name="later")
    assert result.errors == [] and result.counts["residences"].created == 2
    assert sorted(
        str(d)
        for d in Residence.objects.filter(person__external_id="ND-1").values_list(
            "valid_from", flat=True
        )
    ) == ["2025-07-01", "2025-11-01"]


def test_a_history_that_does_not_hold_is_refused_row_by_row(rw, tmp_path) -> None:
    overlapping = [dict(MOVED[0], den_ngay="15/10/2025"), MOVED[1]]
    result = run(rw, tmp_path, {**basic_files(), "residences": overlapping})
    assert result.status == ImportBatch.Status.REJECTED
    assert [(e.file, e.row, e.column) for e in result.errors] == [
        ("noi_o.csv", 2, "ma_nguoi"),
        ("noi_o.csv", 3, "tu_ngay"),
    ]
    assert "trùng với dòng 2" in result.errors[1].message
    assert not Residence.objects.exists()

    elsewhere = [MOVED[0], dict(MOVED[1], ma_xa="22759", tu_ngay="01/10/2025")]
    result = run(rw, tmp_path, {**basic_files(), "residences": elsewhere}, name="elsewhere")
    assert [(e.row, e.column) for e in result.errors] == [(2, "ma_nguoi"), (3, "ma_xa")]
    assert "xã cư trú hiện nay" in result.errors[1].message

    backwards = [dict(MOVED[0], den_ngay="01/06/2025")]
    result = run(rw, tmp_path, {**basic_files(), "residences": backwards}, name="back")
    assert [(e.row, e.column) for e in result.errors] == [(2, "den_ngay")]


def test_a_history_outside_the_users_communes_is_refused(rw, tmp_path) -> None:
    folder = write_bundle(tmp_path / "b", {**basic_files(), "residences": MOVED})
    result = bundle_import(source=folder, user=rw.staff, today=TODAY)
    assert result.status == ImportBatch.Status.REJECTED
    assert (2, "ma_xa") in {(e.row, e.column) for e in result.errors}


def test_a_corrected_history_moves_the_stored_events_with_it(rw, tmp_path) -> None:
    """A move recorded late (the service) and a history corrected again (the bundle):
    the stored events that followed the old history follow the new one, audited; the
    classification of the new commune comes with them."""
    import datetime as dt

    from mch.registers import services
    from mch.registers.models import AuditEntry, Birth, Person

    run(rw, tmp_path, {**basic_files(), "residences": MOVED})
    delivery = Delivery.objects.get(external_id="DE-1")  # 02/01/2026, in the new commune
    assert delivery.residence_unit == rw.commune and delivery.area_zone == "III"
    mother = Person.objects.get(external_id="ND-1")

    # she went back on 01/12/2025, recorded only now: the January delivery and its baby
    # were in Đông Hải; the August visit and the earlier history do not move
    services.person_move(
        user=rw.officer,
        person=mother,
        residence_unit=rw.other_commune,
        moved_on=dt.date(2025, 12, 1),
        today=TODAY,
    )
    delivery.refresh_from_db()
    assert delivery.residence_unit == rw.other_commune and delivery.area_zone != "III"
    assert {b.residence_unit for b in Birth.objects.filter(delivery=delivery)} == {rw.other_commune}
    assert AntenatalVisit.objects.get(external_id="KT-2").residence_unit == rw.other_commune
    entry = AuditEntry.objects.get(model="delivery", object_id=delivery.pk, action="update")
    assert entry.changes["residence_unit_id"] == [rw.commune.pk, rw.other_commune.pk]
    assert entry.person_id == mother.pk and "01/12/2025" in entry.note

    # the history corrected in a bundle: she stayed in Hòa Bình until the end of January
    corrected = [
        MOVED[0],
        dict(MOVED[1], den_ngay="31/01/2026"),
        {"ma_nguoi": "ND-1", "ma_xa": "22759", "tu_ngay": "01/02/2026"},
    ]
    result = run(rw, tmp_path, {"residences": corrected}, name="fix")
    assert result.errors == [] and result.status == ImportBatch.Status.DONE
    delivery.refresh_from_db()
    assert delivery.residence_unit == rw.commune and delivery.area_zone == "III"
    assert AntenatalVisit.objects.get(external_id="KT-2").residence_unit == rw.other_commune
    entry = AuditEntry.objects.filter(model="delivery", object_id=delivery.pk).latest("pk")
    assert entry.changes["residence_unit_id"] == [rw.other_commune.pk, rw.commune.pk]
    assert entry.import_batch_id == result.batch.pk
