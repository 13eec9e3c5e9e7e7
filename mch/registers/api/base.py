"""What every registers endpoint shares: who may call it, pages, list filters, references
by id or code, the audit of reads, and the create/correct flow through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from mch.accounts.permissions import can_see_people
from mch.core.day_range import day_in_range, day_range_message
from mch.core.pagination import PageNumberPagination
from mch.orgunits.models import OrgUnit

from .. import selectors, services
from ..models import AuditAction, Birth, Person, Source
from .errors import InputError, error_response
from .refs import person_ref, place_refs

CONFLICT = InputError(
    "",
    "conflict",
    "Bản ghi trùng với một bản ghi đã lưu (mã external_id hoặc số định danh đã dùng).",
    "The record conflicts with a stored one (an external_id or national ID already used).",
)


class CanSeePeople(permissions.BasePermission):
    message = "Tài khoản này không được xem sổ của người dân."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_see_people(request.user)


class RegisterPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


# ---------------------------------------------------------------------- list filters


def query_date(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(
            name, "invalid_date", "Ngày phải có dạng YYYY-MM-DD.", "Dates are YYYY-MM-DD."
        ) from None
    if not day_in_range(day):
        raise _out_of_range(name)
    return day


def _out_of_range(name: str) -> InputError:
    message = day_range_message()
    return InputError(name, "date_range", message, message)


def query_moment(request: Request, name: str) -> dt.datetime | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise InputError(
            name,
            "invalid_datetime",
            "Thời điểm phải theo ISO 8601 (YYYY-MM-DDTHH:MM:SS+07:00).",
            "Moments are ISO 8601 (YYYY-MM-DDTHH:MM:SS+07:00).",
        ) from None
    if not day_in_range(moment.date()):
        raise _out_of_range(name)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def query_unit(request: Request) -> OrgUnit | None:
    raw = request.query_params.get("commune", "").strip()
    if not raw:
        return None
    unit = OrgUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if unit is None:
        raise InputError(
            "commune", "unknown_unit", f"Không có đơn vị mã số {raw}.", f"No unit with id {raw}."
        )
    return unit


def filter_changes(rows: QuerySet[Any], request: Request, unit_field: str) -> QuerySet[Any]:
    """The filters every list shares beside the selector's: commune code, updated since."""
    code = request.query_params.get("commune_code", "").strip()
    if code:
        rows = rows.filter(**{f"{unit_field}__code": code, f"{unit_field}__level": "commune"})
    since = query_moment(request, "updated_since")
    if since is not None:
        rows = rows.filter(updated_at__gte=since).order_by("updated_at", "pk")
    return rows


# ---------------------------------------------------------------------- views


