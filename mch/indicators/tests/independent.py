"""A deliberately simple calculation of every register indicator, written apart from the
engine: plain Python loops over the ORM rows, one indicator at a time, residence
attribution, group "all". Tests compare the engine with it.

Residence: with ``where`` (a ``Residences`` read from the generated bundle), an event
belongs to the commune its person lived in on its date by the generator's own account
(persons.csv and residences.csv), not to the commune stored on the record; without it,
to the stored commune."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection
from pathlib import Path

from mch.registers.models import (
    Birth,
    Death,
    Delivery,
    GrowthMeasurement,
    Illness,
    Immunisation,
    PostnatalContact,
)

Where = Callable[[int, dt.date, "int | None"], "int | None"]


class Residences:
    """Where each person lived on a day, from the generated files: the rows of
    residences.csv, else the commune of persons.csv; a commune code is the unit of that
    code in force on the day."""

    def __init__(self, folder: Path):
        from mch.orgunits.models import OrgUnit
        from mch.registers.models import Person

        def rows(name: str) -> list[dict[str, str]]:
            with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
                return list(csv.DictReader(handle))

        def day(text: str) -> dt.date | None:
            return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None

        self.current = {p["id"]: p["commune"] for p in rows("persons")}
        self.history: dict[str, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
        for row in rows("residences"):
            start = day(row["valid_from"])
            assert start is not None
            self.history[row["person_id"]].append((start, day(row["valid_to"]), row["commune"]))
        self.external = dict(Person.objects.values_list("pk", "external_id"))
        self.units: dict[str, list[tuple[dt.date | None, dt.date | None, int]]] = defaultdict(list)
        for pk, code, start, end in OrgUnit.objects.filter(level="commune").values_list(
            "pk", "code", "valid_from", "valid_to"
        ):
            self.units[code].append((start, end, pk))

    def code_on(self, person: str, day: dt.date) -> str:
        for start, end, code in self.history.get(person, ()):
            if start <= day and (end is None or day <= end):
                return code
        return self.current[person]

    def moved(self, person_pk: int) -> bool:
        return self.external.get(person_pk) in self.history

    def __call__(self, person_pk: int, day: dt.date, stored: int | None) -> int | None:
        code = self.code_on(self.external[person_pk], day)
        for start, end, pk in self.units[code]:
            if (start is None or start <= day) and (end is None or day <= end):
                return pk
        return None


def _stored(person_pk: int, day: dt.date, stored: int | None) -> int | None:
    return stored


OBSTETRIC = {"haemorrhage", "hypertensive", "sepsis", "abortion", "other_direct", "indirect"}
FULL_SET = {"bcg": 1, "dpt_hepb_hib": 3, "opv": 3, "measles": 1}


def nth_birthday(birth: dt.date, n: int) -> dt.date:
    if birth.month == 2 and birth.day == 29:
        target_year = birth.year + n
        leap = target_year % 4 == 0 and (target_year % 100 != 0 or target_year % 400 == 0)
        return dt.date(target_year, 2, 29) if leap else dt.date(target_year, 3, 1)
    return dt.date(birth.year + n, birth.month, birth.day)


def _in(day: dt.date, start: dt.date, end: dt.date) -> bool:
    return start <= day <= end


def live_births(
    units: Collection[int], start: dt.date, end: dt.date, where: Where = _stored
) -> int:
    """Live births by the baby's own date, where the mother lived on it."""
    n = 0
    for b in Birth.objects.all():
        if (
            b.outcome == "live"
            and _in(b.date, start, end)
            and where(b.mother_id, b.date, b.residence_unit_id) in units
        ):
            n += 1
    return n


def _stillborn(person, birth: dt.date) -> bool:  # type: ignore[no-untyped-def]
    """A stillbirth: the person's own birth record says so; or the person has no birth
    record and the mother had a stillbirth on the person's date of birth (the stillborn
    baby registered as a person by mistake)."""
    linked = Birth.objects.filter(person=person).first()
    if linked is not None:
        return linked.outcome == "stillbirth"
    return person.mother_id is not None and (
        Birth.objects.filter(mother_id=person.mother_id, outcome="stillbirth", date=birth).exists()
    )


