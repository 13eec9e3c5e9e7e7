"""Check-ups, growth measurements, immunisations, illness and injury, deaths."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from .. import derive, rules
from ..models import (
    Birth,
    BirthOutcome,
    CheckUp,
    Death,
    GrowthMeasurement,
    Illness,
    Immunisation,
    Nutrition,
    Person,
    ReviewStatus,
    Source,
)
from .audit import snapshot
from .common import check, event_prepare, event_save, require_person, today_or


def _child_checks(person: Person, date: dt.date, today: dt.date | None, label: str) -> list[Any]:
    return rules.child_event_check(
        day=date,
        birth=person.birth_date,
        died_on=person.deceased_on,
        today=today_or(today),
        label=label,
    )


@transaction.atomic
def checkup_record(
    *,
    user: Any,
    person: Person,
    date: dt.date,
    today: dt.date | None = None,
    checkup: CheckUp | None = None,
    source: str = Source.FORM,
    **fields: Any,
) -> CheckUp:
    require_person(user, person)
    flags = check(_child_checks(person, date, today, "Ngày khám"))
    checkup, is_new, before = event_prepare(
        checkup, lambda: CheckUp(person=person), {"date": date, **fields}, user=user, person=person
    )
    return event_save(
        checkup, user=user, person=person, flags=flags, is_new=is_new, before=before, source=source
    )


_CATEGORY = {"none": Nutrition.NORMAL, "moderate": "moderate", "severe": "severe"}
_CATEGORY.update({"implausible": Nutrition.IMPLAUSIBLE, "missing": "", "overweight": "normal"})


def growth_fill(measurement: GrowthMeasurement, person: Person) -> list[rules.Problem]:
    """Age, WHO 2006 z-scores and classification; warnings for implausible values."""
    from mch.growth import LAST_Z_DAY, PLAUSIBLE
    from mch.growth.single import compute_one

    assert person.birth_date is not None
    age = rules.age_days(person.birth_date, measurement.date)
    measurement.age_days = age
    lying = {"lying": True, "standing": False}.get(str(measurement.position))
    score = compute_one(
        1 if person.sex == "M" else 2,
        age,
        measurement.weight_kg,
        measurement.length_cm,
        lying,
        measurement.oedema,
    )
    measurement.haz, measurement.waz = score.haz, score.waz
    measurement.whz, measurement.baz = score.whz, score.baz
    measurement.stunting = _CATEGORY[str(score.stunting)]
    measurement.underweight = _CATEGORY[str(score.underweight)]
    measurement.wasting = _CATEGORY[str(score.wasting)]
    measurement.overweight = (
        None
        if str(score.overweight) in ("missing", "implausible")
        else str(score.overweight) == "overweight"
    )
    problems: list[rules.Problem] = []
    if age > LAST_Z_DAY:
        problems.append(rules.Problem("age_over_5", "date", rules.WARNING, {"value": age}))
    if score.flag_position:
        problems.append(rules.Problem("standing_under_9_months", "position", rules.WARNING))
    for name, value, flagged in (
        ("HAZ", score.haz, score.flag_haz),
        ("WAZ", score.waz, score.flag_waz),
        ("WHZ", score.whz, score.flag_whz),
        ("BAZ", score.baz, score.flag_baz),
    ):
        low, high = (int(limit) for limit in PLAUSIBLE[name.lower()])
        if flagged:
            problems.append(
                rules.Problem(
                    "z_implausible",
                    name.lower(),
                    rules.WARNING,
                    {"label": name, "value": value, "low": low, "high": high},
                )
            )
    return problems


@transaction.atomic
def measurement_record(
    *,
    user: Any,
    person: Person,
    date: dt.date,
    weight_kg: float | None = None,
    length_cm: float | None = None,
    position: str = "",
    muac_mm: int | None = None,
    oedema: bool = False,
    today: dt.date | None = None,
    measurement: GrowthMeasurement | None = None,
    source: str = Source.FORM,
    **fields: Any,
) -> GrowthMeasurement:
    require_person(user, person)
    problems = _child_checks(person, date, today, "Ngày cân đo")
    problems += rules.measurement_check(weight_kg=weight_kg, length_cm=length_cm, muac_mm=muac_mm)
    if person.birth_date is None:
        problems.append(
            rules.Problem("required", "birth_date", params={"label": "ngày sinh của trẻ"})
        )
    check(problems)
    measurement, is_new, before = event_prepare(
        measurement,
        lambda: GrowthMeasurement(person=person),
        {
            "date": date,
            "weight_kg": weight_kg,
            "length_cm": length_cm,
            "position": position,
            "muac_mm": muac_mm,
            "oedema": oedema,
            **fields,
        },
        user=user,
        person=person,
    )
    flags = rules.warning_codes(problems + growth_fill(measurement, person))
    return event_save(
        measurement,
        user=user,
        person=person,
        flags=flags,
        is_new=is_new,
        before=before,
        source=source,
    )


def dose_problems(
    person: Person, antigen: str, dose: int, date: dt.date, is_epi: bool, exclude_id: int | None
) -> list[rules.Problem]:
    """The schedule's checks of a dose (mch.immunisation), as register problems."""
    from mch.immunisation.engine import DoseGiven, Severity, dose_check
    from mch.immunisation.selectors import province_of, schedule_rules

    if person.birth_date is None:
        return [rules.Problem("required", "birth_date", params={"label": "ngày sinh của trẻ"})]
    previous = [
        DoseGiven(d.antigen, d.dose, d.date, d.is_epi)
        for d in person.immunisations.exclude(pk=exclude_id or 0)
    ]
    flags = dose_check(
        person.birth_date,
        previous,
        DoseGiven(antigen, dose, date, is_epi),
        schedule_rules(on=date, province=province_of(person.residence_unit)),
    )
    return [
        rules.Problem(
            f"dose_{flag.code}",
            "date",
            rules.ERROR if flag.severity == Severity.ERROR else rules.WARNING,
            text=flag.message,
        )
        for flag in flags
    ]


