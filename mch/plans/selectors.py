"""Reads of plans, always through the acting user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mch.accounts.permissions import sees_only_own_tasks
from mch.accounts.scope import Scope
from mch.indicators.models import Direction

from .models import Comparator, Objective, Observation, Plan, Target, Task


def _visible(user: Any) -> QuerySet[Plan]:
    scope = Scope.for_user(user)
    if scope.unrestricted:
        return Plan.objects.all()
    return Plan.objects.filter(scope.unit_q("scope_unit") | Q(scope_unit_id__in=scope.context_ids))


def plan_list(*, user: Any) -> QuerySet[Plan]:
    return _visible(user).select_related("scope_unit", "issuer_unit")


def plan_get(*, user: Any, slug: str) -> Plan:
    plan = plan_list(user=user).filter(slug=slug).first()
    if plan is None:
        raise Http404(_("No such plan in your scope."))
    return plan


def plan_tasks(*, user: Any, plan: Plan) -> QuerySet[Task]:
    tasks = plan.tasks.select_related("agency")
    if sees_only_own_tasks(user):
        tasks = tasks.filter(agency_id=user.agency_id)
    return tasks


@dataclass(frozen=True)
class TargetRow:
    """One line of a plan's targets table: an indicator for one population group."""

    objective: Objective | None
    indicator_code: str
    indicator_name: str
    unit_symbol: str
    direction: str
    population: str
    baselines: list[Observation]
    actuals: list[Observation]
    targets: dict[int, list[Target]]  # year -> targets (two when body and annex are both given)

    @property
    def conflicting_years(self) -> list[int]:
        return [year for year, items in self.targets.items() if _disagree(items)]


def _meaning(target: Target) -> tuple[str, Decimal | None, int | None]:
    """What a target asks for: a bare annex value means "reach it in the good direction",
    the same as đạt (higher is better) or xuống (lower is better)."""
    comparator = target.comparator
    if comparator == Comparator.BARE:
        lower = target.indicator_version.direction == Direction.LOWER
        comparator = Comparator.XUONG if lower else Comparator.DAT
    return comparator, target.value, target.baseline_year


def _disagree(targets: list[Target]) -> bool:
    return len({_meaning(t) for t in targets}) > 1


def plan_target_rows(*, plan: Plan) -> tuple[list[int], list[TargetRow]]:
    """The targets table: years as columns, one row per indicator and population group."""
    targets = list(
        plan.targets.select_related(
            "indicator", "indicator_version", "population", "objective"
        ).order_by("order")
    )
    observations = list(
        plan.observations.select_related("indicator", "population", "objective").order_by(
            "year", "order"
        )
    )
    years = sorted({t.year for t in targets})
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for item in [*targets, *observations]:
        key = (item.indicator.code, item.population.code)
        version = item.indicator_version
        row = rows.setdefault(
            key,
            {
                "objective": item.objective,
                "indicator_code": item.indicator.code,
                "indicator_name": version.name,
                "unit_symbol": version.unit_symbol,
                "direction": version.direction,
                "population": item.population.name,
                "baselines": [],
                "actuals": [],
                "targets": {},
                "order": item.order if isinstance(item, Target) else 10**6 + item.order,
            },
        )
        if row["objective"] is None and item.objective is not None:
            row["objective"] = item.objective
        if isinstance(item, Target):
            row["targets"].setdefault(item.year, []).append(item)
            row["order"] = min(row["order"], item.order)
        elif isinstance(item, Observation) and item.kind == Observation.Kind.BASELINE:
            row["baselines"].append(item)
        else:
            row["actuals"].append(item)
    ordered = sorted(rows.values(), key=lambda r: r.pop("order"))
    return years, [TargetRow(**row) for row in ordered]


def plan_conflicts(*, plan: Plan) -> list[tuple[TargetRow, int]]:
    _, rows = plan_target_rows(plan=plan)
    return [(row, year) for row in rows for year in row.conflicting_years]


def plan_objectives(*, plan: Plan) -> QuerySet[Objective]:
    return plan.objectives.prefetch_related(
        Prefetch("targets", queryset=Target.objects.select_related("indicator", "population"))
    )
