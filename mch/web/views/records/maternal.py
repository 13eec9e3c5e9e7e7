"""Pages that record a pregnancy, its end, antenatal visits, a delivery with its babies
and postnatal contacts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mch.core.day_range import day_in_range
from mch.registers import rules, services
from mch.registers.models import (
    AntenatalVisit,
    BirthOutcome,
    Delivery,
    PostnatalContact,
    Pregnancy,
)
from mch.registers.selectors import event_get
from mch.web.forms.fields import DATE_FORMATS
from mch.web.forms.maternal import (
    BABY_PREFIX,
    MAX_BABIES,
    AntenatalVisitForm,
    BabyForm,
    BabyFormSet,
    DeliveryForm,
    PostnatalForm,
    PregnancyEndForm,
    PregnancyForm,
)

from .common import (
    done,
    event_from,
    form_data,
    form_page,
    initial_from,
    person_from,
    records_view,
    save_or_show,
)


def _day(raw: str) -> dt.date | None:
    raw = (raw or "").strip()
    for pattern in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
        return day if day_in_range(day) else None
    return None


def gestation_facts(
    *, lmp: dt.date | None, edd: dt.date | None, day: dt.date | None
) -> dict[str, Any]:
    """The EDD (computed when only the LMP is known) and the gestational age on ``day``."""
    start, due = rules.pregnancy_dates(lmp, edd)
    facts: dict[str, Any] = {"lmp": start, "edd": due, "edd_computed": edd is None and due}
    if lmp is not None and edd is not None:
        off = abs((edd - lmp).days - rules.PREGNANCY_DAYS)
        facts["mismatch"] = off if off > 21 else None
    if start is not None and day is not None and day >= start:
        days = (day - start).days
        facts.update(
            weeks=days // 7,
            days=days % 7,
            trimester=rules.trimester(days // 7),
            day=day,
        )
    return facts


def _gestation_attrs(form: Any, url: str, names: tuple[str, ...]) -> None:
    include = ",".join(f"[name={name}]" for name in names)
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs.update({"hx-get": url, "hx-include": include})


@records_view
def gestation(request: HttpRequest) -> HttpResponse:
    """HTMX: the computed EDD and gestational age for the dates typed so far."""
    lmp, edd = _day(request.GET.get("lmp", "")), _day(request.GET.get("edd", ""))
    if request.GET.get("thai_ky"):
        pregnancy = event_from(request, Pregnancy, "thai_ky")
        lmp, edd = pregnancy.lmp, pregnancy.edd
    facts = gestation_facts(lmp=lmp, edd=edd, day=_day(request.GET.get("date", "")))
    return render(request, "web/records/_gestation.html", {"g": facts})


# ---------------------------------------------------------------------- pregnancy


@records_view
def pregnancy_add(request: HttpRequest) -> HttpResponse:
    person = person_from(request)
    return _pregnancy_page(request, person, None)


@records_view
def pregnancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pregnancy = event_get(user=request.user, model=Pregnancy, pk=pk)
    return _pregnancy_page(request, pregnancy.person, pregnancy)


def _pregnancy_page(request: HttpRequest, person: Any, pregnancy: Pregnancy | None) -> HttpResponse:
    initial = initial_from(pregnancy, PregnancyForm.base_fields) if pregnancy else None
    form = PregnancyForm(form_data(request), user=request.user, initial=initial)
    _gestation_attrs(form, reverse("record-gestation"), ("date", "lmp", "edd"))
    if request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.pregnancy_register(
                user=request.user, person=person, pregnancy=pregnancy, **form.service_kwargs()
            ),
        )
        if saved is not None:
            text = _("Pregnancy saved: expected date of delivery %(edd)s.") % {
                "edd": f"{saved.edd:%d/%m/%Y}"
            }
            return done(request, person, text)
    if form.is_bound:
        source = getattr(form, "cleaned_data", {})
    else:
        source = {n: form.get_initial_for_field(form.fields[n], n) for n in ("date", "lmp", "edd")}
    facts = gestation_facts(lmp=source.get("lmp"), edd=source.get("edd"), day=source.get("date"))
    title = _("Correct the pregnancy") if pregnancy else _("Register a pregnancy")
    return form_page(
        request, form=form, person=person, title=title, gestation=facts, gestation_after="edd"
    )


@records_view
def pregnancy_end(request: HttpRequest, pk: int) -> HttpResponse:
    pregnancy = event_get(user=request.user, model=Pregnancy, pk=pk)
    person = pregnancy.person
    form = PregnancyEndForm(form_data(request), user=request.user)
    delivered = Delivery.objects.filter(pregnancy=pregnancy).first()
    if request.method == "POST" and delivered is not None:
        # Ended by a delivery: correcting that is the delivery's business, not this form's.
        form.is_valid()
        form.problems_show(
            [rules.Problem("pregnancy_closed", "outcome_date", params={"value": delivered.date})]
        )
    elif request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.pregnancy_end(
                user=request.user, pregnancy=pregnancy, **form.service_kwargs()
            ),
        )
        if saved is not None:
            return done(request, person, _("The end of the pregnancy was recorded."))
    return form_page(
        request,
        form=form,
        person=person,
        title=_("End of pregnancy without delivery"),
        pregnancy=pregnancy,
        closed=not pregnancy.is_open,
    )


# ---------------------------------------------------------------------- antenatal visits


@records_view
def antenatal_add(request: HttpRequest) -> HttpResponse:
    pregnancy = event_from(request, Pregnancy, "thai_ky")
    return _antenatal_page(request, pregnancy, None)


@records_view
def antenatal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = event_get(user=request.user, model=AntenatalVisit, pk=pk)
    return _antenatal_page(request, visit.pregnancy, visit)


def _antenatal_page(
    request: HttpRequest, pregnancy: Pregnancy, visit: AntenatalVisit | None
) -> HttpResponse:
    person = pregnancy.person
    initial = initial_from(visit, AntenatalVisitForm.base_fields) if visit else None
    form = AntenatalVisitForm(form_data(request), user=request.user, initial=initial)
    url = f"{reverse('record-gestation')}?thai_ky={pregnancy.pk}"
    _gestation_attrs(form, url, ("date",))
    if request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.antenatal_visit_record(
                user=request.user, pregnancy=pregnancy, visit=visit, **form.service_kwargs()
            ),
        )
        if saved is not None:
            text = _("Antenatal visit of %(date)s saved (%(weeks)s weeks).") % {
                "date": f"{saved.date:%d/%m/%Y}",
                "weeks": saved.gestational_weeks if saved.gestational_weeks is not None else "?",
            }
            return done(request, person, text)
    day = form.cleaned_data.get("date") if form.is_bound and form.is_valid() else None
    facts = gestation_facts(
        lmp=pregnancy.lmp, edd=pregnancy.edd, day=day or (visit.date if visit else _today())
    )
    title = _("Correct the antenatal visit") if visit else _("Antenatal visit")
    return form_page(
        request,
        form=form,
        person=person,
        title=title,
        gestation=facts,
        pregnancy=pregnancy,
        gestation_after="date",
    )


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------------- delivery


@records_view
def delivery_add(request: HttpRequest) -> HttpResponse:
    if request.GET.get("thai_ky"):
        pregnancy = event_from(request, Pregnancy, "thai_ky")
        person = pregnancy.person
    else:
        person = person_from(request)
        pregnancy = person.pregnancies.filter(outcome="").order_by("-date").first()
    data = form_data(request)
    form = DeliveryForm(data, user=request.user)
    babies = BabyFormSet(data, prefix=BABY_PREFIX)
    if request.method == "POST":
        form_ok = form.is_valid()
        babies_ok = babies.is_valid()
        if form_ok and babies_ok:
            inputs = [
                baby.birth_input() for baby in babies if baby.has_changed() or baby is babies[0]
            ]
            saved = save_or_show(
                form,
                lambda: services.delivery_record(
                    user=request.user,
                    person=person,
                    pregnancy=pregnancy,
                    babies=inputs,
                    **form.service_kwargs(),
                ),
            )
            if saved is not None:
                text = _(
                    "Delivery of %(date)s saved: %(live)s live birth(s), %(still)s stillbirth(s)."
                ) % {
                    "date": f"{saved.date:%d/%m/%Y}",
                    "live": saved.live_births,
                    "still": saved.stillbirths,
                }
                return done(request, person, text)
    if request.method == "POST" and not form.errors:
        _focus_first_baby_error(form, babies)
    lmp = rules.pregnancy_dates(pregnancy.lmp, pregnancy.edd)[0] if pregnancy else None
    return form_page(
        request,
        form=form,
        person=person,
        title=_("Delivery"),
        template="web/records/delivery.html",
        babies=babies,
        pregnancy=pregnancy,
        lmp=lmp,
        add_baby_url=_add_baby_url(len(babies.forms)),
        max_babies=MAX_BABIES,
    )


@records_view
def delivery_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a delivery and its babies (same checks as recording it; audited). The
    number of babies and their outcomes stay as recorded."""
    delivery = event_get(user=request.user, model=Delivery, pk=pk)
    person = delivery.person
    stored = list(delivery.births.order_by("birth_order"))
    data = form_data(request)
    form = DeliveryForm(
        data, user=request.user, initial=initial_from(delivery, DeliveryForm.base_fields)
    )
    initial = [
        {
            **initial_from(birth, BabyForm.base_fields),
            "birth_date": birth.date,
            "birth_time": birth.time,
            "full_name": birth.person.full_name if birth.person else "",
        }
        for birth in stored
    ]
    babies = BabyFormSet(data, prefix=BABY_PREFIX, initial=initial)
    if request.method == "POST" and form.is_valid() and babies.is_valid():
        inputs = [baby.birth_input() for baby in babies]
        saved = save_or_show(
            form,
            lambda: services.delivery_record(
                user=request.user,
                person=person,
                delivery=delivery,
                babies=inputs,
                **form.service_kwargs(),
            ),
        )
        if saved is not None:
            return done(request, person, _("Delivery corrected."))
    pregnancy = delivery.pregnancy
    lmp = rules.pregnancy_dates(pregnancy.lmp, pregnancy.edd)[0] if pregnancy else None
    return form_page(
        request,
        form=form,
        person=person,
        title=_("Correct the delivery"),
        template="web/records/delivery.html",
        babies=babies,
        pregnancy=pregnancy,
        lmp=lmp,
        add_baby_url=None,
        max_babies=len(stored),
    )


