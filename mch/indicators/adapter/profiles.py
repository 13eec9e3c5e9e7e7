"""Group profiles: the combination of group attributes a fact carries, as a small id.

Cells are stored per profile, so any population group (or combination "a+b") is a sum
over the profiles its filters accept, and a group defined later needs no rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from mch.indicators.engine.definitions import PROFILE_ATTRIBUTES

from ..models import GroupProfile


def mother_age_group(mother_birth: dt.date | None, day: dt.date | None) -> str | None:
    """ "<20", "20-34", "35+" by completed years at ``day``; None when unknown."""
    if mother_birth is None or day is None:
        return None
    from mch.indicators.engine.ages import completed_years

    years = completed_years(mother_birth, day)
    if years < 0:
        return None
    return "<20" if years < 20 else ("20-34" if years < 35 else "35+")


class ProfileMap:
    """Profile tuple -> id; ``persist`` stores new profiles (stored aggregates need ids
    that last), otherwise new ones get negative ids in memory only."""

    def __init__(self, *, persist: bool, lazy: bool = False) -> None:
        """``lazy`` (with ``persist``): read no profile up front, only those of the facts
        asked about, by key (a refresh of a few units meets a few hundred of the tens of
        thousands stored); the ids are the same, as a profile missing from the map is
        found or created by its key anyway. ``attrs`` and ``items`` then know only those."""
        self.persist = persist
        self.lazy = lazy and persist
        self._ids: dict[tuple[Any, ...], int] = {}
        self._attrs: dict[int, dict[str, Any]] = {}
        if not self.lazy:
            for pk, key in GroupProfile.objects.values_list("pk", "attrs"):
                values = tuple(key.get(name) for name in PROFILE_ATTRIBUTES)
                self._ids[values] = pk
                self._attrs[pk] = dict(key)
        self._next_temporary = -1

    def _fetch(self, wanted: set[tuple[Any, ...]]) -> None:
        """Read the stored profiles of ``wanted`` by key (lazy maps)."""
        by_key = {profile_key(values): values for values in wanted}
        keys = list(by_key)
        for start in range(0, len(keys), 500):
            rows = GroupProfile.objects.filter(key__in=keys[start : start + 500])
            for pk, key, attrs in rows.values_list("pk", "key", "attrs"):
                self._ids[by_key[key]] = pk
                self._attrs[pk] = dict(attrs)

    def id(self, values: tuple[Any, ...]) -> int:
        found = self._ids.get(values)
        if found is not None:
            return found
        attrs = dict(zip(PROFILE_ATTRIBUTES, values, strict=True))
        if self.persist:
            row, _ = GroupProfile.objects.get_or_create(
                key=profile_key(values), defaults={"attrs": attrs}
            )
            pk = row.pk
        else:
            pk = self._next_temporary
            self._next_temporary -= 1
        self._ids[values] = pk
        self._attrs[pk] = attrs
        return pk

    def ids(self, rows: Iterable[tuple[Any, ...]]) -> list[int]:
        """``id`` of each profile tuple (a dict look-up for the ones already known)."""
        known = self._ids
        if self.lazy:
            rows = list(rows)
            missing = set(rows) - known.keys()
            if missing:
                self._fetch(missing)
        out: list[int] = []
        for values in rows:
            found = known.get(values)
            out.append(found if found is not None else self.id(values))
        return out

    def attrs(self, pk: int) -> dict[str, Any]:
        return self._attrs[pk]

    def items(self) -> list[tuple[int, dict[str, Any]]]:
        return list(self._attrs.items())


def profile_key(values: tuple[Any, ...]) -> str:
    return "|".join("~" if v is None else str(v) for v in values)
