"""People in the registers: search, register a woman or a child, the person's handbook
page, and corrections (details, residence, merging a duplicate).

Reads go through ``mch.registers.selectors`` (scoped: a person outside the user's units is
a 404), writes through ``mch.registers.services`` (validated, audited). Every opening of a
person's page is logged (Law 91/2025/QH15).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from mch.accounts.permissions import can_see_people
from mch.accounts.scope import Scope
from mch.core.day_range import validate_day_in_range
from mch.orgunits.models import Facility, OrgUnit
from mch.registers import derive, selectors, services
from mch.registers.bundle.spec import CHOICES
from mch.registers.ethnicities import ETHNICITIES, ethnicity_name
from mch.registers.models import Education, Person, Poverty, Sex
from mch.registers.rules import Problem, RecordInvalid
from mch.registers.villages import village_names

PER_PAGE = 25
CHILD_YEARS = 6  # the handbook follows a child until 6
WOMAN_MIN_YEARS = 10
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# The register forms (mch/web/views/records): the URL name that adds each kind of record.
ADD_URL_NAMES = {
    "pregnancy": "record-pregnancy-add",
    "antenatal_visit": "record-antenatal-add",
    "delivery": "record-delivery-add",
    "postnatal_contact": "record-postnatal-add",
    "checkup": "record-checkup-add",
    "growth": "record-growth-add",
    "immunisation": "record-dose-add",
    "illness": "record-illness-add",
    "death": "record-death-add",
}

FLAG_LABELS = {
    "lmp_edd_mismatch": gettext_lazy("Due date does not match the last period"),
    "birth_weight_unlikely": gettext_lazy("Birth weight unlikely for the gestation"),
    "pnc_too_late": gettext_lazy("Visit after day 42"),
    "stillbirth_as_person": gettext_lazy(
        "Born on the day of the mother's stillbirth: check that this child was born alive"
    ),
    "z_implausible": gettext_lazy("Implausible z-score: check the measurement"),
    "standing_under_9_months": gettext_lazy("Measured standing under 9 months"),
    "age_over_5": gettext_lazy("5 years or older: no z-scores"),
    "dose_dose_repeated": gettext_lazy("Dose recorded twice"),
    "dose_not_in_schedule": gettext_lazy("Not in the schedule"),
    "dose_before_min_age": gettext_lazy("Before the minimum age"),
    "dose_after_latest_age": gettext_lazy("After the latest age"),
    "dose_not_timely": gettext_lazy("Not on time"),
    "dose_interval_short": gettext_lazy("Too soon after the previous dose"),
    "dose_out_of_order": gettext_lazy("Previous dose given later"),
    "dose_previous_missing": gettext_lazy("Previous dose not recorded"),
}

KIND_LABELS = {
    "pregnancy": gettext_lazy("Pregnancy registered"),
    "antenatal_visit": gettext_lazy("Antenatal visit"),
    "delivery": gettext_lazy("Delivery"),
    "birth": gettext_lazy("Birth"),
    "postnatal_contact": gettext_lazy("Postnatal visit"),
    "checkup": gettext_lazy("Check-up"),
    "growth": gettext_lazy("Weighing and measuring"),
    "immunisation": gettext_lazy("Immunisation"),
    "illness": gettext_lazy("Illness or injury"),
    "death": gettext_lazy("Death"),
}

ACTION_LABELS = {
    "create": gettext_lazy("Recorded"),
    "update": gettext_lazy("Corrected"),
    "merge": gettext_lazy("Merged"),
    "import": gettext_lazy("Imported"),
    "delete": gettext_lazy("Deleted"),
    "export": gettext_lazy("Exported"),
}

MODEL_LABELS = {"person": gettext_lazy("personal details")}

PLACE_LABELS = {
    "facility": gettext_lazy("Health facility"),
    "home": gettext_lazy("At home"),
    "on_the_way": gettext_lazy("On the way"),
    "other": gettext_lazy("Other"),
}

MATCH_REASONS = {
    "national_id": gettext_lazy("same national ID"),
    "name": gettext_lazy("same name"),
    "birth_date": gettext_lazy("same date of birth"),
    "commune": gettext_lazy("same commune"),
}


# ---------------------------------------------------------------------- access


def people_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in users who may see identifiable records; others get a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_see_people(request.user):
            return forbidden(request)
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as denied:
            return forbidden(request, str(denied))

    return login_required(wrapper)


def forbidden(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/people/forbidden.html", {"reason": reason}, status=403)


def communes_in_scope(user: Any, day: dt.date) -> QuerySet[OrgUnit]:
    communes = OrgUnit.objects.filter(level="commune").valid_on(day)
    return Scope.for_user(user).filter(communes).order_by("name")


def move_targets(user: Any, day: dt.date) -> QuerySet[OrgUnit]:
    """Communes a person may move to: any commune of the user's province(s)."""
    communes = OrgUnit.objects.filter(level="commune").valid_on(day).order_by("name")
    scope = Scope.for_user(user)
    if scope.unrestricted:
        return communes
    provinces = OrgUnit.objects.filter(level="province").filter(
        Q(pk__in=scope.context_ids) | scope.unit_q()
    )
    paths = list(provinces.values_list("path", flat=True)) or list(scope.paths)
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return communes.filter(query)


