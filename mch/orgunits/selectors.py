"""Reads over the unit tree and its history.

List-returning selectors take an optional ``scope`` (``mch.accounts.scope.Scope`` or
anything with a ``filter(queryset)`` method); pages acting for a user must pass it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.db.models import QuerySet

from mch.core.text import fold
from mch.orgunits.models import OrgUnit, UnitAttribute, UnitChange, UnitLineage

ONE = Decimal(1)
_PLACES = Decimal("0.00001")  # UnitLineage.share has five decimal places
_MAX_STEPS = 20  # changes chained through time; guards against a cycle in bad data


class ScopeLike(Protocol):
    def filter(self, queryset: QuerySet[OrgUnit], unit_field: str = "") -> QuerySet[OrgUnit]: ...


def _scoped(queryset: QuerySet[OrgUnit], scope: ScopeLike | None) -> QuerySet[OrgUnit]:
    return queryset if scope is None else scope.filter(queryset)


def units_valid_on(
    day: dt.date, *, level: str | None = None, scope: ScopeLike | None = None
) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.valid_on(day)
    if level:
        units = units.at_level(level)
    return _scoped(units, scope)


def units_matching(units: QuerySet[OrgUnit], text: str) -> QuerySet[OrgUnit]:
    """The units whose code starts with ``text`` or whose name holds it, ignoring case and
    diacritics ("hoa binh" finds "Xã Hòa Bình"). Names are folded in Python: SQLite cannot
    fold Vietnamese, and a scope holds a few thousand units at most."""
    needle = fold(" ".join(text.split()))
    if not needle:
        return units
    found = [
        pk
        for pk, code, name, short_name in units.values_list("pk", "code", "name", "short_name")
        if code.casefold().startswith(needle) or needle in fold(name) or needle in fold(short_name)
    ]
    return units.filter(pk__in=found)


def subtree(
    unit: OrgUnit,
    *,
    on: dt.date | None = None,
    include_self: bool = True,
    scope: ScopeLike | None = None,
) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.in_subtree(unit)
    if not include_self:
        units = units.exclude(pk=unit.pk)
    if on is not None:
        units = units.valid_on(on)
    return _scoped(units, scope)


def ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """From the root down to the unit's parent."""
    return list(OrgUnit.objects.filter(pk__in=unit.ancestor_ids).order_by("depth"))


def children_on(
    unit: OrgUnit, day: dt.date, *, scope: ScopeLike | None = None
) -> QuerySet[OrgUnit]:
    return _scoped(unit.children.valid_on(day).order_by("code"), scope)


def attribute_on(unit: OrgUnit, key: str, day: dt.date) -> str | None:
    """The value of a classification on a day, or None when none was in force."""
    attribute = (
        UnitAttribute.objects.filter(unit=unit, key=key)
        .exclude(valid_from__gt=day)
        .exclude(valid_to__lt=day)
        .order_by("-valid_from")
        .first()
    )
    return attribute.value if attribute else None


def _step(unit_ids: set[int], *, backward: bool) -> list[UnitLineage]:
    if backward:
        links = UnitLineage.objects.filter(target_id__in=unit_ids).select_related("source")
    else:
        links = UnitLineage.objects.filter(source_id__in=unit_ids).select_related("target")
    return list(links.order_by("pk"))


def _walk(unit: OrgUnit, *, backward: bool, transitive: bool) -> list[OrgUnit]:
    found: dict[int, OrgUnit] = {}
    frontier = {unit.pk}
    for _ in range(_MAX_STEPS if transitive else 1):
        following: set[int] = set()
        for link in _step(frontier, backward=backward):
            other = link.source if backward else link.target
            if other.pk not in found and other.pk != unit.pk:
                found[other.pk] = other
                following.add(other.pk)
        frontier = following
        if not frontier:
            break
    return sorted(found.values(), key=lambda u: (u.valid_from or dt.date.min, u.level, u.code))


def predecessors(unit: OrgUnit, *, transitive: bool = False) -> list[OrgUnit]:
    """The units this one was formed from (one change back, or all the way back)."""
    return _walk(unit, backward=True, transitive=transitive)


