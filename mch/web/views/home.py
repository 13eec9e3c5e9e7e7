from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mch.accounts.permissions import can_manage_plans
from mch.plans.selectors import plan_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = list(user.units.order_by("path")) if not user.is_superuser else []
    plans = list(plan_list(user=user)[:20])
    return render(
        request,
        "web/home.html",
        {
            "units": units,
            "plans": plans,
            "can_manage_plans": can_manage_plans(user),
        },
    )
