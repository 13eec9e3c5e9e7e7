"""Deaths: the age at death and its group by calendar birthdays, the same whichever way
the death is entered (form service or bundle import), and for rows stored before."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.test import Client

from mch.registers import services
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import AuditEntry, Birth, Death, Person
from mch.registers.rules import RecordInvalid
from mch.registers.testing import TODAY

from .bundle_helpers import write_bundle

D = dt.date

CASES = [
    # (birth, death, age_days, group)
    (D(2024, 1, 10), D(2024, 2, 6), 27, "neonatal"),
    (D(2024, 1, 10), D(2024, 2, 7), 28, "postneonatal"),
    (D(2023, 3, 1), D(2024, 2, 29), 365, "postneonatal"),  # birthday tomorrow
    (D(2024, 3, 1), D(2025, 3, 1), 365, "child"),
    (D(2024, 2, 29), D(2025, 2, 28), 365, "postneonatal"),
    (D(2020, 6, 1), D(2025, 6, 1), 1826, "older"),  # the fifth birthday
    (D(2019, 3, 1), D(2024, 2, 29), 1826, "child"),  # 1,826 days, a day before it
]


def _child(rw, birth: dt.date, name: str = "Nguyễn Văn An") -> Person:
    return services.person_register(
        user=rw.staff,
        full_name=name,
        sex="M",
        birth_date=birth,
        residence_unit=rw.commune,
        allow_likely_duplicate=True,
        today=TODAY,
    )


@pytest.mark.parametrize(("birth", "died", "days", "group"), CASES)
def test_a_recorded_death_gets_its_age_group_by_birthdays(rw, birth, died, days, group) -> None:
    death = services.death_record(
        user=rw.staff, person=_child(rw, birth), date=died, place="home", today=TODAY
    )
    death.refresh_from_db()
    assert (death.age_days, death.age_group) == (days, group)


def test_an_imported_death_stores_what_the_form_stores(rw, tmp_path) -> None:
    persons, deaths = [], []
    for number, (birth, died, _days, _group) in enumerate(CASES, start=1):
        persons.append(
            {
                "ma": f"ND-{number}",
                "ho_ten": f"Trẻ Số {number}",
                "gioi_tinh": "Nam",
                "ngay_sinh": f"{birth:%d/%m/%Y}",
                "ma_xa": "22795",
            }
        )
        deaths.append(
            {"ma": f"TV-{number}", "ma_nguoi": f"ND-{number}", "ngay": f"{died:%d/%m/%Y}"}
            | {"noi_tu_vong": "Tại nhà"}
        )
    folder = write_bundle(tmp_path / "b", {"persons": persons, "deaths": deaths})
    result = bundle_import(source=folder, user=rw.staff, today=TODAY)
    assert result.errors == []
    stored = {d.external_id: (d.age_days, d.age_group) for d in Death.objects.all()}
    assert stored == {
        f"TV-{number}": (days, group) for number, (_b, _d, days, group) in enumerate(CASES, start=1)
    }


def test_the_migration_recomputes_groups_stored_by_the_old_cut_offs(rw) -> None:
    for number, (birth, died, _days, _group) in enumerate(CASES):
        services.death_record(
            user=rw.staff,
            person=_child(rw, birth, f"Trẻ Số {number}"),
            date=died,
            place="home",
            today=TODAY,
        )
    Death.objects.update(age_group="neonatal", age_days=0)  # as if stored wrongly
    migration = importlib.import_module(
        "mch.registers.migrations.0003_death_age_group_by_birthdays"
    )
    migration.recompute(apps, None)
    stored = sorted(Death.objects.values_list("age_days", "age_group"))
    assert stored == sorted((days, group) for _b, _d, days, group in CASES)


# ---------------------------------------------------------------------- maternal deaths


def _woman(rw, *, delivered_on: dt.date | None = None, pregnant: bool = False) -> Person:
    woman = services.person_register(
        user=rw.staff,
        full_name="Pi Năng Thị Lan",
        sex="F",
        birth_date=D(1995, 3, 4),
        residence_unit=rw.commune,
        today=TODAY,
    )
    if delivered_on is not None or pregnant:
        lmp = (delivered_on or D(2026, 9, 1)) - dt.timedelta(days=270)
        services.pregnancy_register(
            user=rw.staff, person=woman, date=lmp + dt.timedelta(days=40), lmp=lmp, today=TODAY
        )
    if delivered_on is not None:
        services.delivery_record(
            user=rw.staff,
            person=woman,
            date=delivered_on,
            place="home",
            attendant="midwife",
            babies=[services.BirthInput(sex="M")],
            today=TODAY,
        )
    return woman


@pytest.mark.parametrize(
    ("delivered_on", "pregnant", "cause", "relation", "group", "to_notify"),
    [
        (None, True, "haemorrhage", "pregnant", "maternal", True),
        (None, True, "injury", "pregnant", "incidental", False),  # an accident while pregnant
        (D(2026, 6, 1), False, "sepsis", "within_42_days", "maternal", True),  # day 30
        (D(2026, 3, 1), False, "indirect", "late", "late_maternal", False),  # day 122
        (D(2025, 3, 1), False, "indirect", "", "", False),  # more than a year
    ],
)
def test_a_womans_death_is_timed_from_her_pregnancies_and_grouped(
    rw, delivered_on, pregnant, cause, relation, group, to_notify
) -> None:
    woman = _woman(rw, delivered_on=delivered_on, pregnant=pregnant)
    death = services.death_record(
        user=rw.staff,
        person=woman,
        date=D(2026, 7, 1),
        place="home",
        cause_group=cause,
        injury_type="traffic" if cause == "injury" else "",
        today=TODAY,
    )
    assert (death.pregnancy_relation, death.maternal_group) == (relation, group)
    assert death.possible_maternal is to_notify
    assert (death.review_status == "to_notify") is to_notify
    assert death.recorded_on == TODAY


def test_a_death_recorded_before_it_happened_and_a_cause_for_the_wrong_age_are_refused(rw):
    child = _child(rw, D(2024, 1, 10))
    with pytest.raises(RecordInvalid) as refused:
        services.death_record(
            user=rw.staff,
            person=child,
            date=D(2026, 7, 1),
            recorded_on=D(2026, 6, 1),
            perinatal_cause="N9",
            place="unknown",
            today=TODAY,
        )
    text = str(refused.value)
    assert "Ngày ghi nhận (01/06/2026) trước ngày tử vong (01/07/2026)" in text
    assert "N9 dành cho tử vong sơ sinh 0–27 ngày tuổi" in text
    assert not Death.objects.exists()


def test_a_neonatal_death_keeps_its_perinatal_cause_and_an_unknown_place(rw) -> None:
    child = _child(rw, D(2026, 7, 1))
    death = services.death_record(
        user=rw.staff,
        person=child,
        date=D(2026, 7, 3),
        recorded_on=D(2027 - 1, 11, 2),
        perinatal_cause="N9",
        place="unknown",
        today=TODAY,
    )
    death.refresh_from_db()
    assert (death.perinatal_cause, death.place, death.age_group) == ("N9", "unknown", "neonatal")
    assert death.recorded_on == D(2026, 11, 2)


def test_a_death_row_for_a_stillbirth_is_refused(rw) -> None:
    woman = _woman(rw, delivered_on=D(2026, 6, 1))
    child = Person.objects.get(mother=woman)
    Birth.objects.filter(person=child).update(outcome="stillbirth")  # as an old import left it
    with pytest.raises(RecordInvalid) as refused:
        services.death_record(
            user=rw.staff, person=child, date=D(2026, 6, 1), place="facility", today=TODAY
        )
    assert "thai chết lưu" in str(refused.value)


def test_a_stillbirth_takes_an_antepartum_cause_not_a_neonatal_one(rw) -> None:
    woman = _woman(rw, pregnant=True)
    with pytest.raises(RecordInvalid):
        services.delivery_record(
            user=rw.staff,
            person=woman,
            date=D(2026, 9, 1),
            place="home",
            attendant="midwife",
            babies=[services.BirthInput(outcome="stillbirth", extra={"perinatal_cause": "N6"})],
            today=TODAY,
        )
    delivery = services.delivery_record(
        user=rw.staff,
        person=woman,
        date=D(2026, 9, 1),
        place="home",
        attendant="midwife",
        babies=[services.BirthInput(outcome="stillbirth", extra={"perinatal_cause": "A3"})],
        today=TODAY,
    )
    assert delivery.births.get().perinatal_cause == "A3"


def test_the_bundle_groups_maternal_deaths_as_the_service_does(rw, tmp_path) -> None:
    persons = [
        {"ma": f"ND-{n}", "ho_ten": f"Phụ Nữ Số {n}", "gioi_tinh": "Nữ"}
        | {"ngay_sinh": "04/03/1995", "ma_xa": "22795"}
        for n in (1, 2, 3)
    ]
    persons.append(
        {"ma": "ND-4", "ho_ten": "Con Số Bốn", "gioi_tinh": "Nam", "ma_xa": "22795"}
        | {"ngay_sinh": "01/03/2026", "ma_me": "ND-3"}
    )
    pregnancies = [
        {"ma": "TK-1", "ma_nguoi": "ND-1", "ngay": "10/02/2026", "ngay_kinh_cuoi": "01/01/2026"},
        {"ma": "TK-3", "ma_nguoi": "ND-3", "ngay": "10/07/2025", "ngay_kinh_cuoi": "01/06/2025"},
    ]
    deliveries = [
        {"ma": "DE-3", "ma_nguoi": "ND-3", "ngay": "01/03/2026", "ma_thai_ky": "TK-3"}
        | {"noi_de": "Tại nhà", "nguoi_do": "Hộ sinh"}
    ]
    births = [{"ma": "TS-3", "ma_de": "DE-3", "ma_nguoi": "ND-4", "ket_qua": "Đẻ sống"}]
    deaths = [
        # pregnant, traffic accident: incidental, not notified
        {"ma": "TV-1", "ma_nguoi": "ND-1", "ngay": "01/05/2026", "noi_tu_vong": "Không rõ"}
        | {"nhom_nguyen_nhan": "Tai nạn thương tích", "loai_tai_nan": "Tai nạn giao thông"},
        # not pregnant: no group
        {"ma": "TV-2", "ma_nguoi": "ND-2", "ngay": "01/05/2026", "noi_tu_vong": "Tại nhà"},
        # 91 days after her delivery: late maternal, recorded a year later
        {"ma": "TV-3", "ma_nguoi": "ND-3", "ngay": "31/05/2026", "noi_tu_vong": "Tại nhà"}
        | {"nhom_nguyen_nhan": "Nguyên nhân gián tiếp", "ngay_ghi_nhan": "15/11/2026"},
    ]
    folder = write_bundle(
        tmp_path / "b",
        {
            "persons": persons,
            "pregnancies": pregnancies,
            "deliveries": deliveries,
            "births": births,
            "deaths": deaths,
        },
    )
    result = bundle_import(source=folder, user=rw.staff, today=TODAY)
    assert result.errors == []
    stored = {
        d.external_id: (d.pregnancy_relation, d.maternal_cause, d.maternal_group, d.review_status)
        for d in Death.objects.all()
    }
    assert stored == {
        "TV-1": ("pregnant", "incidental", "incidental", ""),
        "TV-2": ("", "", "", ""),
        "TV-3": ("late", "indirect", "late_maternal", ""),
    }
    recorded = dict(Death.objects.values_list("external_id", "recorded_on"))
    assert recorded == {"TV-1": TODAY, "TV-2": TODAY, "TV-3": D(2026, 11, 15)}
    assert Death.objects.get(external_id="TV-1").place == "unknown"


def test_the_bundle_refuses_a_stillbirth_with_a_person(rw, tmp_path) -> None:
    files = {
        "persons": [
            {"ma": "ND-1", "ho_ten": "Nguyễn Thị Lan", "gioi_tinh": "Nữ", "ma_xa": "22795"},
            {"ma": "ND-2", "ho_ten": "Con Bà Lan", "gioi_tinh": "Nam", "ma_xa": "22795"}
            | {"ngay_sinh": "01/03/2026", "ma_me": "ND-1"},
        ],
        "deliveries": [
            {"ma": "DE-1", "ma_nguoi": "ND-1", "ngay": "01/03/2026", "noi_de": "Tại nhà"}
            | {"nguoi_do": "Hộ sinh"}
        ],
        "births": [{"ma": "TS-1", "ma_de": "DE-1", "ma_nguoi": "ND-2", "ket_qua": "Thai chết lưu"}],
    }
    folder = write_bundle(tmp_path / "b", files)
    result = bundle_import(source=folder, user=rw.staff, today=TODAY)
    found = {(e.file, e.column): e.message for e in result.errors}
    assert "Thai chết lưu không có mã người" in found[("tre_sinh.csv", "ma_nguoi")]
    assert not Birth.objects.exists()


# ---------------------------------------------------------------------- corrections


def test_a_death_is_corrected_with_the_same_rules_and_an_audited_diff(rw) -> None:
    woman = _woman(rw, pregnant=True)
    death = services.death_record(
        user=rw.staff, person=woman, date=D(2026, 7, 1), place="home", today=TODAY
    )
    assert death.possible_maternal and death.review_status == "to_notify"
    corrected = services.death_record(
        user=rw.staff,
        person=woman,
        death=death,
        date=D(2026, 7, 2),
        place="home",
        cause_group="injury",
        injury_type="drowning",
        today=TODAY,
    )
    assert (corrected.pk, corrected.maternal_group, corrected.review_status) == (
        death.pk,
        "incidental",
        "",
    )
    woman.refresh_from_db()
    assert woman.deceased_on == D(2026, 7, 2)
    entry = AuditEntry.objects.filter(model="death", action="update").get()
    assert entry.changes["date"] == ["2026-07-01", "2026-07-02"]
    assert entry.changes["maternal_group"] == ["maternal", "incidental"]
    with pytest.raises(RecordInvalid):
        services.death_record(
            user=rw.staff, person=woman, death=death, date=D(1990, 1, 1), place="home", today=TODAY
        )
    assert Death.objects.get().date == D(2026, 7, 2)


def test_a_death_is_corrected_through_the_api_and_the_form(rw) -> None:
    child = _child(rw, D(2026, 1, 10))
    death = services.death_record(
        user=rw.staff, person=child, date=D(2026, 7, 1), place="home", today=TODAY
    )
    client = Client()
    client.force_login(rw.staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.patch(
        f"/api/registers/deaths/{death.pk}/",
        {"date": "2026-01-20", "perinatal_cause": "N6"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert (body["age_days"], body["age_group"], body["perinatal_cause"]) == (10, "neonatal", "N6")
    refused = client.patch(
        f"/api/registers/deaths/{death.pk}/",
        {"date": "2026-07-01"},
        content_type="application/json",
    )
    assert refused.status_code == 400  # N6 at 172 days
    page = client.post(
        f"/so/tu-vong/{death.pk}/sua/",
        {"date": "21/01/2026", "place": "facility", "facility": rw.station.pk}
        | {
            "cause_group": "neonatal_infection",
            "perinatal_cause": "N6",
            "recorded_on": "20/11/2026",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    death.refresh_from_db()
    assert (death.date, death.age_days, death.place) == (D(2026, 1, 21), 11, "facility")