def successors(unit: OrgUnit, *, transitive: bool = False) -> list[OrgUnit]:
    """The units this one went into (one change forward, or all the way forward)."""
    return _walk(unit, backward=False, transitive=transitive)


def _weight(link: UnitLineage) -> Decimal:
    if link.share is not None:
        return link.share
    return ONE if link.is_primary else Decimal(0)


def comparable_units(unit: OrgUnit, *, on: dt.date) -> list[tuple[OrgUnit, Decimal]]:
    """The units valid on ``on`` that cover ``unit``'s territory, with weights.

    Backward (``on`` before the unit existed): the old units and the part of each that
    went into ``unit``; ``sum(value(old) * weight)`` is the value for ``unit``'s
    territory on that date. Forward (``on`` after the unit ended): the new units and the
    part of ``unit`` that each received. A split whose shares are unknown counts whole
    for its primary successor only (``UnitLineage.is_primary``).
    """
    if unit.is_valid_on(on):
        return [(unit, ONE)]
    backward = unit.valid_from is not None and on < unit.valid_from
    weights: dict[int, Decimal] = defaultdict(Decimal)
    units: dict[int, OrgUnit] = {}
    frontier: dict[int, Decimal] = {unit.pk: ONE}
    for _ in range(_MAX_STEPS):
        following: dict[int, Decimal] = defaultdict(Decimal)
        for link in _step(set(frontier), backward=backward):
            weight = _weight(link)
            if not weight:
                continue
            here, other = (
                (link.target_id, link.source) if backward else (link.source_id, link.target)
            )
            weight *= frontier[here]
            units[other.pk] = other
            if other.is_valid_on(on):
                weights[other.pk] += weight
            elif (backward and other.valid_from and on < other.valid_from) or (
                not backward and other.valid_to and on > other.valid_to
            ):
                following[other.pk] += weight
        frontier = following
        if not frontier:
            break
    return sorted(
        ((units[pk], weight.quantize(_PLACES)) for pk, weight in weights.items()),
        key=lambda pair: (pair[0].level, pair[0].code),
    )


@dataclass(frozen=True)
class LinkedUnit:
    unit: OrgUnit
    share: Decimal | None
    is_primary: bool


@dataclass
class HistoryEvent:
    change: UnitChange
    units: list[LinkedUnit] = field(default_factory=list)

    @property
    def effective_on(self) -> dt.date:
        return self.change.effective_on


@dataclass
class UnitHistory:
    unit: OrgUnit
    before: list[HistoryEvent]  # how the unit came to be, oldest first
    after: list[HistoryEvent]  # what became of it

    @property
    def started(self) -> dt.date | None:
        return self.unit.valid_from

    @property
    def ended(self) -> dt.date | None:
        return self.unit.valid_to


def _events(links: list[UnitLineage], *, backward: bool) -> list[HistoryEvent]:
    events: dict[int, HistoryEvent] = {}
    for link in links:
        event = events.setdefault(link.change_id, HistoryEvent(change=link.change))
        other = link.source if backward else link.target
        event.units.append(LinkedUnit(unit=other, share=link.share, is_primary=link.is_primary))
    for event in events.values():
        event.units.sort(key=lambda linked: (linked.unit.level, linked.unit.code))
    return sorted(events.values(), key=lambda e: (e.effective_on, e.change.pk))


def unit_history(unit: OrgUnit) -> UnitHistory:
    """What the unit was formed from and what it became, grouped by decision."""
    before = _events(list(unit.predecessor_links.select_related("change", "source")), backward=True)
    after = _events(list(unit.successor_links.select_related("change", "target")), backward=False)
    if not after and unit.valid_to is not None:
        # An abolished unit (a district in 2025) has no successors, only the decision.
        ending = UnitChange.objects.filter(
            kind=UnitChange.Kind.ABOLISH, effective_on=unit.valid_to + dt.timedelta(days=1)
        )
        after = [HistoryEvent(change=change) for change in ending]
    return UnitHistory(unit=unit, before=before, after=after)
