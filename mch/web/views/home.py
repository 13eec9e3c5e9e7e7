from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mch.accounts.permissions import can_manage_plans
from mch.plans.selectors import plan_list
from mch.scorecards.assembly import NOT_COMPUTABLE, plan_scorecard

# The plans whose standing the home page computes (each is one scorecard).
SUMMARY_PLANS = 5
SUMMARY_ORDER = ("not_met", "at_risk", "on_track", "met", "no_data", NOT_COMPUTABLE)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = list(user.units.order_by("path")) if not user.is_superuser else []
    plans = list(plan_list(user=user)[:20])
    summaries = []
    for plan in [p for p in plans if p.targets.exists()][:SUMMARY_PLANS]:
        year = min(max(timezone.localdate().year, plan.period_start), plan.period_end)
        card = plan_scorecard(user=user, plan=plan, year=year, plan_unit_only=True)
        unit = card.plan_unit or (card.units[0] if card.units else None)
        if unit is None:
            continue
        counts = card.status_counts(unit.unit_id)
        summaries.append(
            {
                "plan": plan,
                "year": year,
                "unit": unit,
                "as_of": card.as_of,
                "counts": [(s, counts[s]) for s in SUMMARY_ORDER if counts[s]],
            }
        )
    return render(
        request,
        "web/home.html",
        {
            "units": units,
            "plans": plans,
            "summaries": summaries,
            "can_manage_plans": can_manage_plans(user),
        },
    )
