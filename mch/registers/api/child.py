"""Check-ups, growth, immunisations, illness and injury, deaths."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mch.core.api_fields import DateField

from .. import services
from ..models import CheckUp, Death, GrowthMeasurement, Illness, Immunisation
from .base import CorrectableRecordViewSet
from .events import EVENT_FIELDS, EventInput, EventOutput
from .fields import CodeChoiceField
from .schema import document

PERSON_HELP = "The person (id)."


# ---------------------------------------------------------------------- check-ups


class CheckUpInput(EventInput):
    person = serializers.IntegerField(min_value=1, help_text="The child (person id).")
    has_health_record = serializers.BooleanField(required=False)
    exclusive_breastfeeding = serializers.BooleanField(
        required=False, allow_null=True, help_text="Only breast milk (24-hour recall)."
    )
    continued_breastfeeding = serializers.BooleanField(required=False, allow_null=True)
    vitamin_a = serializers.BooleanField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CheckUpOutput(EventOutput):
    person = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = CheckUp
        fields = [
            *EVENT_FIELDS,
            "person",
            "has_health_record",
            "exclusive_breastfeeding",
            "continued_breastfeeding",
            "vitamin_a",
            "note",
        ]


@document(
    "check-up",
    output=CheckUpOutput,
    input=CheckUpInput,
    service="checkup_record",
    correct="checkup_record",
    about="Periodic check-ups of children under 5.",
)
class CheckUpViewSet(CorrectableRecordViewSet):
    register = "checkups"
    output_serializer = CheckUpOutput
    input_serializer = CheckUpInput
    instance_kwarg = "checkup"
    service = staticmethod(services.checkup_record)  # type: ignore[assignment]


# ---------------------------------------------------------------------- growth


class GrowthInput(EventInput):
    person = serializers.IntegerField(min_value=1, help_text="The child (person id).")
    weight_kg = serializers.FloatField(required=False, allow_null=True, min_value=0)
    length_cm = serializers.FloatField(
        required=False, allow_null=True, min_value=0, help_text="Length (lying) or height."
    )
    position = CodeChoiceField("position", required=False)
    muac_mm = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    oedema = serializers.BooleanField(required=False, help_text="Bilateral pitting oedema.")


class GrowthOutput(EventOutput):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    position = CodeChoiceField("position", read_only=True)
    stunting = CodeChoiceField("nutrition", read_only=True, help_text="From HAZ.")
    underweight = CodeChoiceField("nutrition", read_only=True, help_text="From WAZ.")
    wasting = CodeChoiceField("nutrition", read_only=True, help_text="From WHZ.")

    class Meta:
        model = GrowthMeasurement
        fields = [
            *EVENT_FIELDS,
            "person",
            "age_days",
            "weight_kg",
            "length_cm",
            "position",
            "muac_mm",
            "oedema",
            "haz",
            "waz",
            "whz",
            "baz",
            "stunting",
            "underweight",
            "wasting",
            "overweight",
        ]
        extra_kwargs = {
            "haz": {"help_text": "Length/height-for-age z-score (WHO 2006), computed."},
            "waz": {"help_text": "Weight-for-age z-score, computed."},
            "whz": {"help_text": "Weight-for-length/height z-score, computed."},
            "baz": {"help_text": "BMI-for-age z-score, computed."},
        }


@document(
    "growth measurement",
    output=GrowthOutput,
    input=GrowthInput,
    service="measurement_record",
    correct="measurement_record",
    about="Age, WHO 2006 z-scores and the nutrition classes are computed and read-only.",
)
class GrowthViewSet(CorrectableRecordViewSet):
    register = "growth"
    output_serializer = GrowthOutput
    input_serializer = GrowthInput
    instance_kwarg = "measurement"
    service = staticmethod(services.measurement_record)  # type: ignore[assignment]


# ---------------------------------------------------------------------- immunisations


class ImmunisationInput(EventInput):
    person = serializers.IntegerField(min_value=1, help_text=PERSON_HELP)
    antigen = serializers.CharField(
        max_length=24, help_text="Vaccine code of the immunisation schedule (bcg, opv, …)."
    )
    dose = serializers.IntegerField(min_value=1)
    is_epi = serializers.BooleanField(
        required=False, help_text="Expanded programme (free) dose; private doses: false."
    )
    lot = serializers.CharField(required=False, allow_blank=True, max_length=40)


class ImmunisationOutput(EventOutput):
    person = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Immunisation
        fields = [*EVENT_FIELDS, "person", "antigen", "dose", "is_epi", "lot"]


@document(
    "immunisation",
    output=ImmunisationOutput,
    input=ImmunisationInput,
    service="dose_record",
    correct="dose_record",
    about="Checked against the immunisation schedule: a dose before its minimum age or "
    "interval is kept with a `dose_…` flag.",
)
class ImmunisationViewSet(CorrectableRecordViewSet):
    register = "immunisations"
    output_serializer = ImmunisationOutput
    input_serializer = ImmunisationInput
    instance_kwarg = "immunisation"
    service = staticmethod(services.dose_record)  # type: ignore[assignment]


# ---------------------------------------------------------------------- illness and injury


class IllnessInput(EventInput):
    person = serializers.IntegerField(min_value=1, help_text="The child (person id).")
    kind = CodeChoiceField("illness_kind")
    severe = serializers.BooleanField(required=False, allow_null=True)
    antibiotic = serializers.BooleanField(
        required=False, allow_null=True, help_text="Appropriate antibiotic (pneumonia)."
    )
    ors = serializers.BooleanField(required=False, allow_null=True)
    zinc = serializers.BooleanField(required=False, allow_null=True)
    injury_type = CodeChoiceField("injury_type", required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class IllnessOutput(EventOutput):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    kind = CodeChoiceField("illness_kind", read_only=True)
    injury_type = CodeChoiceField("injury_type", read_only=True)

    class Meta:
        model = Illness
        fields = [
            *EVENT_FIELDS,
            "person",
            "kind",
            "severe",
            "antibiotic",
            "ors",
            "zinc",
            "injury_type",
            "note",
        ]


@document(
    "illness or injury",
    "illnesses and injuries",
    output=IllnessOutput,
    input=IllnessInput,
    service="illness_record",
    correct="illness_record",
)
class IllnessViewSet(CorrectableRecordViewSet):
    register = "illnesses"
    output_serializer = IllnessOutput
    input_serializer = IllnessInput
    instance_kwarg = "illness"
    service = staticmethod(services.illness_record)  # type: ignore[assignment]


# ---------------------------------------------------------------------- deaths


class DeathInput(EventInput):
    person = serializers.IntegerField(min_value=1, help_text="Who died (person id).")
    date = DateField(help_text="Date of death.")
    place = CodeChoiceField("death_place")
    cause_group = CodeChoiceField("cause_group", required=False)
    injury_type = CodeChoiceField("injury_type", required=False)
    cause_text = serializers.CharField(required=False, allow_blank=True, max_length=300)
    pregnancy_relation = CodeChoiceField(
        "pregnancy_relation",
        required=False,
        help_text="For women, default from her pregnancies: “pregnant” (an open one), "
        "“within_42_days”, “late” (43 days to 1 year after the end of one).",
    )
    pregnancy_related = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text="Caused or aggravated by the pregnancy or its management (null: not known).",
    )
    maternal_cause = CodeChoiceField(
        "maternal_cause",
        required=False,
        help_text="Direct, indirect or incidental; default from cause_group (injury: incidental).",
    )
    perinatal_cause = CodeChoiceField(
        "perinatal_cause", required=False, help_text="ICD-PM N1–N11, deaths at 0–27 days."
    )
    perinatal_maternal_condition = CodeChoiceField("perinatal_maternal_condition", required=False)
    recorded_on = DateField(
        required=False,
        allow_null=True,
        help_text="When the death reached the register (default: today, or as stored).",
    )
    notified_on = DateField(required=False, allow_null=True)


class DeathOutput(EventOutput):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    age_group = CodeChoiceField("age_group", read_only=True)
    place = CodeChoiceField("death_place", read_only=True)
    cause_group = CodeChoiceField("cause_group", read_only=True)
    injury_type = CodeChoiceField("injury_type", read_only=True)
    pregnancy_relation = CodeChoiceField("pregnancy_relation", read_only=True)
    maternal_cause = CodeChoiceField("maternal_cause", read_only=True)
    maternal_group = CodeChoiceField("maternal_group", read_only=True)
    perinatal_cause = CodeChoiceField("perinatal_cause", read_only=True)
    perinatal_maternal_condition = CodeChoiceField("perinatal_maternal_condition", read_only=True)
    review_status = CodeChoiceField("review_status", read_only=True)

    class Meta:
        model = Death
        fields = [
            *EVENT_FIELDS,
            "person",
            "age_days",
            "age_group",
            "place",
            "cause_group",
            "injury_type",
            "cause_text",
            "pregnancy_relation",
            "pregnancy_related",
            "maternal_cause",
            "maternal_group",
            "possible_maternal",
            "perinatal_cause",
            "perinatal_maternal_condition",
            "recorded_on",
            "review_status",
            "notified_on",
        ]


@document(
    "death",
    output=DeathOutput,
    input=DeathInput,
    service="death_record",
    correct="death_record",
    about="Age at death (completed days) and its group (calendar birthdays) are computed; "
    "a woman who died while pregnant or within 42 days, not from an accidental or incidental "
    "cause, is marked as a possible maternal death to notify (maternal_group “maternal”); "
    "43 days to 1 year after is “late_maternal”, kept apart. PATCH corrects a death.",
)
class DeathViewSet(CorrectableRecordViewSet):
    register = "deaths"
    output_serializer = DeathOutput
    input_serializer = DeathInput
    instance_kwarg = "death"
    service = staticmethod(services.death_record)  # type: ignore[assignment]


__all__: list[Any] = [
    "CheckUpViewSet",
    "DeathViewSet",
    "GrowthViewSet",
    "IllnessViewSet",
    "ImmunisationViewSet",
]
