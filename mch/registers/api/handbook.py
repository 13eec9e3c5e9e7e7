"""The mother-and-child handbook of one person (``selectors.handbook``) as one document."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from mch.core.api_fields import ModelSerializer

from ..models import AuditEntry, Person
from .child import CheckUpOutput, DeathOutput, GrowthOutput, IllnessOutput, ImmunisationOutput
from .events import RecordOutput
from .fields import CodeChoiceField
from .maternal import (
    AntenatalVisitOutput,
    BirthOutput,
    DeliveryOutput,
    PostnatalContactOutput,
    PregnancyOutput,
)
from .persons import PersonOutput


class PregnancyWithVisits(PregnancyOutput):
    visits = AntenatalVisitOutput(many=True, read_only=True)

    class Meta(PregnancyOutput.Meta):
        fields = [*PregnancyOutput.Meta.fields, "visits"]


class ChildOutput(RecordOutput):
    sex = CodeChoiceField("sex", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "full_name", "sex", "birth_date", "deceased_on", "flags", "source"]


class HistoryOutput(ModelSerializer[AuditEntry]):
    user = serializers.CharField(
        source="user.username", read_only=True, allow_null=True, default=None
    )
    action = serializers.CharField(
        read_only=True, help_text="create | update | merge | import (views are not listed)."
    )

    class Meta:
        model = AuditEntry
        fields = ["at", "user", "action", "model", "object_id", "note"]
        read_only_fields = fields


class HandbookOutput(serializers.Serializer[Any]):
    person = PersonOutput(read_only=True)
    pregnancies = PregnancyWithVisits(many=True, read_only=True)
    deliveries = DeliveryOutput(many=True, read_only=True)
    children = ChildOutput(many=True, read_only=True)
    birth = BirthOutput(read_only=True, allow_null=True, help_text="The person's own birth.")
    postnatal_contacts = PostnatalContactOutput(many=True, read_only=True, source="postnatal")
    checkups = CheckUpOutput(many=True, read_only=True)
    growth = GrowthOutput(many=True, read_only=True, source="measurements")
    immunisations = ImmunisationOutput(many=True, read_only=True)
    illnesses = IllnessOutput(many=True, read_only=True)
    death = DeathOutput(read_only=True, allow_null=True)
    merged_from = serializers.SerializerMethodField(
        help_text="Ids of duplicate records merged into this person."
    )
    history = HistoryOutput(many=True, read_only=True)

    def get_merged_from(self, book: Any) -> list[int]:
        return [person.pk for person in book.merged_from]
