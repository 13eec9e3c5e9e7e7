"""Register lists: one page per register, the columns of the paper book, scoped to the
user's units, filtered by commune and dates, paginated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext_lazy

from mch.registers import selectors
from mch.registers.bundle.spec import CHOICES
from mch.web.forms.registers import RegisterFilterForm

from .common import person_url, records_view

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation
    value: Callable[[Any], Any]
    num: bool = False
    person: str = ""  # "person" or "mother": the cell links to that person's page


def _d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _year(person: Any) -> str:
    return str(person.birth_date.year) if person and person.birth_date else ""


def _yes(value: bool | None) -> str:
    if value is None:
        return ""
    return "✓" if value else "✗"


def _label(key: str, code: str) -> str:
    return CHOICES[key].get(code, code) if code else ""


def _labels(key: str, codes: list[str]) -> str:
    return ", ".join(_label(key, code) for code in codes or [])


def _n(value: Any, digits: int = 1) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return formats.number_format(round(value, digits), digits, use_l10n=True)
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def _z(value: float | None) -> str:
    return "" if value is None else formats.number_format(round(value, 2), 2, use_l10n=True)


def _bp(visit: Any) -> str:
    if visit.bp_systolic and visit.bp_diastolic:
        return f"{visit.bp_systolic}/{visit.bp_diastolic}"
    return ""


def _tests(visit: Any) -> str:
    short = {"": "–", "negative": "Âm", "positive": "Dương"}
    return " / ".join(
        short.get(v, v) for v in (visit.hiv_test, visit.syphilis_test, visit.hepb_test)
    )


def _eenc(birth: Any) -> str:
    steps = (
        birth.eenc_dried,
        birth.eenc_skin_to_skin,
        birth.eenc_cord_delayed,
        birth.eenc_breastfed_1h,
    )
    return "".join(_yes(step) or "·" for step in steps)


def _age_months(days: int | None) -> str:
    return "" if days is None else _n(days / 30.4375, 1)


NAME = Column(gettext_lazy("Full name"), lambda r: r.person.full_name, person="person")
BORN = Column(gettext_lazy("Year of birth"), lambda r: _year(r.person), num=True)
BIRTH_DATE = Column(gettext_lazy("Date of birth"), lambda r: _d(r.person.birth_date))
VILLAGE = Column(gettext_lazy("Village"), lambda r: r.village)
FACILITY = Column(gettext_lazy("Facility"), lambda r: r.facility.name if r.facility_id else "")
FLAGS = Column(gettext_lazy("Warnings"), lambda r: "⚠" if r.flags else "")


def _date(header: Any) -> Column:
    return Column(header, lambda r: _d(r.date))


@dataclass(frozen=True)
class Register:
    key: str  # selectors.REGISTERS
    slug: str
    title: Any
    columns: tuple[Column, ...]
    form_slug: str = ""


REGISTERS: tuple[Register, ...] = (
    Register(
        "pregnancies",
        "thai-ky",
        gettext_lazy("Pregnancy register"),
        (
            _date(gettext_lazy("Registered")),
            NAME,
            BORN,
            VILLAGE,
            Column(gettext_lazy("Last period"), lambda r: _d(r.lmp)),
            Column(gettext_lazy("Expected delivery"), lambda r: _d(r.edd)),
            Column(
                gettext_lazy("Gravida/para"),
                lambda r: f"{r.gravida or '–'}/{r.para if r.para is not None else '–'}",
            ),
            Column(gettext_lazy("Risk factors"), lambda r: _labels("risk_factor", r.risk_factors)),
            Column(gettext_lazy("Visits"), lambda r: r.anc_visits, num=True),
            Column(gettext_lazy("Trimesters"), lambda r: r.anc_trimesters),
            Column(gettext_lazy("Iron tablets"), lambda r: _n(r.iron_tablets), num=True),
            Column(gettext_lazy("Outcome"), lambda r: _label("pregnancy_outcome", r.outcome)),
            Column(gettext_lazy("Date ended"), lambda r: _d(r.outcome_date)),
        ),
    ),
    Register(
        "antenatal_visits",
        "kham-thai",
        gettext_lazy("Antenatal care register"),
        (
            _date(gettext_lazy("Visit date")),
            NAME,
            BORN,
            VILLAGE,
            Column(gettext_lazy("Weeks"), lambda r: r.gestational_weeks, num=True),
            Column(gettext_lazy("Weight (kg)"), lambda r: _n(r.weight_kg), num=True),
            Column(gettext_lazy("Blood pressure"), _bp),
            Column(
                gettext_lazy("Iron/MMN tablets"),
                lambda r: f"{r.iron_tablets}/{r.mmn_tablets}",
                num=True,
            ),
            Column(gettext_lazy("Tetanus dose"), lambda r: r.tetanus_dose or "", num=True),
            Column(gettext_lazy("HIV / syphilis / HepB"), _tests),
            Column(gettext_lazy("Pre-eclampsia screened"), lambda r: _yes(r.preeclampsia_screened)),
            Column(gettext_lazy("Danger signs"), lambda r: _labels("danger_sign", r.danger_signs)),
            FACILITY,
        ),
    ),
    Register(
        "deliveries",
        "de",
        gettext_lazy("Delivery register"),
        (
            _date(gettext_lazy("Date of delivery")),
            Column(gettext_lazy("Time"), lambda r: f"{r.time:%H:%M}" if r.time else ""),
            Column(gettext_lazy("Mother"), lambda r: r.person.full_name, person="person"),
            BORN,
            VILLAGE,
            Column(gettext_lazy("Place"), lambda r: _label("delivery_place", r.place)),
            FACILITY,
            Column(gettext_lazy("Attended by"), lambda r: _label("attendant", r.attendant)),
            Column(gettext_lazy("Mode"), lambda r: _label("delivery_mode", r.mode)),
            Column(gettext_lazy("Live births"), lambda r: r.live_births, num=True),
            Column(gettext_lazy("Stillbirths"), lambda r: r.stillbirths, num=True),
            Column(
                gettext_lazy("Complications"), lambda r: _labels("complication", r.complications)
            ),
            Column(
                gettext_lazy("Mother's condition"),
                lambda r: _label("mother_outcome", r.mother_outcome),
            ),
        ),
    ),
    Register(
        "births",
        "tre-sinh",
        gettext_lazy("Birth register"),
        (
            _date(gettext_lazy("Date of birth")),
            Column(gettext_lazy("Mother"), lambda r: r.mother.full_name, person="mother"),
            Column(
                gettext_lazy("Child"),
                lambda r: r.person.full_name if r.person_id else "",
                person="person",
            ),
            Column(gettext_lazy("Order"), lambda r: r.birth_order, num=True),
            Column(gettext_lazy("Outcome"), lambda r: _label("birth_outcome", r.outcome)),
            Column(gettext_lazy("Sex"), lambda r: _label("sex", r.sex)),
            Column(gettext_lazy("Weight (g)"), lambda r: _n(r.birth_weight_g), num=True),
            Column(gettext_lazy("Weeks"), lambda r: r.gestational_weeks, num=True),
            Column(gettext_lazy("EENC (dry, skin, cord, breast)"), _eenc),
            Column(gettext_lazy("Vitamin K1"), lambda r: _yes(r.vitamin_k1)),
            Column(gettext_lazy("HepB 24 h"), lambda r: _yes(r.hepb_birth_24h)),
            FACILITY,
        ),
    ),
    Register(
        "postnatal_contacts",
        "sau-sinh",
        gettext_lazy("Postnatal care register"),
        (
            _date(gettext_lazy("Visit date")),
            NAME,
            Column(gettext_lazy("Who"), lambda r: _label("postnatal_subject", r.subject)),
            Column(gettext_lazy("Day after birth"), lambda r: r.day_after_birth, num=True),
            Column(gettext_lazy("Place"), lambda r: _label("contact_place", r.place)),
            Column(gettext_lazy("Seen by"), lambda r: _label("provider", r.provider)),
            VILLAGE,
        ),
    ),
    Register(
        "checkups",
        "kham-dinh-ky",
        gettext_lazy("Child check-up register"),
        (
            _date(gettext_lazy("Check-up date")),
            NAME,
            BIRTH_DATE,
            VILLAGE,
            Column(gettext_lazy("Health record"), lambda r: _yes(r.has_health_record)),
            Column(
                gettext_lazy("Exclusive breastfeeding"), lambda r: _yes(r.exclusive_breastfeeding)
            ),
            Column(gettext_lazy("Vitamin A"), lambda r: _yes(r.vitamin_a)),
            Column(gettext_lazy("Note"), lambda r: r.note),
        ),
    ),
    Register(
        "growth",
        "can-do",
        gettext_lazy("Growth monitoring register"),
        (
            _date(gettext_lazy("Measurement date")),
            NAME,
            BIRTH_DATE,
            Column(gettext_lazy("Age (months)"), lambda r: _age_months(r.age_days), num=True),
            Column(gettext_lazy("Weight (kg)"), lambda r: _n(r.weight_kg, 2), num=True),
            Column(gettext_lazy("Length/height (cm)"), lambda r: _n(r.length_cm), num=True),
            Column("WAZ", lambda r: _z(r.waz), num=True),
            Column("HAZ", lambda r: _z(r.haz), num=True),
            Column("WHZ", lambda r: _z(r.whz), num=True),
            Column(gettext_lazy("Underweight"), lambda r: _nutrition(r.underweight)),
            Column(gettext_lazy("Stunting"), lambda r: _nutrition(r.stunting)),
            Column(gettext_lazy("Wasting"), lambda r: _nutrition(r.wasting)),
            FLAGS,
        ),
    ),
    Register(
        "immunisations",
        "tiem-chung",
        gettext_lazy("Immunisation register"),
        (
            _date(gettext_lazy("Date given")),
            NAME,
            BIRTH_DATE,
            Column(gettext_lazy("Vaccine"), lambda r: r.antigen),
            Column(gettext_lazy("Dose"), lambda r: r.dose, num=True),
            Column(gettext_lazy("EPI"), lambda r: _yes(r.is_epi)),
            Column(gettext_lazy("Lot"), lambda r: r.lot),
            FACILITY,
            FLAGS,
        ),
    ),
    Register(
        "illnesses",
        "benh",
        gettext_lazy("Illness and injury register"),
        (
            _date(gettext_lazy("Date")),
            NAME,
            BIRTH_DATE,
            Column(gettext_lazy("Illness"), lambda r: _label("illness_kind", r.kind)),
            Column(gettext_lazy("Injury type"), lambda r: _label("injury_type", r.injury_type)),
            Column(gettext_lazy("Severe"), lambda r: _yes(r.severe)),
            Column(gettext_lazy("Antibiotic"), lambda r: _yes(r.antibiotic)),
            Column(gettext_lazy("ORS"), lambda r: _yes(r.ors)),
            Column(gettext_lazy("Zinc"), lambda r: _yes(r.zinc)),
        ),
    ),
    Register(
        "deaths",
        "tu-vong",
        gettext_lazy("Death register"),
        (
            _date(gettext_lazy("Date of death")),
            NAME,
            Column(gettext_lazy("Sex"), lambda r: _label("sex", r.person.sex)),
            BIRTH_DATE,
            Column(gettext_lazy("Age (days)"), lambda r: _n(r.age_days), num=True),
            Column(gettext_lazy("Place"), lambda r: _label("death_place", r.place)),
            Column(gettext_lazy("Cause"), lambda r: _label("cause_group", r.cause_group)),
            Column(
                gettext_lazy("Pregnancy"),
                lambda r: _label("pregnancy_relation", r.pregnancy_relation),
            ),
            Column(
                gettext_lazy("Possible maternal death"),
                lambda r: "⚠" if r.possible_maternal else "",
            ),
        ),
    ),
)
BY_SLUG = {register.slug: register for register in REGISTERS}


def _nutrition(code: str) -> str:
    from mch.registers.models import Nutrition

    return str(dict(Nutrition.choices).get(code, "")) if code else ""


@records_view
def register_list(request: HttpRequest, slug: str) -> HttpResponse:
    register = BY_SLUG.get(slug)
    if register is None:
        raise Http404
    form = RegisterFilterForm(request.GET or None, user=request.user)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "unit": form.cleaned_data["xa"],
            "start": form.cleaned_data["tu"],
            "end": form.cleaned_data["den"],
        }
    rows = selectors.register_rows(user=request.user, register=register.key, **filters)
    rows = rows.order_by("-date", "-id")
    if register.key == "births":  # twins in birth order
        rows = rows.select_related("person").order_by("-date", "-delivery_id", "birth_order")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    table = [
        [(column, column.value(row), _link(row, column)) for column in register.columns]
        for row in page.object_list
    ]
    query = {k: v for k, v in request.GET.items() if k in ("xa", "tu", "den") and v}
    return render(
        request,
        "web/records/register_list.html",
        {
            "register": register,
            "registers": REGISTERS,
            "form": form,
            "page": page,
            "table": table,
            "query": urlencode(query),
            "export_csv": f"/so/xuat/{register.key}.csv",
            "export_xlsx": f"/so/xuat/{register.key}.xlsx",
            "first_number": page.start_index(),
        },
    )


def _link(row: Any, column: Column) -> str:
    if not column.person:
        return ""
    pk = getattr(row, f"{column.person}_id", None)
    return person_url(pk) if pk else ""
