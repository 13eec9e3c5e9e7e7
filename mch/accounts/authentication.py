"""API authentication that tells a locked-out caller so: 429 Too Many Requests with Retry-After.

django-axes locks a user name + address after ``AXES_FAILURE_LIMIT`` failed log-ins. The web
log-in page shows its own 429 page (``AXES_LOCKOUT_TEMPLATE``), but for HTTP Basic on the API
Django's ``authenticate()`` swallows the backend's refusal and DRF answers 401, as if the
password were merely wrong, so a script keeps guessing. Here the failure is checked against
axes and answered with DRF's ``Throttled`` (429, ``Retry-After`` in seconds).
"""

from __future__ import annotations

import math
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request


class LockedOut(exceptions.Throttled):
    """429 with the cool-off as Retry-After and one sentence, in the caller's language, that
    says so and how long to wait. DRF's ``Throttled`` would append its own "Expected available
    in N seconds." to the detail (a second wait, in seconds); the wait is given once, in
    minutes, and kept in ``wait`` for the ``Retry-After`` header."""

    def __init__(self, seconds: int) -> None:
        minutes = max(1, math.ceil(seconds / 60))
        super().__init__(
            detail=_(
                "Too many failed log-in attempts, so log-in is locked for this account: "
                "try again in %(minutes)s minutes."
            )
            % {"minutes": minutes}
        )
        self.wait = seconds


def _cool_off_seconds(request: Any) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def _locked_out(request: Request, username: str) -> bool:
    django_request = getattr(request, "_request", request)
    if getattr(request, "axes_locked_out", False) or getattr(
        django_request, "axes_locked_out", False
    ):
        return True
    return AxesProxyHandler.is_locked(django_request, {"username": username})


class BasicAuthentication(authentication.BasicAuthentication):
    """DRF's HTTP Basic, answering 429 instead of 401 while axes holds the caller locked."""

    def authenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> tuple[Any, None]:
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and _locked_out(request, userid):
                raise LockedOut(_cool_off_seconds(request)) from None
            raise
