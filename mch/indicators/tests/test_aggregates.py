"""Stored indicator cells: a rebuild gives the numbers a live computation gives, every
write path keeps them current on commit (reconcile finds no difference after each
scenario), and a tampered cell is both what the pages read and what reconcile reports."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command

from mch.indicators.adapter.aggregates import aggregates_rebuild, aggregates_reconcile
from mch.indicators.models import AggregateState, IndicatorCell
from mch.indicators.values import Period, indicator_values
from mch.registers import services
from mch.registers.models import Birth, Delivery
from mch.registers.testing import TODAY, RegisterWorld

from .test_values_api import rw  # noqa: F401  (the fixture)
from .test_values_province import province  # noqa: F401  (the fixture)

D = dt.date
_numbers = itertools.count(100)
CODES = ["facility_birth", "low_birth_weight", "neonatal_mortality", "live_births_count"]
PERIODS = [Period.year(2025), Period.quarter(2025, 4), Period.years(2024, 2026)]


def _values(world: RegisterWorld, *, live: bool) -> dict[tuple, tuple]:
    codes = [c for c in CODES if c in _known()]
    out = {}
    for period in PERIODS:
        for by in (None, "commune"):
            rows = indicator_values(
                user=world.officer,
                indicators=codes,
                units=[world.province],
                period=period,
                groups=("all", "ethnic_minority_area"),
                by=by,
                stored=not live,
            )
            for row in rows:
                key = (row.indicator, row.unit_id, period.label, row.group)
                out[key] = (row.numerator, row.denominator)
    return out


def _known() -> set[str]:
    from mch.indicators.models import Indicator

    return set(Indicator.objects.values_list("code", flat=True))


def _assert_current(world: RegisterWorld) -> None:
    assert aggregates_reconcile() == []
    assert _values(world, live=False) == _values(world, live=True)


@pytest.fixture
def built(rw: RegisterWorld) -> RegisterWorld:  # noqa: F811
    aggregates_rebuild()
    return rw


def test_rebuild_marks_versions_ready_and_equals_the_live_computation(built) -> None:
    states = AggregateState.objects.all()
    assert states and all(s.status == "ready" and s.progress == 100 for s in states)
    assert IndicatorCell.objects.exists()
    _assert_current(built)


def test_pages_read_the_stored_cells_and_reconcile_reports_a_tampered_one(built) -> None:
    def value() -> float | None:
        return indicator_values(
            user=built.officer,
            indicators=["facility_birth"],
            units=[built.commune],
            period=Period.year(2025),
        )[0].denominator

    before = value()
    cell = IndicatorCell.objects.filter(
        version__indicator__code="facility_birth",
        unit_id=built.commune.pk,
        period_start__year=2025,
        attribution__in=(0, 1),
    ).first()
    assert cell is not None and before
    IndicatorCell.objects.filter(pk=cell.pk).update(denominator=cell.denominator + 5)
    assert value() == before + 5
    differences = aggregates_reconcile()
    assert [(d.indicator, d.unit_id) for d in differences] == [("facility_birth", built.commune.pk)]
    assert differences[0].stored[1] == differences[0].computed[1] + 5  # type: ignore[index]
    with pytest.raises(CommandError, match="1 ô khác"):
        call_command("reconcile_indicators")


def _deliver(world: RegisterWorld, *, when: dt.date, weight: int, unit: str = "commune"):
    staff = world.staff if unit == "commune" else world.other_staff
    mother = services.person_register(
        user=staff,
        full_name=f"Người Mẹ Số {next(_numbers)}",
        sex="F",
        birth_date=D(1996, 3, 3),
        residence_unit=getattr(world, unit),
        today=TODAY,
    )
    return mother, services.delivery_record(
        user=staff,
        person=mother,
        date=when,
        place="facility",
        facility=world.station if unit == "commune" else world.other_station,
        attendant="midwife",
        babies=[services.BirthInput(sex="M", birth_weight_g=weight)],
        today=TODAY,
    )


def _new_delivery(world: RegisterWorld) -> None:
    _deliver(world, when=D(2025, 6, 2), weight=2200)


def _corrected_delivery(world: RegisterWorld) -> None:
    delivery = Delivery.objects.filter(residence_unit=world.commune, date__year=2025).first()
    assert delivery is not None
    services.delivery_record(
        user=world.staff,
        person=delivery.person,
        delivery=delivery,
        date=D(2024, 12, 30),
        place="home",
        attendant="midwife",
        today=TODAY,
    )


def _neonatal_death_and_its_correction(world: RegisterWorld) -> None:
    _, delivery = _deliver(world, when=D(2025, 9, 1), weight=2600)
    child = Birth.objects.get(delivery=delivery).person
    death = services.death_record(
        user=world.staff, person=child, date=D(2025, 9, 20), place="home", today=TODAY
    )
    services.death_record(
        user=world.staff, person=child, date=D(2025, 10, 15), place="home", today=TODAY, death=death
    )


def _move_and_merge(world: RegisterWorld) -> None:
    mother, _ = _deliver(world, when=D(2025, 4, 4), weight=3000, unit="other_commune")
    services.person_move(
        user=world.officer,
        person=mother,
        residence_unit=world.commune,
        moved_on=D(2025, 1, 1),
        today=TODAY,
    )
    twin, _ = _deliver(world, when=D(2025, 7, 7), weight=2400)
    keep, _ = _deliver(world, when=D(2023, 7, 7), weight=3100)
    services.person_merge(user=world.officer, keep=keep, duplicate=twin)


def _year_end_delivery(world: RegisterWorld) -> None:
    _deliver(world, when=D(2024, 12, 31), weight=2400)


def _year_end_delivery_moved_into_the_next_year(world: RegisterWorld) -> None:
    """A correction moves a delivery (and its baby, who follows it) across the year end:
    only the pairs of its units in 2024 and 2025 are refreshed."""
    delivery = Delivery.objects.filter(date=D(2024, 12, 31)).latest("pk")
    services.delivery_record(
        user=world.staff,
        person=delivery.person,
        delivery=delivery,
        date=D(2025, 1, 1),
        place="facility",
        facility=world.station,
        attendant="midwife",
        today=TODAY,
    )


def _hospital_delivery_of_a_woman_of_another_commune(world: RegisterWorld) -> None:
    mother = services.person_register(
        user=world.other_staff,
        full_name=f"Người Mẹ Số {next(_numbers)}",
        sex="F",
        birth_date=D(1994, 5, 5),
        residence_unit=world.other_commune,
        today=TODAY,
    )
    delivery = services.delivery_record(
        user=world.other_staff,
        person=mother,
        date=D(2025, 8, 8),
        place="facility",
        facility=world.hospital,
        attendant="doctor",
        babies=[services.BirthInput(sex="F", birth_weight_g=2300)],
        today=TODAY,
    )
    services.delivery_record(  # corrected: a caesarean, heavier baby
        user=world.other_staff,
        person=mother,
        delivery=delivery,
        date=D(2025, 8, 8),
        place="facility",
        facility=world.hospital,
        attendant="doctor",
        mode="caesarean",
        babies=[services.BirthInput(sex="F", birth_weight_g=2600)],
        today=TODAY,
    )


def _child(world: RegisterWorld) -> object:
    delivery = Delivery.objects.filter(residence_unit=world.commune, date=D(2024, 3, 1)).first()
    if delivery is None:
        _, delivery = _deliver(world, when=D(2024, 3, 1), weight=3200)
    return Birth.objects.get(delivery=delivery).person


def _doses_but_one(world: RegisterWorld) -> None:
    child = _child(world)
    doses = [("bcg", 1, D(2024, 3, 2))]
    doses += [("dpt_hepb_hib", n, D(2024, 3 + 2 * n, 5)) for n in (1, 2, 3)]
    doses += [("opv", n, D(2024, 3 + 2 * n, 5)) for n in (1, 2)]
    for antigen, dose, day in doses:
        services.dose_record(
            user=world.staff, person=child, antigen=antigen, dose=dose, date=day, today=TODAY
        )
    # measles given at the other commune's station: a unit no other dose names
    services.dose_record(
        user=world.officer,
        person=child,
        antigen="measles",
        dose=1,
        date=D(2024, 12, 10),
        facility=world.other_station,
        today=TODAY,
    )


def _dose_completing_the_set_next_year(world: RegisterWorld) -> None:
    services.dose_record(
        user=world.staff, person=_child(world), antigen="opv", dose=3, date=D(2025, 1, 10)
    )


def _that_dose_corrected_to_the_earlier_year(world: RegisterWorld) -> None:
    """The set is now completed by the measles dose of December 2024 at the other station:
    the fact moves from January 2025 at the commune to 2024 at the other commune's unit,
    placed by another record than the one corrected."""
    from mch.registers.models import Immunisation

    child = _child(world)
    dose = Immunisation.objects.get(person=child, antigen="opv", dose=3)
    services.dose_record(
        user=world.staff,
        person=child,
        antigen="opv",
        dose=3,
        date=D(2024, 11, 30),
        immunisation=dose,
        today=TODAY,
    )


def _measurements_and_one_moved(world: RegisterWorld) -> None:
    from mch.registers.models import GrowthMeasurement

    child = _child(world)
    for day, kg in ((D(2025, 2, 3), 9.0), (D(2025, 5, 6), 9.4)):
        services.measurement_record(
            user=world.staff,
            person=child,
            date=day,
            weight_kg=kg,
            length_cm=76.0,
            position="lying",
            today=TODAY,
        )
    row = GrowthMeasurement.objects.filter(person=child, date=D(2025, 5, 6)).get()
    services.measurement_record(
        user=world.staff,
        person=child,
        date=D(2024, 12, 28),
        weight_kg=6.0,
        length_cm=70.0,
        position="lying",
        measurement=row,
        today=TODAY,
    )


def _death_recorded_a_year_late(world: RegisterWorld) -> None:
    _, delivery = _deliver(world, when=D(2024, 11, 1), weight=2500)
    child = Birth.objects.get(delivery=delivery).person
    services.death_record(
        user=world.staff,
        person=child,
        date=D(2024, 11, 20),
        place="home",
        recorded_on=D(2025, 12, 2),
        today=TODAY,
    )


def _mother_poorer_with_children_recorded(world: RegisterWorld) -> None:
    """A person's own columns: her deliveries' and her children's facts read them."""
    child = _child(world)
    services.person_update(user=world.staff, person=child.mother, poverty="poor", today=TODAY)


