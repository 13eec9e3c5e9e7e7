"""Read-only API over the unit tree, always inside the caller's scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from mch.accounts.scope import Scope
from mch.core.api_fields import ModelSerializer
from mch.core.day_range import day_in_range, day_range_message

from .models import Level, OrgUnit
from .selectors import units_matching, units_valid_on


class OrgUnitSerializer(ModelSerializer[OrgUnit]):
    parent = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "parent",
            "path",
            "valid_from",
            "valid_to",
        ]


_FILTERS = [
    OpenApiParameter(
        "level", OpenApiTypes.STR, enum=Level.values, description="Only units of this level."
    ),
    OpenApiParameter(
        "on", OpenApiTypes.DATE, description="Only units valid on this day (YYYY-MM-DD)."
    ),
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description="Code (its start) or name (any part, case and diacritics ignored).",
    ),
]


@extend_schema_view(list=extend_schema(parameters=_FILTERS))
class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet[OrgUnit]):
    """Units the caller may see: their own units, everything below and what they were formed from."""

    serializer_class = OrgUnitSerializer

    def get_queryset(self) -> QuerySet[OrgUnit]:
        scope = Scope.for_user(self.request.user)
        if self.action != "list":
            return scope.filter(OrgUnit.objects.all())
        params = self.request.query_params
        level = params.get("level") or None
        if level is not None and level not in Level.values:
            raise ValidationError({"level": f"Cấp không hợp lệ: {level}"})
        on = params.get("on")
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError as error:
                raise ValidationError({"on": "Ngày phải có dạng YYYY-MM-DD."}) from error
            if not day_in_range(day):
                raise ValidationError({"on": day_range_message()})
            units = units_valid_on(day, level=level, scope=scope)
        else:
            units = OrgUnit.objects.all()
            if level:
                units = units.at_level(level)
            units = scope.filter(units)
        return units_matching(units, params.get("search", ""))
