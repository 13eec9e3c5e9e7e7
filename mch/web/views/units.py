"""The unit tree on a chosen day and a unit's history, always inside the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mch.accounts.scope import Scope
from mch.core.day_range import day_in_range
from mch.orgunits.models import OrgUnit
from mch.orgunits.selectors import ancestors, children_on, unit_history

# The two-level local government took effect on this day: districts ended, communes merged.
REFORM_DAY = dt.date(2025, 7, 1)
BEFORE_REFORM = REFORM_DAY - dt.timedelta(days=1)


def chosen_day(request: HttpRequest) -> dt.date:
    """The day asked for as dd/mm/yyyy (typed) or yyyy-mm-dd (links); today otherwise."""
    raw = request.GET.get("on", "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
        if day_in_range(day):
            return day
    return timezone.localdate()


def scoped_unit(request: HttpRequest, pk: int) -> OrgUnit:
    unit = Scope.for_user(request.user).filter(OrgUnit.objects.all()).filter(pk=pk).first()
    if unit is None:
        raise Http404(_("No such unit in your scope."))
    return unit


def _children(request: HttpRequest, unit: OrgUnit, day: dt.date) -> list[OrgUnit]:
    return list(children_on(unit, day, scope=Scope.for_user(request.user)).order_by("name"))


def _roots(request: HttpRequest, day: dt.date) -> list[dict[str, Any]]:
    """The user's own units; one that did not exist on the day is shown through the units
    it was formed from (or became), which the user may also read."""
    user = request.user
    assigned = (
        list(OrgUnit.objects.filter(parent__isnull=True).order_by("name"))
        if user.is_superuser
        else list(user.units.order_by("path"))
    )
    roots: list[dict[str, Any]] = []
    for unit in assigned:
        if unit.is_valid_on(day):
            roots.append({"unit": unit, "instead_of": None})
            continue
        related = [link.source for link in unit.predecessor_links.select_related("source")]
        related += [link.target for link in unit.successor_links.select_related("target")]
        for other in related:
            if other.is_valid_on(day) and Scope.for_user(user).contains(other):
                roots.append({"unit": other, "instead_of": unit})
    return roots


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    day = chosen_day(request)
    roots = _roots(request, day)
    for root in roots:
        root["children"] = _children(request, root["unit"], day)
    return render(
        request,
        "web/units/tree.html",
        {
            "day": day,
            "roots": roots,
            "before_reform": BEFORE_REFORM,
            "reform_day": REFORM_DAY,
            "today": timezone.localdate(),
        },
    )


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTMX fragment that opens one node of the tree."""
    unit = scoped_unit(request, pk)
    day = chosen_day(request)
    return render(
        request,
        "web/units/_children.html",
        {"unit": unit, "children": _children(request, unit, day), "day": day},
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = scoped_unit(request, pk)
    scope = Scope.for_user(request.user)
    day = chosen_day(request)
    history = unit_history(unit)
    return render(
        request,
        "web/units/detail.html",
        {
            "unit": unit,
            "day": day,
            "ancestors": [(a, scope.contains(a)) for a in ancestors(unit)],
            "formed_from": _visible_events(history.before, scope),
            "became": _visible_events(history.after, scope),
            "attributes": list(unit.attributes.order_by("key", "valid_from")),
            "facilities": list(unit.facilities.order_by("name")),
            "children": _children(request, unit, day if unit.is_valid_on(day) else _last_day(unit)),
            "valid_today": unit.is_valid_on(timezone.localdate()),
        },
    )


def _last_day(unit: OrgUnit) -> dt.date:
    return unit.valid_to or unit.valid_from or timezone.localdate()


def _visible_events(events: list[Any], scope: Scope) -> list[dict[str, Any]]:
    """Each decision with its units, marking which of them the user may open."""
    return [
        {
            "change": event.change,
            "units": [(linked, scope.contains(linked.unit)) for linked in event.units],
        }
        for event in events
    ]
