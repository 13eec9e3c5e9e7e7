"""The API's JSON parser: the body's size and nesting depth are checked before parsing.

A body over the size limit is a 413 (``BodyTooLarge``), here and when Django's own
``DATA_UPLOAD_MAX_MEMORY_SIZE`` refuses a form body (``mch.core.api_errors``).

``json.loads`` recurses once per nested array or object, so a body nested a few thousand
levels deep ends in a RecursionError (a server error) instead of a refusal. The bytes are
scanned first, counting brackets outside strings."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32

# A whole string (its brackets do not count) or one bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class BodyTooLarge(APIException):
    """413 Payload Too Large, saying the limit (in KB) in the caller's language."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            gettext("The request body is larger than %(size)d KB.") % {"size": max_bytes // 1024}
        )


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in ``body`` (0 for a scalar)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    max_bytes = MAX_BODY_BYTES
    max_depth = MAX_DEPTH

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        body = stream.read(self.max_bytes + 1) if stream is not None else b""
        if len(body) > self.max_bytes:
            raise BodyTooLarge(self.max_bytes)
        if json_depth(body) > self.max_depth:
            raise ParseError(
                gettext("The JSON is nested more than %(depth)d levels deep.")
                % {"depth": self.max_depth}
            )
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except ParseError:
            raise ParseError(gettext("The request body is not valid JSON.")) from None