SCENARIOS: list[Callable[[RegisterWorld], None]] = [
    _new_delivery,
    _corrected_delivery,
    _neonatal_death_and_its_correction,
    _year_end_delivery,
    _year_end_delivery_moved_into_the_next_year,
    _hospital_delivery_of_a_woman_of_another_commune,
    _doses_but_one,
    _dose_completing_the_set_next_year,
    _that_dose_corrected_to_the_earlier_year,
    _measurements_and_one_moved,
    _death_recorded_a_year_late,
    _mother_poorer_with_children_recorded,
    _move_and_merge,
]


def test_every_write_keeps_the_cells_current(built, django_capture_on_commit_callbacks) -> None:
    """One world, the scenarios one after another, reconciled after each."""
    for scenario in SCENARIOS:
        with django_capture_on_commit_callbacks(execute=True):
            scenario(built)
        assert aggregates_reconcile() == [], scenario.__name__
        assert _values(built, live=False) == _values(built, live=True), scenario.__name__


def test_a_new_definition_version_is_built_when_the_catalogue_is_loaded(built, tmp_path) -> None:
    from mch.indicators.models import Indicator
    from mch.indicators.services import indicator_version_create

    indicator = Indicator.objects.get(code="low_birth_weight")
    version = indicator_version_create(
        indicator=indicator, changes={"notes": "ghi chú mới"}, reason="thử", user=None
    )
    from mch.indicators.adapter.aggregates import versions_unbuilt

    assert versions_unbuilt() == [version]
    values = indicator_values(
        user=built.officer,
        indicators=["low_birth_weight"],
        units=[built.province],
        period=Period.year(2025),
    )
    assert values[0].version == version.version  # computed from the records meanwhile
    aggregates_rebuild(versions=versions_unbuilt())
    assert versions_unbuilt() == []
    _assert_current(built)