def _child_deaths(units, start, end, test, where: Where = _stored) -> int:
    n = 0
    for d in Death.objects.select_related("person"):
        if (
            not _in(d.date, start, end)
            or where(d.person_id, d.date, d.residence_unit_id) not in units
        ):
            continue
        birth = d.person.birth_date
        if birth is None:
            continue
        if _stillborn(d.person, birth):
            continue
        if test(birth, d.date):
            n += 1
    return n


def calculate(
    code: str,
    units: Collection[int],
    start: dt.date,
    end: dt.date,
    where: Where = _stored,
) -> tuple[int, int]:
    """(numerator, denominator) of ``code`` for residence communes ``units``; ``where``:
    the commune of a person on a day (see the module docstring)."""
    if code in ("neonatal_mortality", "infant_mortality", "under5_mortality") + (
        "maternal_mortality",
        "full_immunisation_u1",
    ):  # indicators per live birth
        births = live_births(units, start, end, where)
    if code == "neonatal_mortality":
        return _child_deaths(units, start, end, lambda b, d: 0 <= (d - b).days <= 27, where), births
    if code == "infant_mortality":
        return _child_deaths(units, start, end, lambda b, d: b <= d < nth_birthday(b, 1), where), (
            births
        )
    if code == "under5_mortality":
        return _child_deaths(units, start, end, lambda b, d: b <= d < nth_birthday(b, 5), where), (
            births
        )
    if code == "maternal_mortality":
        n = 0
        for d in Death.objects.select_related("person"):
            if (
                _in(d.date, start, end)
                and where(d.person_id, d.date, d.residence_unit_id) in units
                and d.person.sex == "F"
                and d.pregnancy_relation in ("pregnant", "within_42_days")
                and d.cause_group in OBSTETRIC
                and d.review_status != "not_maternal"
            ):
                n += 1
        return n, births
    if code in (
        "anc4_3trimesters",
        "facility_birth",
        "skilled_birth_attendance",
        "pnc_home_week1",
        "pnc_42days",
        "iron_supplement_full",
    ):
        num = den = 0
        for delivery in Delivery.objects.select_related("pregnancy"):
            if not _in(delivery.date, start, end):
                continue
            if where(delivery.person_id, delivery.date, delivery.residence_unit_id) not in units:
                continue
            den += 1
            pregnancy = delivery.pregnancy
            contacts = list(PostnatalContact.objects.filter(delivery=delivery))
            if code == "anc4_3trimesters":
                ok = (
                    pregnancy is not None
                    and pregnancy.anc_visits >= 4
                    and pregnancy.anc_trimesters == "123"
                )
            elif code == "facility_birth":
                ok = delivery.place == "facility"
            elif code == "skilled_birth_attendance":
                ok = delivery.skilled
            elif code == "pnc_home_week1":
                ok = any(c.place == "home" and c.day_after_birth <= 7 for c in contacts)
            elif code == "pnc_42days":
                ok = any(c.day_after_birth <= 42 for c in contacts)
            else:
                ok = pregnancy is not None and pregnancy.iron_tablets >= 90
            num += ok
        return num, den
    if code in ("low_birth_weight", "eenc", "early_breastfeeding"):
        num = den = 0
        for b in Birth.objects.select_related("delivery"):
            if (
                b.outcome != "live"
                or not _in(b.date, start, end)
                or where(b.mother_id, b.date, b.residence_unit_id) not in units
            ):
                continue
            if code == "low_birth_weight":
                if b.birth_weight_g is None:
                    continue
                den += 1
                num += b.birth_weight_g < 2500
            elif code == "eenc":
                if b.delivery.place != "facility":
                    continue
                den += 1
                num += bool(
                    b.eenc_dried
                    and b.eenc_skin_to_skin
                    and b.eenc_cord_delayed
                    and b.eenc_breastfed_1h
                )
            else:
                den += 1
                num += b.eenc_breastfed_1h is True
        return num, den
    if code == "full_immunisation_u1":
        num = 0
        doses: dict[int, list[Immunisation]] = {}
        for dose in Immunisation.objects.select_related("person").order_by("date", "id"):
            if dose.is_epi and dose.antigen in FULL_SET:
                doses.setdefault(dose.person_id, []).append(dose)
        for given in doses.values():
            birth = given[0].person.birth_date
            seen: dict[str, set[int]] = {}
            for dose in given:
                if dose.date >= nth_birthday(birth, 1):
                    break
                seen.setdefault(dose.antigen, set()).add(dose.dose)
                if all(len(seen.get(a, ())) >= k for a, k in FULL_SET.items()):
                    if _in(dose.date, start, end) and (
                        where(dose.person_id, dose.date, dose.residence_unit_id) in units
                    ):
                        num += 1
                    break
        return num, births
    if code == "pneumonia_antibiotic":
        num = den = 0
        for ill in Illness.objects.select_related("person"):
            if (
                ill.kind != "pneumonia"
                or not _in(ill.date, start, end)
                or where(ill.person_id, ill.date, ill.residence_unit_id) not in units
            ):
                continue
            age = (ill.date - ill.person.birth_date).days
            if 0 <= age <= 1826:
                den += 1
                num += ill.antibiotic is True
        return num, den
    if code in ("stunting_u5", "underweight_u5", "wasting_u5"):
        latest: dict[int, GrowthMeasurement] = {}
        for m in GrowthMeasurement.objects.order_by("date", "id"):
            if not _in(m.date, start, end) or not 0 <= m.age_days <= 1826:
                continue
            if code == "stunting_u5":
                valid = m.haz is not None and -6 <= m.haz <= 6
            elif code == "underweight_u5":
                valid = m.waz is not None and -5 >= -6 and m.waz is not None and -6 <= m.waz <= 5
            else:
                valid = m.oedema or (m.whz is not None and -5 <= m.whz <= 5)
            if valid:
                latest[m.person_id] = m
        num = den = 0
        for m in latest.values():
            if where(m.person_id, m.date, m.residence_unit_id) not in units:
                continue
            den += 1
            if code == "stunting_u5":
                num += m.haz < -2
            elif code == "underweight_u5":
                num += m.waz < -2
            else:
                num += m.oedema or m.whz < -2
        return num, den
    raise KeyError(code)


