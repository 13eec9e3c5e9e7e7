"""The life of one mother and child through the services, as a commune station records it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from mch.registers import services
from mch.registers.models import AuditEntry, Person, Pregnancy
from mch.registers.rules import RecordInvalid
from mch.registers.testing import TODAY

D = dt.date


def _mother(rw, **extra):
    return services.person_register(
        user=rw.staff,
        full_name="Pi Năng Thị Lan",
        sex="F",
        birth_date=D(1998, 3, 4),
        residence_unit=rw.commune,
        village="Thôn Suối Đá",
        ethnicity="21",
        today=TODAY,
        **extra,
    )


def test_pregnancy_visits_delivery_child(rw) -> None:
    mother = _mother(rw)
    pregnancy = services.pregnancy_register(
        user=rw.staff, person=mother, date=D(2026, 2, 10), lmp=D(2026, 1, 5), today=TODAY
    )
    assert pregnancy.edd == D(2026, 10, 12)
    assert pregnancy.area_ethnic_minority and pregnancy.area_zone == "III"
    assert pregnancy.ethnic_minority is True
    for day, tablets in ((D(2026, 2, 10), 30), (D(2026, 5, 5), 30), (D(2026, 8, 1), 30)):
        services.antenatal_visit_record(
            user=rw.staff,
            pregnancy=pregnancy,
            date=day,
            iron_tablets=tablets,
            facility=rw.station,
            today=TODAY,
        )
    pregnancy.refresh_from_db()
    assert (pregnancy.anc_visits, pregnancy.anc_trimesters, pregnancy.iron_tablets) == (
        3,
        "123",
        90,
    )

    delivery = services.delivery_record(
        user=rw.staff,
        person=mother,
        date=D(2026, 10, 1),
        place="facility",
        facility=rw.station,
        attendant="midwife",
        babies=[services.BirthInput(sex="M", birth_weight_g=3100)],
        today=TODAY,
    )
    assert delivery.skilled and delivery.live_births == 1 and delivery.facility_level == "commune"
    pregnancy.refresh_from_db()
    assert pregnancy.outcome == "live_birth"
    child = Person.objects.get(mother=mother)
    assert child.birth_date == D(2026, 10, 1) and child.ethnicity == "21"
    assert child.birth.gestational_weeks == 38

    contact = services.postnatal_contact_record(
        user=rw.staff,
        delivery=delivery,
        person=child,
        date=D(2026, 10, 4),
        place="home",
        today=TODAY,
    )
    assert (contact.subject, contact.day_after_birth) == ("newborn", 3)

    m = services.measurement_record(
        user=rw.staff,
        person=child,
        date=D(2026, 11, 1),
        weight_kg=4.2,
        length_cm=54.0,
        position="lying",
        today=TODAY,
    )
    assert m.age_days == 31 and m.waz is not None and m.stunting in ("normal", "moderate")

    death = services.death_record(
        user=rw.staff,
        person=child,
        date=D(2026, 10, 20),
        place="home",
        today=TODAY,
    )
    assert (death.age_days, death.age_group) == (19, "neonatal")
    child.refresh_from_db()
    assert child.deceased_on == D(2026, 10, 20)
    assert AuditEntry.objects.filter(person_id=mother.pk, action="create").count() >= 5


def test_dates_out_of_order_are_refused_with_vietnamese_messages(rw) -> None:
    mother = _mother(rw)
    pregnancy = services.pregnancy_register(
        user=rw.staff, person=mother, date=D(2026, 2, 10), lmp=D(2026, 1, 5), today=TODAY
    )
    with pytest.raises(RecordInvalid) as visit_before_lmp:
        services.antenatal_visit_record(
            user=rw.staff, pregnancy=pregnancy, date=D(2025, 12, 30), today=TODAY
        )
    assert "trước ngày kinh cuối" in str(visit_before_lmp.value)
    with pytest.raises(RecordInvalid) as future:
        services.antenatal_visit_record(
            user=rw.staff, pregnancy=pregnancy, date=D(2026, 12, 30), today=TODAY
        )
    assert "ở tương lai" in str(future.value)
    with pytest.raises(RecordInvalid) as weight:
        services.delivery_record(
            user=rw.staff,
            person=mother,
            date=D(2026, 10, 1),
            place="home",
            attendant="other",
            babies=[services.BirthInput(sex="F", birth_weight_g=32)],
            today=TODAY,
        )
    assert "300–7.000 g" in str(weight.value)
    assert Pregnancy.objects.get().outcome == ""


def test_commune_user_cannot_write_for_another_commune(rw) -> None:
    mother = _mother(rw)
    with pytest.raises(PermissionDenied):
        services.pregnancy_register(
            user=rw.other_staff,
            person=mother,
            date=D(2026, 2, 10),
            lmp=D(2026, 1, 5),
            today=TODAY,
        )


def test_exact_national_id_is_refused_and_likely_duplicate_offered(rw) -> None:
    _mother(rw, national_id="056198000123")
    with pytest.raises(RecordInvalid) as same_id:
        services.person_register(
            user=rw.staff,
            full_name="Nguyễn Thị Khác",
            sex="F",
            birth_date=D(1998, 1, 1),
            residence_unit=rw.commune,
            national_id="056198000123",
            today=TODAY,
        )
    assert "đã có trong sổ" in str(same_id.value)
    with pytest.raises(RecordInvalid) as likely:
        services.person_register(
            user=rw.staff,
            full_name="PI NANG THI LAN",
            sex="F",
            birth_date=D(1998, 3, 4),
            residence_unit=rw.commune,
            today=TODAY,
        )
    assert "Có thể đã có người này" in str(likely.value)


def test_merge_keeps_every_record_and_history(rw) -> None:
    first = _mother(rw)
    second = services.person_register(
        user=rw.staff,
        full_name="Pi Năng Thị Lan",
        sex="F",
        birth_date=D(1998, 3, 4),
        residence_unit=rw.commune,
        national_id="056198000123",
        allow_likely_duplicate=True,
        today=TODAY,
    )
    pregnancy = services.pregnancy_register(
        user=rw.staff, person=second, date=D(2026, 2, 10), lmp=D(2026, 1, 5), today=TODAY
    )
    services.person_merge(user=rw.staff, keep=first, duplicate=second)
    first.refresh_from_db()
    second.refresh_from_db()
    pregnancy.refresh_from_db()
    assert pregnancy.person_id == first.pk
    assert first.national_id == "056198000123"
    assert second.merged_into_id == first.pk
    assert AuditEntry.objects.filter(person_id=second.pk, action="create").exists()
    assert AuditEntry.objects.filter(person_id=first.pk, action="merge").exists()


def test_woman_dying_while_pregnant_is_marked_possible_maternal_death(rw) -> None:
    mother = _mother(rw)
    services.pregnancy_register(
        user=rw.staff, person=mother, date=D(2026, 2, 10), lmp=D(2026, 1, 5), today=TODAY
    )
    death = services.death_record(
        user=rw.staff,
        person=mother,
        date=D(2026, 6, 1),
        place="home",
        cause_group="haemorrhage",
        today=TODAY,
    )
    assert death.pregnancy_relation == "pregnant"
    assert death.possible_maternal and death.review_status == "to_notify"
    assert death.age_group == "older"


def _child(rw):
    return services.person_register(
        user=rw.staff,
        full_name="Pi Năng Văn Tú",
        sex="M",
        birth_date=D(2026, 6, 1),
        residence_unit=rw.commune,
        today=TODAY,
    )


def test_dose_before_minimum_age_is_kept_and_flagged(rw) -> None:
    child = _child(rw)
    early = services.dose_record(
        user=rw.staff,
        person=child,
        antigen="dpt_hepb_hib",
        dose=1,
        date=D(2026, 6, 20),
        facility=rw.station,
        today=TODAY,
    )
    assert "dose_before_min_age" in early.flags
    on_time = services.dose_record(
        user=rw.staff, person=child, antigen="opv", dose=1, date=D(2026, 8, 1), today=TODAY
    )
    assert on_time.flags == []


def test_dose_before_birth_is_refused(rw) -> None:
    child = _child(rw)
    with pytest.raises(RecordInvalid) as refused:
        services.dose_record(
            user=rw.staff, person=child, antigen="bcg", dose=1, date=D(2026, 5, 20), today=TODAY
        )
    assert "trước ngày sinh" in str(refused.value)


def test_implausible_z_score_is_flagged(rw) -> None:
    child = _child(rw)
    m = services.measurement_record(
        user=rw.staff,
        person=child,
        date=D(2026, 11, 1),
        weight_kg=25.0,
        length_cm=66.0,
        position="lying",
        today=TODAY,
    )
    assert "z_implausible" in m.flags and m.underweight == "implausible"


def test_likely_duplicate_in_another_commune_is_counted_not_named(rw) -> None:
    _mother(rw)
    with pytest.raises(RecordInvalid) as likely:
        services.person_register(
            user=rw.other_staff,
            full_name="Pi Năng Thị Lan",
            sex="F",
            birth_date=D(1998, 3, 4),
            residence_unit=rw.other_commune,
            today=TODAY,
        )
    message = str(likely.value)
    assert "1 người ở đơn vị khác" in message and "Xã Hòa Bình" not in message


def test_national_id_of_someone_in_another_commune_is_refused_without_naming_her(rw) -> None:
    _mother(rw, national_id="056198000123")
    with pytest.raises(RecordInvalid) as refused:
        services.person_register(
            user=rw.other_staff,
            full_name="Trần Thị Bé",
            sex="F",
            birth_date=D(1998, 1, 1),
            residence_unit=rw.other_commune,
            national_id="056198000123",
            today=TODAY,
        )
    message = str(refused.value)
    assert "đã có trong sổ (một người ở đơn vị khác)" in message and "Pi Năng" not in message