def test_a_write_committed_during_a_rebuild_is_not_lost(
    rw: RegisterWorld,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    """A delivery saved (and committed) after the rebuild has written the year it falls
    in: the rebuild recomputes its units at the end, so the cells hold it."""
    aggregates_rebuild()
    seen: list[str] = []

    def write_during(done: int, total: int, year: str) -> None:
        if seen:
            return
        seen.append(year)
        states = set(AggregateState.objects.values_list("status", flat=True))
        assert states == {"building"}
        with django_capture_on_commit_callbacks(execute=True):
            _deliver(rw, when=D(int(year), 5, 5), weight=2100)

    aggregates_rebuild(progress=write_during)
    assert seen
    assert aggregates_reconcile() == []
    _assert_current(rw)
    from mch.indicators.models import CellsPending

    assert not CellsPending.objects.exists()


def test_a_write_while_every_version_is_ready_leaves_nothing_pending(
    built: RegisterWorld, django_capture_on_commit_callbacks
) -> None:
    from mch.indicators.models import CellsPending

    with django_capture_on_commit_callbacks(execute=True):
        _new_delivery(built)
    assert not CellsPending.objects.exists()
    assert aggregates_reconcile() == []


LATEST_PERIODS = [
    Period.year(2025),
    Period.first_months(2025, 6),
    Period.first_months(2025, 9),
    Period.quarter(2025, 2),
    Period.quarter(2025, 4),
    Period.month(2025, 3),
    Period.month(2024, 11),
    Period(D(2025, 2, 1), D(2025, 5, 31)),  # any month-aligned span of one year
    Period(D(2024, 7, 1), D(2025, 6, 30)),  # across years: computed from the records
]


def test_stored_cells_of_a_generated_province_equal_the_live_values(province) -> None:  # noqa: F811
    """Every register indicator (the "latest measurement" ones included), stored cells vs
    a live computation, for the province and each commune, in standard periods and in
    any month-aligned span; reconcile finds nothing."""
    from mch.indicators.tests import independent

    unit, admin = province
    aggregates_rebuild()
    assert IndicatorCell.objects.filter(period_kind="latest").exists()
    assert not IndicatorCell.objects.filter(until=0, period_kind="latest").exists()
    assert aggregates_reconcile() == []
    codes = list(independent.CODES)
    assert {"stunting_u5", "underweight_u5", "wasting_u5"} <= set(codes)
    for period in LATEST_PERIODS:
        for by in (None, "commune"):
            kwargs = {
                "user": admin,
                "indicators": codes,
                "units": [unit],
                "period": period,
                "by": by,
                "groups": ("all", "ethnic_minority"),
            }
            stored = [(v.numerator, v.denominator) for v in indicator_values(**kwargs)]
            live = [(v.numerator, v.denominator) for v in indicator_values(**kwargs, stored=False)]
            assert stored == live, (period.label, by)


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(databases=["default", "jobs"])
def test_rebuild_runs_as_a_job_with_progress_and_pages_say_it_is_being_rebuilt(
    rw: RegisterWorld,  # noqa: F811
    settings,
    capsys,
) -> None:
    from mch.indicators.jobs import rebuild_enqueue, rebuild_progress
    from mch.indicators.models import IndicatorVersion
    from mch.jobs.models import Job

    aggregates_rebuild()
    version = IndicatorVersion.objects.get(indicator__code="facility_birth")
    # Queued for a worker that has not taken it yet: the version reads "building", the
    # value is computed from the records and says so, the job is what the page shows.
    job = rebuild_enqueue(versions=[version])
    assert job.status == Job.Status.QUEUED
    assert rebuild_progress(version) == job
    value = indicator_values(
        user=rw.officer, indicators=["facility_birth"], units=[rw.province], period=PERIODS[0]
    )[0]
    assert "đang tính lại" in value.note and value.denominator
    from django.test import Client

    client = Client()
    client.force_login(rw.officer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(
        "/chi-so/facility_birth/",
        {"don-vi": rw.province.pk, "nam": 2025},
        HTTP_ACCEPT_LANGUAGE="vi",
    ).content.decode()
    assert (
        f"Đang tính lại: trong lúc chờ, số liệu được tính trực tiếp từ sổ (việc #{job.pk}" in page
    )

    settings.TASKS = IMMEDIATE
    call_command("rebuild_indicators", "--indicator", "facility_birth")
    out = capsys.readouterr().out
    assert "Đã xếp hàng việc" in out and "Đã tính lại" in out
    done = Job.objects.order_by("-pk").first()
    assert done is not None and done.status == Job.Status.DONE and done.percent == 100
    assert done.result["cells"] > 0
    assert AggregateState.objects.get(version=version).status == "ready"
    assert rebuild_progress(version) is None
    _assert_current(rw)
