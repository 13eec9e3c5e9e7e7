"""Which stored units make up a unit's value: its subtree, and across administrative
changes the subtrees of the units it was formed from (a merged province's history is the
sum of its predecessors; a split counts the recorded share of the old unit, or the whole
old unit for the primary successor when the share is unknown — and says so)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from mch.orgunits.models import OrgUnit, UnitLineage

_MAX_STEPS = 20


@dataclass
class Rollup:
    weights: dict[int, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _subtree_ids(paths: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {path: [] for path in paths}
    if not paths:
        return found
    from django.db.models import Q

    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    for pk, path in OrgUnit.objects.filter(query).values_list("pk", "path"):
        for prefix in paths:
            if path.startswith(prefix):
                found[prefix].append(pk)
    return found


# Rollups depend only on the unit tree and its lineage, which change rarely: they are kept
# per process and dropped when either table changes (rows added, removed or edited: the
# stamp sums what a rollup reads).
_cache: dict[int, Rollup] = {}
_cache_stamp: tuple[object, ...] | None = None


def _stamp() -> tuple[object, ...]:
    from django.db.models import Count, Max, Q, Sum
    from django.db.models.functions import Length

    units = OrgUnit.objects.aggregate(n=Count("pk"), top=Max("pk"), paths=Sum(Length("path")))
    links = UnitLineage.objects.aggregate(
        n=Count("pk"),
        top=Max("pk"),
        shares=Sum("share"),
        primary=Count("pk", filter=Q(is_primary=True)),
        ends=Sum("source_id") + Sum("target_id"),
    )
    return (*units.values(), *links.values())


def rollups(units: list[OrgUnit]) -> dict[int, Rollup]:
    """``rollup`` of each unit, from the per-process cache when the tree is unchanged."""
    global _cache_stamp
    stamp = _stamp()
    if stamp != _cache_stamp:
        _cache.clear()
        _cache_stamp = stamp
    out: dict[int, Rollup] = {}
    for unit in units:
        found = _cache.get(unit.pk)
        if found is None:
            found = _cache[unit.pk] = rollup(unit)
        out[unit.pk] = found
    return out


def rollup(unit: OrgUnit) -> Rollup:
    """Units (with weights) whose cells add up to ``unit``'s value."""
    out = Rollup()
    ids = _subtree_ids([unit.path])[unit.path]
    for pk in ids:
        out.weights[pk] = 1.0
    frontier = set(ids)
    for _ in range(_MAX_STEPS):
        links = list(
            UnitLineage.objects.filter(target_id__in=frontier).values_list(
                "source_id", "source__path", "target_id", "share", "is_primary"
            )
        )
        if not links:
            break
        following: set[int] = set()
        new_paths: dict[str, float] = {}
        for source, path, target, share, primary in links:
            if source in out.weights:
                continue
            if share is None:
                if not primary:
                    continue
                weight = 1.0
                if UnitLineage.objects.filter(source_id=source).count() > 1:
                    note = "tỷ lệ chia tách chưa biết: tính cả đơn vị cũ"
                    if note not in out.notes:
                        out.notes.append(note)
            else:
                weight = float(Decimal(share))
            weight *= out.weights.get(target, 1.0)
            new_paths[path] = max(new_paths.get(path, 0.0), weight)
        for path, ids_ in _subtree_ids(list(new_paths)).items():
            for pk in ids_:
                if pk not in out.weights:
                    out.weights[pk] = new_paths[path]
                    following.add(pk)
        frontier = following
        if not frontier:
            break
    return out


def successor_communes(unit: OrgUnit, day: dt.date) -> list[OrgUnit]:
    """Communes valid on ``day`` whose territory comes (in whole or part) from ``unit``'s
    subtree, following the lineage forward through administrative changes."""
    current = set(OrgUnit.objects.in_subtree(unit).values_list("pk", flat=True))
    found: set[int] = set()
    seen = set(current)
    for _ in range(_MAX_STEPS):
        targets = set(
            UnitLineage.objects.filter(source_id__in=current).values_list("target_id", flat=True)
        )
        targets -= seen
        if not targets:
            break
        seen |= targets
        found |= targets
        current = targets
    return list(
        OrgUnit.objects.filter(pk__in=found).at_level("commune").valid_on(day).order_by("name")
    )
