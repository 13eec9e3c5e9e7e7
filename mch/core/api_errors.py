"""The API's error answers: DRF's handler, with a Django ``Http404`` or ``PermissionDenied``
answered in the caller's language.

A view or selector raises ``Http404(_("No such person in your units."))``: its own reason,
translated when raised, is the ``detail``. Django's generic messages are English and not
translated ("No OrgUnit matches the given query." from ``get_object_or_404``); they are
replaced by DRF's own translated default ("Không tìm thấy."). One place for every viewset, so
a new ``get_object`` cannot leak English.

A body too large for Django (``DATA_UPLOAD_MAX_MEMORY_SIZE``) or for the JSON parser is a 413,
too many form fields or files a 400, each with a message naming the limit. These answers carry
both shapes, DRF's ``detail`` and the registers' ``errors``, as the 400 of
``mch.web.views.errors.bad_request`` does.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .parsers import BodyTooLarge

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


def limit_message(exception: BaseException) -> tuple[int, str, str] | None:
    """(status, code, message) for a request refused by one of Django's size limits."""
    if isinstance(exception, RequestDataTooBig):
        size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        message = _("The request body is larger than %(size)d KB.") % {"size": size}
        return status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "too_large", message
    if isinstance(exception, TooManyFieldsSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        message = _("The request sends more than %(count)d fields.") % {"count": count}
        return status.HTTP_400_BAD_REQUEST, "too_many_fields", message
    if isinstance(exception, TooManyFilesSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        message = _("The request sends more than %(count)d files.") % {"count": count}
        return status.HTTP_400_BAD_REQUEST, "too_many_files", message
    return None


def limit_body(code: str, message: str) -> dict[str, Any]:
    return {"detail": message, "errors": [{"field": "", "code": code, "message": message}]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    limit = limit_message(exc)
    if limit is not None:
        status_code, code, message = limit
        return Response(limit_body(code, message), status=status_code)
    if isinstance(exc, BodyTooLarge):
        return Response(limit_body("too_large", str(exc.detail)), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(reason(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(reason(exc) or None)
    return drf_exception_handler(exc, context)
