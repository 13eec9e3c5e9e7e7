"""A stillbirth must not become a live-born child: registering a child with a mother on
the date of one of her stillbirths is kept with the warning ``stillbirth_as_person``
(Vietnamese message), while the children a delivery registers for its live births, and a
live-born twin registered by hand, are not flagged."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import translation

from mch.registers import rules, services
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import Birth, Person
from mch.registers.testing import TODAY, RegisterWorld

from .bundle_helpers import write_bundle

D = dt.date


def test_the_rule_warns_only_when_no_live_born_baby_of_that_day_waits_for_a_person() -> None:
    day = D(2026, 5, 5)
    (problem,) = rules.stillbirth_person_check(
        birth_date=day, stillbirths=1, live_births_without_person=0
    )
    assert (problem.code, problem.severity, problem.field) == (
        "stillbirth_as_person",
        rules.WARNING,
        "birth_date",
    )
    assert problem.message() == (
        "Mẹ có một thai chết lưu ngày 05/05/2026: thai chết lưu không được đăng ký thành một "
        "người (chỉ trẻ đẻ sống mới có hồ sơ). Nếu trẻ này đẻ sống, hãy sửa kết quả sinh "
        "trong sổ đẻ; nếu là thai chết lưu, không đăng ký trẻ."
    )
    assert problem.message("en").startswith("The mother had a stillbirth on 05/05/2026")
    assert not rules.stillbirth_person_check(
        birth_date=day, stillbirths=1, live_births_without_person=1
    )
    assert not rules.stillbirth_person_check(
        birth_date=day, stillbirths=0, live_births_without_person=0
    )
    assert not rules.stillbirth_person_check(
        birth_date=None, stillbirths=1, live_births_without_person=0
    )


def _mother(rw: RegisterWorld, name: str):  # type: ignore[no-untyped-def]
    return services.person_register(
        user=rw.staff,
        full_name=name,
        sex="F",
        birth_date=D(1995, 3, 3),
        residence_unit=rw.commune,
        today=TODAY,
    )


def _deliver(rw: RegisterWorld, mother, day: dt.date, *outcomes: str):  # type: ignore[no-untyped-def]
    return services.delivery_record(
        user=rw.staff,
        person=mother,
        date=day,
        place="facility",
        facility=rw.station,
        attendant="midwife",
        babies=[services.BirthInput(outcome=o, sex="M", birth_weight_g=2900) for o in outcomes],
        today=TODAY,
    )


def _child(rw: RegisterWorld, mother, day: dt.date):  # type: ignore[no-untyped-def]
    return services.person_register(
        user=rw.staff,
        full_name="Con Bà Thử",
        sex="M",
        birth_date=day,
        residence_unit=rw.commune,
        mother=mother,
        allow_likely_duplicate=True,
        today=TODAY,
    )


def test_a_stillbirth_registered_as_a_person_is_flagged(rw: RegisterWorld) -> None:
    mother = _mother(rw, "Nguyễn Thị Lưu")
    day = D(2026, 5, 5)
    _deliver(rw, mother, day, "stillbirth")
    child = _child(rw, mother, day)
    assert child.flags == ["stillbirth_as_person"]
    with translation.override("vi"):
        shown = rules.Problem("stillbirth_as_person", params={"value": day}).message()
    assert "thai chết lưu không được đăng ký thành một người" in shown
    # a correction of the person keeps the warning while the record is unchanged
    child = services.person_update(user=rw.staff, person=child, today=TODAY, phone="0912345678")
    assert child.flags == ["stillbirth_as_person"]
    # a child of another day is not flagged
    assert _child(rw, mother, day - dt.timedelta(days=400)).flags == []


def test_live_born_children_are_not_flagged(rw: RegisterWorld) -> None:
    mother = _mother(rw, "Trần Thị Song")
    day = D(2026, 6, 6)
    # twins, one stillborn: the live twin's person, registered by the delivery, is clean
    delivery = _deliver(rw, mother, day, "stillbirth", "live")
    (live,) = Birth.objects.filter(delivery=delivery, outcome="live")
    assert live.person is not None and live.person.flags == []
    services.person_update(user=rw.staff, person=live.person, today=TODAY, phone="0912345678")
    live.person.refresh_from_db()
    assert live.person.flags == []
    # but a second child of that day is the stillborn twin registered by mistake
    assert _child(rw, mother, day).flags == ["stillbirth_as_person"]
    # a mother with live births only: a child registered by hand on that day is not flagged
    other = _mother(rw, "Lê Thị Sống")
    _deliver(rw, other, D(2026, 7, 7), "live")
    assert _child(rw, other, D(2026, 7, 7)).flags == []


def test_the_child_page_names_the_warning_in_vietnamese(rw: RegisterWorld, client) -> None:
    mother = _mother(rw, "Phạm Thị Lặng")
    day = D(2026, 4, 4)
    _deliver(rw, mother, day, "stillbirth")
    child = _child(rw, mother, day)
    client.force_login(rw.staff)
    page = client.get(
        reverse("person-detail", args=[child.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "Sinh cùng ngày mẹ có thai chết lưu" in page
    assert "stillbirth_as_person" not in page
    # the mother's own page carries no such warning
    page = client.get(
        reverse("person-detail", args=[mother.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "Sinh cùng ngày mẹ có thai chết lưu" not in page


def _import(rw: RegisterWorld, tmp_path, name: str, files: dict):  # type: ignore[no-untyped-def]
    result = bundle_import(source=write_bundle(tmp_path / name, files), user=rw.staff, today=TODAY)
    assert result.errors == []
    return {p.external_id: p.flags for p in Person.objects.filter(external_id__startswith="ND-")}


MOTHER = {"ma": "ND-1", "ho_ten": "Nguyễn Thị Lặng", "gioi_tinh": "Nữ", "ma_xa": "22795"} | {
    "ngay_sinh": "04/03/1998"
}


def _child_row(ident: str, day: str) -> dict:
    return {"ma": ident, "ho_ten": f"Con {ident}", "gioi_tinh": "Nam", "ma_xa": "22795"} | {
        "ngay_sinh": day,
        "ma_me": "ND-1",
    }


def test_the_import_flags_a_stillbirth_registered_as_a_person(rw: RegisterWorld, tmp_path) -> None:
    # twins of 05/05/2026, one stillborn, one live-born with its person ND-2; ND-3 is a
    # third child of that day that no birth names: the stillborn twin registered by mistake
    flags = _import(
        rw,
        tmp_path,
        "one",
        {
            "persons": [MOTHER, _child_row("ND-2", "05/05/2026"), _child_row("ND-3", "05/05/2026")]
            + [_child_row("ND-4", "05/05/2024")],
            "deliveries": [
                {"ma": "DE-1", "ma_nguoi": "ND-1", "ngay": "05/05/2026", "noi_de": "Tại nhà"}
                | {"nguoi_do": "Hộ sinh"}
            ],
            "births": [
                {"ma": "TS-1", "ma_de": "DE-1", "ket_qua": "Thai chết lưu"}
                | {"nguyen_nhan_chu_sinh": "A1"},
                {"ma": "TS-2", "ma_de": "DE-1", "ma_nguoi": "ND-2", "ket_qua": "Đẻ sống"}
                | {"thu_tu": "2"},
            ],
        },
    )
    assert flags["ND-3"] == ["stillbirth_as_person"]
    assert flags["ND-2"] == [] and flags["ND-1"] == [] and flags["ND-4"] == []
    # a later file naming a child of that day for the stored mother: flagged from the
    # registers' births; a child of a stored live birth that waits for its person is not
    flags = _import(rw, tmp_path, "two", {"persons": [MOTHER, _child_row("ND-5", "05/05/2026")]})
    assert flags["ND-5"] == ["stillbirth_as_person"]
    flags = _import(
        rw,
        tmp_path,
        "three",
        {
            "persons": [MOTHER],
            "deliveries": [
                {"ma": "DE-2", "ma_nguoi": "ND-1", "ngay": "06/06/2022", "noi_de": "Tại nhà"}
                | {"nguoi_do": "Hộ sinh"}
            ],
            "births": [
                {"ma": "TS-3", "ma_de": "DE-2", "ket_qua": "Thai chết lưu"}
                | {"nguyen_nhan_chu_sinh": "A1"},
                {"ma": "TS-4", "ma_de": "DE-2", "ket_qua": "Đẻ sống", "thu_tu": "2"},
            ],
        },
    )
    flags = _import(rw, tmp_path, "four", {"persons": [MOTHER, _child_row("ND-6", "06/06/2022")]})
    assert flags["ND-6"] == []
