"""Writes to the unit tree. Every unit gets its materialised ``path`` and ``depth`` here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    CharField,
    ExpressionWrapper,
    OuterRef,
    PositiveSmallIntegerField,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat

from mch.orgunits.models import Level, OrgUnit

# A unit may only hang below a unit of a higher level (communes sit directly under
# provinces since 2025, so skipping a level is allowed).
LEVEL_RANK = {Level.COUNTRY: 0, Level.PROVINCE: 1, Level.DISTRICT: 2, Level.COMMUNE: 3}


def _check(unit: OrgUnit, parent: OrgUnit | None) -> None:
    if unit.level not in LEVEL_RANK:
        raise ValidationError(f"Cấp đơn vị không hợp lệ: {unit.level!r}.")
    if parent is not None and LEVEL_RANK[Level(parent.level)] >= LEVEL_RANK[Level(unit.level)]:
        raise ValidationError(
            f"Đơn vị {unit.code} ({unit.level}) không thể trực thuộc {parent.code} ({parent.level})."
        )
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise ValidationError(f"Đơn vị {unit.code}: ngày hết hiệu lực trước ngày có hiệu lực.")


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    short_name: str = "",
    kind: str = "",
    level: str,
    parent: OrgUnit | None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    area_km2: float | None = None,
    source: str = "",
) -> OrgUnit:
    unit = OrgUnit(
        code=code,
        name=name,
        short_name=short_name,
        kind=kind,
        level=level,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        latitude=latitude,
        longitude=longitude,
        area_km2=area_km2,
        source=source,
    )
    _check(unit, parent)
    unit.save()
    if parent is None:
        unit.path, unit.depth = f"/{unit.pk}/", 0
    else:
        unit.path, unit.depth = f"{parent.path}{unit.pk}/", parent.depth + 1
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def units_bulk_create(*, units: Sequence[OrgUnit], batch_size: int | None = None) -> list[OrgUnit]:
    """Insert many unsaved units at once. A unit's parent is either already saved or
    also in ``units`` (in any order). Paths and depths are then filled in with one UPDATE per tree
    level, so loading thousands of units costs a handful of statements."""
    saved_ids: set[int] = set()
    in_batch = {id(unit) for unit in units}
    generation: dict[int, int] = {}  # id(unit) -> generation within this batch

    def generation_of(unit: OrgUnit, seen: int = 0) -> int:
        if id(unit) in generation:
            return generation[id(unit)]
        parent = unit.parent
        if parent is None or (parent.pk is not None and id(parent) not in in_batch):
            value = 0
        elif id(parent) in in_batch and seen < len(units):
            value = generation_of(parent, seen + 1) + 1
        else:
            raise ValidationError(f"Đơn vị cha của {unit.code} chưa được lưu.")
        generation[id(unit)] = value
        return value

    for unit in units:
        _check(unit, unit.parent)
        generation_of(unit)
        unit.path, unit.depth = "", 0
    for level in range(max(generation.values(), default=-1) + 1):
        batch = [unit for unit in units if generation[id(unit)] == level]
        OrgUnit.objects.bulk_create(batch, batch_size=batch_size)
        saved_ids.update(unit.pk for unit in batch)
    paths_fill()
    stored: dict[int, str] = {}
    ids = sorted(saved_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stored.update(OrgUnit.objects.filter(pk__in=chunk).values_list("pk", "path"))
    for unit in units:
        unit.path = stored[unit.pk]
        unit.depth = unit.path.count("/") - 2
    return list(units)


def paths_fill() -> int:
    """Give every unit whose path is empty its path and depth, parents first."""
    parent_units = OrgUnit.objects.filter(pk=OuterRef("parent_id"))
    updated = OrgUnit.objects.filter(path="", parent__isnull=True).update(
        path=Concat(Value("/"), Cast("id", CharField()), Value("/"), output_field=CharField()),
        depth=0,
    )
    total = updated
    while True:
        updated = (
            OrgUnit.objects.filter(path="", parent__isnull=False)
            .exclude(parent__path="")
            .update(
                path=Concat(
                    Subquery(parent_units.values("path")[:1]),
                    Cast("id", CharField()),
                    Value("/"),
                    output_field=CharField(),
                ),
                depth=ExpressionWrapper(
                    Subquery(parent_units.values("depth")[:1]) + Value(1),
                    output_field=PositiveSmallIntegerField(),
                ),
            )
        )
        total += updated
        if not updated:
            break
    if OrgUnit.objects.filter(path="").exists():
        raise ValidationError("Không tính được đường dẫn cho một số đơn vị (vòng lặp đơn vị cha?).")
    return total


@transaction.atomic
def unit_move(*, unit: OrgUnit, parent: OrgUnit | None) -> OrgUnit:
    """Hang ``unit`` (and everything below it) under another parent."""
    if parent is not None and parent.path.startswith(unit.path):
        raise ValidationError(f"Không thể chuyển {unit.code} vào chính nhánh con của nó.")
    _check(unit, parent)
    OrgUnit.objects.filter(path__startswith=unit.path).update(path="")
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    paths_fill()
    unit.refresh_from_db()
    return unit


def paths_refresh(*, unit: OrgUnit) -> OrgUnit:
    """Recompute the path of a unit saved outside the services (e.g. in the admin)."""
    if not unit.path:
        paths_fill()
        unit.refresh_from_db()
        return unit
    return unit_move(unit=unit, parent=unit.parent)