def _focus_first_baby_error(form: DeliveryForm, babies: Any) -> None:
    for baby in babies:
        name = next((name for name in baby.fields if name in baby.errors), None)
        if name is not None:
            for field in form.fields.values():
                field.widget.attrs.pop("autofocus", None)
            baby.fields[name].widget.attrs["autofocus"] = True
            return


def _add_baby_url(count: int) -> str | None:
    if count >= MAX_BABIES:
        return None
    return f"{reverse('record-delivery-baby')}?n={count}"


@records_view
def delivery_baby(request: HttpRequest) -> HttpResponse:
    """HTMX: one more baby's fields (twins, triplets) and the updated form count."""
    raw = request.GET.get("n", "1")
    index = min(max(int(raw) if raw.isdigit() else 1, 1), MAX_BABIES - 1)
    baby = BabyForm(prefix=f"{BABY_PREFIX}-{index}")
    baby.fields["outcome"].widget.attrs["autofocus"] = True
    return render(
        request,
        "web/records/_baby_added.html",
        {
            "baby": baby,
            "number": index + 1,
            "total": index + 1,
            "prefix": BABY_PREFIX,
            "add_baby_url": _add_baby_url(index + 1),
        },
    )


# ---------------------------------------------------------------------- postnatal care


def _postnatal_people(delivery: Delivery) -> list[tuple[str, str]]:
    people = [(str(delivery.person_id), _("Mother: %(name)s") % {"name": delivery.person})]
    for birth in delivery.births.filter(
        outcome=BirthOutcome.LIVE, person__isnull=False
    ).select_related("person"):
        people.append(
            (
                str(birth.person_id),
                _("Newborn %(order)s: %(name)s")
                % {"order": birth.birth_order, "name": birth.person},
            )
        )
    return people


