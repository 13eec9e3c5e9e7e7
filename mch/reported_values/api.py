"""Survey, policy and workforce values over the API: list (by unit and year), read,
create, change and delete, each in the caller's scope and through the same services as
the pages (rights, Vietnamese messages, audit with ``via="api"``).

Errors: 400 ``{"errors": [{field, code, message}]}`` (as the registers API), 403 when
the account may not enter for that unit or facility, 404 outside the caller's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from mch.core.api_fields import DateField, ModelSerializer
from mch.orgunits.models import Facility, OrgUnit
from mch.registers.api.errors import InputError, error_response

from . import selectors, services
from .models import PolicyValue, SurveyResult, WorkforceReport

YEAR = {"min_value": services.YEARS[0], "max_value": services.YEARS[1]}
FILTERS = [
    OpenApiParameter("unit", int, description="A unit id: its values and those below it."),
    OpenApiParameter("year", int, description="The year the values are about."),
]


def _filters(request: Request) -> dict[str, Any]:
    out: dict[str, Any] = {}
    raw = request.query_params.get("unit", "").strip()
    if raw:
        unit = (
            OrgUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
        )
        if unit is None:
            raise InputError(
                "unit", "unknown_unit", f"Không có đơn vị mã số {raw}.", f"No unit {raw}."
            )
        out["unit"] = unit
    raw = request.query_params.get("year", "").strip()
    if raw:
        if not raw.isdigit() or not services.YEARS[0] <= int(raw) <= services.YEARS[1]:
            raise InputError(
                "year",
                "invalid_year",
                f"Năm phải trong khoảng {services.YEARS[0]}–{services.YEARS[1]}.",
                f"The year must be between {services.YEARS[0]} and {services.YEARS[1]}.",
            )
        out["year"] = int(raw)
    return out


def _unit(pk: int) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise InputError("unit", "unknown_unit", f"Không có đơn vị mã số {pk}.", f"No unit {pk}.")
    return unit


def _text(value: Any) -> Any:
    return None if value is None else str(value)


class _Base(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    lookup_value_regex = r"\d{1,10}"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def handle_exception(self, exc: Exception) -> Response:
        return error_response(exc) or super().handle_exception(exc)

    def rows(self, **filters: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.rows()
        filters = _filters(self.request) if self.action == "list" else {}
        return self.rows(**filters).order_by("pk")

    def get_object(self) -> Any:
        row = self.rows().filter(pk=self.kwargs["pk"]).first()
        if row is None:
            raise Http404
        return row

    def answer(self, row: Any, code: int = status.HTTP_200_OK) -> Response:
        row = self.rows().get(pk=row.pk)
        return Response(self.output(row, context=self.get_serializer_context()).data, status=code)

    output: Any


# ---------------------------------------------------------------- surveys


class SurveyResultSerializer(ModelSerializer[SurveyResult]):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = SurveyResult
        fields = [
            "id",
            "indicator",
            "unit",
            "unit_name",
            "population_code",
            "year",
            "survey_name",
            "survey_date",
            "sample_size",
            "value",
            "ci_low",
            "ci_high",
            "ci_computed",
            "document_ref",
            "note",
            "entered_via",
            "entered_at",
            "updated_at",
        ]
        read_only_fields = fields


class SurveyInputSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(max_length=64, help_text="An indicator code (a percentage).")
    unit = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    survey_name = serializers.CharField(max_length=200)
    survey_date = DateField()
    sample_size = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    value = serializers.DecimalField(max_digits=6, decimal_places=3, min_value=0, max_value=100)
    ci_low = serializers.DecimalField(
        max_digits=6, decimal_places=3, min_value=0, max_value=100, required=False, allow_null=True,
        help_text="Both ends or neither: without them the 95% Wilson interval is computed.",
    )  # fmt: skip
    ci_high = serializers.DecimalField(
        max_digits=6, decimal_places=3, min_value=0, max_value=100, required=False, allow_null=True
    )
    year = serializers.IntegerField(required=False, allow_null=True, **YEAR)
    document_ref = serializers.CharField(max_length=300, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(parameters=FILTERS, summary="Survey results in the caller's scope"),
    create=extend_schema(request=SurveyInputSerializer, responses={201: SurveyResultSerializer}),
    partial_update=extend_schema(
        request=SurveyInputSerializer(partial=True), responses={200: SurveyResultSerializer}
    ),
)
class SurveyResultViewSet(_Base):
    """Survey results (province officers enter them; everyone in scope reads them)."""

    serializer_class = SurveyResultSerializer
    output = SurveyResultSerializer
    queryset = SurveyResult.objects.none()

    def rows(self, **filters: Any) -> QuerySet[Any]:
        return selectors.surveys(user=self.request.user, **filters)

    def _save(self, data: dict[str, Any], instance: SurveyResult | None) -> SurveyResult:
        return services.survey_result_save(
            user=self.request.user,
            indicator_code=data["indicator"],
            unit=_unit(data["unit"]),
            survey_name=data["survey_name"],
            survey_date=data["survey_date"],
            sample_size=data["sample_size"],
            value=_text(data["value"]),
            ci_low=_text(data.get("ci_low")),
            ci_high=_text(data.get("ci_high")),
            year=data.get("year"),
            document_ref=data.get("document_ref", ""),
            note=data.get("note", ""),
            via="api",
            instance=instance,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = SurveyInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return self.answer(self._save(dict(given.validated_data), None), status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        given = SurveyInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        current = {
            "indicator": row.indicator.code,
            "unit": row.unit_id,
            "survey_name": row.survey_name,
            "survey_date": row.survey_date,
            "sample_size": row.sample_size,
            "value": row.value,
            "ci_low": None if row.ci_computed else row.ci_low,
            "ci_high": None if row.ci_computed else row.ci_high,
            "year": row.year,
            "document_ref": row.document_ref,
            "note": row.note,
        }
        return self.answer(self._save(current | dict(given.validated_data), row))

    def perform_destroy(self, instance: SurveyResult) -> None:
        services.reported_value_delete(user=self.request.user, instance=instance)


# ---------------------------------------------------------------- policy


class PolicyValueSerializer(ModelSerializer[PolicyValue]):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = PolicyValue
        fields = [
            "id",
            "indicator",
            "unit",
            "unit_name",
            "year",
            "answer",
            "numerator",
            "denominator",
            "number",
            "document_ref",
            "note",
            "entered_via",
            "entered_at",
            "updated_at",
        ]
        read_only_fields = fields


def _amount(**kw: Any) -> Any:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=999_999_999,
        required=False, allow_null=True, **kw,
    )  # fmt: skip


class PolicyInputSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(max_length=64, help_text="A policy item's indicator code.")
    unit = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    year = serializers.IntegerField(**YEAR)
    answer = serializers.BooleanField(required=False, allow_null=True, default=None)
    numerator = _amount(help_text="With denominator: how many of how many.")
    denominator = _amount()
    number = _amount(help_text="Or a bare number or percentage.")
    document_ref = serializers.CharField(max_length=300, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.partial:
            return attrs
        if attrs.get("answer") is None and all(
            attrs.get(k) is None for k in ("numerator", "denominator", "number")
        ):
            raise serializers.ValidationError(
                {"answer": "Nhập có/không, hoặc tử số và mẫu số, hoặc một số."}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(parameters=FILTERS, summary="Policy items in the caller's scope"),
    create=extend_schema(request=PolicyInputSerializer, responses={201: PolicyValueSerializer}),
    partial_update=extend_schema(
        request=PolicyInputSerializer(partial=True), responses={200: PolicyValueSerializer}
    ),
)
class PolicyValueViewSet(_Base):
    """Policy and system items per unit and year (one per item, unit and year: a second
    POST for the same changes it)."""

    serializer_class = PolicyValueSerializer
    output = PolicyValueSerializer
    queryset = PolicyValue.objects.none()

    def rows(self, **filters: Any) -> QuerySet[Any]:
        return selectors.policy_values(user=self.request.user, **filters)

    def _save(self, data: dict[str, Any]) -> PolicyValue | None:
        return services.policy_value_save(
            user=self.request.user,
            indicator_code=data["indicator"],
            unit=_unit(data["unit"]),
            year=data["year"],
            answer=data.get("answer"),
            numerator=_text(data.get("numerator")),
            denominator=_text(data.get("denominator")),
            number=_text(data.get("number")),
            document_ref=data.get("document_ref", ""),
            note=data.get("note", ""),
            via="api",
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = PolicyInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        row = self._save(dict(given.validated_data))
        assert row is not None
        return self.answer(row, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the value or document; the item, unit and year stay (they name the entry)."""
        row = self.get_object()
        given = PolicyInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        changes = {
            k: v for k, v in given.validated_data.items() if k not in ("indicator", "unit", "year")
        }
        value_keys = ("answer", "numerator", "denominator", "number")
        current = {
            "indicator": row.indicator.code,
            "unit": row.unit_id,
            "year": row.year,
            "document_ref": row.document_ref,
            "note": row.note,
        }
        if any(k in changes and changes[k] is not None for k in value_keys):
            values = {k: changes.get(k) for k in value_keys}  # a new value replaces the old
        else:
            values = {k: getattr(row, k) for k in value_keys}
        data = current | values | {k: changes[k] for k in ("document_ref", "note") if k in changes}
        saved = self._save(data)
        assert saved is not None
        return self.answer(saved)

    def perform_destroy(self, instance: PolicyValue) -> None:
        services.policy_value_save(
            user=self.request.user,
            indicator_code=instance.indicator.code,
            unit=instance.unit,
            year=instance.year,
            via="api",
        )


