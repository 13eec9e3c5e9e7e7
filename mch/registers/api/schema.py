"""The OpenAPI description shared by the registers endpoints."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers

from .errors import ErrorsSerializer

LIST_PARAMETERS = [
    OpenApiParameter(
        "commune",
        OpenApiTypes.INT,
        description="Unit id: only records whose commune of residence (at the event) is this "
        "unit or below it.",
    ),
    OpenApiParameter(
        "commune_code",
        OpenApiTypes.STR,
        description="Commune code (5 digits): records of the communes with this code, in "
        "every period (codes are reused across the 2025 reform).",
    ),
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description="Records dated on or after (YYYY-MM-DD)."
    ),
    OpenApiParameter(
        "date_to", OpenApiTypes.DATE, description="Records dated on or before (YYYY-MM-DD)."
    ),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="For synchronisation: records created or changed at or after this moment "
        "(ISO 8601; a date means its midnight, server time). Rows then come oldest change "
        "first; keep the largest `updated_at` received and send it next time.",
    ),
]

FORBIDDEN = OpenApiResponse(
    description="A role that may not see people's records (leaders, other departments), or a "
    'write outside the caller\'s units: `{"errors": [{"field", "code": "out_of_scope", '
    '"message"}]}` when the person does not live in them, or the commune of residence, '
    "service unit or facility named is not the caller's (mch.registers.services.write_scope)."
)
NOT_FOUND = OpenApiResponse(description="No such record in the caller's units.")
INVALID = OpenApiResponse(
    ErrorsSerializer,
    description="Nothing was saved. Each error names the field, a stable code and a message "
    "(Vietnamese; English when the language cookie chooses English).",
)


def document(
    noun: str,
    plural: str = "",
    *,
    output: type[serializers.BaseSerializer[Any]],
    input: type[serializers.Serializer[Any]] | None = None,
    service: str = "",
    correct: str = "",
    about: str = "",
) -> Any:
    """The schema of a register endpoint: summaries, filters, request and responses."""
    plural = plural or f"{noun}s"
    reads = {
        "list": extend_schema(
            summary=f"List {plural}",
            description=f"{plural.capitalize()} of people living in the caller's units, a page "
            "at a time (`page`, `page_size` up to 500). Each request is logged once in the "
            f"audit trail with the number of rows shown. {about}",
            parameters=LIST_PARAMETERS,
            responses={200: output, 403: FORBIDDEN},
        ),
        "retrieve": extend_schema(
            summary=f"One {noun}",
            description="Logged in the audit trail as a view of the person's record.",
            responses={200: output, 403: FORBIDDEN, 404: NOT_FOUND},
        ),
    }
    if input is not None:
        reads["create"] = extend_schema(
            summary=f"Record a {noun}",
            description=f"Checked and saved by `services.{service}`: errors refuse the record "
            "(400), warnings are kept with it as `flags`. References are ids of records in "
            "the caller's units (404 otherwise). Idempotent with `external_id`: 200 returns "
            f"the record already stored, 201 a new one. {about}",
            request=input,
            responses={201: output, 200: output, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
        )
    if correct:
        reads["partial_update"] = extend_schema(
            summary=f"Correct a {noun}",
            description=f"Send only the changed fields; the record is checked again by "
            f"`services.{correct}`. The person (or parent record) and external_id cannot change.",
            request=input,
            responses={200: output, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
        )
    return extend_schema_view(**reads)
