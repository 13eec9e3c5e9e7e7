"""Writes for plans: import a plan file (all or nothing), export a plan, load the shipped plans."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from mch.core.dates import dmy
from mch.indicators.models import Indicator, IndicatorVersion, PopulationGroup
from mch.orgunits.models import Agency, OrgUnit

from . import planfile
from .budget import budget_parents
from .models import BudgetLine, Objective, Observation, Plan, Target, Task
from .planfile import PlanFileError, PlanSpec, Problem, UnitRef

SOURCES_DIR = Path(__file__).resolve().parent / "sources"


@dataclass(frozen=True)
class _Resolved:
    issuer_unit: OrgUnit
    scope_unit: OrgUnit
    versions: dict[str, IndicatorVersion]
    populations: dict[str, PopulationGroup]
    agencies: dict[str, Agency]


def _resolve_unit(ref: UnitRef, what: str, problems: list[Problem]) -> OrgUnit | None:
    matches = list(OrgUnit.objects.filter(level=ref.level, code=ref.code).valid_on(ref.on)[:2])
    if len(matches) != 1:
        found = "không có" if not matches else "có nhiều hơn một"
        problems.append(
            Problem(
                ref.line,
                f"{what.capitalize()}: {found} đơn vị cấp {ref.level} mã '{ref.code}' "
                f"có hiệu lực ngày {dmy(ref.on)}.",
            )
        )
        return None
    return matches[0]


def _resolve(spec: PlanSpec) -> _Resolved:
    """Check everything the file names against the database; raise with every problem."""
    problems: list[Problem] = []
    issuer = (
        _resolve_unit(spec.issuer_unit, "đơn vị ban hành", problems) if spec.issuer_unit else None
    )
    scope = _resolve_unit(spec.scope_unit, "phạm vi", problems) if spec.scope_unit else None

    values = [*spec.targets, *spec.observations]
    codes = {v.indicator for v in values}
    versions: dict[str, IndicatorVersion] = {}
    for indicator in Indicator.objects.filter(code__in=codes).prefetch_related("versions"):
        latest = max(indicator.versions.all(), key=lambda v: v.version, default=None)
        if latest is not None:
            versions[indicator.code] = latest
    populations = {
        p.code: p for p in PopulationGroup.objects.filter(code__in={v.population for v in values})
    }
    for value in values:
        if value.indicator and value.indicator not in versions:
            problems.append(
                Problem(
                    value.line, f"Mã chỉ số '{value.indicator}' không có trong danh mục chỉ số."
                )
            )
        if value.population not in populations:
            problems.append(
                Problem(value.line, f"Nhóm dân số '{value.population}' không có trong danh mục.")
            )

    file_agencies = {a.code for a in spec.agencies}
    existing = {a.code: a for a in Agency.objects.filter(code__in={t.agency for t in spec.tasks})}
    for task in spec.tasks:
        if task.agency not in file_agencies and task.agency not in existing:
            problems.append(
                Problem(
                    task.line,
                    f"Cơ quan '{task.agency}' của nhiệm vụ chưa được khai báo trong 'agencies'.",
                )
            )
    objective_codes = {o.code for o in spec.objectives}
    for value in values:
        if value.objective and value.objective not in objective_codes:
            problems.append(
                Problem(value.line, f"Mục tiêu '{value.objective}' không có trong kế hoạch.")
            )
    if problems:
        raise PlanFileError(sorted(problems, key=lambda p: p.line or 0))
    assert issuer is not None and scope is not None
    return _Resolved(issuer, scope, versions, populations, existing)


def plan_check(*, content: str | bytes) -> PlanSpec:
    """Validate a plan file fully (format and database references) without writing."""
    spec = planfile.parse(content)
    _resolve(spec)
    return spec


@transaction.atomic
def plan_import(*, content: str | bytes, filename: str = "", user: Any = None) -> Plan:
    """Import a plan file; a plan with the same slug is replaced. All or nothing."""
    spec = planfile.parse(content)
    resolved = _resolve(spec)
    raw = content.encode() if isinstance(content, str) else content

    Plan.objects.filter(slug=spec.slug).delete()
    plan = Plan.objects.create(
        slug=spec.slug,
        kind=spec.kind,
        number=spec.number,
        title=spec.title,
        issuer_name=spec.issuer_name,
        issuer_unit=resolved.issuer_unit,
        scope_unit=resolved.scope_unit,
        issued_on=spec.issued_on,
        issued_text=spec.issued_text,
        signer_name=spec.signer_name,
        signer_title=spec.signer_title,
        period_start=spec.period_start,
        period_end=spec.period_end,
        legal_basis=spec.legal_basis,
        summary=spec.summary,
        report_deadline_month=spec.deadline_month,
        report_deadline_day=spec.deadline_day,
        report_deadline_text=spec.deadline_text,
        report_recipient=spec.recipient,
        notes=spec.notes,
        source_file=Path(filename).name if filename else "",
        source_sha256=hashlib.sha256(raw).hexdigest(),
        loaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    objectives = {
        o.code: Objective.objects.create(
            plan=plan, code=o.code, kind=o.kind, title=o.title, order=i
        )
        for i, o in enumerate(spec.objectives)
    }

    def common(value: planfile.ValueSpec) -> dict[str, Any]:
        version = resolved.versions[value.indicator]
        return {
            "plan": plan,
            "objective": objectives.get(value.objective) if value.objective else None,
            "indicator_id": version.indicator_id,
            "indicator_version": version,
            "year": value.year,
            "population": resolved.populations[value.population],
            "value": value.value,
            "value_text": value.value_text,
            "quote": value.quote,
            "source_part": value.source,
            "source_ref": value.ref,
            "note": value.note,
            "order": value.order,
        }

    Target.objects.bulk_create(
        Target(
            **common(t),
            comparator=t.comparator,
            baseline_year=t.baseline_year,
            change_unit=t.change_unit,
        )
        for t in spec.targets
    )
    Observation.objects.bulk_create(
        Observation(**common(o), kind=o.kind) for o in spec.observations
    )
    parents = budget_parents([(b.year, b.funding_source) for b in spec.budget])
    created: dict[int, BudgetLine] = {}
    # whole-period lines first, so each yearly line can point at the one it is part of
    for i in sorted(range(len(spec.budget)), key=lambda i: parents[i] is not None):
        b, parent = spec.budget[i], parents[i]
        created[i] = BudgetLine.objects.create(
            plan=plan,
            year=b.year,
            amount_vnd=b.amount_vnd,
            funding_source=b.funding_source,
            item=b.item,
            quote=b.quote,
            order=i,
            part_of=created[parent] if parent is not None else None,
        )
    agencies = dict(resolved.agencies)
    for a in spec.agencies:
        agencies[a.code], _ = Agency.objects.update_or_create(
            code=a.code, defaults={"name": a.name, "kind": a.kind, "unit": resolved.issuer_unit}
        )
    Task.objects.bulk_create(
        Task(
            plan=plan,
            agency=agencies[t.agency],
            role=t.role,
            description=t.description,
            source_ref=t.ref,
            order=i,
        )
        for i, t in enumerate(spec.tasks)
    )
    return plan


def plans_load_sources(
    *, directory: Path | None = None, progress: Callable[[str], None] | None = None
) -> list[Plan]:
    """Load every shipped plan file; one failing file stops the load with its problems."""
    plans = []
    for path in sorted((directory or SOURCES_DIR).glob("*.yaml")):
        content = path.read_bytes()
        unchanged = Plan.objects.filter(source_sha256=hashlib.sha256(content).hexdigest()).first()
        if unchanged is not None:
            if progress:
                progress(f"{path.name}: không đổi")
            plans.append(unchanged)
            continue
        try:
            plan = plan_import(content=content, filename=path.name)
        except PlanFileError as exc:
            raise PlanFileError(
                [Problem(p.line, f"{path.name}: {p.message}") for p in exc.problems]
            ) from exc
        if progress:
            progress(
                f"{path.name}: {plan.targets.count()} chỉ tiêu, "
                f"{plan.observations.count()} giá trị thực hiện/cơ sở, {plan.tasks.count()} nhiệm vụ"
            )
        plans.append(plan)
    return plans


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _unit_ref(unit: OrgUnit, on: Any) -> dict[str, Any]:
    return {"level": unit.level, "code": unit.code, "on": on.isoformat()}


def plan_export(*, plan: Plan) -> dict[str, Any]:
    """The plan in the plan-file format (as a dict ready for JSON); importing it gives it back."""
    on = plan.issued_on or _first_valid_day(plan)
    objectives = list(plan.objectives.all())
    targets = list(plan.targets.select_related("indicator", "population", "objective"))
    observations = list(plan.observations.select_related("indicator", "population", "objective"))

    def value_fields(item: Target | Observation) -> dict[str, Any]:
        data: dict[str, Any] = {
            "indicator": item.indicator.code,
            "year": item.year,
            "population": item.population.code,
            "value": _number(item.value),
            "value_text": item.value_text,
            "source": item.source_part,
            "ref": item.source_ref,
            "quote": item.quote,
        }
        if item.note:
            data["note"] = item.note
        return data

    def target_fields(t: Target) -> dict[str, Any]:
        data = value_fields(t)
        data["comparator"] = planfile.COMPARATOR_WORDS.get(t.comparator, t.comparator)
        if t.baseline_year is not None:
            data["baseline_year"] = t.baseline_year
        if t.change_unit:
            data["change_unit"] = t.change_unit
        return data

    return {
        "format": planfile.FORMAT,
        "slug": plan.slug,
        "kind": plan.kind,
        "number": plan.number,
        "title": plan.title,
        "issuer": {"name": plan.issuer_name, "unit": _unit_ref(plan.issuer_unit, on)},
        "scope_unit": _unit_ref(plan.scope_unit, on),
        "issued": {
            "date": plan.issued_on.isoformat() if plan.issued_on else None,
            "text": plan.issued_text,
        },
        "signer": {"name": plan.signer_name, "title": plan.signer_title},
        "period": {"start": plan.period_start, "end": plan.period_end},
        "legal_basis": plan.legal_basis,
        "summary": plan.summary,
        "reporting": {
            "deadline": (
                {"month": plan.report_deadline_month, "day": plan.report_deadline_day}
                if plan.report_deadline_month
                else None
            ),
            "text": plan.report_deadline_text,
            "recipient": plan.report_recipient,
        },
        "objectives": [
            {
                "code": o.code,
                "kind": o.kind,
                "title": o.title,
                "targets": [target_fields(t) for t in targets if t.objective_id == o.pk],
            }
            for o in objectives
        ],
        "targets": [target_fields(t) for t in targets if t.objective_id is None],
        "observations": [
            {
                **value_fields(o),
                "kind": o.kind,
                **({"objective": o.objective.code} if o.objective else {}),
            }
            for o in observations
        ],
        "budget": [
            {
                "year": b.year,
                "amount_vnd": b.amount_vnd,
                "funding_source": b.funding_source,
                "item": b.item,
                "quote": b.quote,
            }
            for b in plan.budget_lines.all()
        ],
        "agencies": [
            {"code": a.code, "name": a.name, "kind": a.kind}
            for a in Agency.objects.filter(tasks__plan=plan).distinct().order_by("code")
        ],
        "tasks": [
            {
                "agency": t.agency.code,
                "role": t.role,
                "ref": t.source_ref,
                "description": t.description,
            }
            for t in plan.tasks.select_related("agency")
        ],
        "notes": plan.notes,
    }


def _first_valid_day(plan: Plan) -> Any:
    import datetime as dt

    candidate = dt.date(plan.period_start, 1, 1)
    unit = plan.scope_unit
    if unit.valid_from and candidate < unit.valid_from:
        return unit.valid_from
    if unit.valid_to and candidate > unit.valid_to:
        return unit.valid_to
    return candidate
