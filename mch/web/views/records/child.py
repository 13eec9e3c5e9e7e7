"""Pages that record a child's check-up, growth measurement, vaccine dose, illness or
injury, and a death (children and women)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mch.registers import rules, services
from mch.registers.models import (
    CheckUp,
    Death,
    GrowthMeasurement,
    Illness,
    Immunisation,
    Nutrition,
    Person,
)
from mch.registers.selectors import event_get
from mch.registers.services.child import dose_problems, growth_fill
from mch.web.forms.child import (
    CheckUpForm,
    DeathForm,
    DoseForm,
    IllnessForm,
    MeasurementForm,
)

from .common import (
    done,
    form_data,
    form_page,
    initial_from,
    person_from,
    records_view,
    save_or_show,
)

# ---------------------------------------------------------------------- check-up


@records_view
def checkup_add(request: HttpRequest) -> HttpResponse:
    return _checkup_page(request, person_from(request), None)


@records_view
def checkup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    checkup = event_get(user=request.user, model=CheckUp, pk=pk)
    return _checkup_page(request, checkup.person, checkup)


def _checkup_page(request: HttpRequest, person: Person, checkup: CheckUp | None) -> HttpResponse:
    initial = initial_from(checkup, CheckUpForm.base_fields) if checkup else None
    form = CheckUpForm(form_data(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.checkup_record(
                user=request.user, person=person, checkup=checkup, **form.service_kwargs()
            ),
        )
        if saved is not None:
            text = _("Check-up of %(date)s saved.") % {"date": f"{saved.date:%d/%m/%Y}"}
            return done(request, person, text)
    title = _("Correct the check-up") if checkup else _("Periodic check-up")
    return form_page(request, form=form, person=person, title=title)


# ---------------------------------------------------------------------- growth


@records_view
def measurement_add(request: HttpRequest) -> HttpResponse:
    return _measurement_page(request, person_from(request), None)


@records_view
def measurement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = event_get(user=request.user, model=GrowthMeasurement, pk=pk)
    return _measurement_page(request, measurement.person, measurement)


def _z(value: float | None) -> str:
    if value is None:
        return "—"
    return formats.number_format(round(value, 2), 2, use_l10n=True)


def growth_summary(measurement: GrowthMeasurement) -> str:
    """The z-scores and what they mean, as one line for the message after saving."""
    status = dict(Nutrition.choices)
    parts = []
    for label, z, category in (
        (_("Weight-for-age (WAZ)"), measurement.waz, measurement.underweight),
        (_("Length/height-for-age (HAZ)"), measurement.haz, measurement.stunting),
        (_("Weight-for-length/height (WHZ)"), measurement.whz, measurement.wasting),
    ):
        text = f"{label} {_z(z)}"
        if category:
            text += f" ({status.get(category, category)})"
        parts.append(text)
    if measurement.overweight:
        parts.append(_("overweight"))
    return " · ".join(parts)


def _measurement_page(
    request: HttpRequest, person: Person, measurement: GrowthMeasurement | None
) -> HttpResponse:
    initial = initial_from(measurement, MeasurementForm.base_fields) if measurement else None
    form = MeasurementForm(form_data(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.measurement_record(
                user=request.user,
                person=person,
                measurement=measurement,
                **form.service_kwargs(),
            ),
        )
        if saved is not None:
            text = _("Measurement of %(date)s saved. %(summary)s") % {
                "date": f"{saved.date:%d/%m/%Y}",
                "summary": growth_summary(saved),
            }
            language = get_language() or "vi"
            warnings = [problem.message(language) for problem in growth_fill(saved, person)]
            return done(request, person, text, warnings)
    title = _("Correct the measurement") if measurement else _("Weighing and measuring")
    return form_page(request, form=form, person=person, title=title)


# ---------------------------------------------------------------------- immunisation


def _schedule(person: Person, day: dt.date) -> list[Any]:
    from mch.immunisation.selectors import province_of, schedule_rules

    return schedule_rules(on=day, province=province_of(person.residence_unit))


def antigen_choices(person: Person) -> list[tuple[str, str]]:
    from mch.immunisation.engine import CHILD, PREGNANT_WOMAN
    from mch.immunisation.models import Antigen

    adult = person.birth_date is not None and rules.age_years(person.birth_date, _today()) >= 15
    target = PREGNANT_WOMAN if adult else CHILD
    english = (get_language() or "vi").startswith("en")
    return [
        (
            antigen.code,
            f"{antigen.abbreviation} — {antigen.name_en if english else antigen.name_vi}",
        )
        for antigen in Antigen.objects.filter(target_group=target)
    ]


def _abbreviations() -> dict[str, str]:
    from mch.immunisation.models import Antigen

    return dict(Antigen.objects.values_list("code", "abbreviation"))


def doses_to_give(person: Person, day: dt.date) -> list[Any]:
    """The child's doses due, overdue or missed on ``day`` and the next ones coming."""
    from mch.immunisation.engine import DoseGiven, Status, child_status

    if person.birth_date is None:
        return []
    given = [DoseGiven(d.antigen, d.dose, d.date, d.is_epi) for d in person.immunisations.all()]
    statuses = child_status(person.birth_date, given, _schedule(person, day), day)
    wanted = {Status.DUE, Status.OVERDUE, Status.MISSED}
    soon = day + dt.timedelta(days=60)
    return [
        s
        for s in statuses
        if s.status in wanted
        or (s.status == Status.TOO_EARLY and s.waiting_for is None and s.due_date <= soon)
    ]


