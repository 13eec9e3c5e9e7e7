"""Each baby's own date and time of birth: twins born either side of midnight on
31 December belong to two years, whichever way the delivery is entered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from mch.registers import services
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import AuditEntry, Birth, Person
from mch.registers.rules import RecordInvalid
from mch.registers.testing import TODAY

from .bundle_helpers import write_bundle

D = dt.date
T = dt.time


def _mother(rw) -> Person:
    mother = services.person_register(
        user=rw.staff,
        full_name="Pi Năng Thị Lan",
        sex="F",
        birth_date=D(1998, 3, 4),
        residence_unit=rw.commune,
        today=TODAY,
    )
    services.pregnancy_register(
        user=rw.staff, person=mother, date=D(2025, 5, 10), lmp=D(2025, 3, 28), today=TODAY
    )
    return mother


def _deliver(rw, mother, babies):
    return services.delivery_record(
        user=rw.staff,
        person=mother,
        date=D(2025, 12, 31),
        time=T(23, 50),
        place="home",
        attendant="midwife",
        babies=babies,
        today=TODAY,
    )


def test_twins_either_side_of_midnight_keep_their_own_dates(rw) -> None:
    mother = _mother(rw)
    delivery = _deliver(
        rw,
        mother,
        [
            services.BirthInput(sex="M"),
            services.BirthInput(sex="F", date=D(2026, 1, 1), time=T(0, 10)),
        ],
    )
    births = list(Birth.objects.filter(delivery=delivery).order_by("birth_order"))
    assert [(b.date, b.time) for b in births] == [
        (D(2025, 12, 31), T(23, 50)),
        (D(2026, 1, 1), T(0, 10)),
    ]
    assert [b.person.birth_date for b in births] == [D(2025, 12, 31), D(2026, 1, 1)]
    assert delivery.date == D(2025, 12, 31)


@pytest.mark.parametrize(
    ("born_on", "flagged"),
    [(D(2026, 1, 1), False), (D(2026, 1, 2), True), (D(2025, 12, 29), True)],
)
def test_a_baby_two_days_from_the_delivery_is_kept_with_a_warning(rw, born_on, flagged) -> None:
    delivery = _deliver(rw, _mother(rw), [services.BirthInput(sex="M", date=born_on)])
    birth = delivery.births.get()
    assert ("birth_date_two_days" in birth.flags) is flagged


def test_a_baby_born_days_away_from_the_delivery_is_refused(rw) -> None:
    mother = _mother(rw)
    with pytest.raises(RecordInvalid) as refused:
        _deliver(rw, mother, [services.BirthInput(sex="M", date=D(2026, 1, 5))])
    assert "cách ngày đẻ (31/12/2025) 5 ngày" in str(refused.value)
    assert not Birth.objects.exists() and mother.deliveries.count() == 0


def _bundle(date: str = "", time: str = "") -> dict:
    return {
        "persons": [
            {"ma": "ND-1", "ho_ten": "Lan", "gioi_tinh": "Nữ", "ngay_sinh": "04/03/1998"}
            | {"ma_xa": "22795", "ho_ten": "Nguyễn Thị Lan"},
            {"ma": "ND-2", "ho_ten": "Nguyễn Văn An", "gioi_tinh": "Nam", "ma_xa": "22795"}
            | {"ngay_sinh": "31/12/2025", "ma_me": "ND-1"},
            {"ma": "ND-3", "ho_ten": "Nguyễn Thị Bình", "gioi_tinh": "Nữ", "ma_xa": "22795"}
            | {"ngay_sinh": "01/01/2026", "ma_me": "ND-1"},
        ],
        "deliveries": [
            {"ma": "DE-1", "ma_nguoi": "ND-1", "ngay": "31/12/2025", "gio": "23:50"}
            | {"noi_de": "Tại nhà", "nguoi_do": "Hộ sinh"},
        ],
        "births": [
            {"ma": "TS-1", "ma_de": "DE-1", "ma_nguoi": "ND-2", "ket_qua": "Đẻ sống"},
            {"ma": "TS-2", "ma_de": "DE-1", "ma_nguoi": "ND-3", "ket_qua": "Đẻ sống"}
            | {"thu_tu": "2", "ngay_sinh": date, "gio_sinh": time},
        ],
    }


def test_the_bundle_takes_each_babys_date_and_defaults_to_the_deliverys(rw, tmp_path) -> None:
    folder = write_bundle(tmp_path / "b", _bundle("01/01/2026", "00:10"))
    result = bundle_import(source=folder, user=rw.staff, today=TODAY)
    assert result.errors == []
    stored = {b.external_id: (b.date, b.time) for b in Birth.objects.all()}
    assert stored == {
        "TS-1": (D(2025, 12, 31), T(23, 50)),
        "TS-2": (D(2026, 1, 1), T(0, 10)),
    }


def test_the_bundle_refuses_a_baby_born_days_from_the_delivery(rw, tmp_path) -> None:
    folder = write_bundle(tmp_path / "b", _bundle("06/01/2026"))
    result = bundle_import(source=folder, user=rw.staff, today=TODAY)
    assert [(e.file, e.row, e.column) for e in result.errors] == [("tre_sinh.csv", 3, "ngay_sinh")]
    assert "6 ngày" in result.errors[0].message
    assert not Birth.objects.exists()


def test_the_api_takes_each_babys_date(rw) -> None:
    client = Client()
    client.force_login(rw.staff, backend="django.contrib.auth.backends.ModelBackend")
    mother = _mother(rw)
    response = client.post(
        "/api/registers/deliveries/",
        {
            "person": mother.pk,
            "date": "2025-12-31",
            "time": "23:50",
            "place": "home",
            "attendant": "midwife",
            "babies": [{"sex": "M"}, {"sex": "F", "date": "2026-01-01", "time": "00:10"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    births = response.json()["births"]
    assert [(b["date"], b["time"]) for b in births] == [
        ("2025-12-31", "23:50:00"),
        ("2026-01-01", "00:10:00"),
    ]


# ---------------------------------------------------------------------- corrections


def test_a_delivery_is_corrected_and_its_babies_follow(rw) -> None:
    mother = _mother(rw)
    delivery = _deliver(
        rw,
        mother,
        [
            services.BirthInput(sex="M"),
            services.BirthInput(sex="F", date=D(2026, 1, 1), time=T(0, 10)),
        ],
    )
    corrected = services.delivery_record(
        user=rw.staff,
        person=mother,
        delivery=delivery,
        date=D(2025, 12, 30),
        time=T(23, 40),
        place="home",
        attendant="doctor",
        today=TODAY,
    )
    assert corrected.pk == delivery.pk and corrected.skilled
    births = list(Birth.objects.filter(delivery=delivery).order_by("birth_order"))
    # the first baby was born on the delivery's date and moves with it; the twin keeps hers
    assert [b.date for b in births] == [D(2025, 12, 30), D(2026, 1, 1)]
    assert [b.person.birth_date for b in births] == [D(2025, 12, 30), D(2026, 1, 1)]
    assert mother.pregnancies.get().outcome_date == D(2025, 12, 30)
    entry = AuditEntry.objects.get(model="delivery", action="update")
    assert entry.changes["date"] == ["2025-12-31", "2025-12-30"]
    assert entry.changes["attendant"] == ["midwife", "doctor"]


def test_a_correction_that_breaks_a_rule_changes_nothing(rw) -> None:
    mother = _mother(rw)
    delivery = _deliver(rw, mother, [services.BirthInput(sex="M")])
    for change in (
        {"date": D(2025, 1, 1)},  # before the last period
        {"babies": [services.BirthInput(outcome="stillbirth")]},  # outcomes are fixed
        {"babies": [services.BirthInput(sex="M"), services.BirthInput(sex="F")]},
    ):
        values = {"date": D(2025, 12, 31), "place": "home", "attendant": "midwife"} | change
        with pytest.raises(RecordInvalid):
            services.delivery_record(
                user=rw.staff, person=mother, delivery=delivery, today=TODAY, **values
            )
    delivery.refresh_from_db()
    assert delivery.date == D(2025, 12, 31) and delivery.births.count() == 1
    assert not AuditEntry.objects.filter(action="update").exists()


def test_a_delivery_is_corrected_through_the_api_and_the_form(rw) -> None:
    mother = _mother(rw)
    delivery = _deliver(rw, mother, [services.BirthInput(sex="M", birth_weight_g=3000)])
    client = Client()
    client.force_login(rw.staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.patch(
        f"/api/registers/deliveries/{delivery.pk}/",
        {"attendant": "doctor", "babies": [{"sex": "M", "birth_weight_g": 3150}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["births"][0]["birth_weight_g"] == 3150
    refused = client.patch(
        f"/api/registers/deliveries/{delivery.pk}/",
        {"date": "2025-03-01"},
        content_type="application/json",
    )
    assert refused.status_code == 400  # before the last menstrual period
    page = client.post(
        f"/so/de/{delivery.pk}/sua/",
        {
            "date": "30/12/2025",
            "place": "home",
            "attendant": "midwife",
            "mode": "vaginal",
            "mother_outcome": "well",
            "tre-TOTAL_FORMS": "1",
            "tre-INITIAL_FORMS": "1",
            "tre-0-outcome": "live",
            "tre-0-sex": "M",
            "tre-0-birth_weight_g": "3200",
        },
    )
    assert page.status_code == 302, page.content.decode()[:3000]
    birth = delivery.births.get()
    assert (birth.date, birth.birth_weight_g) == (D(2025, 12, 30), 3200)
