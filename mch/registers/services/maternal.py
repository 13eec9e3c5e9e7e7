"""Pregnancies, antenatal visits, deliveries with their births, postnatal contacts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .. import derive, rules
from ..models import (
    AntenatalVisit,
    AuditAction,
    Birth,
    BirthOutcome,
    Delivery,
    DeliveryPlace,
    Person,
    PostnatalContact,
    Pregnancy,
    PregnancyOutcome,
    Sex,
    Source,
)
from .audit import audit_log, diff, snapshot
from .common import check, event_prepare, event_save, require_person, today_or
from .people import person_register
from .write_scope import Places


@transaction.atomic
def pregnancy_register(
    *,
    user: Any,
    person: Person,
    date: dt.date,
    lmp: dt.date | None = None,
    edd: dt.date | None = None,
    today: dt.date | None = None,
    pregnancy: Pregnancy | None = None,
    source: str = Source.FORM,
    **fields: Any,
) -> Pregnancy:
    """Register a pregnancy (or correct one when ``pregnancy`` is given)."""
    require_person(user, person)
    today = today_or(today)
    problems = rules.pregnancy_check(
        registered_on=date,
        lmp=lmp,
        edd=edd,
        woman_sex=person.sex,
        woman_birth=person.birth_date,
        today=today,
    )
    other_open = person.pregnancies.filter(outcome="")
    if pregnancy is not None:
        other_open = other_open.exclude(pk=pregnancy.pk)
    if other_open.exists():
        problems.append(
            rules.Problem("pregnancy_open", "date", params={"value": other_open.first().date})  # type: ignore[union-attr]
        )
    flags = check(problems)
    lmp, edd = rules.pregnancy_dates(lmp, edd)
    pregnancy, is_new, before = event_prepare(
        pregnancy,
        lambda: Pregnancy(person=person),
        {"date": date, "lmp": lmp, "edd": edd, **fields},
        user=user,
        person=person,
    )
    pregnancy = event_save(
        pregnancy,
        user=user,
        person=person,
        flags=flags,
        is_new=is_new,
        before=before,
        source=source,
    )
    if not is_new:
        for visit in pregnancy.visits.all():
            derive.visit_fill(visit, pregnancy)
            visit.save(update_fields=["gestational_weeks", "trimester"])
        derive.pregnancy_summary_refresh(pregnancy)
    return pregnancy


@transaction.atomic
def pregnancy_end(
    *,
    user: Any,
    pregnancy: Pregnancy,
    outcome: str,
    outcome_date: dt.date,
    today: dt.date | None = None,
) -> Pregnancy:
    """Close a pregnancy without a delivery record (miscarriage, abortion…)."""
    require_person(user, pregnancy.person, field="pregnancy")
    if pregnancy.outcome:
        raise rules.RecordInvalid(
            [rules.Problem("pregnancy_closed", "outcome", params={"value": pregnancy.outcome_date})]
        )
    flags = check(
        rules.outcome_check(
            outcome_date=outcome_date,
            lmp=pregnancy.lmp,
            registered_on=pregnancy.date,
            today=today_or(today),
        )
    )
    before = snapshot(pregnancy)
    pregnancy.outcome = outcome
    pregnancy.outcome_date = outcome_date
    return event_save(
        pregnancy,
        user=user,
        person=pregnancy.person,
        flags=[*pregnancy.flags, *flags],
        is_new=False,
        before=before,
    )


@transaction.atomic
def antenatal_visit_record(
    *,
    user: Any,
    pregnancy: Pregnancy,
    date: dt.date,
    today: dt.date | None = None,
    visit: AntenatalVisit | None = None,
    source: str = Source.FORM,
    **fields: Any,
) -> AntenatalVisit:
    person = pregnancy.person
    require_person(user, person, field="pregnancy")
    flags = check(
        rules.antenatal_visit_check(
            day=date,
            lmp=rules.pregnancy_dates(pregnancy.lmp, pregnancy.edd)[0],
            ended_on=pregnancy.outcome_date,
            today=today_or(today),
        )
    )
    visit, is_new, before = event_prepare(
        visit,
        lambda: AntenatalVisit(person=person, pregnancy=pregnancy),
        {"date": date, **fields},
        user=user,
        person=person,
    )
    derive.visit_fill(visit, pregnancy)
    visit = event_save(
        visit, user=user, person=person, flags=flags, is_new=is_new, before=before, source=source
    )
    derive.pregnancy_summary_refresh(pregnancy)
    return visit


@dataclass
class BirthInput:
    """One baby of a delivery, as a form or the API sends it."""

    outcome: str = BirthOutcome.LIVE
    sex: str = ""
    full_name: str = ""
    birth_weight_g: int | None = None
    gestational_weeks: int | None = None
    # The baby's own date and time of birth (twins either side of midnight); None: the
    # delivery's.
    date: dt.date | None = None
    time: dt.time | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # EENC steps, vitamin K1…

    def born_on(self, delivered_on: dt.date) -> dt.date:
        return self.date or delivered_on


@transaction.atomic
def delivery_record(
    *,
    user: Any,
    person: Person,
    date: dt.date,
    place: str,
    attendant: str,
    babies: list[BirthInput] | None = None,
    pregnancy: Pregnancy | None = None,
    today: dt.date | None = None,
    delivery: Delivery | None = None,
    source: str = Source.FORM,
    **fields: Any,
) -> Delivery:
    """Record a delivery, its births and a person for each live-born child; closes the
    pregnancy (given, or the woman's open one). With ``delivery``: correct it, with the
    same checks; ``babies`` (optional then) correct its births in birth order, whose number
    and outcomes cannot change; a baby without its own date moves with the delivery."""
    require_person(user, person)
    today = today_or(today)
    if delivery is not None:
        if delivery.person_id != person.pk:
            raise ValueError("Lần đẻ này không phải của người này.")
        pregnancy = delivery.pregnancy
    elif pregnancy is None:
        pregnancy = person.pregnancies.filter(outcome="").order_by("-date").first()
    elif pregnancy.person_id != person.pk:
        raise ValueError("Thai kỳ này không phải của người này.")
    lmp = rules.pregnancy_dates(pregnancy.lmp, pregnancy.edd)[0] if pregnancy else None
    if place != DeliveryPlace.FACILITY:
        fields["facility"] = None
    facility = fields.get("facility", delivery.facility if delivery is not None else None)
    problems = rules.delivery_check(
        day=date,
        lmp=lmp,
        mother_birth=person.birth_date,
        mother_died_on=person.deceased_on,
        place=place,
        has_facility=facility is not None,
        today=today,
    )
    stored = list(delivery.births.order_by("birth_order")) if delivery is not None else []
    if (
        delivery is None
        and pregnancy is not None
        and pregnancy.outcome
        and hasattr(pregnancy, "delivery")
    ):
        problems.append(
            rules.Problem("pregnancy_closed", "pregnancy", params={"value": pregnancy.outcome_date})
        )
    if delivery is not None and babies is None:
        # Births keep their values; one born on the delivery's old date moves with it.
        babies = [_stored_baby(birth, delivery.date) for birth in stored]
    babies = babies or []
    if not babies:
        problems.append(rules.Problem("required", "babies", params={"label": "thông tin trẻ"}))
    if delivery is not None and [b.outcome for b in babies] != [b.outcome for b in stored]:
        problems.append(rules.Problem("births_fixed", "babies"))
    for baby in babies:
        born_on = baby.born_on(date)
        problems += rules.birth_check(
            birth_weight_g=baby.birth_weight_g,
            gestational_weeks=baby.gestational_weeks
            or (rules.gestational_weeks(lmp, born_on) if lmp else None),
        )
        problems += rules.birth_date_check(born_on=born_on, delivered_on=date, today=today)
        problems += rules.stillbirth_cause_check(
            outcome=baby.outcome,
            perinatal_cause=baby.extra.get("perinatal_cause", ""),
            has_person=False,
        )
    flags = check(problems)
    settings = derive.settings_for(person.residence_unit)
    delivery, is_new, before = event_prepare(
        delivery,
        lambda: Delivery(person=person, pregnancy=pregnancy),
        {
            "date": date,
            "place": place,
            "attendant": attendant,
            "skilled": rules.is_skilled(
                attendant, village_midwife_is_skilled=settings.village_midwife_is_skilled
            ),
            "facility_level": facility.care_level if facility is not None else "",
            "live_births": sum(b.outcome == BirthOutcome.LIVE for b in babies),
            "stillbirths": sum(b.outcome == BirthOutcome.STILLBIRTH for b in babies),
            **fields,
        },
        user=user,
        person=person,
    )
    delivery = event_save(
        delivery,
        user=user,
        person=person,
        flags=flags,
        is_new=is_new,
        before=before,
        source=source,
    )
    # The births happened where the delivery did (its units are checked already).
    birth_places = Places(
        delivery.residence_unit, delivery.village, delivery.service_unit, delivery.facility
    )
    for order, baby in enumerate(babies, start=1):
        born_on = baby.born_on(date)
        existing = stored[order - 1] if stored else None
        child = existing.person if existing is not None else None
        if child is None and baby.outcome == BirthOutcome.LIVE:
            child = person_register(
                user=user,
                full_name=baby.full_name or f"Con bà {person.full_name}",
                sex=baby.sex,
                birth_date=born_on,
                residence_unit=person.residence_unit,
                village=person.village,
                mother=person,
                ethnicity=person.ethnicity,
                allow_likely_duplicate=True,
                today=today,
                source=source,
                for_live_birth=True,
            )
        elif child is not None and (child.birth_date, child.sex) != (born_on, baby.sex):
            _child_correct(user=user, child=child, birth_date=born_on, sex=baby.sex)
        birth, birth_new, birth_before = event_prepare(
            existing,
            lambda: Birth(delivery=delivery, mother=person),
            {
                "person": child,
                "outcome": baby.outcome,
                "sex": baby.sex,
                "birth_order": order,
                "birth_weight_g": baby.birth_weight_g,
                "gestational_weeks": baby.gestational_weeks
                or (rules.gestational_weeks(lmp, born_on) if lmp else None),
                "date": born_on,
                "time": baby.time or delivery.time,
                **baby.extra,
            },
            user=user,
            person=person,
            places=birth_places,
        )
        birth_flags = rules.warning_codes(
            rules.birth_check(
                birth_weight_g=birth.birth_weight_g, gestational_weeks=birth.gestational_weeks
            )
            + rules.birth_date_check(born_on=born_on, delivered_on=date, today=today)
        )
        event_save(
            birth,
            user=user,
            person=person,
            flags=birth_flags,
            is_new=birth_new,
            before=birth_before,
            source=source,
        )
    if pregnancy is not None:
        live = any(b.outcome == BirthOutcome.LIVE for b in babies)
        pregnancy.outcome = PregnancyOutcome.LIVE_BIRTH if live else PregnancyOutcome.STILLBIRTH
        pregnancy.outcome_date = date
        pregnancy.save(update_fields=["outcome", "outcome_date", "updated_at"])
    if not is_new:
        for contact in delivery.postnatal_contacts.all():
            contact.day_after_birth = (contact.date - date).days
            contact.save(update_fields=["day_after_birth", "updated_at"])
    return delivery


_BIRTH_VALUES = ("birth_weight_g", "gestational_weeks")
_BIRTH_EXTRA = (
    "eenc_dried",
    "eenc_skin_to_skin",
    "eenc_cord_delayed",
    "eenc_breastfed_1h",
    "vitamin_k1",
    "hepb_birth_24h",
    "kangaroo_care",
    "perinatal_cause",
    "perinatal_maternal_condition",
)


def _stored_baby(birth: Birth, delivered_on: dt.date) -> BirthInput:
    """A stored birth as the input that would store it again (for a correction of the
    delivery alone); a baby born on the delivery's date keeps following it."""
    return BirthInput(
        outcome=birth.outcome,
        sex=birth.sex,
        birth_weight_g=birth.birth_weight_g,
        gestational_weeks=birth.gestational_weeks,
        date=None if birth.date == delivered_on else birth.date,
        time=birth.time,
        extra={name: getattr(birth, name) for name in _BIRTH_EXTRA},
    )


def _child_correct(*, user: Any, child: Person, birth_date: dt.date, sex: str) -> None:
    """A corrected birth corrects the child's date of birth and sex (audited)."""
    before = snapshot(child)
    child.birth_date = birth_date
    child.sex = sex or child.sex
    child.save(update_fields=["birth_date", "sex", "updated_at"])
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=child,
        person_id=child.pk,
        changes=diff(before, snapshot(child)),
        note="Sửa lần đẻ",
    )


