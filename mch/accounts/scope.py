"""The one place that decides which units a user may see.

A user is assigned units; they see those units, everything below them, and the units
those units were formed from (a commune created in 2025 sees the old communes merged
into it, so its history stays readable). Everything visible is expressed as a list of
materialised-path prefixes, so one indexed ``startswith`` filter scopes any query, on
SQLite and PostgreSQL alike. Pages, API and exports all go through ``Scope``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Q, QuerySet

if TYPE_CHECKING:
    from mch.orgunits.models import OrgUnit

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_mch_scope"


@dataclass(frozen=True)
class Scope:
    paths: tuple[str, ...] = ()
    unrestricted: bool = False
    # Ids of the units above the user's units (and their predecessors): context a user may
    # read about (the province's plans) without seeing the people in it.
    context_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def everything(cls) -> Scope:
        return cls(unrestricted=True)

    @classmethod
    def nothing(cls) -> Scope:
        return cls()

    @classmethod
    def for_units(cls, units: Iterable[OrgUnit]) -> Scope:
        from mch.orgunits.models import UnitLineage

        roots = list(units)
        paths = {unit.path for unit in roots}
        frontier = {unit.pk for unit in roots}
        seen = set(frontier)
        while frontier:
            links = UnitLineage.objects.filter(target_id__in=frontier).select_related("source")
            frontier = set()
            for link in links:
                if link.source_id not in seen:
                    seen.add(link.source_id)
                    frontier.add(link.source_id)
                    paths.add(link.source.path)
        context: set[int] = set()
        for path in paths:
            context.update(int(part) for part in path.strip("/").split("/")[:-1] if part)
        return cls(paths=_minimal_prefixes(paths), context_ids=frozenset(context))

    @classmethod
    def for_user(cls, user: Any) -> Scope:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls.nothing()
        cached = getattr(user, _CACHE_ATTR, None)
        if cached is not None:
            return cached
        scope = cls.everything() if user.is_superuser else cls.for_units(user.units.all())
        setattr(user, _CACHE_ATTR, scope)
        return scope

    def unit_q(self, unit_field: str = "") -> Q:
        """A filter matching rows whose unit (reached through ``unit_field``) is in scope."""
        if self.unrestricted:
            return Q()
        lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
        if not self.paths:
            return Q(pk__in=[])
        query = Q()
        for path in self.paths:
            query |= Q(**{lookup: path})
        return query

    def filter(self, queryset: QuerySet[M], unit_field: str = "") -> QuerySet[M]:
        return queryset.filter(self.unit_q(unit_field))

    def contains(self, unit: OrgUnit) -> bool:
        return self.unrestricted or any(unit.path.startswith(path) for path in self.paths)

    def sees_context_of(self, unit: OrgUnit) -> bool:
        """True for units in scope and for the units above them (read-only context)."""
        return self.contains(unit) or unit.pk in self.context_ids


def _minimal_prefixes(paths: Iterable[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return tuple(sorted(kept))


def scope_for(user: Any) -> Scope:
    return Scope.for_user(user)
