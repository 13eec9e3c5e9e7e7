"""Plans over the API: read-only, scoped, plus export and import for province officers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mch.accounts.permissions import can_manage_plans
from mch.core.api_fields import ModelSerializer

from .budget import plan_budget
from .models import BudgetLine, Objective, Observation, Plan, Target, Task
from .selectors import plan_get, plan_list, plan_tasks
from .services import PlanFileError, plan_export, plan_import

MAX_PLAN_FILE_BYTES = 2 * 1024 * 1024


class CanManagePlans(permissions.BasePermission):
    message = "Chỉ cán bộ chương trình cấp tỉnh được nhập và xuất kế hoạch."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_manage_plans(request.user)


# Plain strings, not enums: three different choice sets are all called "kind", and the
# schema generator cannot name them apart without project-wide overrides.
class ObjectiveSerializer(ModelSerializer[Objective]):
    kind = serializers.CharField(read_only=True, help_text="general | specific")

    class Meta:
        model = Objective
        fields = ["code", "kind", "title"]


class _ValueFields(serializers.Serializer[Any]):
    objective = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator_version = serializers.IntegerField(source="indicator_version.version", read_only=True)
    population = serializers.SlugRelatedField(slug_field="code", read_only=True)


class TargetSerializer(_ValueFields, ModelSerializer[Target]):
    class Meta:
        model = Target
        fields = [
            "objective",
            "indicator",
            "indicator_version",
            "year",
            "population",
            "comparator",
            "value",
            "value_text",
            "baseline_year",
            "change_unit",
            "source_part",
            "source_ref",
            "quote",
            "note",
        ]


class ObservationSerializer(_ValueFields, ModelSerializer[Observation]):
    kind = serializers.CharField(read_only=True, help_text="baseline | actual")

    class Meta:
        model = Observation
        fields = [
            "objective",
            "indicator",
            "indicator_version",
            "kind",
            "year",
            "population",
            "value",
            "value_text",
            "source_part",
            "source_ref",
            "quote",
            "note",
        ]


class BudgetLineSerializer(ModelSerializer[BudgetLine]):
    class Meta:
        model = BudgetLine
        fields = ["id", "year", "amount_vnd", "funding_source", "item", "quote", "part_of"]


class TaskSerializer(ModelSerializer[Task]):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Task
        fields = ["agency", "agency_name", "role", "description", "source_ref"]


class PlanSerializer(ModelSerializer[Plan]):
    issuer_unit = serializers.PrimaryKeyRelatedField(read_only=True)
    scope_unit = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "slug",
            "kind",
            "number",
            "title",
            "issuer_name",
            "issuer_unit",
            "scope_unit",
            "issued_on",
            "issued_text",
            "period_start",
            "period_end",
        ]


class PlanDetailSerializer(PlanSerializer):
    legal_basis = serializers.ListField(child=serializers.CharField(), read_only=True)
    notes = serializers.ListField(child=serializers.CharField(), read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)
    observations = ObservationSerializer(many=True, read_only=True)
    budget = BudgetLineSerializer(many=True, read_only=True, source="budget_lines")
    budget_total_vnd = serializers.SerializerMethodField(
        help_text="Every amount once: whole-period lines plus yearly lines not part of one."
    )
    # Set by the view from ``plan_tasks``: department users see only their agency's tasks.
    tasks = TaskSerializer(many=True, read_only=True, source="visible_tasks")

    class Meta(PlanSerializer.Meta):
        fields = [
            *PlanSerializer.Meta.fields,
            "signer_name",
            "signer_title",
            "legal_basis",
            "summary",
            "report_deadline_month",
            "report_deadline_day",
            "report_deadline_text",
            "report_recipient",
            "notes",
            "objectives",
            "targets",
            "observations",
            "budget",
            "budget_total_vnd",
            "tasks",
        ]

    def get_budget_total_vnd(self, plan: Plan) -> int:
        return plan_budget(plan=plan).total


class PlanFileSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="A plan file in the mch-plan/1 YAML format.")

    def validate_file(self, upload: Any) -> Any:
        if upload.size > MAX_PLAN_FILE_BYTES:
            raise serializers.ValidationError("Tệp lớn hơn 2 MB.")
        return upload


class ProblemSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()


class PlanFileProblemsSerializer(serializers.Serializer[Any]):
    problems = ProblemSerializer(many=True)


class PlanViewSet(viewsets.ReadOnlyModelViewSet[Plan]):
    """Plans whose unit is in, or above, the caller's units."""

    lookup_field = "slug"
    queryset = Plan.objects.none()

    def get_queryset(self) -> QuerySet[Plan]:
        return plan_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "retrieve":
            return PlanDetailSerializer
        if self.action == "import_file":
            return PlanFileSerializer
        return PlanSerializer

    def get_object(self) -> Plan:
        plan = plan_get(user=self.request.user, slug=self.kwargs["slug"])
        self.check_object_permissions(self.request, plan)
        return plan

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        plan.visible_tasks = list(plan_tasks(user=request.user, plan=plan))  # type: ignore[attr-defined]
        return Response(PlanDetailSerializer(plan, context=self.get_serializer_context()).data)

    @extend_schema(
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The mch-plan/1 file as JSON.")
        }
    )
    @action(detail=True, methods=["get"], permission_classes=[CanManagePlans])
    def export(self, request: Request, slug: str) -> Response:
        return Response(plan_export(plan=self.get_object()))

    @extend_schema(
        request={"multipart/form-data": PlanFileSerializer},
        responses={
            201: PlanDetailSerializer,
            400: OpenApiResponse(
                PlanFileProblemsSerializer,
                description="Nothing was saved; each problem names its line.",
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        permission_classes=[CanManagePlans],
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request) -> Response:
        upload_serializer = PlanFileSerializer(data=request.data)
        if not upload_serializer.is_valid():  # no file, or too large: the same shape as the file's
            problems = [
                {"line": None, "message": str(message)}
                for messages in upload_serializer.errors.values()
                for message in messages
            ]
            return Response({"problems": problems}, status=status.HTTP_400_BAD_REQUEST)
        upload = upload_serializer.validated_data["file"]
        try:
            plan = plan_import(content=upload.read(), filename=upload.name, user=request.user)
        except PlanFileError as error:
            problems = [{"line": p.line, "message": p.message} for p in error.problems]
            return Response({"problems": problems}, status=status.HTTP_400_BAD_REQUEST)
        plan.visible_tasks = list(plan_tasks(user=request.user, plan=plan))  # type: ignore[attr-defined]
        data = PlanDetailSerializer(plan, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
