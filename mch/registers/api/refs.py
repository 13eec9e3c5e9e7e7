"""References in the registers' input: units and facilities by id or code, people and
records by id inside the caller's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mch.core.dates import dmy
from mch.orgunits.models import Facility, OrgUnit

from .. import selectors
from ..models import Person
from .errors import InputError


def unit_ref(
    data: dict[str, Any], id_key: str, code_key: str, *, on: dt.date, commune: bool
) -> OrgUnit | None:
    """A unit given by id or by code (a commune code names the commune valid ``on``)."""
    unit_id, code = data.pop(id_key, None), data.pop(code_key, None)
    if unit_id is not None and code:
        raise InputError(
            code_key,
            "ambiguous",
            f"Chỉ nhập một trong hai: {id_key} hoặc {code_key}.",
            f"Give either {id_key} or {code_key}, not both.",
        )
    if unit_id is None and not code:
        return None
    if unit_id is not None:
        units = OrgUnit.objects.filter(pk=unit_id)
    else:
        units = OrgUnit.objects.filter(code=code).valid_on(on)
    if commune:
        units = units.filter(level="commune")
    unit = units.order_by("-valid_from").first()
    if unit is None:
        value = unit_id if unit_id is not None else code
        raise InputError(
            id_key if unit_id is not None else code_key,
            "unknown_unit",
            f"Không có xã/phường {value} vào ngày {dmy(on)}."
            if commune
            else f"Không có đơn vị {value}.",
            f"No commune {value} on {dmy(on)}." if commune else f"No unit {value}.",
        )
    return unit


def facility_ref(data: dict[str, Any]) -> Facility | None:
    facility_id, code = data.pop("facility", None), data.pop("facility_code", None)
    if facility_id is None and not code:
        return None
    facility = (
        Facility.objects.filter(pk=facility_id).first()
        if facility_id is not None
        else Facility.objects.filter(code=code).first()
    )
    if facility is None:
        value = facility_id if facility_id is not None else code
        raise InputError(
            "facility" if facility_id is not None else "facility_code",
            "unknown_facility",
            f"Không có cơ sở y tế {value}.",
            f"No health facility {value}.",
        )
    return facility


def person_ref(user: Any, pk: int) -> Person:
    """A person in the caller's scope (404 otherwise); a merged record stands for the
    record it was merged into."""
    person = selectors.person_get(user=user, pk=pk)
    return person.merged_into or person


def place_refs(data: dict[str, Any], *, on: dt.date) -> dict[str, Any]:
    """Turn the unit and facility references of an event's input into objects."""
    refs: dict[str, Any] = {}
    residence = unit_ref(data, "residence_unit", "commune_code", on=on, commune=True)
    if residence is not None:
        refs["residence_unit"] = residence
    if "service_unit" in data or "service_commune_code" in data:
        refs["service_unit"] = unit_ref(
            data, "service_unit", "service_commune_code", on=on, commune=False
        )
    if "facility" in data or "facility_code" in data:
        refs["facility"] = facility_ref(data)
    return refs
