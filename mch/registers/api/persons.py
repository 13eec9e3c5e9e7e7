"""A person's record as the API reads and writes it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mch.core.api_fields import DateField

from ..models import Person
from .events import EXTERNAL_ID_HELP, RecordOutput
from .fields import CodeChoiceField


class PersonFields(serializers.Serializer[Any]):
    """What a person's record holds that a user may correct (``services.people.EDITABLE``)."""

    full_name = serializers.CharField(max_length=200)
    sex = CodeChoiceField("sex")
    birth_date = DateField(required=False, allow_null=True)
    birth_date_estimated = serializers.BooleanField(required=False)
    ethnicity = CodeChoiceField("ethnicity", required=False)
    national_id = serializers.CharField(
        required=False, allow_blank=True, max_length=12, help_text="CCCD, 12 digits."
    )
    insurance_number = serializers.CharField(required=False, allow_blank=True, max_length=15)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    village = serializers.CharField(required=False, allow_blank=True, max_length=100)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    poverty = CodeChoiceField("poverty", required=False)
    education = CodeChoiceField("education", required=False)


class PersonInput(PersonFields):
    external_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=EXTERNAL_ID_HELP
    )
    residence_unit = serializers.IntegerField(
        required=False, min_value=1, help_text="Commune of residence (unit id)."
    )
    commune_code = serializers.CharField(
        required=False, max_length=16, help_text="Commune of residence, by today's code."
    )
    mother = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="The mother (person id)."
    )
    allow_likely_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A person with the same name and date of birth is refused "
        "(`duplicate_person`) unless this is true; look at `people/duplicates/` first.",
    )


class PersonOutput(RecordOutput):
    sex = CodeChoiceField("sex", read_only=True)
    ethnicity = CodeChoiceField("ethnicity", read_only=True)
    poverty = CodeChoiceField("poverty", read_only=True)
    education = CodeChoiceField("education", read_only=True)
    residence_unit = serializers.PrimaryKeyRelatedField(read_only=True)
    commune_code = serializers.CharField(source="residence_unit.code", read_only=True)
    commune_name = serializers.CharField(source="residence_unit.name", read_only=True)
    mother = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    registered_unit = serializers.PrimaryKeyRelatedField(read_only=True)
    merged_into = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Set when this record was a duplicate merged into another one.",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "external_id",
            "full_name",
            "sex",
            "birth_date",
            "birth_date_estimated",
            "ethnicity",
            "national_id",
            "insurance_number",
            "phone",
            "residence_unit",
            "commune_code",
            "commune_name",
            "village",
            "address",
            "poverty",
            "education",
            "mother",
            "registered_unit",
            "deceased_on",
            "merged_into",
            "flags",
            "source",
            "created_at",
            "updated_at",
        ]


class MoveInput(serializers.Serializer[Any]):
    residence_unit = serializers.IntegerField(
        required=False, min_value=1, help_text="The new commune (unit id)."
    )
    commune_code = serializers.CharField(
        required=False, max_length=16, help_text="The new commune, by its code on moved_on."
    )
    village = serializers.CharField(required=False, allow_blank=True, max_length=100)
    moved_on = DateField()


class MergeInput(serializers.Serializer[Any]):
    duplicate = serializers.IntegerField(
        min_value=1, help_text="The duplicate record (person id) to merge into this one."
    )


class MatchOutput(serializers.Serializer[Any]):
    person = PersonOutput()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="national_id, name, birth_date, commune."
    )


class DuplicatesOutput(serializers.Serializer[Any]):
    matches = MatchOutput(many=True)
    outside_scope = serializers.IntegerField(
        help_text="Likely matches living outside the caller's units (not shown)."
    )
