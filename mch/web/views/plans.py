"""Plan pages: list, the plan as the document states it, import and JSON export."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from mch.accounts.permissions import can_manage_plans, sees_only_own_tasks
from mch.plans.budget import plan_budget
from mch.plans.models import Plan
from mch.plans.selectors import (
    TargetRow,
    plan_conflicts,
    plan_get,
    plan_list,
    plan_target_rows,
    plan_tasks,
)
from mch.plans.services import PlanFileError, plan_export, plan_import
from mch.scorecards.assembly import NOT_COMPUTABLE, plan_scorecard, unit_years
from mch.scorecards.export import scorecard_csv, scorecard_xlsx

MAX_PLAN_FILE_BYTES = 2 * 1024 * 1024


@login_required
def plan_index(request: HttpRequest) -> HttpResponse:
    plans = plan_list(user=request.user)
    return render(
        request,
        "web/plans/list.html",
        {"plans": plans, "can_manage_plans": can_manage_plans(request.user)},
    )


def _rows_by_objective(
    rows: list[TargetRow], scores: dict[tuple[str, str], Any] | None = None
) -> list[tuple[Any, list[tuple[TargetRow, Any]]]]:
    """Rows grouped by objective, each with its registers' cell for the plan's unit."""
    groups: OrderedDict[Any, list[tuple[TargetRow, Any]]] = OrderedDict()
    for row in rows:
        score = (scores or {}).get((row.indicator_code, row.population))
        groups.setdefault(row.objective, []).append((row, score))
    return list(groups.items())


@login_required
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_get(user=request.user, slug=slug)
    years, rows = plan_target_rows(plan=plan)
    tasks_by_agency: OrderedDict[Any, list[Any]] = OrderedDict()
    for task in plan_tasks(user=request.user, plan=plan):
        tasks_by_agency.setdefault(task.agency, []).append(task)
    objectives = list(plan.objectives.all())
    year = min(max(timezone.localdate().year, plan.period_start), plan.period_end)
    card = plan_scorecard(user=request.user, plan=plan, year=year, plan_unit_only=True)
    plan_unit = card.plan_unit
    scores = {}
    if plan_unit is not None:
        scores = {
            (row.indicator_code, row.population): row.cells[plan_unit.unit_id] for row in card.rows
        }
    return render(
        request,
        "web/plans/detail.html",
        {
            "plan": plan,
            "years": years,
            "groups": _rows_by_objective(rows, scores),
            "scorecard": card,
            "score_year": year,
            "plan_unit": plan_unit,
            "objectives": objectives,
            "conflicts": plan_conflicts(plan=plan),
            "budget": plan_budget(plan=plan),
            "tasks_by_agency": list(tasks_by_agency.items()),
            "own_tasks_only": sees_only_own_tasks(request.user),
            "can_manage_plans": can_manage_plans(request.user),
        },
    )


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Plan file (YAML)"),
        help_text=gettext_lazy("A mch-plan/1 file; importing a plan again replaces it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PLAN_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request: HttpRequest) -> HttpResponse:
    if not can_manage_plans(request.user):
        raise PermissionDenied
    problems: list[Any] = []
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = plan_import(content=upload.read(), filename=upload.name, user=request.user)
        except PlanFileError as error:
            problems = list(error.problems)
        else:
            messages.success(request, _("Plan imported: %(title)s") % {"title": plan.title})
            return redirect("plan-detail", slug=plan.slug)
    return render(request, "web/plans/import.html", {"form": form, "problems": problems})


@login_required
def plan_export_json(request: HttpRequest, slug: str) -> HttpResponse:
    if not can_manage_plans(request.user):
        raise PermissionDenied
    plan: Plan = plan_get(user=request.user, slug=slug)
    response = JsonResponse(
        plan_export(plan=plan), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}.json"'
    return response


STATUS_ORDER = ("met", "on_track", "at_risk", "not_met", "no_data", NOT_COMPUTABLE)


def _year(request: HttpRequest, plan: Plan) -> int:
    text = request.GET.get("nam", "")
    if not text:
        return min(max(timezone.localdate().year, plan.period_start), plan.period_end)
    if not text.isdigit() or not plan.period_start - 5 <= int(text) <= plan.period_end:
        raise Http404(_("The year is outside the plan's period."))
    return int(text)


@login_required
def plan_scorecard_view(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_get(user=request.user, slug=slug)
    year = _year(request, plan)
    scorecard = plan_scorecard(user=request.user, plan=plan, year=year)
    export = request.GET.get("xuat", "")
    if export in {"csv", "xlsx"}:
        if export == "csv":
            response = HttpResponse(
                scorecard_csv(scorecard), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                scorecard_xlsx(scorecard),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = (
            f'attachment; filename="bang-diem-{plan.slug}-{year}.{export}"'
        )
        return response
    years = list(
        range(max(plan.period_start, 2021), min(plan.period_end, timezone.localdate().year) + 1)
    )
    return render(
        request,
        "web/plans/_scorecard.html" if request.htmx else "web/plans/scorecard.html",
        {
            "plan": plan,
            "year": year,
            "years": years or [year],
            "scorecard": scorecard,
            "statuses": STATUS_ORDER,
        },
    )


@login_required
def plan_scorecard_unit_view(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    """One unit's targets across the plan's years: the value and status of each year
    against the milestone it is judged by, and the projection to the last target year."""
    plan = plan_get(user=request.user, slug=slug)
    card = unit_years(user=request.user, plan=plan, unit_id=unit_id)
    if card is None:
        raise Http404(_("The unit is not in the plan or is outside your scope."))
    rows = []
    for index, (row, cells) in enumerate(card.rows):
        rows.append(
            {
                "row": row,
                "cells": [(y, cell, card.target_of(index, y)) for y, cell in cells],
                "latest": cells[-1][1],
            }
        )
    return render(
        request,
        "web/plans/scorecard_unit.html",
        {
            "plan": plan,
            "card": card,
            "unit": card.unit,
            "rows": rows,
            "this_year": card.years[-1],
            "current_year": timezone.localdate().year,
            "statuses": STATUS_ORDER,
        },
    )