CODES = (
    "neonatal_mortality",
    "infant_mortality",
    "under5_mortality",
    "maternal_mortality",
    "anc4_3trimesters",
    "facility_birth",
    "skilled_birth_attendance",
    "pnc_home_week1",
    "pnc_42days",
    "iron_supplement_full",
    "low_birth_weight",
    "eenc",
    "early_breastfeeding",
    "full_immunisation_u1",
    "pneumonia_antibiotic",
    "stunting_u5",
    "underweight_u5",
    "wasting_u5",
)


def injury_mortality_u5(units: Collection[int], start: dt.date, end: dt.date):  # type: ignore[no-untyped-def]
    """(deaths under 5 from an injury, mid-year population 0-4 of the years, or None)."""
    from mch.orgunits.models import Population

    deaths = 0
    for d in Death.objects.select_related("person"):
        if d.residence_unit_id not in units or not _in(d.date, start, end):
            continue
        birth = d.person.birth_date
        if birth is None or _stillborn(d.person, birth):
            continue
        if birth <= d.date < nth_birthday(birth, 5) and d.cause_group == "injury":
            deaths += 1
    population = 0
    for year in range(start.year, end.year + 1):
        for unit in units:
            rows = {
                (p.age_group, p.sex): p.value
                for p in Population.objects.filter(unit_id=unit, year=year)
            }
            boys, girls = rows.get(("0-4", "M")), rows.get(("0-4", "F"))
            if ("0-4", "") in rows:
                population += rows[("0-4", "")]
            elif boys is not None and girls is not None:
                population += boys + girls
            else:
                return deaths, None
    return deaths, population
