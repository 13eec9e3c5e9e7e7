"""A deliberately simple calculation of every register indicator, written apart from the
engine: plain Python loops over the ORM rows, one indicator at a time, residence
attribution, group "all". Tests compare the engine with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from mch.registers.models import (
    Birth,
    Death,
    Delivery,
    GrowthMeasurement,
    Illness,
    Immunisation,
    PostnatalContact,
)

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


def live_births(units: Collection[int], start: dt.date, end: dt.date) -> int:
    n = 0
    for b in Birth.objects.all():
        if b.outcome == "live" and b.residence_unit_id in units and _in(b.date, start, end):
            n += 1
    return n


def _child_deaths(units, start, end, test) -> int:
    n = 0
    for d in Death.objects.select_related("person"):
        if d.residence_unit_id not in units or not _in(d.date, start, end):
            continue
        birth = d.person.birth_date
        if birth is None:
            continue
        linked = Birth.objects.filter(person=d.person).first()
        if linked is not None and linked.outcome == "stillbirth":
            continue
        if test(birth, d.date):
            n += 1
    return n


def calculate(code: str, units: Collection[int], start: dt.date, end: dt.date) -> tuple[int, int]:
    """(numerator, denominator) of ``code`` for residence communes ``units``."""
    if code == "neonatal_mortality":
        return _child_deaths(units, start, end, lambda b, d: 0 <= (d - b).days <= 27), live_births(
            units, start, end
        )
    if code == "infant_mortality":
        return _child_deaths(units, start, end, lambda b, d: b <= d < nth_birthday(b, 1)), (
            live_births(units, start, end)
        )
    if code == "under5_mortality":
        return _child_deaths(units, start, end, lambda b, d: b <= d < nth_birthday(b, 5)), (
            live_births(units, start, end)
        )
    if code == "maternal_mortality":
        n = 0
        for d in Death.objects.select_related("person"):
            if (
                d.residence_unit_id in units
                and _in(d.date, start, end)
                and d.person.sex == "F"
                and d.pregnancy_relation in ("pregnant", "within_42_days")
                and d.cause_group in OBSTETRIC
                and d.review_status != "not_maternal"
            ):
                n += 1
        return n, live_births(units, start, end)
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
            if delivery.residence_unit_id not in units or not _in(delivery.date, start, end):
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
                or b.residence_unit_id not in units
                or not _in(b.date, start, end)
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
                    if dose.residence_unit_id in units and _in(dose.date, start, end):
                        num += 1
                    break
        return num, live_births(units, start, end)
    if code == "pneumonia_antibiotic":
        num = den = 0
        for ill in Illness.objects.select_related("person"):
            if (
                ill.kind != "pneumonia"
                or ill.residence_unit_id not in units
                or not _in(ill.date, start, end)
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
            if m.residence_unit_id not in units:
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
        linked = Birth.objects.filter(person=d.person).first()
        if birth is None or (linked is not None and linked.outcome == "stillbirth"):
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
