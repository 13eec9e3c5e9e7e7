"""The entry forms: they only carry the raw text to the services, which parse it (decimal
comma, dd/mm/yyyy) and give the Vietnamese messages; a service's ``ValidationError`` is
put back on the form's fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services import WORKFORCE_COUNTS, WORKFORCE_LABELS


def _text(label: Any, *, required: bool = False, numeric: bool = False, **attrs: Any) -> Any:
    widget_attrs = {"autocomplete": "off", **attrs}
    if numeric:
        widget_attrs.setdefault("inputmode", "decimal")
    return forms.CharField(
        label=label,
        required=required,
        max_length=300,
        widget=forms.TextInput(attrs=widget_attrs),
    )


class ServiceForm(forms.Form):
    """A form whose checking is the service's."""

    def values(self) -> dict[str, str]:
        return {name: (self.data.get(self.add_prefix(name)) or "").strip() for name in self.fields}

    def put_errors(self, error: ValidationError) -> None:
        self.is_valid()
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                name = field if field in self.fields else None
                for message in messages:
                    self.add_error(name, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class SurveyForm(ServiceForm):
    indicator = forms.ChoiceField(label=_("Indicator"))
    unit = forms.ChoiceField(label=_("Unit"))
    survey_name = _text(_("Survey name"), required=True, placeholder="MICS 2025")
    survey_date = _text(_("Survey date (dd/mm/yyyy)"), required=True, placeholder="15/06/2025")
    year = _text(_("Year the result is about (empty: the survey's year)"), numeric=True)
    sample_size = _text(_("Sample size (n)"), required=True, inputmode="numeric")
    value = _text(_("Value (%)"), required=True, numeric=True, placeholder="62,5")
    ci_low = _text(_("95% interval: lower end (empty: computed)"), numeric=True)
    ci_high = _text(_("95% interval: upper end (empty: computed)"), numeric=True)
    document_ref = _text(_("Report or reference"))
    note = _text(_("Note"))

    def __init__(self, *args: Any, indicators: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—"), *[(c.code, c.name) for c in indicators]]
        self.fields["unit"].choices = [("", "—"), *units]


ANSWERS = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


class PolicyForm(ServiceForm):
    indicator = forms.ChoiceField(label=_("Item"))
    unit = forms.ChoiceField(label=_("Unit"))
    year = _text(_("Year"), required=True, inputmode="numeric")
    answer = forms.ChoiceField(label=_("Yes / no"), choices=ANSWERS, required=False)
    numerator = _text(_("Or: how many (numerator)"), numeric=True)
    denominator = _text(_("… of how many (denominator)"), numeric=True)
    number = _text(_("Or: a number or percentage"), numeric=True)
    document_ref = _text(_("Document (resolution, plan, decision…)"))
    note = _text(_("Note"))

    def __init__(self, *args: Any, indicators: Any, units: Any, fixed: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["indicator"].choices = [("", "—"), *[(c.code, c.name) for c in indicators]]
        self.fields["unit"].choices = [("", "—"), *units]
        if fixed:  # an entry is one item, unit and year: those are not changed
            for name in ("indicator", "unit", "year"):
                self.fields[name].disabled = True

    def answer_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.values().get("answer", ""))


DOCTOR_FIELDS = WORKFORCE_COUNTS[:6]
STAFF_FIELDS = WORKFORCE_COUNTS[6:10]
TRAINING_FIELDS = WORKFORCE_COUNTS[10:]


class WorkforceForm(ServiceForm):
    facility = forms.ChoiceField(label=_("Health facility"))
    year = _text(_("Year"), required=True, inputmode="numeric")
    as_of = _text(_("Reporting date (dd/mm/yyyy)"), required=True, placeholder="31/12/2025")
    document_ref = _text(_("Report or reference"))
    note = _text(_("Note"))

    def __init__(self, *args: Any, facilities: Any, fixed: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["facility"].choices = [
            ("", "—"),
            *[(str(f.pk), f"{f.name} ({f.unit.name})") for f in facilities],
        ]
        for name in WORKFORCE_COUNTS:
            self.fields[name] = _text(WORKFORCE_LABELS[name], inputmode="numeric")
        if fixed:
            for name in ("facility", "year"):
                self.fields[name].disabled = True

    def groups(self) -> list[tuple[Any, list[Any]]]:
        return [
            (_("Obstetric and paediatric doctors"), [self[n] for n in DOCTOR_FIELDS]),
            (_("Midwives and child-health doctors"), [self[n] for n in STAFF_FIELDS]),
            (_("Trained in the year"), [self[n] for n in TRAINING_FIELDS]),
        ]
