"""Read-only API over the indicator catalogue (the same for every user)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from mch.indicators.registry import VERSION_FIELDS

from .models import Domain, Indicator, IndicatorVersion
from .selectors import indicator_get, indicator_list


class IndicatorVersionSerializer(serializers.ModelSerializer[IndicatorVersion]):
    class Meta:
        model = IndicatorVersion
        fields = ["version", *VERSION_FIELDS, "change_reason", "created_at"]


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    latest_version = IndicatorVersionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["code", "domain", "latest_version"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("domain", OpenApiTypes.STR, enum=Domain.values),
            OpenApiParameter(
                "search", OpenApiTypes.STR, description="Code or name, diacritics ignored."
            ),
        ]
    )
)
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet[Indicator]):
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    queryset = Indicator.objects.none()  # reads go through the selectors

    def get_queryset(self) -> Any:
        params = self.request.query_params
        domain = params.get("domain") or None
        return indicator_list(domain=domain, search=params.get("search") or None)

    def get_object(self) -> Indicator:
        try:
            return indicator_get(self.kwargs["code"])
        except Indicator.DoesNotExist as missing:
            raise Http404(str(missing)) from missing
