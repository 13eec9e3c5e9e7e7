"""What every register page shares: who may open it, the 403 page, the person it is
about, and the save-or-show-problems loop around a registers service."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mch.accounts.permissions import can_see_people
from mch.registers import rules, selectors
from mch.registers.models import CareEvent, Person
from mch.registers.services.write_scope import OutOfScope

View = Callable[..., HttpResponse]


def records_view(view: View) -> View:
    """Logged-in users who may see people; a refusal is a Vietnamese 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if not can_see_people(request.user):
                raise PermissionDenied(_("This account may not see or write people's records."))
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return render(
                request,
                "web/records/403.html",
                {"reason": str(exc) if str(exc) else ""},
                status=403,
            )

    return login_required(wrapper)


def person_url(person: Person | int) -> str:
    """The person page (mother-and-child handbook view)."""
    pk = person if isinstance(person, int) else person.pk
    return f"/nguoi/{pk}/"


def _int_param(request: HttpRequest, name: str) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw.isdigit():
        raise Http404(_("Missing or invalid parameter: %(name)s") % {"name": name})
    return int(raw)


def person_from(request: HttpRequest, name: str = "nguoi") -> Person:
    person = selectors.person_get(user=request.user, pk=_int_param(request, name))
    if person.merged_into_id:
        person = selectors.person_get(user=request.user, pk=person.merged_into_id)
    return person


def event_from(request: HttpRequest, model: type[CareEvent], name: str) -> Any:
    return selectors.event_get(user=request.user, model=model, pk=_int_param(request, name))


def form_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def save_or_show(form: Any, save: Callable[[], Any]) -> Any:
    """Call a service; on ``RecordInvalid`` show its problems on the form, on
    ``OutOfScope`` (a unit or person outside the user's) its reason, and return None."""
    try:
        return save()
    except rules.RecordInvalid as exc:
        form.problems_show(exc.problems)
        return None
    except OutOfScope as exc:
        form.add_error(
            exc.field if exc.field in form.fields else None, exc.message(get_language() or "vi")
        )
        form.focus_first()
        return None
    except ValidationError as exc:  # a model check the rules do not cover
        by_field = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for field, errors in by_field.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        form.focus_first()
        return None


def done(
    request: HttpRequest, person: Person, text: str, warnings: Iterable[str] = ()
) -> HttpResponse:
    """Back to the person page with what was saved, then any warning kept with it."""
    messages.success(request, text)
    for warning in warnings:
        # Yellow: base.html writes ``msg-<tags>``, so the first tag is a placeholder and
        # ``alert-warn`` brings the stylesheet's warning colours.
        messages.warning(request, warning, extra_tags="flag alert-warn")
    return redirect(person_url(person))


def form_page(
    request: HttpRequest,
    *,
    form: Any,
    person: Person,
    title: str,
    template: str = "web/records/form.html",
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "person": person,
            "title": title,
            "person_url": person_url(person),
            **context,
        },
    )


def initial_from(instance: Any, names: Any) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names if hasattr(instance, name)}
