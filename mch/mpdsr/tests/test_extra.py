"""Perinatal and child death review, the board page, e-mail alerts, hospitals' red-alert
standards, the action labels and the generated MPDSR records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from mch.indicators.engine.periods import Period
from mch.mpdsr import selectors, services
from mch.mpdsr.models import Action, AlertEmail, BoardMember, ProvinceSettings, RedAlert
from mch.registers import services as reg
from mch.registers.models import Birth
from mch.registers.services import BirthInput

from .conftest import TODAY, maternal_death, woman


def _stillbirth(mw) -> Birth:
    rw = mw.rw
    mother = woman(rw, "Lò Thị Ka", dt.date(1998, 1, 1))
    delivery = reg.delivery_record(
        user=rw.officer,
        person=mother,
        date=dt.date(2026, 3, 5),
        place="facility",
        attendant="doctor",
        babies=[
            BirthInput(outcome="stillbirth", sex="M", birth_weight_g=2100),
            BirthInput(outcome="live", sex="F", birth_weight_g=2300),
        ],
        facility=rw.hospital,
        today=TODAY,
    )
    return delivery.births.get(outcome="stillbirth")


def test_perinatal_review_of_a_stillbirth_with_actions_and_rate(mw) -> None:
    still = _stillbirth(mw)
    review = services.perinatal_review_save(
        user=mw.board,
        subject=still,
        method="facility_review",
        meeting_date=dt.date(2026, 3, 20),
        cause="I3",
        maternal_condition="M1",
        factors=["2.transport"],
        avoidability="possibly",
        case_summary="Tên mẹ Lò Thị Ka",
        complete=True,
        today=TODAY,
    )
    assert (review.kind, review.timing, review.delays, review.case_code) == (
        "stillbirth",
        "I",
        ["2"],
        "TVCS-2026-0001",
    )
    with pytest.raises(ValidationError):  # a neonatal cause group for a stillbirth
        services.perinatal_review_save(
            user=mw.board, subject=still, method="facility_review", cause="N9", today=TODAY
        )
    with pytest.raises(PermissionDenied):  # not on the board
        services.perinatal_review_save(
            user=mw.officer, subject=still, method="facility_review", today=TODAY
        )
    action = services.action_add(
        user=mw.board,
        review=review,
        recommendation="Tập huấn hồi sức sơ sinh (ca của Lò Thị Ka)",
        deadline=dt.date(2026, 6, 30),
        owner_facility=mw.rw.hospital,
    )
    services.action_update(user=mw.board, action=action, status="done", today=TODAY)
    spec = services.forms_current()[1]
    report = selectors.perinatal_report(user=mw.officer, period=Period.parse("Q1/2026"), spec=spec)
    assert (report.stillbirths, report.live_births, report.reviewed, report.avoidable) == (
        1,
        1,
        1,
        1,
    )
    assert report.pmr == pytest.approx(500.0)  # 1 of 2 births
    assert report.pmr_low is not None and report.pmr_low < 500 < report.pmr_high
    assert report.timing == [("Trong chuyển dạ", 1)]
    assert [a.case_code for a in report.actions] == ["TVCS-2026-0001"]
    # the report is de-identified: the mother's name the board wrote is blanked out there,
    # and only there (the stored recommendation keeps it for the board)
    assert [a.recommendation for a in report.actions] == ["Tập huấn hồi sức sơ sinh (ca của […])"]
    action.refresh_from_db()
    assert "Lò Thị Ka" in action.recommendation


def test_perinatal_pages_board_sees_identity_others_de_identified_commune_never(
    mw, as_user
) -> None:
    still = _stillbirth(mw)
    client = as_user(mw.board)
    url = reverse("mpdsr-perinatal-edit", args=["thai-chet", still.pk])
    response = client.post(
        url,
        {
            "method": "facility_review",
            "meeting_date": "2026-03-20",
            "cause": "A3",
            "maternal_condition": "M2",
            "avoidability": "avoidable",
            "case_summary": "bí mật",
            "complete": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    review_url = response["Location"]
    assert "Lò Thị Ka" in client.get(review_url).content.decode()
    page = client.get(reverse("mpdsr-perinatal") + "?ky=Q1/2026").content.decode()
    assert "TVCS-2026-0001" in page and "Lò Thị Ka" not in page
    officer = as_user(mw.officer).get(review_url).content.decode()
    assert "Lò Thị Ka" not in officer and "bí mật" not in officer
    assert as_user(mw.rw.staff).get(review_url).status_code == 403
    assert as_user(mw.rw.staff).get(reverse("mpdsr-perinatal")).status_code == 403


def test_under5_reviewed_only_when_the_province_chooses(mw) -> None:
    rw = mw.rw
    mother = woman(rw, "Mẹ Bé", dt.date(1995, 1, 1))
    delivery = reg.delivery_record(
        user=rw.officer,
        person=mother,
        date=dt.date(2025, 1, 5),
        place="facility",
        attendant="doctor",
        babies=[BirthInput(outcome="live", sex="M", full_name="Bé Tí", birth_weight_g=3000)],
        facility=rw.hospital,
        today=TODAY,
    )
    child = delivery.births.get().person
    death = reg.death_record(
        user=rw.officer,
        person=child,
        date=dt.date(2026, 2, 1),
        place="home",
        cause_group="injury",
        injury_type="drowning",
        today=TODAY,
    )
    with pytest.raises(ValidationError):
        services.perinatal_review_save(user=mw.board, subject=death, method="verbal_autopsy")
    services.province_settings_save(
        user=mw.officer,
        province=rw.province,
        alert_emails="",
        email_board=False,
        review_under5=True,
    )
    review = services.perinatal_review_save(
        user=mw.board, subject=death, method="verbal_autopsy", cause="injury", today=TODAY
    )
    assert (review.kind, review.timing, review.case_code) == ("under5", "", "TVTE-2026-0001")


def test_board_page_managed_by_the_province_officer_rule_stated(mw, as_user) -> None:
    client = as_user(mw.officer)
    page = client.get(reverse("mpdsr-board")).content.decode()
    assert "Bác sĩ Trần Hội" in page and 'id="board-rule"' in page and "member-add" in page
    member = BoardMember.objects.get(user=mw.board)
    response = client.post(
        reverse("mpdsr-board"),
        {"do": "update", "member": member.pk, "role": "member", "active": "0"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.role, member.active) == ("member", False)
    # inactive: no longer sees identifiable review parts nor writes reviews
    from mch.mpdsr import access

    assert not access.is_board_member(mw.board, mw.death)
    hospital = as_user(mw.hospital_user)
    assert "member-add" not in hospital.get(reverse("mpdsr-board")).content.decode()
    assert hospital.post(reverse("mpdsr-board"), {"do": "settings"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_alert_email_once_per_death_without_identity(settings) -> None:
    from .conftest import build_mpdsr_world

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mw = build_mpdsr_world()  # a death recorded before any address: nothing sent
    assert mail.outbox == []
    mw.board.email = "hoidong@example.org"
    mw.board.save()
    with pytest.raises(ValidationError):
        services.province_settings_save(
            user=mw.officer,
            province=mw.rw.province,
            alert_emails="khong-hop-le",
            email_board=True,
            review_under5=False,
        )
    services.province_settings_save(
        user=mw.officer,
        province=mw.rw.province,
        alert_emails="syt@example.org",
        email_board=True,
        review_under5=False,
    )
    other = woman(mw.rw, "Đinh Thị Bí Mật", dt.date(1994, 4, 4))
    death = maternal_death(mw.rw, other, dt.date(2026, 5, 2))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["hoidong@example.org", "syt@example.org"]
    text = message.subject + message.body
    assert "Xã Hòa Bình" in text and "02/05/2026" in text
    assert "Đinh Thị Bí Mật" not in text and "1994" not in text
    death.save()  # saved again: still one e-mail
    assert services.alert_emails_sweep() == 1  # the first death, recorded before the address
    assert services.alert_emails_sweep() == 0
    assert len(mail.outbox) == 2 and AlertEmail.objects.count() == 2


def test_hospital_standard_compared_with_median_and_p90(mw) -> None:
    hospital = mw.rw.hospital
    with pytest.raises(PermissionDenied):
        services.red_alert_standard_set(user=mw.hospital_user, facility=hospital, minutes=5)
    services.red_alert_standard_set(user=mw.officer, facility=hospital, minutes=6)
    day = dt.date(2026, 4, 1)
    for minutes in (3, 4, 5, 5, 12):
        called = timezone.make_aware(dt.datetime(2026, 4, 1, 10))
        services.red_alert_record(
            user=mw.hospital_user,
            facility=hospital,
            called_at=called,
            level="hospital",
            emergency="pph",
            team_arrived_at=called + dt.timedelta(minutes=minutes),
            mother_outcome="alive",
            baby_outcome="alive",
            now=called + dt.timedelta(hours=1),
        )
    assert set(RedAlert.objects.values_list("standard_minutes", flat=True)) == {6}
    [stat] = selectors.red_alert_stats(user=mw.officer, start=day, end=day)
    assert (stat["standard"], stat["median"], stat["median_ok"], stat["p90_ok"]) == (
        6,
        5.0,
        True,
        False,
    )
    assert stat["within"] == 4


def test_action_status_labels_do_not_clash_with_the_import_catalogue() -> None:
    with translation.override("vi"):
        assert str(Action.Status.DONE.label) == "Đã hoàn thành"
        from django.utils.translation import gettext

        assert gettext("Done") == "Xong"  # the import job's status keeps its own


def test_generated_mpdsr_records_are_deterministic(mw) -> None:
    from mch.registers.synthetic.mpdsr import mpdsr_generate

    today = dt.date(2026, 11, 20)
    counts = mpdsr_generate(province="56", today=today, seed=3, board=("hoidong",))
    assert counts["notifications"] + counts["red_alerts"] > 0
    assert mpdsr_generate(province="56", today=today, seed=3) == dict.fromkeys(counts, 0)
    first = sorted(RedAlert.objects.values_list("called_at", "response_minutes", "level"))
    RedAlert.objects.all().delete()
    Action.objects.all().delete()
    from mch.mpdsr.models import Notification, PerinatalReview, Review

    Review.objects.all().delete()
    Notification.objects.all().delete()
    PerinatalReview.objects.all().delete()
    mpdsr_generate(province="56", today=today, seed=3, board=("hoidong",))
    assert sorted(RedAlert.objects.values_list("called_at", "response_minutes", "level")) == first
    assert ProvinceSettings.objects.filter(province=mw.rw.province).exists()


def test_demo_layer_adds_women_deaths_and_late_maternal_deaths(tmp_path) -> None:
    """The demo's mortality layer screens more than maternal deaths: women 15–49 who died
    outside pregnancy (about 18 per 1,000 births) and late deaths 43 days–1 year after a
    delivery, left for the import to classify; only in communes of today's map."""
    import csv

    from mch.registers.synthetic.mpdsr import women_deaths_add

    today = dt.date(2026, 12, 7)

    def write(name: str, header: list[str], rows: list[dict[str, str]]) -> None:
        with (tmp_path / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, header)
            writer.writeheader()
            writer.writerows(rows)

    p_header = ["id", "full_name", "sex", "birth_date", "commune", "village", "mother_id"]
    p_header += ["national_id", "insurance_number", "phone", "registered_on"]
    mothers = [
        {
            "id": f"M{i}",
            "full_name": f"Hà Thị Mơ{i}",
            "sex": "F",
            "birth_date": "01/01/1995",
            "commune": "22801" if i % 2 else "02658",
            "village": "Thôn 1",
            "mother_id": "",
        }
        for i in range(40)
    ]
    write("persons", p_header, mothers)
    d_header = ["id", "person_id", "date", "commune", "village", "service_commune", "facility"]
    d_header += ["place", "cause_group", "injury_type", "cause_text", "pregnancy_relation"]
    d_header += ["pregnancy_related", "maternal_cause", "recorded_on"]
    write(
        "deaths",
        d_header,
        [
            {
                "id": "X1",
                "person_id": "M1",
                "date": "01/03/2026",
                "commune": "22801",
                "facility": "BV-56",
                "place": "facility",
            }
        ],
    )
    deliveries = [
        {
            "id": f"D{i}",
            "person_id": f"M{i}",
            "date": "02/03/2026",
            "commune": "22801" if i % 2 else "02658",
        }
        for i in range(40)
    ]
    write("deliveries", ["id", "person_id", "date", "commune", "village"], deliveries)
    write(
        "pregnancies",
        ["id", "person_id", "date"],
        [{"id": f"T{i}", "person_id": f"M{i}", "date": "01/07/2025"} for i in range(40)],
    )
    write("births", ["id"], [{"id": f"B{i}"} for i in range(5000)])

    added = women_deaths_add(tmp_path, today=today, seed=7, prefix="K", communes={"22801"})
    with (tmp_path / "deaths.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[1:]
    assert added == len(rows) and 60 <= added <= 130  # about 5,000 × 18/1,000 = 92
    assert {r["commune"] for r in rows} == {"22801"}
    late = [r for r in rows if r["pregnancy_relation"] == ""]
    assert late and all(r["person_id"] != "M1" for r in late)  # not a woman already dead
    for row in late:
        gap = (dt.datetime.strptime(row["date"], "%d/%m/%Y").date() - dt.date(2026, 3, 2)).days
        assert 43 <= gap <= 365
    outside = [r for r in rows if r["pregnancy_relation"]]
    assert {r["pregnancy_relation"] for r in outside} <= {"not_pregnant", "unknown"}
