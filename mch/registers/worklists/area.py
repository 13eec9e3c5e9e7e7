"""Worklists of a unit above the commune (a province): for each commune in the user's
scope, how many people each list holds, by status.

Each list runs once for the whole area, not once per commune: five calls, each the
fixed, small number of queries of that list, then the rows are counted by the commune
their person lives in (``Row.unit_id``). No names leave this module: the page shows
counts and links to each commune's own lists (which log who saw whom)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from mch.accounts.permissions import can_see_people
from mch.accounts.scope import Scope
from mch.orgunits.models import OrgUnit

from .common import Counts, Row, require, worklist_units


@dataclass
class CommuneCounts:
    unit: OrgUnit | None  # None: people living in a unit that is no commune of today
    lists: dict[str, Counts] = field(default_factory=dict)  # by worklist slug


@dataclass
class AreaSummary:
    area: OrgUnit
    as_of: dt.date
    communes: list[CommuneCounts]
    total: CommuneCounts


def worklist_areas(*, user: Any, as_of: dt.date) -> list[OrgUnit]:
    """Units above the commune (country, province) in the user's scope on ``as_of``,
    from the top down."""
    if not can_see_people(user):
        return []
    units = OrgUnit.objects.valid_on(as_of).filter(level__in=("country", "province", "district"))
    return list(Scope.for_user(user).filter(units).order_by("depth", "name", "pk"))


def _commune_of(rows: list[Row], communes: dict[int, OrgUnit]) -> dict[int | None, int | None]:
    """The listed commune each row's unit of residence lies in (a unit below a commune,
    or a commune of an earlier year, is looked up once by its path)."""
    unknown = {row.unit_id for row in rows if row.unit_id is not None} - communes.keys()
    found: dict[int | None, int | None] = {pk: pk for pk in communes}
    found[None] = None
    by_path = {unit.path: unit.pk for unit in communes.values()}
    for pk, path in OrgUnit.objects.filter(pk__in=unknown).values_list("pk", "path"):
        parts = path.strip("/").split("/")
        prefixes = ("/" + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1))
        found[pk] = next((by_path[p] for p in prefixes if p in by_path), None)
    return found


def worklist_summary(*, user: Any, area: OrgUnit, as_of: dt.date) -> AreaSummary:
    """Counts of every list for each commune of ``area`` in the user's scope (a person is
    counted once per list, under their most urgent task)."""
    from . import worklists

    require(user)
    communes = {
        u.pk: u for u in worklist_units(user=user, as_of=as_of) if u.path.startswith(area.path)
    }
    cells: dict[int | None, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    slugs = []
    for worklist in worklists():
        slugs.append(worklist.slug)
        rows = worklist.function(user=user, unit=area, as_of=as_of)
        commune_of = _commune_of(rows, communes)
        for row in rows:
            counts = cells[commune_of.get(row.unit_id)][worklist.slug]
            counts[row.status] = counts.get(row.status, 0) + 1

    def counted(unit: OrgUnit | None, by_list: dict[str, dict[str, int]]) -> CommuneCounts:
        return CommuneCounts(
            unit,
            {
                slug: Counts(sum(by_list.get(slug, {}).values()), dict(by_list.get(slug, {})))
                for slug in slugs
            },
        )

    listed = [counted(unit, cells.get(pk, {})) for pk, unit in communes.items()]
    if None in cells:
        listed.append(counted(None, cells[None]))
    total: dict[str, dict[str, int]] = {slug: {} for slug in slugs}
    for by_list in cells.values():
        for slug, by_status in by_list.items():
            for status, n in by_status.items():
                total[slug][status] = total[slug].get(status, 0) + n
    return AreaSummary(area, as_of, listed, counted(area, total))
