"""Women and children: search, register, correct, move, merge, and the whole handbook."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, services
from ..models import Person, Source
from ..services.people import EDITABLE
from .base import CONFLICT, RegisterAPIView, filter_changes, query_date, query_unit
from .errors import InputError
from .handbook import HandbookOutput
from .persons import (
    DuplicatesOutput,
    MergeInput,
    MoveInput,
    PersonFields,
    PersonInput,
    PersonOutput,
)
from .refs import person_ref, unit_ref
from .schema import FORBIDDEN, INVALID, LIST_PARAMETERS, NOT_FOUND

PEOPLE_PARAMETERS = [
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description="Part of the name (accents ignored), or a national ID, phone or id.",
    ),
    OpenApiParameter("village", OpenApiTypes.STR, description="Village, exact (any case)."),
    OpenApiParameter("sex", OpenApiTypes.STR, enum=["F", "M"], description="F: Nữ, M: Nam."),
    *(p for p in LIST_PARAMETERS if p.name not in ("date_from", "date_to")),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Born on or after."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Born on or before."),
]


@extend_schema_view(
    list=extend_schema(
        summary="Search people",
        description="Women and children living in (or registered by) the caller's units; "
        "merged duplicates are left out. One audit entry per request.",
        parameters=PEOPLE_PARAMETERS,
        responses={200: PersonOutput, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="One person",
        description="Logged in the audit trail. A merged duplicate shows `merged_into`.",
        responses={200: PersonOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Register a woman or a child",
        description="`services.person_register`: an exact national ID match is refused, a "
        "likely duplicate too unless `allow_likely_duplicate`. Idempotent with "
        "`external_id` (200: the record already stored; 201: created).",
        request=PersonInput,
        responses={201: PersonOutput, 200: PersonOutput, 400: INVALID, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Correct a person's details",
        description="`services.person_update`: send only the changed fields. The residence "
        "changes with `move/`.",
        request=PersonFields,
        responses={200: PersonOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class PersonViewSet(RegisterAPIView):
    serializer_class = PersonOutput

    def get_queryset(self) -> Any:
        request = self.request
        params = request.query_params
        people = selectors.person_list(
            user=request.user,
            search=params.get("search", ""),
            unit=query_unit(request),
            village=params.get("village", ""),
            sex=params.get("sex", ""),
        )
        born_from, born_to = query_date(request, "date_from"), query_date(request, "date_to")
        if born_from is not None:
            people = people.filter(birth_date__gte=born_from)
        if born_to is not None:
            people = people.filter(birth_date__lte=born_to)
        return filter_changes(people, request, "residence_unit")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        self.audit_list(page, "people")
        return self.get_paginated_response(PersonOutput(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        person = selectors.person_get(user=request.user, pk=int(pk))
        services.audit_view(user=request.user, person_id=person.pk, note="API: người")
        return Response(PersonOutput(person).data)

    def create(self, request: Request) -> Response:
        serializer = PersonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        external_id = data.pop("external_id", "")
        if external_id:
            existing = self._existing(external_id)
            if existing is not None:
                return Response(PersonOutput(existing).data)
        residence = unit_ref(
            data, "residence_unit", "commune_code", on=timezone.localdate(), commune=True
        )
        if residence is None:
            raise InputError(
                "commune_code",
                "required",
                "Chưa nhập xã/phường cư trú.",
                "The commune of residence is required.",
            )
        mother_id = data.pop("mother", None)
        mother = person_ref(request.user, mother_id) if mother_id else None
        try:
            with transaction.atomic():
                person = services.person_register(
                    user=request.user,
                    residence_unit=residence,
                    mother=mother,
                    source=Source.API,
                    **data,
                )
                if external_id:
                    # person_register takes no external_id (yet): the one write made here.
                    Person.objects.filter(pk=person.pk).update(external_id=external_id)
                    person.external_id = external_id
        except IntegrityError:
            existing = self._existing(external_id) if external_id else None
            if existing is None:
                raise CONFLICT from None
            return Response(PersonOutput(existing).data)
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)

    def _existing(self, external_id: str) -> Person | None:
        found = Person.objects.filter(external_id=external_id).values_list("pk", flat=True)
        if not found:
            return None
        try:
            return selectors.person_get(user=self.request.user, pk=found[0])
        except Http404:
            raise InputError(
                "external_id",
                "external_id_taken",
                f"Mã {external_id} đã dùng cho một người ngoài phạm vi đơn vị của bạn.",
                f"{external_id} is the external_id of a person outside your units.",
            ) from None

    def partial_update(self, request: Request, pk: str) -> Response:
        person = selectors.person_get(user=request.user, pk=int(pk))
        serializer = PersonFields(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k in EDITABLE}
        person = services.person_update(user=request.user, person=person, **changes)
        return Response(PersonOutput(person).data)

    @extend_schema(
        summary="The whole mother-and-child handbook of a person",
        description="Pregnancies with their visits, deliveries with births, children, the "
        "person's own birth, postnatal contacts, check-ups, growth, immunisations, illnesses, "
        "death and the change history (`selectors.handbook`). Logged in the audit trail.",
        responses={200: HandbookOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def handbook(self, request: Request, pk: str) -> Response:
        book = selectors.handbook(user=request.user, pk=int(pk))
        services.audit_view(user=request.user, person_id=book.person.pk, note="API: sổ tay")
        return Response(HandbookOutput(book).data)

    @extend_schema(
        summary="Record a change of residence",
        description="`services.person_move`: from `moved_on` the person lives in the new "
        "commune; records dated before it keep their commune, records from it on that were "
        "stored with the previous commune take the new one (audited).",
        request=MoveInput,
        responses={200: PersonOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        person = selectors.person_get(user=request.user, pk=int(pk))
        serializer = MoveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = unit_ref(data, "residence_unit", "commune_code", on=data["moved_on"], commune=True)
        if unit is None:
            raise InputError(
                "commune_code",
                "required",
                "Chưa nhập xã/phường mới.",
                "The new commune is required.",
            )
        person = services.person_move(user=request.user, person=person, residence_unit=unit, **data)
        return Response(PersonOutput(person).data)

    @extend_schema(
        summary="Merge a duplicate registration into this person",
        description="`services.person_merge`: every record of the duplicate moves to this "
        "person; the duplicate stays, marked `merged_into`, with its history.",
        request=MergeInput,
        responses={200: PersonOutput, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        keep = selectors.person_get(user=request.user, pk=int(pk))
        serializer = MergeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicate = selectors.person_get(
            user=request.user, pk=serializer.validated_data["duplicate"]
        )
        try:
            keep = services.person_merge(user=request.user, keep=keep, duplicate=duplicate)
        except ValueError as error:
            raise InputError("duplicate", "invalid", str(error), str(error)) from None
        return Response(PersonOutput(keep).data)

    @extend_schema(
        summary="Likely duplicates of a person about to be registered",
        description="`services.duplicates_find`: same national ID; or same name (accents "
        "ignored) and date of birth; or same name and year of birth in the same commune. "
        "Only matches in the caller's units are shown; the others are counted.",
        parameters=[
            OpenApiParameter("full_name", OpenApiTypes.STR, required=True),
            OpenApiParameter("birth_date", OpenApiTypes.DATE),
            OpenApiParameter("commune", OpenApiTypes.INT, description="Commune (unit id)."),
            OpenApiParameter("commune_code", OpenApiTypes.STR, description="Commune code."),
            OpenApiParameter("national_id", OpenApiTypes.STR),
        ],
        responses={200: DuplicatesOutput, 400: INVALID, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["get"])
    def duplicates(self, request: Request) -> Response:
        params = request.query_params
        full_name = params.get("full_name", "").strip()
        if not full_name:
            raise InputError("full_name", "required", "Chưa nhập họ tên.", "The name is required.")
        refs = {
            "commune": params.get("commune") or None,
            "commune_code": params.get("commune_code"),
        }
        if refs["commune"] is not None and not str(refs["commune"]).isdigit():
            raise InputError("commune", "invalid", "Mã đơn vị phải là số.", "Unit ids are numbers.")
        refs["commune"] = int(refs["commune"]) if refs["commune"] else None
        unit = unit_ref(refs, "commune", "commune_code", on=timezone.localdate(), commune=True)
        matches = services.duplicates_find(
            full_name=full_name,
            birth_date=query_date(request, "birth_date"),
            residence_unit=unit,
            national_id=params.get("national_id", "").strip(),
        )
        visible = set(
            Person.objects.filter(
                selectors.people_scope_q(request.user), pk__in=[m.person.pk for m in matches]
            ).values_list("pk", flat=True)
        )
        shown = [
            {"person": m.person, "reasons": list(m.reasons)}
            for m in matches
            if m.person.pk in visible
        ]
        self.audit_list(shown, "people/duplicates")
        data = {"matches": shown, "outside_scope": len(matches) - len(shown)}
        return Response(DuplicatesOutput(data).data)
