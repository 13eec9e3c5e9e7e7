"""One rule each, checked against a calculation made here: the red alert's "within the
hospital's standard" (the log's ✓/✗ and the province summary), the share of deaths
notified within 24 hours (the surveillance list and the M5 page), the surveillance
list's total row, late deaths and periods, and the demo commune's deaths."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mch.indicators.engine.periods import Period
from mch.mpdsr import selectors, services
from mch.mpdsr.models import Action, RedAlert, Review
from mch.orgunits.models import Facility
from mch.registers import services as reg
from mch.registers.services import BirthInput

from .conftest import TODAY, maternal_death, woman


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (written out, not numpy's)."""
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# -- red alert ------------------------------------------------------------------------------
def _alert(mw, facility, called, minutes, level="hospital"):  # type: ignore[no-untyped-def]
    return services.red_alert_record(
        user=mw.officer,
        facility=facility,
        called_at=called,
        level=level,
        emergency="pph",
        team_arrived_at=None if minutes is None else called + dt.timedelta(minutes=minutes),
        mother_outcome="alive",
        baby_outcome="alive",
        now=called + dt.timedelta(hours=2),
    )


def test_red_alert_marks_and_summary_follow_one_rule(mw, as_user) -> None:
    rw = mw.rw
    hospital = rw.hospital
    regional = Facility.objects.create(
        code="TTYT-KV",
        name="Trung tâm Y tế khu vực Ninh Hải",
        kind="regional_health_centre",
        care_level="district",
        unit=rw.province,
        provides_delivery=True,
    )
    services.red_alert_standard_set(user=mw.officer, facility=hospital, minutes=10)
    day = dt.date(2026, 5, 4)
    # Own standard 10: 4 and exactly 10 within, 10,5 and 25 over, one without arrival.
    own = [4, 10, 10.5, 25, None]
    for k, minutes in enumerate(own):
        _alert(mw, hospital, _at(day, 8 + k), minutes)
    # No own standard: the level's minutes (forms file: hospital 10, department 5).
    level = [(5, "department"), (4, "department"), (9, "hospital"), (12, "hospital")]
    for k, (minutes, code) in enumerate(level):
        _alert(mw, regional, _at(day, 8 + k), minutes, level=code)
    spec = services.forms_current()[1]
    level_minutes = {code: spec.level_minutes(code) for code in ("department", "hospital")}
    assert level_minutes == {"department": 5, "hospital": 10}

    # The calculation made here, from the raw times.
    def expected(pairs: list[tuple[float | None, int]]) -> dict[str, object]:
        timed = [m for m, _ in pairs if m is not None]
        judged = [(m, s) for m, s in pairs if m is not None]
        within = sum(1 for m, s in judged if m <= s)
        return {
            "timed": len(timed),
            "median": _percentile(timed, 50),
            "p90": _percentile(timed, 90),
            "within": within,
            "judged": len(judged),
            "within_share": 100 * within / len(judged),
        }

    want = {
        hospital.pk: expected([(m, 10) for m in own]),
        regional.pk: expected([(m, level_minutes[c]) for m, c in level]),
    }
    assert want[hospital.pk]["within"] == 2 and want[regional.pk]["within"] == 3
    stats = {
        s["facility"].pk: s
        for s in selectors.red_alert_stats(user=mw.officer, start=day, end=day)
        if s["facility"].pk in want
    }
    for pk, figures in want.items():
        for key, value in figures.items():
            assert stats[pk][key] == pytest.approx(value), (pk, key)
    # Median 10,25 and p90 20,65 against 10: both over; the regional centre's standard is
    # the median of its levels' minutes (7,5): median 7 within, p90 11,1 over.
    assert (stats[hospital.pk]["median_ok"], stats[hospital.pk]["p90_ok"]) == (False, False)
    assert stats[regional.pk]["standard"] == 7.5
    assert (stats[regional.pk]["median_ok"], stats[regional.pk]["p90_ok"]) == (True, False)

    # The page: each activation's mark, counted per hospital, is the summary's figure.
    page = as_user(mw.officer).get(reverse("mpdsr-red-alerts") + "?nam=2026").content.decode()
    marks = re.findall(
        r'<tr class="[^"]*" data-within="(True|False|None)"><td[^>]*>([^<]+)</td>', page
    )
    for facility in (hospital, regional):
        mine = [m for m, name in marks if name == facility.name]
        assert len(mine) == stats[facility.pk]["count"]
        assert mine.count("True") == want[facility.pk]["within"]
        assert len(mine) - mine.count("None") == want[facility.pk]["judged"]
    assert 'data-within="2" data-judged="4">2/4 (50%)' in page
    assert 'data-within="3" data-judged="4">3/4 (75%)' in page
    assert "10,2 ✗" in page and "7,0 ✓" in page  # medians, decimal comma


