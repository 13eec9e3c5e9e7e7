"""The columns every care event shares, as input and as output."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

from mch.core.api_fields import DateField, ModelSerializer

from .fields import CodeChoiceField, FlagsField

EXTERNAL_ID_HELP = (
    "Stable id of the record in the sending system (at most 64 characters). Sync contract: "
    "sending a record whose external_id is already stored creates nothing and returns the "
    "stored record with 200 (201 means created). Corrections go through PATCH."
)


class EventInput(serializers.Serializer[Any]):
    """Where and when: the commune of residence defaults to the person's; a commune code
    names the commune valid on the record's date."""

    external_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=EXTERNAL_ID_HELP
    )
    date = DateField(help_text="Date of the event (YYYY-MM-DD).")
    residence_unit = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Commune of residence at the event, by unit id. Default: where the person "
        "lived on the event's date. A commune named must be in the caller's units (403 "
        "`out_of_scope`).",
    )
    commune_code = serializers.CharField(
        required=False,
        max_length=16,
        help_text="Commune of residence at the event, by code (instead of residence_unit).",
    )
    village = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Default: the person's."
    )
    service_unit = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Unit where the service was given. Default: the facility's unit, else the "
        "caller's (their facility's or their unit). Must be in or above the caller's units "
        "and hold the facility.",
    )
    service_commune_code = serializers.CharField(
        required=False, max_length=16, help_text="Commune where the service was given, by code."
    )
    facility = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Health facility, by id: one of the caller's units or of a unit above them "
        "(a district or provincial hospital), never another commune's.",
    )
    facility_code = serializers.CharField(
        required=False, max_length=32, help_text="Health facility, by code (instead of facility)."
    )


class RecordOutput(ModelSerializer[Any]):
    """A stored record. Choice fields must be declared as ``CodeChoiceField`` so the
    schema documents their codes and Vietnamese labels."""

    flags = FlagsField()
    source = CodeChoiceField("source", read_only=True, help_text="How the record arrived.")

    def build_standard_field(self, field_name: str, model_field: Any) -> Any:
        if model_field.choices:
            raise ImproperlyConfigured(f"{type(self).__name__}.{field_name}: use CodeChoiceField")
        return super().build_standard_field(field_name, model_field)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class EventOutput(RecordOutput):
    residence_unit = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="Commune of residence at the event (unit id)."
    )
    commune_code = serializers.CharField(source="residence_unit.code", read_only=True)
    commune_name = serializers.CharField(source="residence_unit.name", read_only=True)
    service_unit = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    facility = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    facility_code = serializers.CharField(
        source="facility.code", read_only=True, allow_null=True, default=None
    )
    ethnicity = CodeChoiceField(
        "ethnicity",
        read_only=True,
        help_text="The person's ethnic group when the event was recorded (snapshot).",
    )


EVENT_FIELDS = [
    "id",
    "external_id",
    "date",
    "residence_unit",
    "commune_code",
    "commune_name",
    "village",
    "service_unit",
    "facility",
    "facility_code",
    "ethnicity",
    "ethnic_minority",
    "area_ethnic_minority",
    "area_especially_difficult",
    "area_zone",
    "flags",
    "source",
    "created_at",
    "updated_at",
]
