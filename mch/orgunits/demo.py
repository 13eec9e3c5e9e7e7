"""Demo facilities and commune classifications for the four seed provinces.

Facilities follow the real pattern (one health station per commune, provincial
hospitals, regional health centres) with made-up names where needed. Classifications
are NOT the official lists (QĐ 861/QĐ-TTg; QĐ 60 and 104/QĐ-BDTTG): they are drawn
with a fixed seed, marked ``source=DEMO_SOURCE``, and replaced by importing the real
lists with ``import_unit_attributes``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from mch.orgunits.models import (
    Attribute,
    Facility,
    Level,
    OrgUnit,
    UnitAttribute,
    UnitLineage,
)
from mch.orgunits.reference import LAST_OLD_DAY, REFORM_DAY

SEED_PROVINCES = ("56", "68", "24", "15")  # Khánh Hòa, Lâm Đồng, Bắc Ninh, Lào Cai (2025 map)
DEMO_SOURCE = "DEMO — not official"
SEED = 2025
# 2016–2020: zones I/II/III of ethnic-minority and mountainous communes by QĐ 582/QĐ-TTg
# (28/04/2017) and the decisions amending it, in force until the 2021 list replaced it on
# 04/06/2021 (QĐ 861/QĐ-TTg). Events from 01/01/2016 to 03/06/2021 take this one.
EARLY_LIST = (dt.date(2016, 1, 1), dt.date(2021, 6, 3))
OLD_LIST = (dt.date(2021, 6, 4), dt.date(2025, 12, 31))
INTERIM = (REFORM_DAY, dt.date(2025, 12, 31))
NEW_LIST_FROM = dt.date(2026, 1, 1)
EARLY_BASIS = (
    "DEMO — mô phỏng danh sách theo QĐ 582/QĐ-TTg (2017) và các quyết định sửa đổi (2016–2020)"
)
OLD_BASIS = "DEMO — mô phỏng danh sách theo QĐ 861/QĐ-TTg (2021–2025)"
INTERIM_BASIS = "DEMO — suy ra từ các xã cũ đã sáp nhập"
NEW_BASIS = "DEMO — mô phỏng danh sách theo QĐ 60 và 104/QĐ-BDTTG (2026)"
URBAN_SOURCE = "vietnamadminunits (loại đơn vị)"

# Rough share of ethnic-minority and mountainous communes and of border communes, so the
# demo looks plausible per province (old province code -> (ethnic, border)).
_PROFILE: dict[str, tuple[float, float]] = {
    "56": (0.35, 0.0),  # Khánh Hòa
    "58": (0.5, 0.0),  # Ninh Thuận
    "68": (0.55, 0.0),  # Lâm Đồng
    "67": (0.75, 0.08),  # Đắk Nông (border with Cambodia)
    "60": (0.25, 0.0),  # Bình Thuận
    "24": (0.4, 0.0),  # Bắc Giang
    "27": (0.03, 0.0),  # Bắc Ninh
    "10": (0.95, 0.1),  # Lào Cai (border with China)
    "15": (0.9, 0.0),  # Yên Bái
}
_ZONE_ORDER = {"I": 1, "II": 2, "III": 3}


@dataclass
class DemoReport:
    facilities_created: int = 0
    attributes_created: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)


def seed_provinces() -> tuple[list[OrgUnit], list[OrgUnit]]:
    """The four new provinces and the old provinces they were formed from."""
    new = list(
        OrgUnit.objects.filter(level=Level.PROVINCE, code__in=SEED_PROVINCES)
        .valid_on(REFORM_DAY)
        .order_by("code")
    )
    old_ids = UnitLineage.objects.filter(target__in=new).values_list("source_id", flat=True)
    old = list(OrgUnit.objects.filter(pk__in=old_ids).order_by("code"))
    return new, old


def _old_province_code(commune: OrgUnit) -> str:
    district = commune.parent
    if district is None or district.level != Level.DISTRICT or district.parent is None:
        return ""
    return district.parent.code


def _draw(code: str, era: str, profile: tuple[float, float]) -> dict[str, str]:
    rng = random.Random(f"{SEED}:{era}:{code}")  # per commune, independent of load order
    ethnic = rng.random() < profile[0]
    zone = rng.choices(["I", "II", "III"], weights=[4, 3, 3])[0] if ethnic else "I"
    return {
        Attribute.ETHNIC_MINORITY_AREA: "true" if ethnic else "false",
        Attribute.ZONE: zone,
        Attribute.ESPECIALLY_DIFFICULT: "true" if zone == "III" else "false",
        Attribute.BORDER: "true" if rng.random() < profile[1] else "false",
    }


def _merge(values: list[dict[str, str]]) -> dict[str, str]:
    zone = max((v[Attribute.ZONE] for v in values), key=_ZONE_ORDER.__getitem__, default="I")
    return {
        Attribute.ETHNIC_MINORITY_AREA: _any(values, Attribute.ETHNIC_MINORITY_AREA),
        Attribute.ZONE: zone,
        Attribute.ESPECIALLY_DIFFICULT: "true" if zone == "III" else "false",
        Attribute.BORDER: _any(values, Attribute.BORDER),
    }


def _any(values: list[dict[str, str]], key: str) -> str:
    return "true" if any(v[key] == "true" for v in values) else "false"


@transaction.atomic
def load_demo_facilities_and_attributes() -> DemoReport:
    """Idempotent: existing facilities (by code) and attributes (by unit, key, start)
    are left as they are."""
    new_provinces, old_provinces = seed_provinces()
    if len(new_provinces) != len(SEED_PROVINCES):
        raise ValueError("Chưa nạp danh mục đơn vị hành chính (chạy load_units trước).")
    report = DemoReport()
    facilities: list[Facility] = []
    old_communes: list[OrgUnit] = []
    for province in old_provinces:
        districts = OrgUnit.objects.filter(parent=province, level=Level.DISTRICT)
        for district in districts.order_by("code"):
            facilities.append(
                Facility(
                    code=f"TTYT-H{district.code}",
                    name=f"Trung tâm Y tế {district.name}",
                    kind=Facility.Kind.DISTRICT_HEALTH_CENTRE,
                    care_level=Facility.CareLevel.DISTRICT,
                    unit=district,
                    provides_delivery=True,
                    valid_to=LAST_OLD_DAY,
                )
            )
        old_communes.extend(
            OrgUnit.objects.in_subtree(province)
            .filter(level=Level.COMMUNE, valid_to=LAST_OLD_DAY)
            .select_related("parent__parent")
            .order_by("code")
        )
    for commune in old_communes:
        # Old codes are reused by new communes, hence the suffix (CŨ = old).
        facilities.append(_station(commune, f"TYT-{commune.code}-CU", valid_to=LAST_OLD_DAY))
    new_communes: list[OrgUnit] = []
    for province in new_provinces:
        communes = list(
            OrgUnit.objects.filter(parent=province, level=Level.COMMUNE)
            .valid_on(REFORM_DAY)
            .order_by("code")
        )
        new_communes.extend(communes)
        facilities.extend(_provincial(province, communes))
        for commune in communes:
            facilities.append(_station(commune, f"TYT-{commune.code}", valid_from=REFORM_DAY))
    existing = set(Facility.objects.values_list("code", flat=True))
    missing = [f for f in facilities if f.code not in existing]
    Facility.objects.bulk_create(missing, batch_size=500)
    report.facilities_created = len(missing)
    report.by_kind.update(f.kind for f in missing)
    report.attributes_created = _classify(old_communes, new_communes)
    return report


def _station(commune: OrgUnit, code: str, **validity: dt.date) -> Facility:
    return Facility(
        code=code,
        name=f"Trạm Y tế {commune.name}",
        kind=Facility.Kind.COMMUNE_HEALTH_STATION,
        care_level=Facility.CareLevel.COMMUNE,
        unit=commune,
        provides_delivery=True,
        **validity,
    )


def _provincial(province: OrgUnit, communes: list[OrgUnit]) -> list[Facility]:
    name = province.short_name or province.name
    code = province.code
    wards = [c for c in communes if c.kind == "Phường"] or communes
    rng = random.Random(f"{SEED}:facilities:{code}")
    centres = rng.sample(communes, k=min(4, len(communes)))
    clinics = rng.sample(wards, k=min(2, len(wards)))
    result = [
        Facility(
            code=f"BVDK-{code}",
            name=f"Bệnh viện Đa khoa tỉnh {name}",
            kind=Facility.Kind.PROVINCIAL_HOSPITAL,
            care_level=Facility.CareLevel.PROVINCE,
            unit=province,
            provides_delivery=True,
        ),
        Facility(
            code=f"BVSN-{code}",
            name=f"Bệnh viện Sản - Nhi tỉnh {name}",
            kind=Facility.Kind.SPECIALISED_HOSPITAL,
            care_level=Facility.CareLevel.PROVINCE,
            unit=province,
            provides_delivery=True,
        ),
        Facility(
            code=f"CDC-{code}",
            name=f"Trung tâm Kiểm soát bệnh tật tỉnh {name}",
            kind=Facility.Kind.CDC,
            care_level=Facility.CareLevel.PROVINCE,
            unit=province,
        ),
    ]
    result += [
        Facility(
            code=f"TTYT-{commune.code}",
            name=f"Trung tâm Y tế khu vực {commune.short_name or commune.name}",
            kind=Facility.Kind.REGIONAL_HEALTH_CENTRE,
            care_level=Facility.CareLevel.DISTRICT,
            unit=commune,
            provides_delivery=True,
            valid_from=REFORM_DAY,
        )
        for commune in centres
    ]
    result += [
        Facility(
            code=f"PK-{code}-{number}",
            name=f"Phòng khám đa khoa tư nhân {commune.short_name or commune.name} {number}",
            kind=Facility.Kind.PRIVATE_CLINIC,
            care_level=Facility.CareLevel.COMMUNE,
            unit=commune,
            is_public=False,
        )
        for number, commune in enumerate(clinics, start=1)
    ]
    return result


def _classify(old_communes: list[OrgUnit], new_communes: list[OrgUnit]) -> int:
    rows: list[UnitAttribute] = []
    old_values: dict[int, dict[str, str]] = {}
    for commune in old_communes:
        profile = _PROFILE.get(_old_province_code(commune), (0.3, 0.0))
        values = _draw(commune.code, "2021", profile)
        old_values[commune.pk] = values
        rows += _attributes(commune, values, OLD_LIST, OLD_BASIS)
        # The 2016–2020 list held more communes in zone III (many left it in 2021): one
        # commune in four of the ethnic-minority ones is drawn again, a zone higher.
        rng = random.Random(f"{SEED}:2016:{commune.code}")
        early = dict(values)
        if values[Attribute.ETHNIC_MINORITY_AREA] == "true" and rng.random() < 0.25:
            zone = {"I": "II", "II": "III", "III": "III"}[values[Attribute.ZONE]]
            early[Attribute.ZONE] = zone
            early[Attribute.ESPECIALLY_DIFFICULT] = "true" if zone == "III" else "false"
        rows += _attributes(commune, early, EARLY_LIST, EARLY_BASIS)
        rows += _urban(commune, commune.kind in {"Phường", "Thị trấn"})
    predecessors: dict[int, list[int]] = {}
    for link in UnitLineage.objects.filter(target__in=new_communes).order_by("pk"):
        predecessors.setdefault(link.target_id, []).append(link.source_id)
    for commune in new_communes:
        merged = [old_values[pk] for pk in predecessors.get(commune.pk, []) if pk in old_values]
        interim = _merge(merged) if merged else _draw(commune.code, "2025", (0.3, 0.0))
        rows += _attributes(commune, interim, INTERIM, INTERIM_BASIS)
        # The 2026 lists were drawn afresh; keep the interim picture most of the time.
        rng = random.Random(f"{SEED}:2026:{commune.code}")
        fresh = _draw(commune.code, "2026", (0.5, 0.05)) if rng.random() < 0.2 else interim
        rows += _attributes(commune, fresh, (NEW_LIST_FROM, None), NEW_BASIS)
        rows += _urban(commune, commune.kind == "Phường")
    existing = set(
        UnitAttribute.objects.filter(unit__in={r.unit_id for r in rows}).values_list(
            "unit_id", "key", "valid_from"
        )
    )
    missing = [r for r in rows if (r.unit_id, r.key, r.valid_from) not in existing]
    UnitAttribute.objects.bulk_create(missing, batch_size=500)
    return len(missing)


def _attributes(
    unit: OrgUnit, values: dict[str, str], period: tuple[dt.date, dt.date | None], basis: str
) -> list[UnitAttribute]:
    return [
        UnitAttribute(
            unit=unit,
            key=key,
            value=value,
            valid_from=period[0],
            valid_to=period[1],
            legal_basis=basis,
            source=DEMO_SOURCE,
        )
        for key, value in values.items()
    ]


def _urban(unit: OrgUnit, urban: bool) -> list[UnitAttribute]:
    return [
        UnitAttribute(
            unit=unit,
            key=Attribute.URBAN,
            value="true" if urban else "false",
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
            source=URBAN_SOURCE,
        )
    ]
