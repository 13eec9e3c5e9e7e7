"""The API schema's own AutoSchema: every operation also documents the errors any call of
it can get, so a client (and the schema fuzzer in CI) finds each answer in the schema.

- 400 where the call takes query parameters or a body (the message names the parameter);
- 401 and 403 where the call needs a logged-in user;
- 404 where the path names a record, or a list is paged past its end;
- 413 where the call takes a body (too large for the JSON or form limit).

An operation that documents one of these itself (the registers' ``{"errors": [...]}``)
keeps its own."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.authentication import BasicScheme

_ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": {},
    "description": '`{"detail": message}`, or `{parameter: [messages]}` for a 400 (a '
    'register endpoint answers `{"errors": [{field, code, message}]}`). Messages are in '
    "Vietnamese, or English when chosen.",
}
_DESCRIPTIONS = {
    "400": "A parameter or the body cannot be used; nothing was saved.",
    "401": "Not logged in (`WWW-Authenticate` tells how).",
    "403": "The account may not do this, or not in these units.",
    "404": "No such record in the caller's units, or a page past the end.",
    "413": "The body is larger than the limit (1 MB for JSON); nothing was saved.",
}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        codes = []
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if "requestBody" in operation:
            codes.append("413")
        if any(p["in"] == "query" and p["name"] == "page" for p in parameters):
            codes.append("404")
        if operation.get("security") and {} not in operation["security"]:
            codes += ["401", "403"]
        if any(p["in"] == "path" for p in parameters):
            codes.append("404")
        responses = operation["responses"]
        for code in codes:
            responses.setdefault(
                code,
                {
                    "description": _DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": _ERROR_SCHEMA}},
                },
            )
        return operation


class LockoutBasicScheme(BasicScheme):
    """The API's HTTP Basic (mch.accounts.authentication, 429 when locked out) is documented
    as DRF's: the same ``basicAuth`` security scheme."""

    target_class = "mch.accounts.authentication.BasicAuthentication"
