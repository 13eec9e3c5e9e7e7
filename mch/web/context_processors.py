from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import resolve
from django.urls.exceptions import Resolver404

from mch.accounts.permissions import can_audit_reads, can_manage_plans, can_see_people

_SECTIONS = {
    "home": "home",
    "unit-tree": "units",
    "unit-detail": "units",
    "plan-list": "plans",
    "plan-detail": "plans",
    "plan-import": "plans",
    "indicator-list": "indicators",
    "indicator-detail": "indicators",
    "audit-reads": "audit",
}
_PREFIXES = (("person-", "people"), ("worklist", "worklists"), ("record-", "people"))


def navigation(request: HttpRequest) -> dict[str, Any]:
    try:
        name = resolve(request.path_info).url_name or ""
    except Resolver404:
        name = ""
    user = getattr(request, "user", None)
    section = _SECTIONS.get(name, "")
    for prefix, prefixed in _PREFIXES:
        if name.startswith(prefix):
            section = prefixed
    if name.startswith("register") and not section:
        section = "registers"
    return {
        "app_name": "MCH",
        "nav_section": section,
        "nav_can_manage_plans": bool(user is not None and can_manage_plans(user)),
        "nav_can_see_people": bool(user is not None and can_see_people(user)),
        "nav_can_audit_reads": bool(user is not None and can_audit_reads(user)),
    }
