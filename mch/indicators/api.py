"""Read-only API over the indicator catalogue (the same for every user) and the values
computed from the registers (inside the caller's units)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mch.core.api_fields import ModelSerializer
from mch.indicators.registry import VERSION_FIELDS

from .models import Domain, Indicator, IndicatorVersion
from .query import QueryInvalid, QueryRefused, query_parse, query_values, value_rows
from .selectors import indicator_get, indicator_list


class IndicatorVersionSerializer(ModelSerializer[IndicatorVersion]):
    class Meta:
        model = IndicatorVersion
        fields = ["version", *VERSION_FIELDS, "change_reason", "created_at"]


class IndicatorSerializer(ModelSerializer[Indicator]):
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


class ValuesQuerySerializer(serializers.Serializer[Any]):
    """The query string of ``/api/indicators/values/``; read by ``mch.indicators.query``, the
    same parser as ``mch indicators``."""

    indicator = serializers.CharField(help_text="Indicator codes, comma-separated: `imr,nmr`.")
    unit = serializers.CharField(
        required=False,
        help_text="Unit codes or ids, comma-separated (`56`, `22795`). A code names the unit "
        "that holds it at the end of the period; a number that is no unit's code is an id. "
        "Default: the caller's own units.",
    )
    period = serializers.CharField(
        help_text="`2026` (year), `2026-Q1` (quarter), `2026-03` (month), `2026-6M` / `2026-9M` "
        "(first 6 / 9 months), `2021..2025` (several years). `Q1/2026`, `03/2026`, `6m/2026` "
        "and `2021-2025` are read too.",
    )
    group = serializers.CharField(
        required=False,
        help_text="Population groups, comma-separated (`all`, `ethnic_minority`, `ethnicity_01`; "
        "`a+b` for both at once). Default `all`.",
    )
    attribution = serializers.CharField(
        required=False,
        help_text="`residence` (default): the unit the person lived in; `service`: the unit "
        "of the place of care.",
    )
    by = serializers.CharField(
        required=False,
        help_text="`unit`: one row per commune inside each unit; `group`: one row per "
        "population group of the catalogue (with `all`) unless `group` names them; "
        "`unit,group`: both.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            query = query_parse(user=self.context["request"].user, params=attrs)
        except QueryInvalid as invalid:
            raise serializers.ValidationError(invalid.errors) from None
        except QueryRefused as refused:
            raise PermissionDenied(str(refused)) from None
        return {"query": query}


class ValueRowSerializer(serializers.Serializer[Any]):
    """One value; the same row as ``mch indicators --format json``."""

    indicator = serializers.CharField()
    version = serializers.IntegerField(help_text="Definition version the value follows.")
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    period = serializers.CharField(help_text="Label: `2026`, `Q1/2026`, `03/2026`, `2021–2025`.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    group = serializers.CharField()
    attribution = serializers.CharField()
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    value = serializers.FloatField(
        allow_null=True, help_text="numerator / denominator × multiplier; null without data."
    )
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    ci_method = serializers.CharField(help_text="`wilson`, `poisson_exact` or `none`.")
    small_numbers = serializers.BooleanField(
        help_text="Too few events to read the value alone (see docs/indicators.md)."
    )
    unit_symbol = serializers.CharField()
    as_of = serializers.DateTimeField(help_text="The data as of this moment.")
    note = serializers.CharField(help_text="Why a value is missing or partial, in Vietnamese.")


class IndicatorValuesView(APIView):
    """Indicator values computed from the registers, inside the caller's units."""

    @extend_schema(
        summary="Indicator values",
        description="One row per indicator × unit (or each commune inside it, `by=unit`) × "
        "population group, for one period. Values come from the stored aggregates (always "
        "current) or, for periods they do not hold, straight from the records. The same rows "
        "as `mch indicators`. A unit outside the caller's units is refused (403).",
        parameters=[ValuesQuerySerializer],
        responses={
            200: ValueRowSerializer(many=True),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="`{parameter: [message]}` naming each parameter at fault "
                "(an unknown indicator, unit or group, an unreadable period).",
            ),
            403: OpenApiResponse(description="A unit outside the caller's units."),
        },
    )
    def get(self, request: Request) -> Response:
        params = ValuesQuerySerializer(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        values = query_values(user=request.user, query=params.validated_data["query"])
        return Response(value_rows(values))