def villages_in_scope(user: Any) -> list[str]:
    rows = (
        Person.objects.filter(selectors.people_scope_q(user))
        .exclude(village="")
        .order_by()
        .values_list("village", flat=True)
        .distinct()
    )
    return village_names(rows)[:300]


# ---------------------------------------------------------------------- forms


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        validators=[validate_day_in_range],
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
    )


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "off", **attrs})


class PersonForm(forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("Full name"), max_length=200, widget=_text(autofocus="autofocus")
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices)
    birth_date = date_field(gettext_lazy("Date of birth"), required=False)
    birth_date_estimated = forms.BooleanField(
        label=gettext_lazy("Date of birth estimated (only the year is known)"), required=False
    )
    ethnicity = forms.ChoiceField(
        label=gettext_lazy("Ethnic group"),
        required=False,
        choices=[("", "—"), *((code, f"{name} ({code})") for code, name in ETHNICITIES)],
    )
    national_id = forms.CharField(
        label=gettext_lazy("National ID (CCCD, 12 digits)"),
        required=False,
        max_length=20,
        widget=_text(inputmode="numeric"),
    )
    insurance_number = forms.CharField(
        label=gettext_lazy("Health insurance card number (BHYT)"),
        required=False,
        max_length=20,
        widget=_text(),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"), required=False, max_length=20, widget=_text(inputmode="tel")
    )
    residence_unit = forms.ModelChoiceField(
        label=gettext_lazy("Commune of residence"), queryset=OrgUnit.objects.none()
    )
    village = forms.CharField(
        label=gettext_lazy("Village"), required=False, max_length=100, widget=_text(list="villages")
    )
    address = forms.CharField(
        label=gettext_lazy("Address"), required=False, max_length=200, widget=_text()
    )
    poverty = forms.ChoiceField(
        label=gettext_lazy("Household"), required=False, choices=Poverty.choices
    )
    education = forms.ChoiceField(
        label=gettext_lazy("Education"), required=False, choices=Education.choices
    )

    def __init__(self, *args: Any, communes: QuerySet[OrgUnit] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if communes is None:
            del self.fields["residence_unit"]
        else:
            field = self.fields["residence_unit"]
            field.queryset = communes  # type: ignore[attr-defined]
            field.empty_label = None if len(communes) == 1 else "—"  # type: ignore[attr-defined]

    def clean_national_id(self) -> str:
        return "".join(self.cleaned_data["national_id"].split())

    def clean_insurance_number(self) -> str:
        return "".join(self.cleaned_data["insurance_number"].split()).upper()

    def clean_phone(self) -> str:
        return self.cleaned_data["phone"].strip()

    def details(self) -> dict[str, Any]:
        """The cleaned values the services take as person details."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in services.people.EDITABLE
        }


class MoveForm(forms.Form):
    residence_unit = forms.ModelChoiceField(
        label=gettext_lazy("New commune of residence"), queryset=OrgUnit.objects.none()
    )
    village = forms.CharField(
        label=gettext_lazy("Village"), required=False, max_length=100, widget=_text(list="villages")
    )
    moved_on = date_field(gettext_lazy("Living there since"))

    def __init__(self, *args: Any, communes: QuerySet[OrgUnit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["residence_unit"].queryset = communes  # type: ignore[attr-defined]


def add_problems(form: forms.Form, problems: Iterable[Problem], skip: Iterable[str] = ()) -> None:
    """Show a service's refusal next to the fields it names, in the active language."""
    language = get_language() or "vi"
    for problem in problems:
        if problem.code in skip:
            continue
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message(language))