@transaction.atomic
def dose_record(
    *,
    user: Any,
    person: Person,
    antigen: str,
    dose: int,
    date: dt.date,
    is_epi: bool = True,
    today: dt.date | None = None,
    immunisation: Immunisation | None = None,
    source: str = Source.FORM,
    **fields: Any,
) -> Immunisation:
    """Record a vaccine dose. A dose before its minimum age or interval is kept and flagged."""
    require_person(user, person)
    problems = _child_checks(person, date, today, "Ngày tiêm")
    if not rules.errors(problems):
        problems += dose_problems(
            person, antigen, dose, date, is_epi, immunisation.pk if immunisation else None
        )
    flags = check(problems)
    immunisation, is_new, before = event_prepare(
        immunisation,
        lambda: Immunisation(person=person),
        {"antigen": antigen, "dose": dose, "date": date, "is_epi": is_epi, **fields},
        user=user,
        person=person,
    )
    return event_save(
        immunisation,
        user=user,
        person=person,
        flags=flags,
        is_new=is_new,
        before=before,
        source=source,
    )


@transaction.atomic
def illness_record(
    *,
    user: Any,
    person: Person,
    date: dt.date,
    kind: str,
    today: dt.date | None = None,
    illness: Illness | None = None,
    source: str = Source.FORM,
    **fields: Any,
) -> Illness:
    require_person(user, person)
    problems = _child_checks(person, date, today, "Ngày mắc")
    problems += rules.illness_check(kind=kind, injury_type=fields.get("injury_type", ""))
    flags = check(problems)
    illness, is_new, before = event_prepare(
        illness,
        lambda: Illness(person=person),
        {"date": date, "kind": kind, **fields},
        user=user,
        person=person,
    )
    return event_save(
        illness, user=user, person=person, flags=flags, is_new=is_new, before=before, source=source
    )


