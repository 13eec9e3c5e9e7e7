"""The API's error answers: DRF's handler, with a Django ``Http404`` or ``PermissionDenied``
answered in the caller's language.

A view or selector raises ``Http404(_("No such person in your units."))``: its own reason,
translated when raised, is the ``detail``. Django's generic messages are English and not
translated ("No OrgUnit matches the given query." from ``get_object_or_404``); they are
replaced by DRF's own translated default ("Không tìm thấy."). One place for every viewset, so
a new ``get_object`` cannot leak English.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# Markers of Django's generic, untranslated messages (never a view's own reason).
GENERIC = ("matches the given query", "Forbidden", "Bad Request", "Resolver404")


def reason(exception: BaseException | None) -> str:
    """The view's own message carried by ``exception``, or "" for Django's generic ones."""
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    message = exception.args[0]
    if any(marker in message for marker in GENERIC) or message.startswith("{"):
        return ""
    return message


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(reason(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(reason(exc) or None)
    return drf_exception_handler(exc, context)