class RegisterAPIView(viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [permissions.IsAuthenticated, CanSeePeople]
    pagination_class = RegisterPagination
    lookup_value_regex = r"\d+"

    def handle_exception(self, exc: Exception) -> Response:
        return error_response(exc) or super().handle_exception(exc)

    def audit_list(self, page: list[Any], what: str) -> None:
        """One audit entry per list request, with the number of rows shown."""
        paginator = getattr(self.paginator, "page", None)
        total = paginator.paginator.count if paginator is not None else len(page)
        services.audit_log(
            user=self.request.user,
            action=AuditAction.VIEW,
            changes={
                "api": what,
                "count": len(page),
                "total": total,
                "query": dict(self.request.query_params.items()),
            },
            note=f"API: danh sách {what}, {len(page)} bản ghi",
        )


class RecordViewSet(RegisterAPIView):
    """List and retrieve one register's records, scoped to the caller's units."""

    register: ClassVar[str]  # a key of selectors.REGISTERS
    output_serializer: ClassVar[type[serializers.BaseSerializer[Any]]]
    input_serializer: ClassVar[type[serializers.Serializer[Any]] | None] = None

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action in ("create", "partial_update") and self.input_serializer is not None:
            return self.input_serializer
        return self.output_serializer

    @property
    def model(self) -> type[Model]:
        return selectors.REGISTERS[self.register]

    def get_queryset(self) -> QuerySet[Any]:
        request = self.request
        rows = selectors.register_rows(
            user=request.user,
            register=self.register,
            unit=query_unit(request),
            start=query_date(request, "date_from"),
            end=query_date(request, "date_to"),
        )
        return filter_changes(rows, request, "residence_unit")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        self.audit_list(page, self.register)
        data = self.output_serializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def get_object(self) -> Any:
        return selectors.event_get(user=self.request.user, model=self.model, pk=self.kwargs["pk"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        person_id = record.mother_id if isinstance(record, Birth) else record.person_id
        services.audit_view(
            user=request.user, person_id=person_id, note=f"API: {self.register} #{record.pk}"
        )
        return self.respond(record)

    def respond(self, record: Any, code: int = status.HTTP_200_OK) -> Response:
        data = self.output_serializer(record, context=self.get_serializer_context()).data
        return Response(data, status=code)


ParentRefs = dict[str, type[Model]]


class WritableRecordViewSet(RecordViewSet):
    """POST (and PATCH where the service corrects records) through the register's service.

    Sync contract: a record sent with an ``external_id`` that is already stored is not
    created again; the stored record comes back with 200 instead of 201."""

    # Input references to records the caller must be able to see: name -> model.
    parent_fields: ClassVar[ParentRefs] = {"person": Person}

    def service(self, **kwargs: Any) -> Any:
        raise NotImplementedError

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        """Turn parsed input into service arguments beyond references (nested lists)."""
        return data

    def resolve_parents(self, data: dict[str, Any]) -> dict[str, Any]:
        user = self.request.user
        found: dict[str, Any] = {}
        for name, model in self.parent_fields.items():
            pk = data.pop(name, None)
            if pk is None:
                continue
            if model is Person:
                found[name] = person_ref(user, pk)
            else:
                found[name] = selectors.event_get(user=user, model=model, pk=pk)  # type: ignore[arg-type]
        return found

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assert self.input_serializer is not None
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        external_id = data.get("external_id") or ""
        if external_id:
            existing = self.existing(external_id)
            if existing is not None:
                return self.respond(existing)
        try:
            with transaction.atomic():
                parents = self.resolve_parents(data)
                places = place_refs(data, on=data["date"])
                record = self.service(
                    user=request.user, source=Source.API, **parents, **places, **self.prepare(data)
                )
        except IntegrityError:
            # Another request stored the same external_id between our check and our write.
            existing = self.existing(external_id) if external_id else None
            if existing is None:
                raise CONFLICT from None
            return self.respond(existing)
        except ValueError as error:
            raise InputError("", "invalid", str(error), str(error)) from None
        return self.respond(record, status.HTTP_201_CREATED)

    def existing(self, external_id: str) -> Any:
        """The stored record with this external_id, or None. An external_id taken by a record
        outside the caller's scope is refused."""
        found = self.model._default_manager.filter(external_id=external_id).values_list(
            "pk", flat=True
        )
        if not found:
            return None
        try:
            return selectors.event_get(user=self.request.user, model=self.model, pk=found[0])  # type: ignore[arg-type]
        except Http404:
            raise InputError(
                "external_id",
                "external_id_taken",
                f"Mã {external_id} đã dùng cho một bản ghi ngoài phạm vi đơn vị của bạn.",
                f"{external_id} is the external_id of a record outside your units.",
            ) from None


class CorrectableRecordViewSet(WritableRecordViewSet):
    """Records the service can correct: PATCH sends the changes only."""

    instance_kwarg: ClassVar[str]  # the service's keyword for the record being corrected

    def correction_values(self, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        """Stored values overlaid with the changes: services set every value they take."""
        assert self.input_serializer is not None
        values = {
            name: getattr(record, name)
            for name in self.input_serializer().fields
            if name not in _REFERENCES and name not in self.parent_fields and name != "external_id"
        }
        values.update(data)
        return values

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assert self.input_serializer is not None
        record = self.get_object()
        serializer = self.input_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for name in (*self.parent_fields, "external_id"):
            if name not in data:
                continue
            current = getattr(record, name if name == "external_id" else f"{name}_id")
            if data.pop(name) != current:
                raise InputError(
                    name,
                    "read_only",
                    f"Không sửa được {name} của bản ghi đã lưu.",
                    f"The {name} of a stored record cannot be changed.",
                )
        values = self.correction_values(record, data)
        parents = {name: getattr(record, name) for name in self.parent_fields}
        try:
            with transaction.atomic():
                places = place_refs(values, on=values["date"])
                record = self.service(
                    user=request.user,
                    **{self.instance_kwarg: record},
                    **parents,
                    **places,
                    **self.prepare(values),
                )
        except ValueError as error:
            raise InputError("", "invalid", str(error), str(error)) from None
        return self.respond(record)


_REFERENCES = {
    "residence_unit",
    "commune_code",
    "service_unit",
    "service_commune_code",
    "facility",
    "facility_code",
    "babies",
}