@transaction.atomic
def postnatal_contact_record(
    *,
    user: Any,
    delivery: Delivery,
    person: Person,
    date: dt.date,
    place: str,
    today: dt.date | None = None,
    contact: PostnatalContact | None = None,
    source: str = Source.FORM,
    **fields: Any,
) -> PostnatalContact:
    """A postnatal contact with the mother or one of the newborns of ``delivery``."""
    require_person(user, delivery.person, field="delivery")
    if person.pk == delivery.person_id:
        subject = "mother"
    elif delivery.births.filter(person=person).exists():
        subject = "newborn"
    else:
        raise ValueError("Người này không phải mẹ hoặc trẻ của lần sinh này.")
    flags = check(
        rules.postnatal_check(day=date, delivered_on=delivery.date, today=today_or(today))
    )
    contact, is_new, before = event_prepare(
        contact,
        lambda: PostnatalContact(person=person, delivery=delivery),
        {
            "date": date,
            "place": place,
            "subject": subject,
            "day_after_birth": (date - delivery.date).days,
            **fields,
        },
        user=user,
        person=person,
    )
    return event_save(
        contact, user=user, person=person, flags=flags, is_new=is_new, before=before, source=source
    )


__all__ = [
    "BirthInput",
    "Sex",
    "antenatal_visit_record",
    "delivery_record",
    "postnatal_contact_record",
    "pregnancy_end",
    "pregnancy_register",
]