def test_arrival_before_the_call_is_refused_with_nothing_written(mw, as_user) -> None:
    called = _at(dt.date(2026, 5, 4), 8)
    with pytest.raises(ValidationError, match="trước khi gọi"):
        _alert(mw, mw.rw.hospital, called, -3)
    before = RedAlert.objects.count()
    response = as_user(mw.hospital_user).post(
        reverse("mpdsr-red-alerts") + "?nam=2026",
        {
            "facility": mw.rw.hospital.pk,
            "called_at": "2026-05-04T08:10",
            "team_arrived_at": "2026-05-04T08:02",
            "level": "hospital",
            "emergency": "pph",
            "mother_outcome": "alive",
            "baby_outcome": "alive",
        },
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    text = response.content.decode()
    assert response.status_code == 200 and RedAlert.objects.count() == before
    assert "Giờ kíp đến (04/05/2026 08:02) trước giờ gọi (04/05/2026 08:10)" in text
    # Arrival at the very minute of the call is a response of 0 minutes, accepted.
    alert = _alert(mw, mw.rw.hospital, called, 0)
    assert float(alert.response_minutes) == 0.0 and selectors.alert_within_standard(alert)


# -- notification within 24 hours, the surveillance list ------------------------------------
def _notify(mw, death, died_at, hours):  # type: ignore[no-untyped-def]
    return services.notification_record(
        user=mw.officer,
        death=death,
        notified_at=died_at + dt.timedelta(hours=hours),
        died_at=died_at,
        reporter_name="Y sĩ Lan",
        place="Bệnh viện",
        circumstances="Băng huyết",
        now=died_at + dt.timedelta(days=3),
    )


def _surveillance_world(mw):  # type: ignore[no-untyped-def]
    """Maternal deaths notified after 12 h, exactly 24 h, 30 h and never; a woman not
    pregnant (not maternal); a late maternal death; a maternal death in the other commune
    notified after 5 h; a maternal death in April (outside the first quarter)."""
    rw = mw.rw
    _notify(mw, mw.death, _at(dt.date(2026, 2, 14), 20), 12)  # Hòa Bình
    exact = maternal_death(rw, woman(rw, "Lò Thị Đúng", dt.date(1992, 1, 1)), dt.date(2026, 1, 9))
    _notify(mw, exact, _at(dt.date(2026, 1, 9), 3), 24)
    slow = maternal_death(rw, woman(rw, "Mai Thị Chậm", dt.date(1990, 1, 1)), dt.date(2026, 3, 3))
    _notify(mw, slow, _at(dt.date(2026, 3, 3), 6), 30)
    maternal_death(rw, woman(rw, "Đào Thị Quên", dt.date(1999, 1, 1)), dt.date(2026, 3, 20))
    reg.death_record(
        user=rw.officer,
        person=woman(rw, "Lê Thị Út", dt.date(2000, 5, 5)),
        date=dt.date(2026, 2, 2),
        place="on_the_way",
        cause_group="injury",
        injury_type="traffic",
        pregnancy_relation="not_pregnant",
        today=TODAY,
    )
    mother = woman(rw, "Bùi Thị Muộn", dt.date(1993, 1, 1))
    reg.pregnancy_register(
        user=rw.officer,
        person=mother,
        date=dt.date(2025, 6, 1),
        lmp=dt.date(2025, 3, 1),
        today=TODAY,
    )
    reg.delivery_record(
        user=rw.officer,
        person=mother,
        date=dt.date(2025, 12, 1),
        place="facility",
        attendant="doctor",
        babies=[BirthInput(outcome="live", sex="M", birth_weight_g=3100)],
        facility=rw.hospital,
        today=TODAY,
    )
    reg.death_record(
        user=rw.officer,
        person=mother,
        date=dt.date(2026, 2, 25),  # 86 days after the delivery
        place="home",
        cause_group="other",
        today=TODAY,
    )
    other = woman(rw, "Chế Thị Nhanh", dt.date(1991, 1, 1), unit=rw.other_commune)
    quick = maternal_death(rw, other, dt.date(2026, 2, 1))
    _notify(mw, quick, _at(dt.date(2026, 2, 1), 1), 5)
    april = maternal_death(rw, woman(rw, "Vi Thị Tư", dt.date(1997, 1, 1)), dt.date(2026, 4, 10))
    _notify(mw, april, _at(dt.date(2026, 4, 10), 9), 2)


def test_share_notified_within_24_hours_is_one_figure_on_both_pages(mw, as_user) -> None:
    _surveillance_world(mw)
    rw = mw.rw
    q1 = Period.first_months(2026, 3)
    assert q1 == Period.parse("Q1/2026")
    # The calculation made here, per commune of residence (first quarter): Hòa Bình has
    # four maternal deaths (12 h, 24 h, 30 h, never), Đông Hải one (5 h); the deaths not
    # maternal and the late maternal death are not due.
    hours = {rw.commune.pk: [12, 24, 30, None], rw.other_commune.pk: [5]}
    figures = {
        pk: (sum(1 for h in hs if h is not None and h <= 24), len(hs)) for pk, hs in hours.items()
    }
    assert figures == {rw.commune.pk: (2, 4), rw.other_commune.pk: (1, 1)}
    result = selectors.notification_timeliness(user=mw.officer, period=q1)
    assert (result.total.within, result.total.due, result.total.not_notified) == (3, 5, 1)
    assert result.total.share == pytest.approx(60.0)
    for pk, (within, due) in figures.items():
        assert (result.by_commune[pk].within, result.by_commune[pk].due) == (within, due)
    report = selectors.m5_report(user=mw.officer, period=q1, spec=services.forms_current()[1])
    assert report.timeliness == result.total

    client = as_user(mw.officer)
    listing = client.get(reverse("mpdsr-surveillance") + "?nam=2026&thang=3").content.decode()
    m5 = client.get(reverse("mpdsr-m5") + "?ky=Q1/2026").content.decode()
    assert '<strong id="timeliness-share">60%</strong>' in listing
    said = "3 trên 5 ca tử vong mẹ hoặc nghi tử vong mẹ được thông báo trong 24 giờ"
    assert said in listing and said in m5 and "<strong>60%</strong>" in m5
    # The commune user sees her commune's figure, the same on both pages.
    mine = as_user(rw.staff)
    listing = mine.get(reverse("mpdsr-surveillance") + "?nam=2026&thang=3").content.decode()
    m5 = mine.get(reverse("mpdsr-m5") + "?ky=Q1/2026").content.decode()
    said = "2 trên 4 ca tử vong mẹ hoặc nghi tử vong mẹ"
    assert said in listing and said in m5 and '"timeliness-share">50%<' in listing


def _row(page: str, row_id: str) -> list[str]:
    match = re.search(rf'<tr (?:id|data-unit)="{row_id}">(.*?)</tr>', page, re.S)
    assert match, row_id
    return re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", match.group(1))


def test_surveillance_list_totals_late_deaths_apart_and_periods(mw, as_user) -> None:
    _surveillance_world(mw)
    rw = mw.rw
    client = as_user(mw.officer)
    # Columns: commune, all deaths 15–49, direct, indirect, unknown, not maternal,
    # pending, late, notified ≤ 24 h.
    page = client.get(reverse("mpdsr-surveillance") + "?nam=2026&thang=3").content.decode()
    hoa_binh = _row(page, str(rw.commune.pk))
    dong_hai = _row(page, str(rw.other_commune.pk))
    total = _row(page, "by-commune-total")
    assert hoa_binh == ["Xã Hòa Bình", "6", "4", "0", "0", "1", "0", "1", "2/4"]
    assert dong_hai == ["Phường Đông Hải", "1", "1", "0", "0", "0", "0", "0", "1/1"]
    assert total[0] == "Tổng cộng"
    assert total[1:8] == [
        str(int(a) + int(b)) for a, b in zip(hoa_binh[1:8], dong_hai[1:8], strict=True)
    ]
    assert total[8] == "3/5"
    # Each row: the categories add up to all deaths of women 15–49.
    for row in (hoa_binh, dong_hai, total):
        assert int(row[1]) == sum(int(x) for x in row[2:8])
    late_section = page[page.index('id="late"') :]
    assert "Bùi Thị Muộn" in late_section
    main_list = page[page.index("Tử vong phụ nữ 15–49 tuổi</h2>") : page.index('id="late"')]
    assert "Bùi Thị Muộn" not in main_list and "Lê Thị Út" in main_list
    # 3, 6, 9, 12 months from January: the April death joins from six months on.
    for months, deaths, due in ((3, 7, 5), (6, 8, 6), (9, 8, 6), (12, 8, 6)):
        page = client.get(
            reverse("mpdsr-surveillance") + f"?nam=2026&thang={months}"
        ).content.decode()
        total = _row(page, "by-commune-total")
        assert (total[1], total[8].split("/")[1]) == (str(deaths), str(due)), months
        assert ("Vi Thị Tư" in page) is (months > 3)


# -- the demo commune ---------------------------------------------------------------------
def test_demo_commune_gets_a_death_of_each_kind_once(mw) -> None:
    from mch.registers.synthetic.mpdsr import commune_deaths_load

    today = dt.date(2026, 11, 20)
    assert commune_deaths_load(today=today, commune=mw.rw.commune.code) == 3
    assert commune_deaths_load(today=today, commune=mw.rw.commune.code) == 0
    rows = selectors.women_deaths(
        user=mw.rw.staff, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    demo = {r.death.person.full_name: r for r in rows if r.death.external_id.startswith("DEMOBA")}
    assert {name: r.status for name, r in demo.items()} == {
        "Pi Năng Thị Hiền": "maternal_direct",
        "Katơr Thị Mai": "not_maternal",
        "Chamaléa Thị Bảy": "pending",
    }
    hien = demo["Pi Năng Thị Hiền"]
    assert hien.notification is not None and selectors.notified_in_time(hien.notification)
    assert hien.death.review_status == "notified" and hien.death.facility == mw.rw.hospital
    assert all(r.death.residence_unit == mw.rw.commune for r in demo.values())
    # The hospital sees the death at its facility; the other commune sees none of them.
    hospital_rows = selectors.women_deaths(
        user=mw.hospital_user, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert hien.death.pk in {r.death.pk for r in hospital_rows}
    other = selectors.women_deaths(
        user=mw.rw.other_staff, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert not {r.death.pk for r in other} & {r.death.pk for r in demo.values()}


def test_demo_ward_cases_reach_each_stage_and_stay_in_their_commune(mw) -> None:
    """The demo ward's deaths (tram.phanrang, sokhanhhoa): two suspected maternal deaths
    waiting, the hours elapsed shown (one past 24 h); a reviewed death whose actions are
    overdue, done and planned; a review still open; a death outside pregnancy. The
    commune's station sees its deaths but no review; another commune sees none of them."""
    from mch.mpdsr import access
    from mch.registers.synthetic.mpdsr import PHAN_RANG_CASES, demo_cases_load

    now = timezone.make_aware(dt.datetime(2026, 11, 20, 12, 0))
    today = TODAY
    made = demo_cases_load(today=today, commune=mw.rw.commune.code, now=now)
    assert made == {"deaths": 5, "pending": 2, "notifications": 2, "reviews": 2, "actions": 3}
    assert demo_cases_load(today=today, commune=mw.rw.commune.code)["deaths"] == 0

    waiting = {
        p.death.person.full_name: p
        for p in selectors.notification_worklist(user=mw.board, now=now)
        if p.death.external_id.startswith("DEMOPR")
    }
    hours = {c.name: c.hours for c in PHAN_RANG_CASES if c.stage == "pending"}
    assert {name: p.hours for name, p in waiting.items()} == hours
    assert {name: p.late for name, p in waiting.items()} == {n: h > 24 for n, h in hours.items()}
    # The home page alert of the station lists the same two.
    assert {p.death.pk for p in selectors.notification_worklist(user=mw.rw.staff, now=now)} >= {
        p.death.pk for p in waiting.values()
    }

    reviews = {
        r.death.person.full_name: r
        for r in Review.objects.filter(death__external_id__startswith="DEMOPR")
    }
    assert {n: r.status for n, r in reviews.items()} == {
        "Lê Thị Ngọc Ánh": "done",
        "Phạm Thị Hồng Nhung": "open",
    }
    actions = list(Action.objects.filter(review=reviews["Lê Thị Ngọc Ánh"]))
    assert sorted(a.status for a in actions) == ["done", "in_progress", "planned"]
    overdue = {a.pk for a in selectors.overdue_actions(user=mw.board, today=today)}
    assert any(a.pk in overdue for a in actions if a.status == "in_progress")
    assert all(a.done_on and a.done_on <= today for a in actions if a.status == "done")
    assert all(a.action for a in actions)

    year = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    station = selectors.women_deaths(user=mw.rw.staff, start=year[0], end=year[1])
    demo = [r for r in station if r.death.external_id.startswith("DEMOPR")]
    assert len(demo) == 5 and all(r.death.residence_unit == mw.rw.commune for r in demo)
    statuses = sorted(r.status for r in demo)
    assert statuses.count("not_maternal") == 1 and "maternal_indirect" in statuses
    assert not access.can_see_reviews(mw.rw.staff)
    assert selectors.overdue_actions(user=mw.rw.staff, today=today) == []
    other = selectors.women_deaths(user=mw.rw.other_staff, start=year[0], end=year[1])
    assert not {r.death.pk for r in other} & {r.death.pk for r in demo}