@records_view
def postnatal_add(request: HttpRequest) -> HttpResponse:
    delivery = event_from(request, Delivery, "de")
    people = _postnatal_people(delivery)
    form = PostnatalForm(form_data(request), user=request.user, people=people)
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["people"]}
        everyone = {p.pk: p for p in _delivery_people(delivery)}

        def save_all() -> list[PostnatalContact]:
            with transaction.atomic():
                return [
                    services.postnatal_contact_record(
                        user=request.user,
                        delivery=delivery,
                        person=everyone[pk],
                        **form.service_kwargs(),
                    )
                    for pk in sorted(chosen, key=lambda pk: pk != delivery.person_id)
                ]

        saved = save_or_show(form, save_all)
        if saved is not None:
            text = _("Postnatal visit of %(date)s saved for %(count)s person(s).") % {
                "date": f"{form.cleaned_data['date']:%d/%m/%Y}",
                "count": len(saved),
            }
            return done(request, delivery.person, text)
    return form_page(
        request,
        form=form,
        person=delivery.person,
        title=_("Postnatal care"),
        delivery=delivery,
    )


def _delivery_people(delivery: Delivery) -> list[Any]:
    children = [
        birth.person
        for birth in delivery.births.filter(person__isnull=False).select_related("person")
    ]
    return [delivery.person, *children]


@records_view
def postnatal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = event_get(user=request.user, model=PostnatalContact, pk=pk)
    initial = initial_from(contact, PostnatalForm.base_fields)
    form = PostnatalForm(form_data(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.postnatal_contact_record(
                user=request.user,
                delivery=contact.delivery,
                person=contact.person,
                contact=contact,
                **form.service_kwargs(),
            ),
        )
        if saved is not None:
            return done(request, contact.person, _("Postnatal visit corrected."))
    return form_page(
        request,
        form=form,
        person=contact.person,
        title=_("Correct the postnatal visit"),
        delivery=contact.delivery,
    )
