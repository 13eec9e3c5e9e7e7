"""Pagination that refuses what it cannot use: ``page_size=-5`` or ``limit=abc`` is a 400
naming the parameter, not a silent default (DRF falls back to the default size)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

# Far past any table's end, and far below what a database's OFFSET holds.
MAX_OFFSET = 10_000_000


def _count(request: Request, name: str, *, minimum: int, maximum: int | None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    number = int(raw) if raw.isascii() and raw.isdigit() else None
    if number is None or number < minimum or (maximum is not None and number > maximum):
        if maximum is None:
            message = gettext("Must be a whole number of at least %(min)d.") % {"min": minimum}
        else:
            message = gettext("Must be a whole number from %(min)d to %(max)d.") % {
                "min": minimum,
                "max": maximum,
            }
        raise ValidationError({name: [message]})
    return number


def _bounded(parameters: list[dict[str, Any]], bounds: dict[str, dict[str, int]]) -> None:
    for parameter in parameters:
        parameter["schema"].update(bounds.get(parameter["name"], {}))


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int | None:
        size = _count(request, self.page_size_query_param, minimum=1, maximum=self.max_page_size)
        return size if size is not None else self.page_size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        _count(request, self.page_query_param, minimum=1, maximum=None)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        _bounded(
            parameters,
            {
                self.page_query_param: {"minimum": 1},
                self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
            },
        )
        return parameters


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = 1000

    def get_limit(self, request: Request) -> int | None:
        limit = _count(request, self.limit_query_param, minimum=1, maximum=self.max_limit)
        return limit if limit is not None else self.default_limit

    def get_offset(self, request: Request) -> int:
        offset = _count(request, self.offset_query_param, minimum=0, maximum=MAX_OFFSET)
        return offset or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        _bounded(
            parameters,
            {
                self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
                self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
            },
        )
        return parameters
