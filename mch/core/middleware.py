"""A query string holding a NUL character is refused with a 400 before any view reads it:
PostgreSQL cannot store or compare such text, and the error would be a server error.
(Form and API fields refuse it already: Django's and DRF's ProhibitNullCharactersValidator.)"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext


class RefuseNullCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest(gettext("The address holds a character that is not allowed."))
        return self.get_response(request)