STATUS_LABELS = {
    "due": gettext_lazy("Due"),
    "overdue": gettext_lazy("Overdue"),
    "missed": gettext_lazy("Missed"),
    "too_early": gettext_lazy("Coming up"),
}


@records_view
def dose_add(request: HttpRequest) -> HttpResponse:
    return _dose_page(request, person_from(request), None)


@records_view
def dose_edit(request: HttpRequest, pk: int) -> HttpResponse:
    immunisation = event_get(user=request.user, model=Immunisation, pk=pk)
    return _dose_page(request, immunisation.person, immunisation)


def _dose_page(
    request: HttpRequest, person: Person, immunisation: Immunisation | None
) -> HttpResponse:
    today = _today()
    due = doses_to_give(person, today) if immunisation is None else []
    if immunisation is not None:
        initial = initial_from(immunisation, DoseForm.base_fields)
    else:
        chosen = request.GET.get("vac", "")
        number = request.GET.get("mui", "")
        first = next((s for s in due if s.status != "too_early"), None)
        initial = {}
        if chosen:
            initial = {"antigen": chosen, "dose": number if number.isdigit() else None}
        elif first is not None:
            initial = {"antigen": first.antigen, "dose": first.dose}
    form = DoseForm(
        form_data(request), user=request.user, initial=initial, antigens=antigen_choices(person)
    )
    if request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.dose_record(
                user=request.user,
                person=person,
                immunisation=immunisation,
                **form.service_kwargs(),
            ),
        )
        if saved is not None:
            text = _("Dose saved: %(antigen)s dose %(dose)s on %(date)s.") % {
                "antigen": _abbreviations().get(saved.antigen, saved.antigen),
                "dose": saved.dose,
                "date": f"{saved.date:%d/%m/%Y}",
            }
            language = get_language() or "vi"
            problems = dose_problems(
                person, saved.antigen, saved.dose, saved.date, saved.is_epi, saved.pk
            )
            warnings = [p.message(language) for p in problems if not p.is_error]
            return done(request, person, text, warnings)
    names = _abbreviations()
    rows = [
        {
            "status": s,
            "label": STATUS_LABELS.get(str(s.status), str(s.status)),
            "name": names.get(s.antigen, s.antigen),
        }
        for s in due
    ]
    title = _("Correct the vaccine dose") if immunisation else _("Immunisation")
    return form_page(
        request, form=form, person=person, title=title, due=rows, template="web/records/dose.html"
    )


# ---------------------------------------------------------------------- illness and injury


@records_view
def illness_add(request: HttpRequest) -> HttpResponse:
    return _illness_page(request, person_from(request), None)


@records_view
def illness_edit(request: HttpRequest, pk: int) -> HttpResponse:
    illness = event_get(user=request.user, model=Illness, pk=pk)
    return _illness_page(request, illness.person, illness)


def _illness_page(request: HttpRequest, person: Person, illness: Illness | None) -> HttpResponse:
    initial = initial_from(illness, IllnessForm.base_fields) if illness else None
    form = IllnessForm(form_data(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.illness_record(
                user=request.user, person=person, illness=illness, **form.service_kwargs()
            ),
        )
        if saved is not None:
            text = _("Illness or injury of %(date)s saved.") % {"date": f"{saved.date:%d/%m/%Y}"}
            return done(request, person, text)
    title = _("Correct the illness or injury") if illness else _("Illness or injury")
    return form_page(request, form=form, person=person, title=title)


# ---------------------------------------------------------------------- death


@records_view
def death_add(request: HttpRequest) -> HttpResponse:
    person = person_from(request)
    form = DeathForm(
        form_data(request), user=request.user, woman=person.sex == "F" and not _is_child(person)
    )
    if request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.death_record(
                user=request.user, person=person, **form.service_kwargs()
            ),
        )
        if saved is not None:
            warnings = [_("Possible maternal death — must be notified.")]
            return done(
                request, person, _("Death recorded."), warnings if saved.possible_maternal else []
            )
    already = getattr(person, "death", None) if hasattr(person, "death") else None
    return form_page(request, form=form, person=person, title=_("Death"), already=already)


@records_view
def death_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a death: the same checks as recording it; the change is audited."""
    death = event_get(user=request.user, model=Death, pk=pk)
    person = death.person
    initial = initial_from(death, DeathForm.base_fields)
    form = DeathForm(
        form_data(request),
        user=request.user,
        initial=initial,
        woman=person.sex == "F" and not _is_child(person),
    )
    if request.method == "POST" and form.is_valid():
        saved = save_or_show(
            form,
            lambda: services.death_record(
                user=request.user, person=person, death=death, **form.service_kwargs()
            ),
        )
        if saved is not None:
            return done(request, person, _("Death corrected."))
    return form_page(request, form=form, person=person, title=_("Correct the death"))


def _is_child(person: Person) -> bool:
    return person.birth_date is not None and rules.age_years(person.birth_date, _today()) < 10


def _today() -> dt.date:
    return timezone.localdate()


@records_view
@require_POST
def death_notify(request: HttpRequest, pk: int) -> HttpResponse:
    """A possible maternal death notified today (the review workflow comes later)."""
    death = event_get(user=request.user, model=Death, pk=pk)
    try:
        services.death_notify(user=request.user, death=death, notified_on=_today())
    except rules.RecordInvalid as invalid:
        messages.error(request, str(invalid))
    else:
        messages.success(request, _("Marked as notified."))
    return redirect("person-detail", pk=death.person_id)
