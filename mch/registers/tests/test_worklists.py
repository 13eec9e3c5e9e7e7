"""Worklists from dated examples: who is due for what, and how the lists change when the
station records the visit, the dose or the measurement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mch.registers import services, worklists
from mch.registers.models import Death, Immunisation, Person
from mch.registers.testing import TODAY

D = dt.date
AS_OF = TODAY  # 20/11/2026


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def woman(rw, name="Pi Năng Thị Lan", *, village="Thôn Suối Đá", unit=None, user=None):
    return services.person_register(
        user=user or rw.staff,
        full_name=name,
        sex="F",
        birth_date=D(1998, 3, 4),
        residence_unit=unit or rw.commune,
        village=village,
        phone="0912345678",
        today=AS_OF,
    )


def child(
    rw, born: dt.date, name="Pi Năng Văn Tú", *, village="Thôn Suối Đá", unit=None, user=None
):
    return services.person_register(
        user=user or rw.staff,
        full_name=name,
        sex="M",
        birth_date=born,
        residence_unit=unit or rw.commune,
        village=village,
        allow_likely_duplicate=True,
        today=AS_OF,
    )


def pregnant(rw, *, registered: dt.date, lmp: dt.date, visits=(), **kwargs):
    person = woman(rw, **kwargs)
    pregnancy = services.pregnancy_register(
        user=kwargs.get("user") or rw.staff, person=person, date=registered, lmp=lmp, today=AS_OF
    )
    for day in visits:
        services.antenatal_visit_record(
            user=kwargs.get("user") or rw.staff, pregnancy=pregnancy, date=day, today=AS_OF
        )
    return person, pregnancy


def antenatal(rw, user=None, **kwargs):
    return worklists.antenatal_due(
        user=user or rw.staff, unit=kwargs.pop("unit", rw.commune), as_of=AS_OF, **kwargs
    )


def tasks_of(rows, person):
    return [(t.code, t.status) for row in rows if row.person_id == person.pk for t in row.tasks]


# ---------------------------------------------------------------------- antenatal


@pytest.mark.parametrize(
    ("last_visit_days_ago", "expected"),
    [
        (10, []),
        (29, []),
        (30, [("anc_visit", "due")]),  # anc_revisit_days = 30
        (35, [("anc_visit", "due")]),
        (43, [("anc_visit", "due")]),
        (44, [("anc_visit", "overdue")]),  # + anc_overdue_days = 14
        (50, [("anc_visit", "overdue")]),
    ],
)
def test_antenatal_visit_due_then_overdue(rw, last_visit_days_ago, expected) -> None:
    person, _ = pregnant(
        rw, registered=days_ago(90), lmp=days_ago(140), visits=[days_ago(last_visit_days_ago)]
    )
    assert tasks_of(antenatal(rw), person) == expected


def test_antenatal_without_visit_counts_from_registration(rw) -> None:
    person, pregnancy = pregnant(rw, registered=days_ago(31), lmp=days_ago(100))
    [row] = antenatal(rw)
    assert (row.person_id, row.record_id) == (person.pk, pregnancy.pk)
    assert row.tasks[0].since == days_ago(1)
    assert row.gestational_weeks == 14
    assert "14" in row.age_text and row.phone == "0912345678" and row.village == "Thôn Suối Đá"


def test_a_visit_yesterday_takes_the_woman_off_the_list(rw) -> None:
    person, pregnancy = pregnant(
        rw, registered=days_ago(90), lmp=days_ago(140), visits=[days_ago(50)]
    )
    assert [row.status for row in antenatal(rw)] == ["overdue"]
    services.antenatal_visit_record(
        user=rw.staff, pregnancy=pregnancy, date=days_ago(1), today=AS_OF
    )
    assert antenatal(rw) == []
    # The list as it was the day before the visit is unchanged.
    earlier = worklists.antenatal_due(user=rw.staff, unit=rw.commune, as_of=days_ago(2))
    assert [row.person_id for row in earlier] == [person.pk]


@pytest.mark.parametrize(
    ("lmp_days_ago", "expected"),
    [
        (290, [("edd_passed", "overdue")]),  # EDD 10 days ago, no delivery
        (275, [("edd_near", "due")]),  # EDD in 5 days
        (200, []),
    ],
)
def test_near_or_past_expected_delivery(rw, lmp_days_ago, expected) -> None:
    person, _ = pregnant(
        rw, registered=days_ago(150), lmp=days_ago(lmp_days_ago), visits=[days_ago(5)]
    )
    assert tasks_of(antenatal(rw), person) == expected


def test_delivery_closes_the_pregnancy_on_the_list(rw) -> None:
    person, _ = pregnant(rw, registered=days_ago(200), lmp=days_ago(285), visits=[days_ago(60)])
    assert tasks_of(antenatal(rw), person) == [("anc_visit", "overdue"), ("edd_passed", "overdue")]
    services.delivery_record(
        user=rw.staff,
        person=person,
        date=days_ago(1),
        place="facility",
        facility=rw.station,
        attendant="midwife",
        babies=[services.BirthInput(sex="F", birth_weight_g=3000)],
        today=AS_OF,
    )
    assert antenatal(rw) == []


def test_antenatal_horizon_shows_visits_coming_up(rw) -> None:
    person, _ = pregnant(rw, registered=days_ago(90), lmp=days_ago(140), visits=[days_ago(20)])
    assert antenatal(rw) == []
    [row] = antenatal(rw, horizon_days=14)
    assert (row.person_id, row.status, row.since) == (
        person.pk,
        "upcoming",
        AS_OF + dt.timedelta(days=10),
    )


# ---------------------------------------------------------------------- postnatal


def delivered(rw, day: dt.date, babies=1, **kwargs):
    mother = woman(rw, **kwargs)
    delivery = services.delivery_record(
        user=kwargs.get("user") or rw.staff,
        person=mother,
        date=day,
        place="home",
        attendant="midwife",
        babies=[
            services.BirthInput(sex="M", full_name=f"Con số {n}", birth_weight_g=3000)
            for n in range(1, babies + 1)
        ],
        today=AS_OF,
    )
    return mother, delivery


def postnatal(rw, **kwargs):
    return worklists.postnatal_due(user=rw.staff, unit=rw.commune, as_of=AS_OF, **kwargs)


def visit(rw, delivery, person, day, place="home"):
    services.postnatal_contact_record(
        user=rw.staff, delivery=delivery, person=person, date=day, place=place, today=AS_OF
    )


def test_newborn_visited_on_day_3_leaves_the_list_mother_stays(rw) -> None:
    mother, delivery = delivered(rw, days_ago(5))
    baby = Person.objects.get(mother=mother)
    [row] = postnatal(rw)
    assert row.person_id == mother.pk and row.record_id == delivery.pk
    assert [(t.code, t.person_id, t.status) for t in row.tasks] == [
        ("pnc_mother", None, "overdue"),
        ("pnc_newborn", baby.pk, "overdue"),
    ]
    visit(rw, delivery, baby, days_ago(2))  # day 3
    [row] = postnatal(rw)
    assert [t.code for t in row.tasks] == ["pnc_mother"]
    visit(rw, delivery, mother, days_ago(1))
    assert postnatal(rw) == []


@pytest.mark.parametrize(
    ("delivered_days_ago", "expected"),
    [(0, "due"), (2, "due"), (3, "overdue"), (7, "overdue"), (8, None)],
)
def test_first_week_window(rw, delivered_days_ago, expected) -> None:
    delivered(rw, days_ago(delivered_days_ago))
    assert [row.status for row in postnatal(rw)] == ([expected] if expected else [])


def test_twins_each_need_a_visit_and_a_facility_check_does_not_count(rw) -> None:
    mother, delivery = delivered(rw, days_ago(2), babies=2)
    first, second = Person.objects.filter(mother=mother).order_by("pk")
    visit(rw, delivery, first, days_ago(1))
    visit(rw, delivery, mother, days_ago(1), place="facility")
    [row] = postnatal(rw)
    assert [(t.code, t.person_id) for t in row.tasks] == [
        ("pnc_mother", None),
        ("pnc_newborn", second.pk),
    ]


# ---------------------------------------------------------------------- immunisation


def immunisation(rw, **kwargs):
    return worklists.immunisation_due(
        user=rw.staff, unit=kwargs.pop("unit", rw.commune), as_of=AS_OF, **kwargs
    )


def doses(rows, person):
    return {
        (t.antigen, t.dose): t.status
        for row in rows
        if row.person_id == person.pk
        for t in row.tasks
    }


def test_child_of_70_days_without_doses(rw) -> None:
    baby = child(rw, days_ago(70))
    [row] = immunisation(rw)
    found = doses([row], baby)
    assert found[("dpt_hepb_hib", 1)] == "due"
    assert found[("opv", 1)] == "due"
    assert found[("bcg", 1)] == "overdue"
    assert found[("hepb_birth", 1)] == "missed"
    assert ("dpt_hepb_hib", 2) not in found  # waits for dose 1
    assert row.age_text == "2 tháng"
    dpt = next(t for t in row.tasks if t.antigen == "dpt_hepb_hib")
    assert dpt.since == days_ago(70) + dt.timedelta(days=59)
    assert dpt.label == "DPT-VGB-Hib mũi 1"


def test_child_past_the_latest_age_shows_missed(rw) -> None:
    baby = child(rw, days_ago(400))
    found = doses(immunisation(rw), baby)
    assert found[("dpt_hepb_hib", 1)] == "missed"
    assert found[("bcg", 1)] == "missed"
    [row] = immunisation(rw)
    bcg = next(t for t in row.tasks if t.antigen == "bcg")
    assert bcg.since == days_ago(400) + dt.timedelta(days=365)  # the day after the latest age
    assert all(t.since <= AS_OF for t in row.tasks if t.status == "missed")
    assert doses(immunisation(rw, statuses=["due", "overdue"]), baby).get(("bcg", 1)) is None


def test_doses_given_leave_the_list_private_market_included(rw) -> None:
    baby = child(rw, days_ago(70))
    services.dose_record(
        user=rw.staff,
        person=baby,
        antigen="dpt_hepb_hib",
        dose=1,
        date=days_ago(5),
        is_epi=False,
        today=AS_OF,
    )
    services.dose_record(
        user=rw.staff, person=baby, antigen="opv", dose=1, date=days_ago(5), today=AS_OF
    )
    found = doses(immunisation(rw), baby)
    assert ("dpt_hepb_hib", 1) not in found and ("opv", 1) not in found
    assert found[("bcg", 1)] == "overdue"


def test_horizon_and_status_filter(rw) -> None:
    baby = child(rw, days_ago(35))
    assert ("dpt_hepb_hib", 1) not in doses(immunisation(rw), baby)
    assert ("dpt_hepb_hib", 1) not in doses(immunisation(rw, horizon_days=14), baby)
    planned = doses(immunisation(rw, horizon_days=30), baby)
    assert planned[("dpt_hepb_hib", 1)] == "upcoming"
    only_upcoming = immunisation(rw, horizon_days=30, statuses=["upcoming"])
    assert {t.status for row in only_upcoming for t in row.tasks} == {"upcoming"}


@pytest.mark.parametrize(
    ("age_days", "horizon", "expected"),
    [
        # IPV dose 1: valid from 98 days (14 weeks), due at 150 days (5 months).
        (100, 0, None),  # may be given, but not due: 50 days ahead
        (100, 30, None),
        (125, 0, None),
        (125, 30, "upcoming"),
        (150, 0, "due"),
        (181, 0, "overdue"),
    ],
)
def test_a_dose_is_due_from_its_day_in_the_schedule(rw, age_days, horizon, expected) -> None:
    baby = child(rw, days_ago(age_days))
    assert doses(immunisation(rw, horizon_days=horizon), baby).get(("ipv", 1)) == expected


def test_each_dose_says_when(rw) -> None:
    born = days_ago(125)
    child(rw, born)
    [row] = immunisation(rw, horizon_days=30)
    ipv = next(t for t in row.tasks if t.antigen == "ipv")
    due, valid = born + dt.timedelta(days=150), born + dt.timedelta(days=98)
    assert ipv.when == (
        f"đến hạn trong 30 ngày tới: {due:%d/%m/%Y} (có thể tiêm từ {valid:%d/%m/%Y})"
    )
    bcg = next(t for t in row.tasks if t.antigen == "bcg")
    assert bcg.when.startswith("quá hạn từ ")
    hepb = next(t for t in row.tasks if t.antigen == "hepb_birth")
    assert hepb.when == f"đã lỡ từ {born + dt.timedelta(days=42):%d/%m/%Y} (quá tuổi tiêm)"


def test_dead_children_and_children_over_6_are_not_listed(rw) -> None:
    child(rw, D(2020, 11, 20), name="Sáu tuổi")  # sixth birthday on 20/11/2026
    dead = child(rw, days_ago(100), name="Đã mất")
    Person.objects.filter(pk=dead.pk).update(deceased_on=days_ago(10))
    assert immunisation(rw) == []


@pytest.mark.parametrize(
    ("age_days", "expected"),
    [
        (1825, {("je", 1): "overdue", ("bcg", 1): "missed"}),  # the last day for JE
        (1826, None),  # past every dose's latest age: only long-missed doses, not listed
    ],
)
def test_children_within_the_schedules_range(rw, age_days, expected) -> None:
    baby = child(rw, days_ago(age_days))
    rows = immunisation(rw)
    assert [r.person_id for r in rows] == ([baby.pk] if expected else [])
    found = doses(rows, baby)
    assert {key: found[key] for key in expected or {}} == (expected or {})


def test_a_child_with_every_dose_is_not_listed(rw) -> None:
    from mch.immunisation.selectors import schedule_rules

    baby = child(rw, days_ago(1000))
    for rule in schedule_rules(on=AS_OF):
        day = min(days_ago(1000) + dt.timedelta(days=rule.due_age_days + 7 * rule.dose), AS_OF)
        Immunisation.objects.create(
            person=baby,
            antigen=rule.antigen,
            dose=rule.dose,
            date=day,
            residence_unit=rw.commune,
        )
    assert immunisation(rw, horizon_days=30) == []


def test_the_number_of_queries_does_not_grow_with_children(rw) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            immunisation(rw)
        return len(captured)

    first = child(rw, days_ago(70), name="Một")
    services.dose_record(
        user=rw.staff, person=first, antigen="bcg", dose=1, date=days_ago(60), today=AS_OF
    )
    few = queries()
    for n in range(5):
        baby = child(rw, days_ago(80 + n), name=f"Bé {n}")
        services.dose_record(
            user=rw.staff, person=baby, antigen="bcg", dose=1, date=days_ago(60), today=AS_OF
        )
    assert queries() == few <= 6


# ---------------------------------------------------------------------- growth


def measure(rw, person, day, weight, length):
    return services.measurement_record(
        user=rw.staff,
        person=person,
        date=day,
        weight_kg=weight,
        length_cm=length,
        position="lying",
        today=AS_OF,
    )


def growth(rw, **kwargs):
    return worklists.growth_followup(user=rw.staff, unit=rw.commune, as_of=AS_OF, **kwargs)


def test_stunting_follow_up_appears_and_goes_after_a_normal_measurement(rw) -> None:
    baby = child(rw, days_ago(400))
    stunted = measure(rw, baby, days_ago(40), 8.0, 68.0)
    assert stunted.stunting in ("moderate", "severe")
    [row] = growth(rw)
    assert (row.person_id, row.status, row.record_id) == (baby.pk, "due", stunted.pk)
    assert row.tasks[0].since == days_ago(10)  # followup_days = 30
    assert "HAZ" in row.tasks[0].label
    normal = measure(rw, baby, days_ago(1), 9.6, 76.5)
    assert normal.stunting == "normal" and normal.wasting == "normal"
    assert growth(rw) == []


@pytest.mark.parametrize(
    ("measured_days_ago", "horizon", "expected"),
    [(10, 0, []), (10, 30, ["upcoming"]), (30, 0, ["due"]), (59, 0, ["due"]), (60, 0, ["overdue"])],
)
def test_follow_up_timing(rw, measured_days_ago, horizon, expected) -> None:
    baby = child(rw, days_ago(400))
    measure(rw, baby, days_ago(measured_days_ago), 8.0, 68.0)
    assert [row.status for row in growth(rw, horizon_days=horizon)] == expected


def test_severe_first(rw) -> None:
    moderate = child(rw, days_ago(400), name="A Vừa")
    severe = child(rw, days_ago(400), name="B Nặng")
    first = measure(rw, moderate, days_ago(40), 8.3, 70.0)
    second = measure(rw, severe, days_ago(40), 7.5, 66.0)
    assert (first.stunting, second.stunting) == ("moderate", "severe")
    assert [row.person_id for row in growth(rw)] == [severe.pk, moderate.pk]
    assert [row.severe for row in growth(rw)] == [True, False]


# ---------------------------------------------------------------------- deaths


def test_possible_maternal_death_until_notified(rw) -> None:
    person, _ = pregnant(rw, registered=days_ago(100), lmp=days_ago(150), visits=[days_ago(20)])
    death = services.death_record(
        user=rw.staff, person=person, date=days_ago(3), place="home", today=AS_OF
    )
    assert death.possible_maternal and death.review_status == "to_notify"
    [row] = worklists.maternal_deaths_to_notify(user=rw.staff, unit=rw.commune, as_of=AS_OF)
    assert (row.person_id, row.status, row.record_id) == (person.pk, "overdue", death.pk)
    assert "3" in row.tasks[0].label
    same_day = worklists.maternal_deaths_to_notify(
        user=rw.staff, unit=rw.commune, as_of=days_ago(2)
    )
    assert [r.status for r in same_day] == ["due"]
    assert antenatal(rw) == []  # a dead woman has no visit due
    Death.objects.filter(pk=death.pk).update(review_status="notified", notified_on=AS_OF)
    assert worklists.maternal_deaths_to_notify(user=rw.staff, unit=rw.commune, as_of=AS_OF) == []


# ---------------------------------------------------------------------- scope and villages


def _everything(rw, unit, user):
    """Someone on each list, in ``unit``."""
    code = unit.code
    pregnant(
        rw,
        registered=days_ago(90),
        lmp=days_ago(140),
        visits=[days_ago(50)],
        unit=unit,
        user=user,
        name=f"Thai phụ {code}",
    )
    delivered(rw, days_ago(2), unit=unit, user=user, name=f"Mẹ sau sinh {code}")
    child(rw, days_ago(70), unit=unit, user=user, name=f"Bé {code}")
    small = child(rw, days_ago(400), unit=unit, user=user, name=f"Bé thấp còi {code}")
    services.measurement_record(
        user=user, person=small, date=days_ago(40), weight_kg=8.0, length_cm=68.0, today=AS_OF
    )
    _, pregnancy = pregnant(
        rw,
        registered=days_ago(90),
        lmp=days_ago(140),
        unit=unit,
        user=user,
        name=f"Tử vong {code}",
    )
    services.death_record(
        user=user, person=pregnancy.person, date=days_ago(1), place="home", today=AS_OF
    )


@pytest.mark.parametrize("function", [f.function for f in worklists.worklists()])
def test_another_communes_people_never_appear(rw, function) -> None:
    _everything(rw, rw.other_commune, rw.other_staff)
    assert function(user=rw.other_staff, unit=rw.other_commune, as_of=AS_OF) != []
    assert function(user=rw.staff, unit=rw.commune, as_of=AS_OF) == []
    assert function(user=rw.staff, unit=rw.other_commune, as_of=AS_OF) == []


def test_province_officer_sees_each_commune(rw) -> None:
    _everything(rw, rw.commune, rw.staff)
    _everything(rw, rw.other_commune, rw.other_staff)
    own = worklists.immunisation_due(user=rw.staff, unit=rw.commune, as_of=AS_OF)
    mine = worklists.immunisation_due(user=rw.officer, unit=rw.commune, as_of=AS_OF)
    theirs = worklists.immunisation_due(user=rw.officer, unit=rw.other_commune, as_of=AS_OF)
    assert [r.person_id for r in own] == [r.person_id for r in mine]
    assert {r.person_id for r in mine}.isdisjoint(r.person_id for r in theirs)
    assert len(theirs) == 3  # the 70-day-old, the 400-day-old and the newborn


def test_village_filter(rw) -> None:
    north = child(rw, days_ago(70), name="Bắc", village="Thôn Bắc")
    child(rw, days_ago(70), name="Nam", village="Thôn Nam")
    rows = immunisation(rw, village="thôn bắc")
    assert [r.person_id for r in rows] == [north.pk]
    assert worklists.worklist_villages(user=rw.staff, unit=rw.commune) == ["Thôn Bắc", "Thôn Nam"]


def test_villages_in_natural_order_on_the_filter_and_the_rows(rw) -> None:
    for name, village in [
        ("Mười", "Thôn 10"),
        ("Hai", "Thôn 2"),
        ("Một", "thôn 1"),
        ("Một b", "Thôn 1"),
    ]:
        child(rw, days_ago(70), name=name, village=village)
    # One spelling per village (the first the database returns), whatever the case.
    villages = worklists.worklist_villages(user=rw.staff, unit=rw.commune)
    assert [v.casefold() for v in villages] == ["thôn 1", "thôn 2", "thôn 10"]
    rows = [r.village.casefold() for r in immunisation(rw)]
    assert rows == ["thôn 1", "thôn 1", "thôn 2", "thôn 10"]


def test_users_who_may_not_see_people_are_refused(rw) -> None:
    with pytest.raises(PermissionDenied):
        worklists.immunisation_due(user=rw.leader, unit=rw.commune, as_of=AS_OF)
    assert worklists.worklist_units(user=rw.leader, as_of=AS_OF) == []


def test_units_in_scope(rw) -> None:
    assert worklists.worklist_units(user=rw.staff, as_of=AS_OF) == [rw.commune]
    assert set(worklists.worklist_units(user=rw.officer, as_of=AS_OF)) == {
        rw.commune,
        rw.other_commune,
    }
