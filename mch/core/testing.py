"""Small builders shared by tests of several apps (no Django test machinery here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mch.orgunits.models import OrgUnit


def make_unit(
    *,
    code: str,
    name: str,
    level: str,
    parent: OrgUnit | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    **extra: Any,
) -> OrgUnit:
    unit = OrgUnit.objects.create(
        code=code,
        name=name,
        level=level,
        parent=parent,
        path="",
        valid_from=valid_from,
        valid_to=valid_to,
        **extra,
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2
    unit.save(update_fields=["path", "depth"])
    return unit
