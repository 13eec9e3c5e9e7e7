"""Pregnancies, antenatal visits, deliveries with their births, postnatal contacts."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from mch.core.api_fields import DateField

from .. import services
from ..models import (
    AntenatalVisit,
    Birth,
    Delivery,
    Person,
    PostnatalContact,
    Pregnancy,
)
from .base import CorrectableRecordViewSet, RecordViewSet
from .errors import InputError
from .events import EVENT_FIELDS, EventInput, EventOutput
from .fields import CodeChoiceField
from .schema import FORBIDDEN, INVALID, NOT_FOUND, document


def _codes(choice_set: str, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=CodeChoiceField(choice_set), **kwargs)


# ---------------------------------------------------------------------- pregnancies


class PregnancyInput(EventInput):
    person = serializers.IntegerField(min_value=1, help_text="The woman (person id).")
    date = DateField(help_text="Date the pregnancy was registered.")
    lmp = DateField(required=False, allow_null=True, help_text="Last menstrual period.")
    edd = DateField(
        required=False,
        allow_null=True,
        help_text="Expected date of delivery. One of lmp and edd is needed; the other is "
        "computed (280 days).",
    )
    gravida = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    para = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    risk_factors = _codes("risk_factor", required=False)


class PregnancyOutput(EventOutput):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    risk_factors = _codes("risk_factor", read_only=True)
    outcome = CodeChoiceField("pregnancy_outcome", read_only=True)

    class Meta:
        model = Pregnancy
        fields = [
            *EVENT_FIELDS,
            "person",
            "lmp",
            "edd",
            "gravida",
            "para",
            "risk_factors",
            "outcome",
            "outcome_date",
            "anc_visits",
            "anc_trimesters",
            "last_anc_date",
            "iron_tablets",
        ]


class PregnancyEndInput(serializers.Serializer[Any]):
    outcome = CodeChoiceField(
        "pregnancy_outcome",
        help_text="How the pregnancy ended. A birth is recorded with a delivery instead.",
    )
    outcome_date = DateField()


@document(
    "pregnancy",
    "pregnancies",
    output=PregnancyOutput,
    input=PregnancyInput,
    service="pregnancy_register",
    correct="pregnancy_register",
    about="The date of a pregnancy is its registration.",
)
class PregnancyViewSet(CorrectableRecordViewSet):
    register = "pregnancies"
    output_serializer = PregnancyOutput
    input_serializer = PregnancyInput
    instance_kwarg = "pregnancy"
    service = staticmethod(services.pregnancy_register)  # type: ignore[assignment]

    def correction_values(self, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        values = super().correction_values(record, data)
        # A corrected LMP moves the expected date with it, and the other way round.
        if "lmp" in data and "edd" not in data:
            values["edd"] = None
        if "edd" in data and "lmp" not in data:
            values["lmp"] = None
        return values

    @extend_schema(
        summary="End a pregnancy without a delivery",
        description="Miscarriage, abortion, stillbirth or death during pregnancy "
        "(`services.pregnancy_end`). A birth is recorded with `POST deliveries/`.",
        request=PregnancyEndInput,
        responses={200: PregnancyOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        pregnancy = self.get_object()
        serializer = PregnancyEndInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["outcome"] in ("", "live_birth"):
            raise InputError(
                "outcome",
                "choice",
                "Thai kỳ kết thúc bằng đẻ sống được ghi qua lần sinh (deliveries).",
                "A live birth is recorded as a delivery.",
            )
        pregnancy = services.pregnancy_end(
            user=request.user, pregnancy=pregnancy, **serializer.validated_data
        )
        return self.respond(pregnancy)


# ---------------------------------------------------------------------- antenatal visits


class AntenatalVisitInput(EventInput):
    pregnancy = serializers.IntegerField(min_value=1, help_text="The pregnancy (id).")
    weight_kg = serializers.FloatField(required=False, allow_null=True, min_value=0)
    bp_systolic = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    bp_diastolic = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    iron_tablets = serializers.IntegerField(
        required=False, min_value=0, help_text="Iron/folic acid tablets given."
    )
    mmn_tablets = serializers.IntegerField(
        required=False, min_value=0, help_text="Multiple micronutrient tablets given."
    )
    tetanus_dose = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    hiv_test = CodeChoiceField("test_result", required=False)
    syphilis_test = CodeChoiceField("test_result", required=False)
    hepb_test = CodeChoiceField("test_result", required=False)
    preeclampsia_screened = serializers.BooleanField(required=False)
    danger_signs = _codes("danger_sign", required=False)


class AntenatalVisitOutput(EventOutput):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    pregnancy = serializers.PrimaryKeyRelatedField(read_only=True)
    hiv_test = CodeChoiceField("test_result", read_only=True)
    syphilis_test = CodeChoiceField("test_result", read_only=True)
    hepb_test = CodeChoiceField("test_result", read_only=True)
    danger_signs = _codes("danger_sign", read_only=True)

    class Meta:
        model = AntenatalVisit
        fields = [
            *EVENT_FIELDS,
            "person",
            "pregnancy",
            "gestational_weeks",
            "trimester",
            "weight_kg",
            "bp_systolic",
            "bp_diastolic",
            "iron_tablets",
            "mmn_tablets",
            "tetanus_dose",
            "hiv_test",
            "syphilis_test",
            "hepb_test",
            "preeclampsia_screened",
            "danger_signs",
        ]


@document(
    "antenatal visit",
    output=AntenatalVisitOutput,
    input=AntenatalVisitInput,
    service="antenatal_visit_record",
    correct="antenatal_visit_record",
    about="Gestational age and trimester are computed from the pregnancy's LMP.",
)
class AntenatalVisitViewSet(CorrectableRecordViewSet):
    register = "antenatal_visits"
    output_serializer = AntenatalVisitOutput
    input_serializer = AntenatalVisitInput
    parent_fields = {"pregnancy": Pregnancy}
    instance_kwarg = "visit"
    service = staticmethod(services.antenatal_visit_record)  # type: ignore[assignment]


# ---------------------------------------------------------------------- deliveries and births


class BabyInput(serializers.Serializer[Any]):
    external_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="Stable id of the birth."
    )
    outcome = CodeChoiceField("birth_outcome", required=False, default="live")
    sex = CodeChoiceField("sex", required=False, allow_blank=True)
    full_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The child's name, if given yet (default: “Con bà <mother>”).",
    )
    date = DateField(
        required=False,
        allow_null=True,
        help_text="The baby's own date of birth (default: the delivery's; twins either side "
        "of midnight differ). At most 2 days from the delivery.",
    )
    time = serializers.TimeField(
        required=False, allow_null=True, help_text="Time of birth (default: the delivery's)."
    )
    birth_weight_g = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    gestational_weeks = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="Default: from the LMP."
    )
    eenc_dried = serializers.BooleanField(required=False, allow_null=True)
    eenc_skin_to_skin = serializers.BooleanField(required=False, allow_null=True)
    eenc_cord_delayed = serializers.BooleanField(required=False, allow_null=True)
    eenc_breastfed_1h = serializers.BooleanField(required=False, allow_null=True)
    vitamin_k1 = serializers.BooleanField(required=False, allow_null=True)
    hepb_birth_24h = serializers.BooleanField(required=False, allow_null=True)
    kangaroo_care = serializers.BooleanField(required=False, allow_null=True)


class DeliveryInput(EventInput):
    person = serializers.IntegerField(min_value=1, help_text="The mother (person id).")
    pregnancy = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Default: her open pregnancy."
    )
    time = serializers.TimeField(required=False, allow_null=True)
    place = CodeChoiceField("delivery_place")
    attendant = CodeChoiceField("attendant")
    mode = CodeChoiceField("delivery_mode", required=False)
    complications = _codes("complication", required=False)
    mother_outcome = CodeChoiceField("mother_outcome", required=False)
    babies = BabyInput(
        many=True,
        help_text="One entry per baby (twins: two). Each live-born baby is registered as a "
        "person, child of the mother.",
    )


class BirthOutput(EventOutput):
    delivery = serializers.PrimaryKeyRelatedField(read_only=True)
    mother = serializers.PrimaryKeyRelatedField(read_only=True)
    person = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The child (live births)."
    )
    outcome = CodeChoiceField("birth_outcome", read_only=True)
    sex = CodeChoiceField("sex", read_only=True, allow_blank=True)
    eenc_complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = Birth
        fields = [
            *EVENT_FIELDS,
            "delivery",
            "mother",
            "person",
            "outcome",
            "time",
            "sex",
            "birth_order",
            "birth_weight_g",
            "gestational_weeks",
            "eenc_dried",
            "eenc_skin_to_skin",
            "eenc_cord_delayed",
            "eenc_breastfed_1h",
            "eenc_complete",
            "vitamin_k1",
            "hepb_birth_24h",
            "kangaroo_care",
        ]


class DeliveryOutput(EventOutput):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    pregnancy = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    place = CodeChoiceField("delivery_place", read_only=True)
    attendant = CodeChoiceField("attendant", read_only=True)
    mode = CodeChoiceField("delivery_mode", read_only=True)
    complications = _codes("complication", read_only=True)
    mother_outcome = CodeChoiceField("mother_outcome", read_only=True)
    births = BirthOutput(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            *EVENT_FIELDS,
            "person",
            "pregnancy",
            "time",
            "place",
            "facility_level",
            "attendant",
            "skilled",
            "mode",
            "complications",
            "mother_outcome",
            "live_births",
            "stillbirths",
            "births",
        ]


_BABY_FIELDS = (
    "outcome",
    "sex",
    "full_name",
    "birth_weight_g",
    "gestational_weeks",
    "date",
    "time",
)


def baby_input(values: dict[str, Any]) -> services.BirthInput:
    values = dict(values)
    main = {name: values.pop(name) for name in _BABY_FIELDS if name in values}
    return services.BirthInput(**main, extra=values)


@document(
    "delivery",
    "deliveries",
    output=DeliveryOutput,
    input=DeliveryInput,
    service="delivery_record",
    correct="delivery_record",
    about="A delivery carries its births (read-only here, also at `births/`); twins are one "
    "delivery with two births. The pregnancy is closed by its delivery. PATCH corrects a "
    "delivery with the same checks; `babies`, if sent, correct its births in birth order "
    "(their number and outcomes cannot change).",
)
class DeliveryViewSet(CorrectableRecordViewSet):
    register = "deliveries"
    output_serializer = DeliveryOutput
    input_serializer = DeliveryInput
    parent_fields = {"person": Person, "pregnancy": Pregnancy}
    instance_kwarg = "delivery"
    service = staticmethod(services.delivery_record)  # type: ignore[assignment]

    def get_queryset(self) -> Any:
        # Twins in birth order (each baby has its own date: the later one is not first).
        births = Birth.objects.select_related("residence_unit", "facility").order_by("birth_order")
        return super().get_queryset().prefetch_related(Prefetch("births", queryset=births))

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        babies = data.get("babies")
        return {**data, "babies": None if babies is None else [baby_input(b) for b in babies]}


@document("birth", output=BirthOutput, about="Births are recorded with their delivery.")
class BirthViewSet(RecordViewSet):
    register = "births"
    output_serializer = BirthOutput


# ---------------------------------------------------------------------- postnatal contacts


class PostnatalContactInput(EventInput):
    delivery = serializers.IntegerField(min_value=1, help_text="The delivery (id).")
    person = serializers.IntegerField(
        min_value=1, help_text="Who was seen: the mother or one of the delivery's children."
    )
    place = CodeChoiceField("contact_place")
    provider = CodeChoiceField("provider", required=False)


class PostnatalContactOutput(EventOutput):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    delivery = serializers.PrimaryKeyRelatedField(read_only=True)
    subject = CodeChoiceField("postnatal_subject", read_only=True)
    place = CodeChoiceField("contact_place", read_only=True)
    provider = CodeChoiceField("provider", read_only=True)

    class Meta:
        model = PostnatalContact
        fields = [
            *EVENT_FIELDS,
            "person",
            "delivery",
            "subject",
            "day_after_birth",
            "place",
            "provider",
        ]


@document(
    "postnatal contact",
    output=PostnatalContactOutput,
    input=PostnatalContactInput,
    service="postnatal_contact_record",
    correct="postnatal_contact_record",
    about="One row per person seen; the subject and the day after birth are derived.",
)
class PostnatalContactViewSet(CorrectableRecordViewSet):
    register = "postnatal_contacts"
    output_serializer = PostnatalContactOutput
    input_serializer = PostnatalContactInput
    parent_fields = {"delivery": Delivery, "person": Person}
    instance_kwarg = "contact"
    service = staticmethod(services.postnatal_contact_record)  # type: ignore[assignment]


__all__ = [
    "AntenatalVisitViewSet",
    "BirthViewSet",
    "DeliveryViewSet",
    "PostnatalContactViewSet",
    "PregnancyViewSet",
]
