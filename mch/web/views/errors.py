"""The pages shown when a request fails: in the user's language, in the site's layout, never
Django's technical pages. The reason a view gave (its own message) is shown; Django's generic
English messages ("No OrgUnit matches the given query.") are not."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mch.core.api_errors import limit_body, limit_message
from mch.core.api_errors import reason as _reason


def _page(request: HttpRequest, status: int, title: str, text: str, reason: str) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"status": status, "title": title, "text": text, "reason": reason},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    limit = limit_message(exception) if exception is not None else None
    if limit is not None:  # a body too large, too many fields: say which limit
        status, code, message = limit
        if request.path.startswith("/api/"):
            return JsonResponse(limit_body(code, message), status=status)
        return _page(
            request,
            status,
            _("The form sends too much"),
            _(
                "The page could not accept what was sent. Send smaller files or fewer "
                "rows at a time, or ask the system administrator."
            ),
            message,
        )
    if request.path.startswith("/api/"):
        reason = _reason(exception) if type(exception) is BadRequest else ""
        message = reason or _("The request could not be understood")
        # Both shapes: DRF's, and the registers' (documented for their 400s).
        errors = [{"field": "", "code": "bad_request", "message": message}]
        return JsonResponse({"detail": message, "errors": errors}, status=400)
    return _page(
        request,
        400,
        _("The request could not be understood"),
        _("Something in the address or the form is not valid. Go back and check what you entered."),
        # A view's own BadRequest names what is wrong; Django's other 400s stay generic.
        _reason(exception) if type(exception) is BadRequest else "",
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        _("You may not open this page"),
        _(
            "Your account does not give access to this page or to these records. If you need "
            "it for your work, ask the system administrator of the provincial health department."
        ),
        _reason(exception),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):  # an API client reads JSON, as from DRF's own 404s
        return JsonResponse({"detail": _("Page not found")}, status=404)
    return _page(
        request,
        404,
        _("Page not found"),
        _("The address is wrong, or what it pointed to no longer exists or is outside your units."),
        _reason(exception),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        403,
        _("The form has expired"),
        _(
            "The page was open too long or was opened in another tab. Reload it and send the form again."
        ),
        "",
    )
