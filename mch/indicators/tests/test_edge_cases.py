"""Table-driven edge cases of issue 7 item 7, through the real write path (services) and
the engine (``indicator_values``) for one commune and a calendar year. Each case lists the
records it writes and the (numerator, denominator) it expects, counted by hand from
docs/indicators.md: live births by the baby's own birth date, deliveries by the delivery
date, infant and under-5 deaths by calendar birthdays (29 February → 1 March), neonatal
deaths at 0–27 completed days.

Not yet here (see the report of helper "scores"): stillbirth with a wrong death row, a
mother moving commune between ANC and delivery, a commune
merged mid-year, measurements at 1,826/1,827 days, the 0,7 cm conversion and an
implausible latest measurement (the last three wait for helper "rules")."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import pytest

from mch.indicators.services import catalogue_load
from mch.indicators.values import Period, indicator_values
from mch.registers import services
from mch.registers.models import Birth
from mch.registers.testing import TODAY, RegisterWorld, build_register_world

D = dt.date
_mothers = itertools.count(1)


@dataclass(frozen=True)
class Baby:
    born: dt.date | None = None  # None: the delivery's date
    dies: dt.date | None = None
    recorded: dt.date | None = None  # when the death was entered (None: today)


@dataclass(frozen=True)
class Case:
    delivered: dt.date
    babies: tuple[Baby, ...]
    # (indicator, year) -> (numerator, denominator) for the commune
    expected: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)


def _one(born: dt.date, dies: dt.date | None = None) -> tuple[Baby, ...]:
    return (Baby(born, dies),)


CASES = {
    "birth on 31 December counts in that year": Case(
        D(2024, 12, 31),
        _one(D(2024, 12, 31)),
        {("neonatal_mortality", 2024): (0, 1), ("neonatal_mortality", 2025): (0, 0)},
    ),
    "birth on 1 January counts in the new year": Case(
        D(2025, 1, 1),
        _one(D(2025, 1, 1)),
        {("neonatal_mortality", 2024): (0, 0), ("neonatal_mortality", 2025): (0, 1)},
    ),
    "twins either side of midnight: one delivery in 2024, one birth in each year": Case(
        D(2024, 12, 31),
        (Baby(D(2024, 12, 31)), Baby(D(2025, 1, 1))),
        {
            ("neonatal_mortality", 2024): (0, 1),
            ("neonatal_mortality", 2025): (0, 1),
            ("facility_birth", 2024): (1, 1),
            ("facility_birth", 2025): (0, 0),
        },
    ),
    "triplets: one delivery, three live births": Case(
        D(2025, 3, 3),
        (Baby(), Baby(), Baby()),
        {("facility_birth", 2025): (1, 1), ("neonatal_mortality", 2025): (0, 3)},
    ),
    "death at 27 days is neonatal": Case(
        D(2025, 3, 1),
        _one(D(2025, 3, 1), D(2025, 3, 28)),
        {("neonatal_mortality", 2025): (1, 1), ("infant_mortality", 2025): (1, 1)},
    ),
    "death at 28 days is not neonatal but infant": Case(
        D(2025, 3, 1),
        _one(D(2025, 3, 1), D(2025, 3, 29)),
        {("neonatal_mortality", 2025): (0, 1), ("infant_mortality", 2025): (1, 1)},
    ),
    "death at 364 days is infant": Case(
        D(2024, 3, 2),
        _one(D(2024, 3, 2), D(2025, 3, 1)),
        {("infant_mortality", 2025): (1, 0), ("under5_mortality", 2025): (1, 0)},
    ),
    "death at 365 days before a leap-year first birthday is still infant": Case(
        D(2023, 3, 1),
        _one(D(2023, 3, 1), D(2024, 2, 29)),
        {("infant_mortality", 2024): (1, 0)},
    ),
    "death at 365 days on the first birthday is not infant": Case(
        D(2024, 3, 1),
        _one(D(2024, 3, 1), D(2025, 3, 1)),
        {("infant_mortality", 2025): (0, 0), ("under5_mortality", 2025): (1, 0)},
    ),
    "born 29 February, dies 28 February next year: infant (birthday is 1 March)": Case(
        D(2024, 2, 29),
        _one(D(2024, 2, 29), D(2025, 2, 28)),
        {("infant_mortality", 2025): (1, 0)},
    ),
    "death recorded a year late counts in the year it happened": Case(
        D(2024, 11, 1),
        (Baby(D(2024, 11, 1), D(2024, 11, 10), recorded=D(2025, 12, 1)),),
        {("neonatal_mortality", 2024): (1, 1), ("neonatal_mortality", 2025): (0, 0)},
    ),
    "death on the fifth birthday is not under-5": Case(
        D(2021, 6, 15),
        _one(D(2021, 6, 15), D(2026, 6, 15)),
        {("under5_mortality", 2026): (0, 0)},
    ),
    "death the day before the fifth birthday is under-5": Case(
        D(2021, 6, 15),
        _one(D(2021, 6, 15), D(2026, 6, 14)),
        {("under5_mortality", 2026): (1, 0)},
    ),
}


@pytest.fixture
def world(db) -> RegisterWorld:
    world = build_register_world()
    catalogue_load()
    return world


def _write(world: RegisterWorld, case: Case) -> None:
    mother = services.person_register(
        user=world.staff,
        full_name=f"Người Mẹ Biên {next(_mothers)}",
        sex="F",
        birth_date=D(1994, 5, 5),
        residence_unit=world.commune,
        today=TODAY,
    )
    delivery = services.delivery_record(
        user=world.staff,
        person=mother,
        date=case.delivered,
        place="facility",
        facility=world.station,
        attendant="midwife",
        babies=[
            services.BirthInput(sex="M", birth_weight_g=3000, date=b.born) for b in case.babies
        ],
        today=TODAY,
    )
    births = list(Birth.objects.filter(delivery=delivery).order_by("pk"))
    for baby, birth in zip(case.babies, births, strict=True):
        if baby.dies is not None:
            services.death_record(
                user=world.staff,
                person=birth.person,
                date=baby.dies,
                place="home",
                recorded_on=baby.recorded,
                today=TODAY,
            )


@pytest.mark.parametrize("name", list(CASES))
def test_edge_case(world: RegisterWorld, name: str) -> None:
    case = CASES[name]
    _write(world, case)
    got = {}
    for code, year in case.expected:
        value = indicator_values(
            user=world.officer,
            indicators=[code],
            units=[world.commune],
            period=Period.year(year),
        )[0]
        got[(code, year)] = (int(value.numerator or 0), int(value.denominator or 0))
    assert got == case.expected