@transaction.atomic
def death_record(
    *,
    user: Any,
    person: Person,
    date: dt.date,
    place: str,
    cause_group: str = "unknown",
    injury_type: str = "",
    pregnancy_relation: str = "",
    pregnancy_related: bool | None = None,
    maternal_cause: str = "",
    perinatal_cause: str = "",
    recorded_on: dt.date | None = None,
    today: dt.date | None = None,
    death: Death | None = None,
    source: str = Source.FORM,
    **fields: Any,
) -> Death:
    """Record a death (or correct one when ``death`` is given): age at death and its group
    are derived; for a woman, the timing from her pregnancies when not given, the maternal
    cause group and whether it is a possible maternal death to notify (an accident while
    pregnant is not; a death 43 days to 1 year after is a late maternal death, kept apart).
    ``recorded_on``: when the death was entered (default: today, or as stored)."""
    require_person(user, person)
    today = today_or(today)
    if death is not None and death.person_id != person.pk:
        raise ValueError("Bản ghi tử vong này không phải của người này.")
    problems = rules.death_check(
        day=date,
        birth=person.birth_date,
        today=today,
        cause_group=cause_group,
        injury_type=injury_type,
    )
    others = Death.objects.filter(person=person)
    if death is not None:
        others = others.exclude(pk=death.pk)
    other = others.first()
    if other is not None:
        problems.append(
            rules.Problem(
                "after_death",
                "date",
                params={"label": "Tử vong", "value": date, "other": other.date},
            )
        )
    stillborn = Birth.objects.filter(person=person, outcome=BirthOutcome.STILLBIRTH).first()
    if stillborn is not None:
        problems.append(
            rules.Problem("death_of_stillbirth", "person", params={"value": stillborn.date})
        )
    if person.sex == "F" and not pregnancy_relation:
        pregnancy_relation = rules.pregnancy_relation_on(
            date,
            pregnant=person.pregnancies.filter(outcome="").exists(),
            ended_on=person.pregnancies.exclude(outcome_date=None).values_list(
                "outcome_date", flat=True
            ),
        )
    derived = derive.death_fill(
        birth=person.birth_date,
        day=date,
        sex=person.sex,
        pregnancy_relation=pregnancy_relation,
        pregnancy_related=pregnancy_related,
        maternal_cause=maternal_cause,
        cause_group=cause_group,
    )
    recorded_on = recorded_on or (death.recorded_on if death is not None else None) or today
    problems += rules.death_details_check(
        sex=person.sex,
        age_days=derived["age_days"],  # type: ignore[arg-type]
        pregnancy_relation=pregnancy_relation,
        maternal_cause=maternal_cause,
        perinatal_cause=perinatal_cause,
        recorded_on=recorded_on,
        day=date,
        today=today,
    )
    flags = check(problems)
    death, is_new, before = event_prepare(
        death,
        lambda: Death(person=person),
        {
            "date": date,
            "place": place,
            "cause_group": cause_group,
            "injury_type": injury_type,
            "pregnancy_relation": pregnancy_relation,
            "pregnancy_related": pregnancy_related,
            "perinatal_cause": perinatal_cause,
            "recorded_on": recorded_on,
            **fields,
            **derived,
        },
        user=user,
        person=person,
    )
    if death.possible_maternal and not death.review_status:
        death.review_status = ReviewStatus.TO_NOTIFY
    elif not death.possible_maternal and death.review_status == ReviewStatus.TO_NOTIFY:
        death.review_status = ReviewStatus.NONE
    death = event_save(
        death,
        user=user,
        person=person,
        flags=flags,
        is_new=is_new,
        before=before,
        source=source,
    )
    person.deceased_on = date
    person.save(update_fields=["deceased_on", "updated_at"])
    return death


@transaction.atomic
def death_notify(
    *, user: Any, death: Death, notified_on: dt.date, today: dt.date | None = None
) -> Death:
    """Mark a possible maternal death as notified (the review itself is a later workflow)."""
    require_person(user, death.person)
    problems = rules.not_future(notified_on, today_or(today), "notified_on", "Ngày thông báo")
    if notified_on < death.date:
        problems.append(
            rules.Problem(
                "range",
                "notified_on",
                params={
                    "label": "Ngày thông báo",
                    "value": notified_on,
                    "low": death.date,
                    "high": today_or(today),
                },
            )
        )
    check(problems)
    before = snapshot(death)
    death.review_status = ReviewStatus.NOTIFIED
    death.notified_on = notified_on
    return event_save(
        death, user=user, person=death.person, flags=death.flags, is_new=False, before=before
    )
