"""Errors of the registers API, all in one shape: ``{"errors": [{field, code, message}]}``
with messages in the request's language (Vietnamese unless English is chosen)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import get_language
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from ..rules import Problem, RecordInvalid
from ..services.write_scope import OutOfScope


class ErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(
        help_text="The input field at fault (`babies.0.sex` inside lists); empty for the "
        "record as a whole."
    )
    code = serializers.CharField(
        help_text="Stable code: a rule of mch.registers.rules (`lmp_after`, "
        "`birth_weight_range`…), an immunisation check (`dose_…`), or a field check "
        "(`required`, `invalid`, `unknown_unit`…)."
    )
    message = serializers.CharField(help_text="Vietnamese, or English when chosen.")


class ErrorsSerializer(serializers.Serializer[Any]):
    errors = ErrorSerializer(many=True)


class InputError(Exception):
    """A reference or value the API itself cannot accept (an unknown commune code)."""

    def __init__(self, field: str, code: str, vi: str, en: str):
        super().__init__(vi)
        self.field, self.code, self.vi, self.en = field, code, vi, en

    def as_dict(self, language: str) -> dict[str, str]:
        message = self.en if language.startswith("en") else self.vi
        return {"field": self.field, "code": self.code, "message": message}


def _language() -> str:
    return get_language() or "vi"


def problems_errors(problems: Iterable[Problem]) -> list[dict[str, str]]:
    language = _language()
    return [
        {"field": problem.field, "code": problem.code, "message": problem.message(language)}
        for problem in problems
    ]


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            found += _flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name)
        return found
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [
                {"field": prefix, "code": getattr(item, "code", "invalid"), "message": str(item)}
                for item in detail
            ]
        found = []
        for index, item in enumerate(detail):
            found += _flatten(item, f"{prefix}.{index}" if prefix else str(index))
        return found
    return [{"field": prefix, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def error_response(exc: Exception) -> Response | None:
    """The 400 response for an input or validation error, 403 (``out_of_scope``) for a
    write outside the caller's units, or None for anything else."""
    if isinstance(exc, OutOfScope):
        error = {"field": exc.field, "code": exc.code, "message": exc.message(_language())}
        return Response({"errors": [error]}, status=exc.status)
    if isinstance(exc, RecordInvalid):
        errors = problems_errors(exc.problems)
    elif isinstance(exc, InputError):
        errors = [exc.as_dict(_language())]
    elif isinstance(exc, ParseError):  # an unreadable, too large or too deep body
        errors = [{"field": "", "code": "parse_error", "message": str(exc.detail)}]
    elif isinstance(exc, serializers.ValidationError):
        errors = _flatten(exc.detail)
    elif isinstance(exc, DjangoValidationError):
        errors = _flatten(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    else:
        return None
    return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
