"""Forms of the maternal registers: pregnancy, its end, antenatal visits, delivery with
its babies, postnatal contacts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mch.registers import rules
from mch.registers.models import (
    Attendant,
    BirthOutcome,
    DeliveryMode,
    DeliveryPlace,
    MotherOutcome,
    PregnancyOutcome,
    Provider,
    Sex,
    TestResult,
)
from mch.registers.services import BirthInput

from .base import RecordForm, facility_field
from .fields import (
    ChecklistField,
    DayField,
    DecimalCommaField,
    RadioChoiceField,
    TimeField,
    WholeNumberField,
    YesNoField,
    choice_list,
)

# The pregnancy form asks the server for the EDD and gestational age as dates are typed.
GESTATION_TRIGGER = "change, keyup changed delay:400ms"


def _today() -> Any:
    return timezone.localdate()


class PregnancyForm(RecordForm):
    pairs = (("gravida", "para"),)
    date = DayField(label=_("Registration date"), initial=_today)
    lmp = DayField(label=_("Last menstrual period"), required=False)
    edd = DayField(
        label=_("Expected date of delivery"),
        required=False,
        help_text=_("Leave empty to compute it from the last period (+ 280 days)."),
    )
    gravida = WholeNumberField(
        label=_("Gravida (pregnancies incl. this one)"), required=False, min_value=1, max_value=20
    )
    para = WholeNumberField(
        label=_("Para (previous births)"), required=False, min_value=0, max_value=20
    )
    risk_factors = ChecklistField(label=_("Risk factors"), choices=[])
    facility = facility_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_factors"].choices = choice_list("risk_factor")
        for name in ("date", "lmp", "edd"):
            self.fields[name].widget.attrs.update(
                {"hx-trigger": GESTATION_TRIGGER, "hx-target": "#gestation"}
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "lmp": data["lmp"],
            "edd": data["edd"],
            "gravida": data["gravida"],
            "para": data["para"],
            "risk_factors": list(data["risk_factors"]),
            "facility": data["facility"],
        }


class PregnancyEndForm(RecordForm):
    outcome = RadioChoiceField(label=_("Outcome"), choices=[])
    outcome_date = DayField(label=_("Date the pregnancy ended"), initial=_today)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (code, label)
            for code, label in choice_list("pregnancy_outcome", PregnancyOutcome)
            if code not in ("", PregnancyOutcome.LIVE_BIRTH)
        ]

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "outcome": self.cleaned_data["outcome"],
            "outcome_date": self.cleaned_data["outcome_date"],
        }


class AntenatalVisitForm(RecordForm):
    pairs = (("bp_systolic", "bp_diastolic"), ("iron_tablets", "mmn_tablets"))
    date = DayField(label=_("Visit date"), initial=_today)
    facility = facility_field()
    weight_kg = DecimalCommaField(
        label=_("Weight (kg)"), required=False, min_value=25, max_value=200
    )
    bp_systolic = WholeNumberField(
        label=_("Blood pressure, systolic (mmHg)"), required=False, min_value=50, max_value=260
    )
    bp_diastolic = WholeNumberField(
        label=_("Blood pressure, diastolic (mmHg)"), required=False, min_value=30, max_value=160
    )
    iron_tablets = WholeNumberField(
        label=_("Iron/folic acid tablets given"),
        initial=0,
        required=False,
        min_value=0,
        max_value=300,
    )
    mmn_tablets = WholeNumberField(
        label=_("Multiple micronutrient tablets given"),
        initial=0,
        required=False,
        min_value=0,
        max_value=300,
    )
    tetanus_dose = WholeNumberField(
        label=_("Tetanus vaccine dose given (number)"),
        required=False,
        min_value=1,
        max_value=5,
        help_text=_("Leave empty when no dose was given at this visit."),
    )
    hiv_test = RadioChoiceField(label=_("HIV test"), choices=[], required=False)
    syphilis_test = RadioChoiceField(label=_("Syphilis test"), choices=[], required=False)
    hepb_test = RadioChoiceField(label=_("Hepatitis B test"), choices=[], required=False)
    preeclampsia_screened = forms.BooleanField(
        label=_("Screened for pre-eclampsia (protein in urine)"), required=False
    )
    danger_signs = ChecklistField(label=_("Danger signs"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("hiv_test", "syphilis_test", "hepb_test"):
            self.fields[name].choices = choice_list("test_result", TestResult)
            self.initial.setdefault(name, "")
        self.fields["danger_signs"].choices = choice_list("danger_sign")
        self.fields["date"].widget.attrs.update(
            {"hx-trigger": GESTATION_TRIGGER, "hx-target": "#gestation"}
        )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in self.fields}
        values["danger_signs"] = list(data["danger_signs"])
        values["iron_tablets"] = data["iron_tablets"] or 0
        values["mmn_tablets"] = data["mmn_tablets"] or 0
        return values


class DeliveryForm(RecordForm):
    pairs = (("date", "time"),)
    date = DayField(label=_("Date of delivery"), initial=_today)
    time = TimeField(label=_("Time"), required=False)
    place = RadioChoiceField(label=_("Place of delivery"), choices=[])
    facility = facility_field()
    attendant = forms.ChoiceField(label=_("Attended by"), choices=[])
    mode = RadioChoiceField(label=_("Mode of delivery"), choices=[], initial=DeliveryMode.VAGINAL)
    complications = ChecklistField(label=_("Complications"), choices=[])
    mother_outcome = RadioChoiceField(
        label=_("Mother's condition"), choices=[], initial=MotherOutcome.WELL
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = choice_list("delivery_place", DeliveryPlace)
        self.initial.setdefault("place", DeliveryPlace.FACILITY)
        self.fields["facility"].help_text = _("Required for a birth in a health facility.")
        self.fields["attendant"].choices = choice_list("attendant", Attendant, blank="—")
        self.fields["mode"].choices = choice_list("delivery_mode", DeliveryMode)
        self.fields["complications"].choices = choice_list("complication")
        self.fields["mother_outcome"].choices = choice_list("mother_outcome", MotherOutcome)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in self.fields}
        values["complications"] = list(data["complications"])
        return values


EENC = (
    "eenc_dried",
    "eenc_skin_to_skin",
    "eenc_cord_delayed",
    "eenc_breastfed_1h",
    "vitamin_k1",
    "hepb_birth_24h",
    "kangaroo_care",
)


class BabyForm(forms.Form):
    required_css_class = "required"
    error_css_class = "has-error"

    outcome = RadioChoiceField(label=_("Outcome"), choices=[], initial=BirthOutcome.LIVE)
    sex = RadioChoiceField(label=_("Sex"), choices=[], required=False)
    full_name = forms.CharField(
        label=_("Child's name (optional)"),
        required=False,
        max_length=200,
        help_text=_("Empty: recorded as the mother's child until the name is known."),
    )
    birth_date = DayField(
        label=_("Baby's date of birth"),
        required=False,
        help_text=_("Empty: the date of delivery (twins either side of midnight differ)."),
    )
    birth_time = TimeField(label=_("Time of birth"), required=False)
    birth_weight_g = WholeNumberField(label=_("Birth weight (g)"), required=False)
    gestational_weeks = WholeNumberField(
        label=_("Gestational age at birth (weeks)"),
        required=False,
        help_text=_("Empty: computed from the last menstrual period."),
    )
    eenc_dried = YesNoField(label=_("Dried immediately"))
    eenc_skin_to_skin = YesNoField(label=_("Skin-to-skin contact ≥ 90 minutes"))
    eenc_cord_delayed = YesNoField(label=_("Delayed cord clamping"))
    eenc_breastfed_1h = YesNoField(label=_("Breastfed within 1 hour"))
    vitamin_k1 = YesNoField(label=_("Vitamin K1 given"))
    hepb_birth_24h = YesNoField(label=_("Hepatitis B vaccine within 24 hours"))
    kangaroo_care = YesNoField(label=_("Kangaroo mother care"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = choice_list("birth_outcome", BirthOutcome)
        self.fields["sex"].choices = choice_list("sex", Sex)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == BirthOutcome.LIVE and not data.get("sex"):
            self.add_error("sex", _("Choose the sex of a live-born child."))
        language = get_language() or "vi"
        for problem in rules.errors(
            rules.birth_check(
                birth_weight_g=data.get("birth_weight_g"),
                gestational_weeks=data.get("gestational_weeks"),
            )
        ):
            field = problem.field if problem.field in self.fields else None
            self.add_error(field, problem.message(language))
        return data

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("outcome", "sex", "full_name")]

    def yes_no_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in EENC]

    def birth_input(self) -> BirthInput:
        data = self.cleaned_data
        return BirthInput(
            outcome=data["outcome"],
            sex=data["sex"] or "",
            full_name=data["full_name"].strip() if data["outcome"] == BirthOutcome.LIVE else "",
            birth_weight_g=data["birth_weight_g"],
            gestational_weeks=data["gestational_weeks"],
            date=data["birth_date"],
            time=data["birth_time"],
            extra={name: data[name] for name in EENC},
        )


class BaseBabyFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {}


MAX_BABIES = 3

BabyFormSet = forms.formset_factory(
    BabyForm,
    formset=BaseBabyFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_BABIES,
    validate_min=True,
    validate_max=True,
    absolute_max=MAX_BABIES,
)
BABY_PREFIX = "tre"


class PostnatalForm(RecordForm):
    """One visit; ``people`` lists the mother and the live-born children of the
    delivery: every person ticked gets a contact row, all saved or none."""

    people = forms.MultipleChoiceField(
        label=_("Seen at this visit"), widget=forms.CheckboxSelectMultiple, choices=[]
    )
    date = DayField(label=_("Visit date"), initial=_today)
    place = RadioChoiceField(label=_("Place"), choices=[])
    provider = forms.ChoiceField(label=_("Seen by"), choices=[], required=False)
    facility = facility_field()

    def __init__(
        self, *args: Any, people: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["people"]
        else:
            self.fields["people"].choices = people
            self.initial.setdefault("people", [code for code, _label in people])
        self.fields["place"].choices = choice_list("contact_place")
        self.initial.setdefault("place", "home")
        self.fields["provider"].choices = choice_list("provider", Provider, blank="—")
        self.focus_first()

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "place": data["place"],
            "provider": data["provider"],
            "facility": data["facility"],
        }
