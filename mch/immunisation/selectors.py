"""Reads of the schedule, and the adapter that turns rows into engine rules.

The schedule is reference data, the same for every user, so these take a province and a
day rather than a user or scope (like the indicator catalogue's selectors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from mch.immunisation.engine import CHILD, ScheduleRule
from mch.immunisation.models import Antigen, ScheduleEntry
from mch.orgunits.models import OrgUnit


def schedule_entries(
    *, on: dt.date, province: OrgUnit | None = None, target: str | None = CHILD
) -> list[ScheduleEntry]:
    """The rows in force on ``on`` for ``province`` (None: the national default), one per
    antigen and dose, in schedule order; one query.

    A province row replaces the national row of the same antigen and dose; among several
    rows of one level valid on the day, the latest ``valid_from`` wins. Rows that end up
    inactive (a province withdrawing a dose) are left out. ``target`` keeps one target
    group (default children; None keeps all).
    """
    queryset = ScheduleEntry.objects.valid_on(on).select_related("antigen", "interval_from_antigen")
    level = Q(province__isnull=True)
    if province is not None:
        level |= Q(province=province)
    queryset = queryset.filter(level)
    if target is not None:
        queryset = queryset.filter(antigen__target_group=target)
    chosen: dict[tuple[int, int], ScheduleEntry] = {}
    for row in queryset.order_by("valid_from", "id"):
        key = (row.antigen_id, row.dose)
        current = chosen.get(key)
        # Province beats national; then the later start wins (rows come in that order).
        if current is None or row.province_id is not None or current.province_id is None:
            chosen[key] = row
    rows = [row for row in chosen.values() if row.active]
    return sorted(rows, key=lambda r: (r.antigen.order, r.antigen.code, r.dose))


def rules_from_rows(rows: Iterable[ScheduleEntry]) -> list[ScheduleRule]:
    """Engine rules for schedule rows (with ``antigen`` and ``interval_from_antigen``
    loaded, as ``schedule_entries`` returns them). Raises ``engine.RuleError`` for a row
    that contradicts itself and ``ValueError`` when two rows share an antigen and dose."""
    rules = [row.to_rule() for row in rows]
    seen: set[tuple[str, int]] = set()
    for rule in rules:
        if rule.key in seen:
            raise ValueError(f"Hai dòng lịch tiêm cho {rule.label}")
        seen.add(rule.key)
    return rules


def schedule_rules(
    *, on: dt.date, province: OrgUnit | None = None, target: str | None = CHILD
) -> list[ScheduleRule]:
    """The engine rules in force on ``on`` for ``province`` (see ``schedule_entries``)."""
    return rules_from_rows(schedule_entries(on=on, province=province, target=target))


def province_of(unit: OrgUnit) -> OrgUnit | None:
    """The province a unit belongs to (the unit itself for a province), from its path."""
    if unit.level == "province":
        return unit
    return OrgUnit.objects.filter(pk__in=unit.ancestor_ids, level="province").first()


def antigen_list(*, target: str | None = None) -> list[Antigen]:
    queryset = Antigen.objects.all()
    if target is not None:
        queryset = queryset.filter(target_group=target)
    return list(queryset)