# ---------------------------------------------------------------- workforce


class WorkforceReportSerializer(ModelSerializer[WorkforceReport]):
    facility = serializers.PrimaryKeyRelatedField(read_only=True)
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    unit = serializers.IntegerField(source="facility.unit_id", read_only=True)

    class Meta:
        model = WorkforceReport
        fields = [
            "id",
            "facility",
            "facility_name",
            "unit",
            "year",
            "as_of",
            *services.WORKFORCE_COUNTS,
            "document_ref",
            "note",
            "entered_via",
            "entered_at",
            "updated_at",
        ]
        read_only_fields = fields


class WorkforceInputSerializer(serializers.Serializer[Any]):
    facility = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    year = serializers.IntegerField(**YEAR)
    as_of = DateField(help_text="The reporting date.")
    document_ref = serializers.CharField(max_length=300, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in services.WORKFORCE_COUNTS:
            fields[name] = serializers.IntegerField(
                min_value=0,
                max_value=32767,
                required=False,
                allow_null=True,
                help_text=services.WORKFORCE_LABELS[name],
            )
        return fields


@extend_schema_view(
    list=extend_schema(parameters=FILTERS, summary="Facilities' workforce reports in scope"),
    create=extend_schema(
        request=WorkforceInputSerializer, responses={201: WorkforceReportSerializer}
    ),
    partial_update=extend_schema(
        request=WorkforceInputSerializer(partial=True), responses={200: WorkforceReportSerializer}
    ),
)
class WorkforceReportViewSet(_Base):
    """A health facility's staff and training of a year (one per facility and year: a
    second POST for the same changes it)."""

    serializer_class = WorkforceReportSerializer
    output = WorkforceReportSerializer
    queryset = WorkforceReport.objects.none()

    def rows(self, **filters: Any) -> QuerySet[Any]:
        return selectors.workforce_reports(user=self.request.user, **filters)

    def _save(self, data: dict[str, Any]) -> WorkforceReport:
        facility = Facility.objects.filter(pk=data["facility"]).select_related("unit").first()
        if facility is None:
            raise InputError(
                "facility",
                "unknown_facility",
                f"Không có cơ sở y tế mã số {data['facility']}.",
                f"No facility {data['facility']}.",
            )
        return services.workforce_report_save(
            user=self.request.user,
            facility=facility,
            year=data["year"],
            as_of=data["as_of"],
            counts={name: data.get(name) for name in services.WORKFORCE_COUNTS},
            document_ref=data.get("document_ref", ""),
            note=data.get("note", ""),
            via="api",
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = WorkforceInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return self.answer(self._save(dict(given.validated_data)), status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change counts, date or document; the facility and year stay."""
        row = self.get_object()
        given = WorkforceInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        current: dict[str, Any] = {
            "facility": row.facility_id,
            "year": row.year,
            "as_of": row.as_of,
            "document_ref": row.document_ref,
            "note": row.note,
            **{name: getattr(row, name) for name in services.WORKFORCE_COUNTS},
        }
        changes = {k: v for k, v in given.validated_data.items() if k not in ("facility", "year")}
        return self.answer(self._save(current | changes))

    def perform_destroy(self, instance: WorkforceReport) -> None:
        services.reported_value_delete(user=self.request.user, instance=instance)


ROUTES = (
    ("reported-values/surveys", SurveyResultViewSet, "api-reported-survey"),
    ("reported-values/policy", PolicyValueViewSet, "api-reported-policy"),
    ("reported-values/workforce", WorkforceReportViewSet, "api-reported-workforce"),
)