# ---------------------------------------------------------------------- search


@people_only
def person_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    communes = list(communes_in_scope(request.user, today))
    search = request.GET.get("q", "").strip()
    group = request.GET.get("nhom", "")
    village = request.GET.get("thon", "").strip()
    unit = next((c for c in communes if str(c.pk) == request.GET.get("xa")), None)
    people = selectors.person_list(
        user=request.user,
        search=search,
        unit=unit,
        village=village,
        sex="F" if group == "phu-nu" else "",
        born_after=_years_before(today, CHILD_YEARS) if group == "tre-em" else None,
    )
    if group == "phu-nu":
        people = people.exclude(birth_date__gt=_years_before(today, WOMAN_MIN_YEARS))
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("trang"))
    for person in page.object_list:
        person.age_text = age_text(person.birth_date, today)
    context = {
        "page": page,
        "search": search,
        "group": group,
        "village": village,
        "unit": unit,
        "communes": communes,
        "villages": villages_in_scope(request.user),
        "query": _query_without_page(request),
    }
    template = "web/people/_rows.html" if request.htmx else "web/people/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# ---------------------------------------------------------------------- register


@people_only
def person_register(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    mother = None
    if request.GET.get("me"):
        mother = selectors.person_get(user=request.user, pk=_int(request.GET["me"]))
    communes = communes_in_scope(request.user, today)
    initial: dict[str, Any] = {"sex": "F"}
    if mother is not None:
        initial = {
            "sex": "",
            "residence_unit": mother.residence_unit_id,
            "village": mother.village,
            "ethnicity": mother.ethnicity,
            "address": mother.address,
            "poverty": mother.poverty,
        }
    form = PersonForm(request.POST or None, communes=communes, initial=initial)
    if mother is not None:
        form.fields["sex"].choices = [("", "—"), *Sex.choices]  # type: ignore[attr-defined]
    candidates: list[dict[str, Any]] = []
    hidden_matches = 0
    offer_override = False
    if request.method == "POST" and form.is_valid():
        details = form.details()
        try:
            person = services.person_register(
                user=request.user,
                residence_unit=form.cleaned_data["residence_unit"],
                mother=mother,
                allow_likely_duplicate=request.POST.get("allow_likely_duplicate") == "on",
                **details,
            )
        except RecordInvalid as refused:
            codes = {problem.code for problem in refused.problems}
            add_problems(form, refused.problems, skip={"duplicate_person"})
            if codes & {"duplicate_person", "cccd_duplicate"}:
                candidates, hidden_matches = matches_visible(
                    request.user,
                    services.duplicates_find(
                        full_name=details["full_name"],
                        birth_date=details.get("birth_date"),
                        residence_unit=form.cleaned_data["residence_unit"],
                        national_id=details.get("national_id", ""),
                    ),
                    today,
                )
            offer_override = codes == {"duplicate_person"}
        else:
            messages.success(request, _("Registered: %(name)s.") % {"name": person.full_name})
            return redirect("person-detail", pk=person.pk)
    return render(
        request,
        "web/people/register.html",
        {
            "form": form,
            "mother": mother,
            "candidates": candidates,
            "hidden_matches": hidden_matches,
            "offer_override": offer_override,
            "villages": villages_in_scope(request.user),
        },
    )


def matches_visible(
    user: Any, matches: list[services.people.Match], today: dt.date
) -> tuple[list[dict[str, Any]], int]:
    """Likely duplicates the user may open, and how many more exist outside their units."""
    ids = {m.person.pk for m in matches}
    visible = set(
        Person.objects.filter(selectors.people_scope_q(user), pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    shown = [
        {
            "person": m.person,
            "age_text": age_text(m.person.birth_date, today),
            "national_id": mask(m.person.national_id),
            "reasons": [MATCH_REASONS.get(reason, reason) for reason in m.reasons],
        }
        for m in matches
        if m.person.pk in visible
    ]
    return shown, len(matches) - len(shown)


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# ---------------------------------------------------------------------- the handbook page


@people_only
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    book = selectors.handbook(user=request.user, pk=pk)
    person = book.person
    if person.merged_into_id:
        messages.info(
            request,
            _("This record was merged into another one; its records are shown there."),
        )
        return redirect("person-detail", pk=person.merged_into_id)
    services.audit_view(user=request.user, person_id=person.pk)
    today = timezone.localdate()
    _label_records(book)
    is_child = bool(person.mother_id or book.birth) or (
        person.birth_date is not None and person.birth_date > _years_before(today, CHILD_YEARS)
    )
    children = {child.pk: child for child in book.children}
    for delivery in book.deliveries:
        delivery.birth_rows = [
            {"birth": birth, "child": children.get(birth.person_id)}
            for birth in delivery.births.all()
        ]
    contacts: dict[int, list[Any]] = defaultdict(list)
    for contact in book.postnatal:
        contacts[contact.delivery_id].append(contact)
    for delivery in book.deliveries:
        delivery.contacts = contacts.get(delivery.pk, [])
    for child in book.children:
        child.age_text = age_text(child.birth_date, today)
    for record in [*book.measurements, *book.immunisations]:
        record.age_text = age_text(person.birth_date, record.date)
    for measurement in book.measurements:
        measurement.nutrition = nutrition_badges(measurement)
    context = {
        "book": book,
        "person": person,
        "is_child": is_child,
        "age": age_text(person.birth_date, today, until=person.deceased_on),
        "national_id": mask(person.national_id),
        "insurance_number": mask(person.insurance_number),
        "ethnicity": ethnicity_name(person.ethnicity),
        "groups": person_groups(person, today),
        "yellow_boxes": yellow_boxes(book, is_child),
        "add": add_links(person.pk),
        "open_pregnancy": next((p for p in book.pregnancies if p.is_open), None),
        "timeline": timeline_rows(book),
        "history": history_rows(book),
        "chart": growth_chart(person, book.measurements) if is_child else None,
        "yesno": _("yes,no,—"),
    }
    return render(request, "web/people/detail.html", context)


def add_links(pk: int) -> dict[str, str]:
    """Links to the register forms, for this person (``?nguoi=``)."""
    return {kind: f"{reverse(name)}?nguoi={pk}" for kind, name in ADD_URL_NAMES.items()}


def mask(value: str) -> str:
    """An identity number with all but its last 3 characters hidden."""
    if not value:
        return ""
    return "•" * max(len(value) - 3, 0) + value[-3:]


def age_text(birth: dt.date | None, today: dt.date, until: dt.date | None = None) -> str:
    if birth is None:
        return ""
    end = until or today
    days = (end - birth).days
    if days < 0:
        return ""
    if days < 60:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    months = (end.year - birth.year) * 12 + end.month - birth.month - (end.day < birth.day)
    if months < 24:
        return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    years, rest = divmod(months, 12)
    if years >= CHILD_YEARS or not rest:
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return _("%(years)d years %(months)d months") % {"years": years, "months": rest}


def flag_labels(flags: Iterable[str]) -> list[str]:
    return [str(FLAG_LABELS.get(code, code)) for code in flags or []]


def _list_labels(kind: str, codes: Iterable[str]) -> list[str]:
    labels = CHOICES.get(kind, {})
    return [labels.get(code, code) for code in codes or []]


def _label_records(book: selectors.Handbook) -> None:
    """Attach what the template shows but cannot compute: flag and list labels, facility
    names and vaccine names, read in one query each for all records."""
    visits = [visit for pregnancy in book.pregnancies for visit in pregnancy.visits.all()]
    births = [birth for delivery in book.deliveries for birth in delivery.births.all()]
    records: list[Any] = [
        book.person,
        *book.pregnancies,
        *visits,
        *book.deliveries,
        *births,
        *book.postnatal,
        *book.checkups,
        *book.measurements,
        *book.immunisations,
        *book.illnesses,
    ]
    records += [r for r in (book.birth, book.death) if r is not None]
    for record in records:
        record.flag_labels = flag_labels(record.flags)
    for pregnancy in book.pregnancies:
        pregnancy.risk_labels = _list_labels("risk_factor", pregnancy.risk_factors)
    for visit in visits:
        visit.danger_labels = _list_labels("danger_sign", visit.danger_signs)
    for delivery in book.deliveries:
        delivery.complication_labels = _list_labels("complication", delivery.complications)
        delivery.place_label = PLACE_LABELS.get(delivery.place, delivery.place)
    if book.death is not None:
        book.death.place_label = PLACE_LABELS.get(book.death.place, book.death.place)
    unjoined = [*visits, *book.postnatal, *book.checkups, *book.measurements, *book.illnesses]
    facilities = Facility.objects.in_bulk({r.facility_id for r in unjoined if r.facility_id})
    for record in unjoined:
        found = facilities.get(record.facility_id) if record.facility_id else None
        record.facility_name = found.name if found else ""
    names = vaccine_names({dose.antigen for dose in book.immunisations})
    for dose in book.immunisations:
        dose.vaccine = names.get(dose.antigen, (dose.antigen, ""))


def vaccine_names(codes: set[str]) -> dict[str, tuple[str, str]]:
    """Abbreviation and full name of each vaccine code, from the schedule app."""
    if not codes:
        return {}
    try:
        from mch.immunisation.models import Antigen
    except ImportError:  # the schedule app is optional
        return {}
    return {
        a.code: (a.abbreviation or a.code, a.name) for a in Antigen.objects.filter(code__in=codes)
    }


def person_groups(person: Person, today: dt.date) -> list[str]:
    """The groups indicators are disaggregated by, as they apply today."""
    groups = []
    if person.is_ethnic_minority:
        groups.append(_("Ethnic minority"))
    if person.poverty:
        groups.append(person.get_poverty_display())
    area = derive.AreaClassifier([person.residence_unit_id]).on(person.residence_unit_id, today)
    if area["area_ethnic_minority"]:
        groups.append(_("Ethnic-minority and mountainous area"))
    if area["area_zone"]:
        groups.append(_("Zone %(zone)s") % {"zone": area["area_zone"]})
    elif area["area_especially_difficult"]:
        groups.append(_("Especially difficult commune"))
    return groups


def yellow_boxes(book: selectors.Handbook, is_child: bool) -> list[str]:
    """The handbook's yellow boxes: signs that mean "go to a health facility now"."""
    boxes = []
    for pregnancy in book.pregnancies:
        if not pregnancy.is_open:
            continue
        for visit in pregnancy.visits.all():
            if visit.danger_signs:
                boxes.append(
                    _("Danger signs in pregnancy (%(date)s): %(signs)s")
                    % {"date": f"{visit.date:%d/%m/%Y}", "signs": ", ".join(visit.danger_labels)}
                )
    weight = book.birth.birth_weight_g if is_child and book.birth is not None else None
    if weight and weight < 2500:
        boxes.append(
            _("Low birth weight (%(grams)s g): follow the child at the health station.")
            % {"grams": weight}
        )
    if book.measurements:
        last = book.measurements[-1]
        found = [
            f"{label} ({status.lower()})"
            for label, value, status in (
                (_("wasting"), last.wasting, last.get_wasting_display()),
                (_("stunting"), last.stunting, last.get_stunting_display()),
                (_("underweight"), last.underweight, last.get_underweight_display()),
            )
            if value in ("moderate", "severe")
        ]
        if last.oedema:
            found.append(_("oedema"))
        if found:
            boxes.append(
                _("Malnutrition at the last measurement (%(date)s): %(what)s")
                % {"date": f"{last.date:%d/%m/%Y}", "what": ", ".join(found)}
            )
    return boxes


NUTRITION_CSS = {"normal": "ok", "moderate": "warn", "severe": "warn danger", "implausible": ""}


def nutrition_badges(m: Any) -> list[dict[str, str]]:
    """The classification of one measurement, coloured: green normal, yellow moderate,
    red (``danger``) severe."""
    badges = [
        {"label": str(label), "text": display, "css": NUTRITION_CSS.get(value, "")}
        for label, value, display in (
            (gettext_lazy("Stunting"), m.stunting, m.get_stunting_display()),
            (gettext_lazy("Underweight"), m.underweight, m.get_underweight_display()),
            (gettext_lazy("Wasting"), m.wasting, m.get_wasting_display()),
        )
        if value
    ]
    if m.overweight:
        badges.append({"label": _("Overweight"), "text": _("yes"), "css": "warn"})
    return badges


def timeline_rows(book: selectors.Handbook) -> list[dict[str, Any]]:
    return [
        {"date": day, "kind": KIND_LABELS.get(kind, kind), "summary": _summary(kind, record)}
        for day, kind, record in book.timeline
    ]


def _summary(kind: str, record: Any) -> str:
    if kind == "antenatal_visit" and record.gestational_weeks is not None:
        return _("week %(weeks)s, trimester %(trimester)s") % {
            "weeks": record.gestational_weeks,
            "trimester": record.trimester,
        }
    if kind == "delivery":
        return f"{record.place_label} · {record.get_attendant_display()}"
    if kind == "birth":
        return f"{record.birth_weight_g} g" if record.birth_weight_g else ""
    if kind == "growth":
        parts = [f"{_decimal(record.weight_kg, 1)} kg" if record.weight_kg else ""]
        parts.append(f"{_decimal(record.length_cm, 1)} cm" if record.length_cm else "")
        return " · ".join(part for part in parts if part)
    if kind == "immunisation":
        return _("%(vaccine)s dose %(dose)s") % {"vaccine": record.vaccine[0], "dose": record.dose}
    if kind == "illness":
        return record.get_kind_display()
    if kind == "postnatal_contact":
        return _("day %(day)s") % {"day": record.day_after_birth}
    if kind == "death":
        return record.get_cause_group_display()
    return ""


def _decimal(value: float | None, places: int) -> str:
    if value is None:
        return ""
    text = f"{value:.{places}f}"
    return text if (get_language() or "vi").startswith("en") else text.replace(".", ",")


# ---------------------------------------------------------------------- history


def history_rows(book: selectors.Handbook) -> list[dict[str, Any]]:
    """Who changed what, when: field names and values as the forms show them."""
    unit_ids: set[int] = set()
    for entry in book.history:
        for name, change in entry.changes.items():
            if name.endswith("unit_id") and isinstance(change, list):
                unit_ids.update(v for v in change if isinstance(v, int))
    units = {u.pk: u.name for u in OrgUnit.objects.filter(pk__in=unit_ids)} if unit_ids else {}
    rows = []
    for entry in book.history:
        model = _registers_model(entry.model)
        changes = []
        if entry.action == "update":
            for name, change in entry.changes.items():
                if not isinstance(change, list) or len(change) != 2:
                    continue
                field = _field(model, name)
                if field is None or name in {"flags", "recorded_by_id"}:
                    continue
                before, after = (_shown(field, value, units) for value in change)
                changes.append({"label": str(field.verbose_name), "before": before, "after": after})
        rows.append(
            {
                "at": timezone.localtime(entry.at),
                "user": (entry.user.get_full_name() or entry.user.username) if entry.user else "",
                "action": ACTION_LABELS.get(entry.action, entry.action),
                "what": MODEL_LABELS.get(entry.model)
                or (model._meta.verbose_name if model else entry.model),
                "changes": changes,
                "note": entry.note,
            }
        )
    return rows


def _registers_model(name: str) -> Any:
    from django.apps import apps

    try:
        return apps.get_model("registers", name) if name else None
    except LookupError:
        return None


def _field(model: Any, attname: str) -> Any:
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    return None


def _shown(field: Any, value: Any, units: dict[int, str]) -> str:
    if value in (None, "", []):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.attname.endswith("unit_id"):
        return units.get(value, str(value))
    if field.attname == "ethnicity":
        return ethnicity_name(value) or str(value)
    if field.get_internal_type() == "DateField":
        try:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float):
        return _decimal(value, 2)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# ---------------------------------------------------------------------- growth charts


CHARTS = (
    ("wfa", "weight_kg", gettext_lazy("Weight for age"), gettext_lazy("Weight (kg)")),
    (
        "lhfa",
        "length_cm",
        gettext_lazy("Length/height for age"),
        gettext_lazy("Length/height (cm)"),
    ),
)
DAYS_PER_MONTH = 30.4375


@lru_cache(maxsize=16)
def _reference(
    indicator: str, sex: int, last_day: int
) -> tuple[list[float], dict[str, list[float]]]:
    from mch.growth.curves import curves

    reference = curves(indicator, sex)
    keep = [i for i, day in enumerate(reference.x) if day <= last_day]
    months = [round(reference.x[i] / DAYS_PER_MONTH, 2) for i in keep]
    lines = {str(k): [values[i] for i in keep] for k, values in reference.lines.items()}
    return months, lines


def growth_chart(person: Person, measurements: list[Any]) -> dict[str, Any] | None:
    """WHO 2006 reference lines (−3, −2, 0, +2, +3 SD) with the child's points, for
    growth-chart.js (read from a JSON block, so no inline script)."""
    if person.sex not in ("F", "M") or person.birth_date is None:
        return None
    sex = 1 if person.sex == "M" else 2
    oldest = max((m.age_days for m in measurements), default=0)
    last_day = 730 if oldest < 670 else 1856
    charts = []
    for indicator, attribute, title, y_label in CHARTS:
        months, lines = _reference(indicator, sex, last_day)
        points = [
            {
                "x": round(m.age_days / DAYS_PER_MONTH, 2),
                "y": getattr(m, attribute),
                "date": f"{m.date:%d/%m/%Y}",
            }
            for m in measurements
            if getattr(m, attribute) is not None and m.age_days <= last_day
        ]
        charts.append(
            {
                "id": indicator,
                "title": str(title),
                "y_label": str(y_label),
                "x": months,
                "lines": lines,
                "points": points,
            }
        )
    return {
        "locale": "en-GB" if (get_language() or "vi").startswith("en") else "vi-VN",
        "x_label": _("Age (months)"),
        "child_label": person.full_name,
        "line_labels": {"-3": "−3 SD", "-2": "−2 SD", "0": _("Median"), "2": "+2 SD", "3": "+3 SD"},
        "charts": charts,
    }


# ---------------------------------------------------------------------- corrections


def _person_for_change(request: HttpRequest, pk: int) -> Person:
    person = selectors.person_get(user=request.user, pk=pk)
    if person.merged_into_id:
        raise PermissionDenied(_("This record was merged into another one and cannot be changed."))
    return person


@people_only
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_change(request, pk)
    name = person.full_name
    initial = {field: getattr(person, field) for field in services.people.EDITABLE}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(user=request.user, person=person, **form.details())
        except RecordInvalid as refused:
            add_problems(form, refused.problems)
        else:
            messages.success(request, _("Details saved."))
            return redirect("person-detail", pk=person.pk)
    elif request.method != "POST":
        services.audit_view(user=request.user, person_id=person.pk, note="sửa thông tin")
    return render(
        request,
        "web/people/edit.html",
        {"form": form, "person": person, "name": name, "villages": villages_in_scope(request.user)},
    )


@people_only
def person_move(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_change(request, pk)
    today = timezone.localdate()
    form = MoveForm(
        request.POST or None,
        communes=move_targets(request.user, today),
        initial={"moved_on": today, "residence_unit": person.residence_unit_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_move(
                user=request.user,
                person=person,
                residence_unit=form.cleaned_data["residence_unit"],
                village=form.cleaned_data["village"].strip(),
                moved_on=form.cleaned_data["moved_on"],
            )
        except RecordInvalid as refused:
            add_problems(form, refused.problems)
        else:
            messages.success(request, _("New residence saved."))
            if Scope.for_user(request.user).contains(form.cleaned_data["residence_unit"]):
                return redirect("person-detail", pk=person.pk)
            return redirect("person-list")
    residences = list(person.residences.select_related("unit").order_by("-valid_from"))
    return render(
        request,
        "web/people/move.html",
        {
            "form": form,
            "person": person,
            "residences": residences,
            "villages": villages_in_scope(request.user),
        },
    )


MERGE_COUNTS = (
    ("pregnancies", gettext_lazy("pregnancies")),
    ("antenatal_visits", gettext_lazy("antenatal visits")),
    ("deliveries", gettext_lazy("deliveries")),
    ("postnatal_contacts", gettext_lazy("postnatal visits")),
    ("checkups", gettext_lazy("check-ups")),
    ("measurements", gettext_lazy("measurements")),
    ("immunisations", gettext_lazy("vaccine doses")),
    ("illnesses", gettext_lazy("illnesses and injuries")),
    ("children", gettext_lazy("children")),
)


@people_only
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_change(request, pk)
    today = timezone.localdate()
    error = ""
    chosen = request.POST.get("trung") or request.POST.get("ma", "").strip()
    if request.method == "POST" and chosen:
        duplicate = selectors.person_get(user=request.user, pk=_int(chosen))
        if duplicate.pk == person.pk or duplicate.merged_into_id:
            error = _("Choose another record: this one cannot be merged into this person.")
        elif request.POST.get("confirm") == "1":
            try:
                services.person_merge(user=request.user, keep=person, duplicate=duplicate)
            except RecordInvalid as refused:
                error = "; ".join(p.message(get_language() or "vi") for p in refused.problems)
            except ValueError as refused:
                error = str(refused)
            else:
                messages.success(
                    request,
                    _("Merged: the records of %(name)s (#%(id)s) are now here.")
                    % {"name": duplicate.full_name, "id": duplicate.pk},
                )
                return redirect("person-detail", pk=person.pk)
        else:
            return render(
                request,
                "web/people/merge_confirm.html",
                {
                    "person": person,
                    "duplicate": duplicate,
                    "rows": [_merge_side(p, today) for p in (person, duplicate)],
                    "moving": [
                        (label, count)
                        for name, label in MERGE_COUNTS
                        if (count := getattr(duplicate, name).count())
                    ],
                },
            )
    elif request.method == "POST":
        error = _("Choose the duplicate record.")
    candidates, hidden = matches_visible(
        request.user,
        services.duplicates_find(
            full_name=person.full_name,
            birth_date=person.birth_date,
            residence_unit=person.residence_unit,
            national_id=person.national_id,
            exclude_id=person.pk,
        ),
        today,
    )
    return render(
        request,
        "web/people/merge.html",
        {"person": person, "candidates": candidates, "hidden_matches": hidden, "error": error},
    )


def _merge_side(person: Person, today: dt.date) -> dict[str, Any]:
    return {
        "person": person,
        "age_text": age_text(person.birth_date, today),
        "national_id": mask(person.national_id),
        "ethnicity": ethnicity_name(person.ethnicity),
    }
