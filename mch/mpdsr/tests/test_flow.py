"""Surveillance → notification → review → actions → M5, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mch.indicators.engine.periods import Period
from mch.mpdsr import selectors, services
from mch.orgunits.models import Agency
from mch.registers import services as reg
from mch.registers.models import AuditEntry
from mch.registers.services import BirthInput

from .conftest import TODAY, maternal_death, woman


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def test_surveillance_lists_women_15_49_with_their_status(mw) -> None:
    rw = mw.rw
    old = woman(rw, "Bà Lão", dt.date(1970, 1, 1))
    reg.death_record(
        user=rw.officer, person=old, date=dt.date(2026, 3, 1), place="home", today=TODAY
    )
    young = woman(rw, "Lê Thị Út", dt.date(2000, 5, 5))
    reg.death_record(
        user=rw.officer,
        person=young,
        date=dt.date(2026, 3, 2),
        place="home",
        cause_group="injury",
        injury_type="traffic",
        pregnancy_relation="not_pregnant",
        today=TODAY,
    )
    rows = selectors.women_deaths(
        user=rw.officer, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
    )
    assert {(r.death.person.full_name, r.age, r.status) for r in rows} == {
        ("Hà Thị Mơ", 29, "maternal_direct"),
        ("Lê Thị Út", 25, "not_maternal"),
    }
    summary = selectors.surveillance_summary(rows)
    assert [(e["unit"].name, e["total"], e["maternal_direct"]) for e in summary] == [
        ("Xã Hòa Bình", 2, 1)
    ]


def test_residence_and_facility_both_see_the_death_others_do_not(mw) -> None:
    rw = mw.rw
    other = woman(rw, "Chế Thị Na", dt.date(1990, 1, 1))
    maternal_death(rw, other, dt.date(2026, 4, 1), facility=rw.other_station)
    period = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))

    def names(user):
        return {
            r.death.person.full_name
            for r in selectors.women_deaths(user=user, start=period[0], end=period[1])
        }  # noqa: E731

    assert names(rw.staff) == {"Hà Thị Mơ", "Chế Thị Na"}  # residence Hòa Bình
    assert names(rw.other_staff) == {"Chế Thị Na"}  # died at the Đông Hải station
    assert names(rw.leader) == set()  # leaders see no people


def test_notification_within_24_hours_is_measured_and_audited(mw) -> None:
    now = _at(dt.date(2026, 2, 15), 10)
    assert [p.death for p in selectors.notification_worklist(user=mw.officer, now=now)] == [
        mw.death
    ]
    notification = services.notification_record(
        user=mw.hospital_user,
        death=mw.death,
        notified_at=_at(dt.date(2026, 2, 15), 8),
        died_at=_at(dt.date(2026, 2, 14), 20),
        reporter_name="BS. Nam",
        place="Khoa Sản",
        circumstances="Băng huyết sau đẻ",
        fields={"transferred": "yes", "unknown": "x"},
        now=now,
    )
    mw.death.refresh_from_db()
    assert (notification.hours_to_notify, notification.fields) == (
        Decimal("12.0"),
        {"transferred": "yes"},
    )
    assert (mw.death.review_status, mw.death.notified_on) == ("notified", dt.date(2026, 2, 15))
    assert selectors.notification_worklist(user=mw.officer, now=now) == []
    assert AuditEntry.objects.filter(
        person_id=mw.woman.pk, model="notification", action="create"
    ).exists()
    with pytest.raises(ValidationError, match="đã được thông báo"):
        services.notification_record(
            user=mw.officer,
            death=mw.death,
            notified_at=now,
            reporter_name="x",
            place="x",
            circumstances="x",
            now=now,
        )


def test_only_the_board_reviews_and_the_review_drives_the_m5(mw) -> None:
    rw = mw.rw
    mother = woman(rw, "Mẹ Đẻ", dt.date(1995, 1, 1))
    reg.pregnancy_register(
        user=rw.officer,
        person=mother,
        date=dt.date(2025, 9, 1),
        lmp=dt.date(2025, 6, 1),
        today=TODAY,
    )
    reg.delivery_record(
        user=rw.officer,
        person=mother,
        date=dt.date(2026, 3, 1),
        place="facility",
        attendant="doctor",
        babies=[BirthInput(outcome="live", sex="F", birth_weight_g=3000)],
        facility=rw.hospital,
        today=TODAY,
    )
    services.notification_record(
        user=mw.officer,
        death=mw.death,
        notified_at=_at(dt.date(2026, 2, 16), 9),
        died_at=_at(dt.date(2026, 2, 14), 20),
        reporter_name="x",
        place="BV",
        circumstances="x",
        now=_at(dt.date(2026, 2, 17), 9),
    )
    with pytest.raises(PermissionDenied):
        services.review_save(user=mw.officer, death=mw.death, method="facility_review")
    with pytest.raises(ValidationError) as exc:
        services.review_save(
            user=mw.board, death=mw.death, method="facility_review", complete=True, today=TODAY
        )
    assert set(exc.value.message_dict) == {"meeting_date", "underlying_cause", "avoidability"}
    review = services.review_save(
        user=mw.board,
        death=mw.death,
        method="facility_review",
        meeting_date=dt.date(2026, 3, 10),
        underlying_cause="3",
        factors=["3.blood", "1.danger_signs"],
        avoidability="avoidable",
        case_summary="Tên, địa chỉ…",
        complete=True,
        today=TODAY,
    )
    assert (review.case_code, review.cause_kind, review.delays) == (
        "TVM-2026-0001",
        "direct",
        ["1", "3"],
    )
    mw.death.refresh_from_db()
    assert mw.death.review_status == "reviewed"
    agency = Agency.objects.create(code="so-y-te", name="Sở Y tế", unit=rw.province)
    late = services.action_add(
        user=mw.board,
        review=review,
        recommendation="Dự trữ máu",
        owner_agency=agency,
        deadline=dt.date(2026, 4, 1),
    )
    services.action_add(
        user=mw.board,
        review=review,
        recommendation="Tập huấn",
        owner_facility=rw.hospital,
        deadline=dt.date(2027, 1, 1),
    )
    assert selectors.overdue_actions(user=mw.officer, today=TODAY) == [late]
    assert selectors.overdue_actions(user=rw.staff, today=TODAY) == []  # commune: no reviews
    with pytest.raises(PermissionDenied):
        services.action_update(user=rw.staff, action=late, status="done")
    services.action_update(user=mw.board, action=late, status="done", today=TODAY)
    assert selectors.overdue_actions(user=mw.officer, today=TODAY) == []

    report = selectors.m5_report(
        user=mw.officer, period=Period.quarter(2026, 1), spec=services.forms_current()[1]
    )
    assert (len(report.maternal), report.live_births, report.mmr) == (1, 1, 100_000.0)
    assert (
        report.mmr_low is not None and report.mmr_low < 100_000 < report.mmr_high and report.small
    )
    assert (report.notified, report.notified_24h, report.reviewed, report.avoidable) == (1, 0, 1, 1)
    assert report.causes == [("Chảy máu sản khoa", 1)]
    assert [a.status for a in report.actions] == ["done", "planned"]
    assert (
        selectors.m5_report(
            user=mw.officer, period=Period.quarter(2026, 2), spec=services.forms_current()[1]
        ).maternal
        == []
    )


def test_a_coincidental_cause_makes_the_death_not_maternal(mw) -> None:
    services.review_save(
        user=mw.board,
        death=mw.death,
        method="verbal_autopsy",
        meeting_date=dt.date(2026, 3, 1),
        underlying_cause="9",
        avoidability="not_avoidable",
        complete=True,
        today=TODAY,
    )
    mw.death.refresh_from_db()
    assert mw.death.review_status == "not_maternal"
    rows = selectors.women_deaths(
        user=mw.officer, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert [r.status for r in rows] == ["not_maternal"]


def test_red_alert_response_times_per_hospital(mw) -> None:
    rw = mw.rw
    called = _at(dt.date(2026, 2, 14), 8)
    for minutes in (4, 6, 8, 12, 30):
        services.red_alert_record(
            user=mw.hospital_user,
            facility=rw.hospital,
            called_at=called,
            level="hospital",
            emergency="pph",
            team_arrived_at=called + dt.timedelta(minutes=minutes),
            mother_outcome="alive",
            baby_outcome="alive",
        )
    alert = services.red_alert_record(
        user=mw.hospital_user,
        facility=rw.hospital,
        called_at=called,
        level="department",
        emergency="eclampsia",
        mother_outcome="died",
        baby_outcome="alive",
        person=mw.woman,
    )
    with pytest.raises(PermissionDenied):
        services.red_alert_record(
            user=rw.staff,
            facility=rw.hospital,
            called_at=called,
            level="hospital",
            emergency="pph",
            mother_outcome="alive",
            baby_outcome="alive",
        )
    services.red_alert_link_death(user=mw.officer, alert=alert, death=mw.death)
    [stats] = selectors.red_alert_stats(
        user=mw.officer, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert (stats["count"], stats["timed"], stats["median"], stats["p90"]) == (6, 5, 8.0, 22.8)
    assert (stats["within"], stats["mother_died"], stats["linked_deaths"]) == (3, 1, 1)
    assert list(mw.death.red_alerts.all()) == [alert]
