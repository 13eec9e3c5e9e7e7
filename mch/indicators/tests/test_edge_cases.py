"""Table-driven edge cases of issue 7 item 7, through the real write paths (services) and
the engine, for calendar periods. Each case lists the records it writes and the
(numerator, denominator) it expects, counted by hand from docs/indicators.md: live births
by the baby's own birth date, deliveries by the delivery date, infant and under-5 deaths
by calendar birthdays (29 February → 1 March), neonatal deaths at 0–27 completed days, a
stillbirth is neither a live birth nor a death (even when someone recorded a death for
it), antenatal care counted with the delivery, in the commune and the period of the
delivery, and a merged commune's history in its successor.

One world for the module: every case writes into its own communes, then the stored cells
are built once. Each case is checked twice, on the values computed from the records and
on the values read from the stored cells, and the reconcile command must find no stored
cell that differs from the records.

Growth cases write real measurements (mch.registers.services.measurement_record computes
the WHO 2006 z-scores): z-scores are rounded to 2 decimals and classified on the rounded
value, as WHO's software does (domain.md §5), so an unrounded HAZ of -2,0046 is stored as
-2,00 and is not stunting; the 0,7 cm lying/standing conversion is applied before HAZ; a
measurement at 1,826 days (under 60 months) has z-scores, at 1,827 days none; each child
counts once, with its latest measurement of the period that has a plausible z-score (an
implausible, flagged latest measurement is passed over for the one before it).

Each case is also checked a third time against the independent calculation
(independent.py, plain loops over the rows, written apart from the engine) over the
same communes: for a merged commune, its own and those its lineage names as
predecessors."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from mch.accounts.models import User
from mch.core.testing import make_unit
from mch.indicators.adapter.aggregates import aggregates_rebuild, aggregates_reconcile
from mch.indicators.services import catalogue_load
from mch.indicators.tests import independent
from mch.indicators.values import Period, indicator_values
from mch.orgunits.models import Facility, OrgUnit, UnitChange, UnitLineage
from mch.registers import services
from mch.registers.models import AntenatalVisit, Birth
from mch.registers.testing import TODAY, build_register_world

D = dt.date
_names = itertools.count(1)


@dataclass(frozen=True)
class Measure:
    """A growth measurement of the baby: on ``day``, length in cm, lying or standing."""

    day: dt.date
    length_cm: float
    position: str  # "lying" / "standing"
    weight_kg: float | None = None


@dataclass(frozen=True)
class Baby:
    born: dt.date | None = None  # None: the delivery's date
    dies: dt.date | None = None
    recorded: dt.date | None = None  # when the death was entered (None: today)
    stillborn: bool = False
    # A stillborn baby someone also registered as a person, with a death on its birth date
    # (the wrong death row): the write paths accept it, the indicators must not count it.
    wrong_death_row: bool = False
    measures: tuple[Measure, ...] = ()
    time: dt.time | None = None  # the baby's own time of birth
    weight_g: int = 3000


@dataclass(frozen=True)
class Mother:
    delivered: dt.date
    babies: tuple[Baby, ...]
    time: dt.time | None = None  # the delivery's time
    home_visits: tuple[int, ...] = ()  # days after delivery of home postnatal visits
    lives: str = "commune"  # the unit (of the case) she lives in when registered
    moves: tuple[tuple[dt.date, str], ...] = ()  # (from date, unit): changes of residence
    lmp: dt.date | None = None  # with antenatal visits
    anc: tuple[dt.date, ...] = ()


# Units of a case: "commune" always; "other" a second commune; a merger case has "A" and
# "B" (ended 31/03/2025) merged into "S" (from 01/04/2025); "province" holds the case's
# communes (one province per case, so its total is the case's).
MERGED_ON = D(2025, 4, 1)


@dataclass(frozen=True)
class Case:
    mothers: tuple[Mother, ...]
    # (indicator, unit, period) -> (numerator, denominator), counted by hand
    expected: dict[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict)
    merger: bool = False


def _one(delivered: dt.date, born: dt.date, dies: dt.date | None = None, **kw: Any) -> Mother:
    return Mother(delivered, (Baby(born, dies, **kw),))


def _at(code: str, period: str, pair: tuple[int, int], unit: str = "commune") -> dict:
    return {(code, unit, period): pair}


CASES: dict[str, Case] = {
    "birth on 31 December counts in that year": Case(
        (_one(D(2024, 12, 31), D(2024, 12, 31)),),
        {
            ("neonatal_mortality", "commune", "2024"): (0, 1),
            ("neonatal_mortality", "commune", "2025"): (0, 0),
        },
    ),
    "birth on 1 January counts in the new year": Case(
        (_one(D(2025, 1, 1), D(2025, 1, 1)),),
        {
            ("neonatal_mortality", "commune", "2024"): (0, 0),
            ("neonatal_mortality", "commune", "2025"): (0, 1),
        },
    ),
    "twins either side of midnight: one delivery in 2024, one birth in each year": Case(
        (Mother(D(2024, 12, 31), (Baby(D(2024, 12, 31)), Baby(D(2025, 1, 1)))),),
        {
            ("neonatal_mortality", "commune", "2024"): (0, 1),
            ("neonatal_mortality", "commune", "2025"): (0, 1),
            ("facility_birth", "commune", "2024"): (1, 1),
            ("facility_birth", "commune", "2025"): (0, 0),
        },
    ),
    "triplets: one delivery, three live births": Case(
        (Mother(D(2025, 3, 3), (Baby(), Baby(), Baby())),),
        {
            ("facility_birth", "commune", "2025"): (1, 1),
            ("neonatal_mortality", "commune", "2025"): (0, 3),
        },
    ),
    "death at 27 days is neonatal": Case(
        (_one(D(2025, 3, 1), D(2025, 3, 1), D(2025, 3, 28)),),
        {
            ("neonatal_mortality", "commune", "2025"): (1, 1),
            ("infant_mortality", "commune", "2025"): (1, 1),
        },
    ),
    "death at 28 days is not neonatal but infant": Case(
        (_one(D(2025, 3, 1), D(2025, 3, 1), D(2025, 3, 29)),),
        {
            ("neonatal_mortality", "commune", "2025"): (0, 1),
            ("infant_mortality", "commune", "2025"): (1, 1),
        },
    ),
    "death at 364 days is infant": Case(
        (_one(D(2024, 3, 2), D(2024, 3, 2), D(2025, 3, 1)),),
        {
            ("infant_mortality", "commune", "2025"): (1, 0),
            ("under5_mortality", "commune", "2025"): (1, 0),
        },
    ),
    "death at 365 days before a leap-year first birthday is still infant": Case(
        (_one(D(2023, 3, 1), D(2023, 3, 1), D(2024, 2, 29)),),
        {("infant_mortality", "commune", "2024"): (1, 0)},
    ),
    "death at 365 days on the first birthday is not infant": Case(
        (_one(D(2024, 3, 1), D(2024, 3, 1), D(2025, 3, 1)),),
        {
            ("infant_mortality", "commune", "2025"): (0, 0),
            ("under5_mortality", "commune", "2025"): (1, 0),
        },
    ),
    "born 29 February, dies 28 February next year: infant (birthday is 1 March)": Case(
        (_one(D(2024, 2, 29), D(2024, 2, 29), D(2025, 2, 28)),),
        {("infant_mortality", "commune", "2025"): (1, 0)},
    ),
    "death recorded a year late counts in the year it happened": Case(
        (_one(D(2024, 11, 1), D(2024, 11, 1), D(2024, 11, 10), recorded=D(2025, 12, 1)),),
        {
            ("neonatal_mortality", "commune", "2024"): (1, 1),
            ("neonatal_mortality", "commune", "2025"): (0, 0),
        },
    ),
    "death at 1,826 days on the fifth birthday is not under-5": Case(
        (_one(D(2021, 6, 15), D(2021, 6, 15), D(2026, 6, 15)),),
        {("under5_mortality", "commune", "2026"): (0, 0)},
    ),
    "death at 1,825 days, the day before the fifth birthday, is under-5": Case(
        (_one(D(2021, 6, 15), D(2021, 6, 15), D(2026, 6, 14)),),
        {("under5_mortality", "commune", "2026"): (1, 0)},
    ),
    # A stillborn baby registered as a person with a death on its birth date: no live
    # birth (live births are the delivery's live-born babies), no neonatal, infant or
    # under-5 death; the delivery still counts as one.
    "stillbirth with a wrong death row: not a live birth, not a death": Case(
        (Mother(D(2025, 5, 5), (Baby(stillborn=True, wrong_death_row=True),)),),
        {
            ("neonatal_mortality", "commune", "2025"): (0, 0),
            ("infant_mortality", "commune", "2025"): (0, 0),
            ("under5_mortality", "commune", "2025"): (0, 0),
            ("facility_birth", "commune", "2025"): (1, 1),
        },
    ),
    # Twins: the live-born twin dies on day 0 (a neonatal death), the stillborn twin has
    # the wrong death row: one live birth, one death.
    "twins, one stillborn with a wrong death row, the live twin dies on day 0": Case(
        (
            Mother(
                D(2025, 6, 6),
                (Baby(dies=D(2025, 6, 6)), Baby(stillborn=True, wrong_death_row=True)),
            ),
        ),
        {
            ("neonatal_mortality", "commune", "2025"): (1, 1),
            ("facility_birth", "commune", "2025"): (1, 1),
        },
    ),
    # LMP 01/04/2024; visits at 7, 19, 29 and 35 weeks in "commune" (one in each
    # trimester, four in all); she moves to "other" on 20/12/2024 and delivers there on
    # 06/01/2025. The delivery, the birth and ANC4+ (a property of the woman who
    # delivered) belong to "other" and 2025; each visit stays in "commune" (checked on the
    # visit rows).
    "mother moves commune between antenatal care and delivery": Case(
        (
            Mother(
                D(2025, 1, 6),
                (Baby(),),
                moves=((D(2024, 12, 20), "other"),),
                lmp=D(2024, 4, 1),
                anc=(D(2024, 5, 20), D(2024, 8, 15), D(2024, 10, 25), D(2024, 12, 5)),
            ),
        ),
        {
            ("anc4_3trimesters", "other", "2025"): (1, 1),
            ("anc4_3trimesters", "commune", "2025"): (0, 0),
            ("anc4_3trimesters", "commune", "2024"): (0, 0),
            ("facility_birth", "other", "2025"): (1, 1),
            ("facility_birth", "commune", "2025"): (0, 0),
            ("neonatal_mortality", "other", "2025"): (0, 1),
            ("neonatal_mortality", "commune", "2025"): (0, 0),
            ("neonatal_mortality", "province", "2025"): (0, 1),
        },
    ),
    # "A" and "B" merge into "S" on 01/04/2025. Before: a delivery in A (10/02) whose baby
    # dies on 20/05, after the merger, where the family then lives (S); a delivery in B
    # (15/03). After: a delivery in S (10/05) by the mother who lived in A. S's year is
    # the sum (3 deliveries, 3 live births, 1 death), A and B end at the merger, the
    # province counts each once.
    "commune merged mid-year: the successor's year is the sum of its predecessors'": Case(
        (
            Mother(
                D(2025, 2, 10),
                (Baby(dies=D(2025, 5, 20)),),
                lives="A",
                moves=((MERGED_ON, "S"),),
            ),
            Mother(D(2025, 3, 15), (Baby(),), lives="B", moves=((MERGED_ON, "S"),)),
            Mother(D(2025, 5, 10), (Baby(),), lives="A", moves=((MERGED_ON, "S"),)),
        ),
        {
            ("facility_birth", "S", "2025"): (3, 3),
            ("facility_birth", "A", "2025"): (1, 1),
            ("facility_birth", "B", "2025"): (1, 1),
            ("facility_birth", "S", "Q1/2025"): (2, 2),
            ("facility_birth", "S", "Q2/2025"): (1, 1),
            ("facility_birth", "A", "Q2/2025"): (0, 0),
            ("infant_mortality", "S", "2025"): (1, 3),
            ("infant_mortality", "A", "2025"): (0, 1),
            ("infant_mortality", "S", "Q2/2025"): (1, 1),
            ("facility_birth", "province", "2025"): (3, 3),
            ("infant_mortality", "province", "2025"): (1, 3),
        },
        merger=True,
    ),
}


T = dt.time
BORN_2024 = D(2024, 6, 1)  # the measured children of the growth cases (boys)


def _measured(born: dt.date, *measures: Measure) -> Mother:
    return Mother(born, (Baby(measures=measures),))


CASES |= {
    # Under-5 by the calendar fifth birthday, not by a count of days: with two leap days
    # in between the fifth birthday is day 1,827, with one it is day 1,826.
    "death at 1,826 days before a fifth birthday at 1,827 days is under-5": Case(
        (_one(D(2020, 1, 1), D(2020, 1, 1), D(2024, 12, 31)),),
        {
            ("under5_mortality", "commune", "2024"): (1, 0),
            ("infant_mortality", "commune", "2024"): (0, 0),
        },
    ),
    "death at 1,827 days on a fifth birthday at 1,827 days is not under-5": Case(
        (_one(D(2020, 1, 1), D(2020, 1, 1), D(2025, 1, 1)),),
        {("under5_mortality", "commune", "2025"): (0, 0)},
    ),
    "born 29 February, dies 1 March next year (the first birthday): not infant, under-5": Case(
        (_one(D(2024, 2, 29), D(2024, 2, 29), D(2025, 3, 1)),),
        {
            ("infant_mortality", "commune", "2025"): (0, 0),
            ("under5_mortality", "commune", "2025"): (1, 0),
        },
    ),
    "born 29 February, dies 28 February five years on: under-5 (fifth birthday 1 March)": Case(
        (_one(D(2020, 2, 29), D(2020, 2, 29), D(2025, 2, 28)),),
        {("under5_mortality", "commune", "2025"): (1, 0)},
    ),
    "born 29 February, dies 1 March five years on (the fifth birthday): not under-5": Case(
        (_one(D(2020, 2, 29), D(2020, 2, 29), D(2025, 3, 1)),),
        {("under5_mortality", "commune", "2025"): (0, 0)},
    ),
    "death at 7 days is neonatal": Case(
        (_one(D(2025, 3, 1), D(2025, 3, 1), D(2025, 3, 8)),),
        {("neonatal_mortality", "commune", "2025"): (1, 1)},
    ),
    # The first week after delivery is days 0-7 (the day of delivery is day 0).
    "home postnatal visit on day 7 is in the first week": Case(
        (Mother(D(2025, 4, 1), (Baby(),), home_visits=(7,)),),
        {
            ("pnc_home_week1", "commune", "2025"): (1, 1),
            ("pnc_42days", "commune", "2025"): (1, 1),
        },
    ),
    "home postnatal visit on day 8 is not in the first week, but within 42 days": Case(
        (Mother(D(2025, 4, 1), (Baby(),), home_visits=(8,)),),
        {
            ("pnc_home_week1", "commune", "2025"): (0, 1),
            ("pnc_42days", "commune", "2025"): (1, 1),
        },
    ),
    "twins at 23:59 on 31/01 and 00:00 on 01/02: one delivery in January, a birth each month": Case(
        (
            Mother(
                D(2025, 1, 31),
                (Baby(D(2025, 1, 31), time=T(23, 59)), Baby(D(2025, 2, 1), time=T(0, 0))),
                time=T(23, 59),
            ),
        ),
        {
            ("neonatal_mortality", "commune", "01/2025"): (0, 1),
            ("neonatal_mortality", "commune", "02/2025"): (0, 1),
            ("neonatal_mortality", "commune", "Q1/2025"): (0, 2),
            ("facility_birth", "commune", "01/2025"): (1, 1),
            ("facility_birth", "commune", "02/2025"): (0, 0),
        },
    ),
    "twins at 23:59 on 31/03 and 00:00 on 01/04: one delivery in Q1, a birth each quarter": Case(
        (
            Mother(
                D(2025, 3, 31),
                (Baby(D(2025, 3, 31), time=T(23, 59)), Baby(D(2025, 4, 1), time=T(0, 0))),
                time=T(23, 59),
            ),
        ),
        {
            ("neonatal_mortality", "commune", "Q1/2025"): (0, 1),
            ("neonatal_mortality", "commune", "Q2/2025"): (0, 1),
            ("facility_birth", "commune", "Q1/2025"): (1, 1),
            ("facility_birth", "commune", "Q2/2025"): (0, 0),
            ("early_breastfeeding", "commune", "6m/2025"): (0, 2),
        },
    ),
    "twins at 23:59 on 31/12 and 00:00 on 01/01, the second dies on day 0: a death in the new year": Case(
        (
            Mother(
                D(2024, 12, 31),
                (
                    Baby(D(2024, 12, 31), time=T(23, 59)),
                    Baby(D(2025, 1, 1), dies=D(2025, 1, 1), time=T(0, 0)),
                ),
                time=T(23, 59),
            ),
        ),
        {
            ("neonatal_mortality", "commune", "2024"): (0, 1),
            ("neonatal_mortality", "commune", "2025"): (1, 1),
            ("neonatal_mortality", "commune", "2024-2025"): (1, 2),
            ("facility_birth", "commune", "2024-2025"): (1, 1),
        },
    ),
    "a stillbirth alone: one delivery, no live birth, its weight not counted": Case(
        (Mother(D(2025, 7, 7), (Baby(stillborn=True, weight_g=1800),)),),
        {
            ("facility_birth", "commune", "2025"): (1, 1),
            ("neonatal_mortality", "commune", "2025"): (0, 0),
            ("low_birth_weight", "commune", "2025"): (0, 0),
            ("early_breastfeeding", "commune", "2025"): (0, 0),
        },
    ),
    "twins, one stillborn of 1,800 g, one live-born of 2,400 g: low birth weight counts the live one": Case(
        (Mother(D(2025, 8, 8), (Baby(stillborn=True, weight_g=1800), Baby(weight_g=2400))),),
        {
            ("facility_birth", "commune", "2025"): (1, 1),
            ("neonatal_mortality", "commune", "2025"): (0, 1),
            ("low_birth_weight", "commune", "2025"): (1, 1),
        },
    ),
    # Growth: boys born 01/06/2024 (ages below: 807, 800, 600 days).
    "HAZ -2,0046 is -2,00 rounded to 2 decimals: not stunting (classified on the rounded value)": Case(
        (_measured(BORN_2024, Measure(D(2026, 8, 17), 82.8, "standing")),),
        {("stunting_u5", "commune", "2026"): (0, 1)},
    ),
    "800 days measured lying: 0,7 cm taken off, HAZ -2,20, stunting": Case(
        (_measured(BORN_2024, Measure(D(2026, 8, 10), 82.7, "lying")),),
        {("stunting_u5", "commune", "2026"): (1, 1)},
    ),
    "800 days measured standing, the same 82,7 cm: HAZ -1,99, not stunting": Case(
        (_measured(BORN_2024, Measure(D(2026, 8, 10), 82.7, "standing")),),
        {("stunting_u5", "commune", "2026"): (0, 1)},
    ),
    "600 days measured standing: 0,7 cm added, HAZ -1,98, not stunting": Case(
        (_measured(BORN_2024, Measure(D(2026, 1, 22), 77.7, "standing")),),
        {("stunting_u5", "commune", "2026"): (0, 1)},
    ),
    "600 days measured lying, the same 77,7 cm: HAZ -2,23, stunting": Case(
        (_measured(BORN_2024, Measure(D(2026, 1, 22), 77.7, "lying")),),
        {("stunting_u5", "commune", "2026"): (1, 1)},
    ),
    "measurement at 1,826 days has z-scores and counts": Case(
        (_measured(D(2021, 6, 15), Measure(D(2026, 6, 15), 90.0, "standing")),),
        {("stunting_u5", "commune", "2026"): (1, 1)},
    ),
    "measurement at 1,827 days has no z-score and does not count": Case(
        (_measured(D(2021, 6, 15), Measure(D(2026, 6, 16), 90.0, "standing")),),
        {("stunting_u5", "commune", "2026"): (0, 0)},
    ),
    # Born 10/01/2024: 80 cm at 781 days is HAZ -2,70; 60 cm at 965 days is -9,49
    # (implausible, flagged); 90 cm at 965 days is -0,91.
    "latest measurement implausible (flagged): the plausible one before it counts": Case(
        (
            _measured(
                D(2024, 1, 10),
                Measure(D(2026, 3, 1), 80.0, "standing"),
                Measure(D(2026, 9, 1), 60.0, "standing"),
            ),
        ),
        {("stunting_u5", "commune", "2026"): (1, 1)},
    ),
    "latest plausible measurement counts, not an earlier stunted one": Case(
        (
            _measured(
                D(2024, 1, 10),
                Measure(D(2026, 3, 1), 80.0, "standing"),
                Measure(D(2026, 9, 1), 90.0, "standing"),
            ),
        ),
        {
            ("stunting_u5", "commune", "2026"): (0, 1),
            ("stunting_u5", "commune", "Q1/2026"): (1, 1),
        },
    ),
    "a measurement of last year counts in its own year only": Case(
        (_measured(D(2024, 1, 10), Measure(D(2025, 10, 1), 76.0, "lying")),),
        {
            ("stunting_u5", "commune", "2025"): (1, 1),
            ("stunting_u5", "commune", "2026"): (0, 0),
        },
    ),
}


@dataclass
class Written:
    world: _World
    units: dict[str, dict[str, OrgUnit]]  # case -> unit name -> unit
    visits: dict[str, list[AntenatalVisit]]


def _commune(province: OrgUnit, label: str, **validity: Any) -> tuple[OrgUnit, Facility]:
    n = next(_names)
    unit = make_unit(
        code=f"E{n:04d}",
        name=f"Xã Biên {label} {n}",
        level="commune",
        parent=province,
        **validity,
    )
    station = Facility.objects.create(
        code=f"TYT-E{n:04d}",
        name=f"Trạm Y tế xã Biên {n}",
        kind="commune_health_station",
        care_level="commune",
        unit=unit,
        provides_delivery=True,
    )
    return unit, station


def _case_units(world: _World, case: Case) -> tuple[dict[str, OrgUnit], dict[int, Facility]]:
    n = next(_names)
    province = make_unit(
        code=f"P{n:03d}", name=f"Tỉnh Biên {n}", level="province", parent=world.province.parent
    )
    if case.merger:
        a = _commune(province, "A", valid_to=MERGED_ON - dt.timedelta(days=1))
        b = _commune(province, "B", valid_to=MERGED_ON - dt.timedelta(days=1))
        s = _commune(province, "S", valid_from=MERGED_ON)
        change = UnitChange.objects.create(kind=UnitChange.Kind.MERGE, effective_on=MERGED_ON)
        for old in (a[0], b[0]):
            UnitLineage.objects.create(change=change, source=old, target=s[0], share=1)
        pairs = {"A": a, "B": b, "S": s}
    else:
        pairs = {"commune": _commune(province, "chính"), "other": _commune(province, "khác")}
    units = {name: pair[0] for name, pair in pairs.items()}
    units["province"] = province
    return units, {pair[0].pk: pair[1] for pair in pairs.values()}


def _lives_on(mother: Mother, day: dt.date) -> str:
    where = mother.lives
    for moved_on, unit in mother.moves:
        if moved_on <= day:
            where = unit
    return where


def _write(world: _World, case: Case) -> tuple[dict[str, OrgUnit], list[AntenatalVisit]]:
    units, stations = _case_units(world, case)
    user = world.admin
    visits: list[AntenatalVisit] = []
    for spec in case.mothers:
        mother = services.person_register(
            user=user,
            full_name=f"Người Mẹ Biên {next(_names)}",
            sex="F",
            birth_date=D(1994, 5, 5),
            residence_unit=units[spec.lives],
            today=TODAY,
        )
        for moved_on, unit in spec.moves:
            services.person_move(
                user=user, person=mother, residence_unit=units[unit], moved_on=moved_on, today=TODAY
            )
        pregnancy = None
        if spec.lmp is not None:
            pregnancy = services.pregnancy_register(
                user=user, person=mother, date=spec.anc[0], lmp=spec.lmp, today=TODAY
            )
            for day in spec.anc:
                visits.append(
                    services.antenatal_visit_record(
                        user=user,
                        pregnancy=pregnancy,
                        date=day,
                        facility=stations[units[_lives_on(spec, day)].pk],
                        today=TODAY,
                    )
                )
        delivery = services.delivery_record(
            user=user,
            person=mother,
            date=spec.delivered,
            place="facility",
            facility=stations[units[_lives_on(spec, spec.delivered)].pk],
            attendant="midwife",
            pregnancy=pregnancy,
            babies=[
                services.BirthInput(
                    sex="M",
                    birth_weight_g=b.weight_g,
                    date=b.born,
                    time=b.time,
                    outcome="stillbirth" if b.stillborn else "live",
                )
                for b in spec.babies
            ],
            today=TODAY,
            **({"time": spec.time} if spec.time is not None else {}),
        )
        for day in spec.home_visits:
            services.postnatal_contact_record(
                user=user,
                delivery=delivery,
                person=mother,
                date=spec.delivered + dt.timedelta(days=day),
                place="home",
                today=TODAY,
            )
        births = list(Birth.objects.filter(delivery=delivery).order_by("birth_order"))
        for baby, birth in zip(spec.babies, births, strict=True):
            child = birth.person
            if baby.wrong_death_row:
                child = services.person_register(
                    user=user,
                    full_name=f"Con Biên {next(_names)}",
                    sex="M",
                    birth_date=birth.date,
                    residence_unit=mother.residence_unit,
                    mother=mother,
                    allow_likely_duplicate=True,
                    today=TODAY,
                )
            for m in baby.measures:
                assert child is not None
                services.measurement_record(
                    user=user,
                    person=child,
                    date=m.day,
                    length_cm=m.length_cm,
                    weight_kg=m.weight_kg,
                    position=m.position,
                    today=TODAY,
                )
            died = baby.dies or (birth.date if baby.wrong_death_row else None)
            if died is not None and child is not None:
                services.death_record(
                    user=user,
                    person=child,
                    date=died,
                    place="home",
                    recorded_on=baby.recorded,
                    today=TODAY,
                )
    return units, visits


@dataclass
class _World:
    province: OrgUnit
    admin: Any  # writes and reads every case's province


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def written(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Written]:
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                registers = build_register_world()
                world = _World(
                    registers.province, User.objects.create_superuser("bien", password="x")
                )
                catalogue_load()
                units: dict[str, dict[str, OrgUnit]] = {}
                visits: dict[str, list[AntenatalVisit]] = {}
                for name, case in CASES.items():
                    units[name], visits[name] = _write(world, case)
                aggregates_rebuild()
                yield Written(world, units, visits)
                raise _Rollback
        except _Rollback:
            pass


def _values(written: Written, name: str, *, stored: bool) -> dict[Any, tuple[int, int]]:
    got = {}
    for code, unit, period in CASES[name].expected:
        (value,) = indicator_values(
            user=written.world.admin,
            indicators=[code],
            units=[written.units[name][unit]],
            period=Period.parse(period),
            stored=stored,
        )
        got[(code, unit, period)] = (int(value.numerator or 0), int(value.denominator or 0))
    return got


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_edge_case_from_the_records(written: Written, name: str) -> None:
    assert _values(written, name, stored=False) == CASES[name].expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_edge_case_from_the_stored_cells(written: Written, name: str) -> None:
    assert _values(written, name, stored=True) == CASES[name].expected


@pytest.mark.django_db
def test_the_stored_cells_reconcile_with_the_records(written: Written) -> None:
    assert aggregates_reconcile() == []


@pytest.mark.django_db
def test_each_antenatal_visit_stays_in_the_commune_of_its_date(written: Written) -> None:
    name = "mother moves commune between antenatal care and delivery"
    units = written.units[name]
    visits = written.visits[name]
    assert [v.residence_unit_id for v in visits] == [units["commune"].pk] * 4
    assert [v.trimester for v in visits] == [1, 2, 3, 3]


def _independent_units(written: Written, name: str, unit: str) -> set[int]:
    """The communes the independent calculation sums: the case's whole province, or a
    unit and the units its lineage names as its predecessors."""
    units = written.units[name]
    if unit == "province":
        return {u.pk for u in units.values()}
    pk = units[unit].pk
    return {pk, *UnitLineage.objects.filter(target_id=pk).values_list("source_id", flat=True)}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_edge_case_against_the_independent_calculation(written: Written, name: str) -> None:
    got = {}
    for code, unit, text in CASES[name].expected:
        period = Period.parse(text)
        got[(code, unit, text)] = independent.calculate(
            code, _independent_units(written, name, unit), period.start, period.end
        )
    assert got == CASES[name].expected


@pytest.mark.django_db
def test_the_growth_cases_store_what_the_rules_say(written: Written) -> None:
    """The stored HAZ a user reads on the child's page: rounded to 2 decimals, after the
    0,7 cm conversion; none at 1,827 days; the implausible one flagged."""
    from mch.registers.models import GrowthMeasurement

    def stored(name: str) -> list[tuple[int, float | None, list[str]]]:
        commune = written.units[name]["commune"]
        rows = GrowthMeasurement.objects.filter(residence_unit=commune).order_by("date")
        return [(m.age_days, m.haz, list(m.flags)) for m in rows]

    rounded = (
        "HAZ -2,0046 is -2,00 rounded to 2 decimals: not stunting (classified on the rounded value)"
    )
    assert stored(rounded) == [(807, -2.0, [])]
    assert stored("800 days measured lying: 0,7 cm taken off, HAZ -2,20, stunting") == [
        (800, -2.2, [])
    ]
    assert stored("600 days measured standing: 0,7 cm added, HAZ -1,98, not stunting") == [
        (600, -1.98, [])
    ]
    assert stored("measurement at 1,826 days has z-scores and counts")[0][:2] == (1826, -4.31)
    late = stored("measurement at 1,827 days has no z-score and does not count")
    assert late[0][:2] == (1827, None) and "age_over_5" in late[0][2]
    implausible = stored(
        "latest measurement implausible (flagged): the plausible one before it counts"
    )
    assert [(age, haz) for age, haz, _ in implausible] == [(781, -2.7), (965, -9.49)]
    assert implausible[0][2] == [] and "z_implausible" in implausible[1][2]
