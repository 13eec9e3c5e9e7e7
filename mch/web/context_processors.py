from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import resolve
from django.urls.exceptions import Resolver404

from mch.accounts.permissions import can_manage_plans

_SECTIONS = {
    "home": "home",
    "unit-tree": "units",
    "unit-detail": "units",
    "plan-list": "plans",
    "plan-detail": "plans",
    "plan-import": "plans",
    "indicator-list": "indicators",
    "indicator-detail": "indicators",
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    try:
        name = resolve(request.path_info).url_name or ""
    except Resolver404:
        name = ""
    user = getattr(request, "user", None)
    return {
        "app_name": "MCH",
        "nav_section": _SECTIONS.get(name, ""),
        "nav_can_manage_plans": bool(user is not None and can_manage_plans(user)),
    }
