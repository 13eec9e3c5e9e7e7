"""Population groups a value can be about: the catalogue's groups (PopulationGroup), a
few dimensions built in (``ethnicity_NN`` for each official ethnic group code), and
combinations ``a+b`` (all must hold)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from mch.indicators.engine.conditions import holds

from .models import PopulationGroup

_ETHNICITY = re.compile(r"^ethnicity_(\d{2})$")


class UnknownGroup(ValueError):
    pass


def group_filters(code: str) -> list[Mapping[str, Any]]:
    """The filters of a group code or combination; raises ``UnknownGroup``."""
    parts = [part.strip() for part in code.split("+") if part.strip()]
    if not parts:
        raise UnknownGroup("Mã nhóm dân số trống")
    defined = dict(PopulationGroup.objects.filter(code__in=parts).values_list("code", "definition"))
    filters: list[Mapping[str, Any]] = []
    for part in parts:
        if part == "all":
            filters.append({})
        elif part in defined:
            filters.append(defined[part] or {})
        elif match := _ETHNICITY.match(part):
            filters.append({"ethnicity": match.group(1)})
        else:
            raise UnknownGroup(f"Không có nhóm dân số '{part}'")
    return filters


def profiles_in(
    filters: list[Mapping[str, Any]], profiles: Iterable[tuple[int, Mapping[str, Any]]]
) -> set[int]:
    return {pk for pk, attrs in profiles if all(holds(f, attrs) for f in filters)}
