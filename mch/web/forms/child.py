"""Forms of the child registers (check-up, growth, immunisation, illness) and deaths."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mch.registers.models import (
    CauseGroup,
    DeathPlace,
    IllnessKind,
    InjuryType,
    MaternalCause,
    PerinatalCause,
    PerinatalMaternalCondition,
    Position,
    PregnancyRelation,
)

from .base import RecordForm, facility_field
from .fields import (
    DayField,
    DecimalCommaField,
    RadioChoiceField,
    WholeNumberField,
    YesNoField,
    choice_list,
)
from .maternal import _today


class CheckUpForm(RecordForm):
    date = DayField(label=_("Check-up date"), initial=_today)
    facility = facility_field()
    has_health_record = forms.BooleanField(
        label=_("Has a health record (handbook)"), required=False, initial=True
    )
    exclusive_breastfeeding = YesNoField(
        label=_("Only breast milk in the last 24 hours (under 6 months)")
    )
    continued_breastfeeding = YesNoField(label=_("Still breastfed"))
    vitamin_a = YesNoField(label=_("Vitamin A given"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def service_kwargs(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.fields}
        return values


class MeasurementForm(RecordForm):
    pairs = (("weight_kg", "length_cm"),)
    date = DayField(label=_("Measurement date"), initial=_today)
    weight_kg = DecimalCommaField(label=_("Weight (kg)"), required=False, digits=2)
    length_cm = DecimalCommaField(label=_("Length/height (cm)"), required=False)
    position = RadioChoiceField(label=_("Measured"), choices=[], required=False)
    muac_mm = WholeNumberField(label=_("Mid-upper arm circumference (mm)"), required=False)
    oedema = forms.BooleanField(label=_("Bilateral pitting oedema"), required=False)
    facility = facility_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = choice_list("position", Position)
        self.initial.setdefault("position", "")

    def service_kwargs(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.fields}
        values["position"] = values["position"] or ""
        return values


class DoseForm(RecordForm):
    pairs = (("dose", "date"),)
    antigen = forms.ChoiceField(label=_("Vaccine"), choices=[])
    dose = WholeNumberField(label=_("Dose number"), min_value=1, max_value=10)
    date = DayField(label=_("Date given"), initial=_today)
    is_epi = forms.BooleanField(
        label=_("Expanded programme (free) dose"),
        required=False,
        initial=True,
        help_text=_("Untick for a dose bought on the private market."),
    )
    lot = forms.CharField(label=_("Lot number"), required=False, max_length=40)
    facility = facility_field()

    def __init__(
        self, *args: Any, antigens: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["antigen"].choices = [("", "—"), *(antigens or [])]

    def service_kwargs(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.fields}
        return values


class IllnessForm(RecordForm):
    date = DayField(label=_("Date of onset or visit"), initial=_today)
    kind = RadioChoiceField(label=_("Illness or injury"), choices=[])
    injury_type = forms.ChoiceField(label=_("Type of injury"), choices=[], required=False)
    severe = YesNoField(label=_("Severe"))
    antibiotic = YesNoField(label=_("Appropriate antibiotic given"))
    ors = YesNoField(label=_("ORS given"))
    zinc = YesNoField(label=_("Zinc given"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    facility = facility_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = choice_list("illness_kind", IllnessKind)
        self.fields["injury_type"].choices = choice_list("injury_type", InjuryType)

    def service_kwargs(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.fields}
        if values["kind"] != IllnessKind.INJURY:
            values["injury_type"] = ""
        return values


class DeathForm(RecordForm):
    facility_from_user = False
    date = DayField(label=_("Date of death"), initial=_today)
    place = RadioChoiceField(label=_("Place of death"), choices=[])
    facility = facility_field()
    cause_group = forms.ChoiceField(
        label=_("Cause"), choices=[], initial=CauseGroup.UNKNOWN, required=False
    )
    injury_type = forms.ChoiceField(label=_("Type of injury"), choices=[], required=False)
    cause_text = forms.CharField(label=_("Cause as written"), required=False, max_length=300)
    pregnancy_relation = RadioChoiceField(
        label=_("Pregnancy at the time of death"), choices=[], required=False
    )
    pregnancy_related = YesNoField(label=_("Caused or aggravated by the pregnancy"))
    maternal_cause = forms.ChoiceField(
        label=_("Maternal cause group"),
        choices=[],
        required=False,
        help_text=_("Empty: from the cause (an injury is accidental, not a maternal death)."),
    )
    perinatal_cause = forms.ChoiceField(
        label=_("Perinatal cause (ICD-PM)"),
        choices=[],
        required=False,
        help_text=_("Deaths in the first 28 days: groups N1–N11."),
    )
    perinatal_maternal_condition = forms.ChoiceField(
        label=_("Maternal condition (ICD-PM)"), choices=[], required=False
    )
    recorded_on = DayField(
        label=_("Date recorded"),
        required=False,
        initial=_today,
        help_text=_("When the death reached the register (empty: today)."),
    )

    def __init__(self, *args: Any, woman: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = choice_list("death_place", DeathPlace)
        self.fields["cause_group"].choices = choice_list("cause_group", CauseGroup)
        self.fields["injury_type"].choices = choice_list("injury_type", InjuryType)
        self.fields["maternal_cause"].choices = choice_list("maternal_cause", MaternalCause)
        self.fields["perinatal_cause"].choices = choice_list("perinatal_cause", PerinatalCause)
        self.fields["perinatal_maternal_condition"].choices = choice_list(
            "perinatal_maternal_condition", PerinatalMaternalCondition
        )
        if woman:
            for name in ("perinatal_cause", "perinatal_maternal_condition"):
                del self.fields[name]
            self.fields["pregnancy_relation"].choices = [
                (code, label)
                for code, label in choice_list("pregnancy_relation", PregnancyRelation)
                if code
            ]
            self.fields["pregnancy_relation"].help_text = _(
                "Empty: taken as pregnant when the woman has an ongoing pregnancy."
            )
        else:
            for name in ("pregnancy_relation", "pregnancy_related", "maternal_cause"):
                del self.fields[name]

    def service_kwargs(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.fields}
        values["cause_group"] = values["cause_group"] or CauseGroup.UNKNOWN
        if values["cause_group"] != CauseGroup.INJURY:
            values["injury_type"] = ""
        return values
