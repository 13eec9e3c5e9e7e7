"""Provinces for the generator, read from the database: a real province as it is today
(its communes, their predecessors before the 2025 reform, classifications, facilities),
or a synthetic province created for benchmarks (``synthetic_province_ensure``)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

from django.db import transaction

from mch.orgunits.models import (
    Attribute,
    Facility,
    Level,
    OrgUnit,
    UnitAttribute,
    UnitLineage,
)
from mch.orgunits.selectors import units_valid_on
from mch.orgunits.services import unit_create, units_bulk_create
from mch.registers.derive import AreaClassifier

from .geography import Commune, Era, Hospital, Province
from .rates import DIFFICULT, ETHNIC, RURAL, URBAN

SYNTHETIC_SOURCE = "SYNTHETIC"
COUNTRY_CODE = "VN"

# Ethnic minorities living in each province (2-digit province codes of both maps).
PROVINCE_MINORITIES: dict[str, tuple[str, ...]] = {
    "56": ("21", "16", "12", "17"),  # Khánh Hòa: Raglay, Cơ Ho, Ê Đê, Chăm
    "58": ("17", "21", "16"),  # Ninh Thuận: Chăm, Raglay, Cơ Ho
    "68": ("16", "28", "36", "20", "12"),  # Lâm Đồng: Cơ Ho, Mạ, Chu Ru, Mnông, Ê Đê
    "67": ("20", "08", "12", "07", "02"),  # Đắk Nông
    "60": ("17", "21", "16", "04"),  # Bình Thuận
    "24": ("07", "02", "15", "18", "09"),  # Bắc Giang / Bắc Ninh
    "27": ("02", "07", "18"),  # Bắc Ninh (old)
    "10": ("08", "09", "02", "25", "07", "35"),  # Lào Cai
    "15": ("02", "09", "08", "03", "06"),  # Yên Bái
    "66": ("12", "07", "02", "10"),  # Đắk Lắk
    "64": ("10", "13"),  # Gia Lai
    "96": ("05", "04"),  # Cà Mau
    "91": ("05", "04", "17"),  # An Giang
    "92": ("05", "04"),  # Cần Thơ
    "14": ("03", "08", "06", "29"),  # Sơn La
    "11": ("03", "08", "29"),  # Điện Biên
    "12": ("03", "08", "09", "35"),  # Lai Châu
}
DEFAULT_MINORITIES = ("02", "03", "06", "07", "08", "09", "05")


def _province_of(unit: OrgUnit, units: dict[int, OrgUnit]) -> OrgUnit | None:
    for pk in reversed(unit.ancestor_ids):
        ancestor = units.get(pk)
        if ancestor is not None and ancestor.level == Level.PROVINCE:
            return ancestor
    return None


def _valid_between(start: dt.date | None, end: dt.date | None, day: dt.date | None) -> bool:
    """True when a facility valid [start, end] is in force on ``day`` (None: any day)."""
    if day is None:
        return True
    return (start is None or start <= day) and (end is None or end >= day)


def _distance(a: OrgUnit, b: OrgUnit) -> float:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    return math.hypot(a.latitude - b.latitude, a.longitude - b.longitude)  # type: ignore[operator]


def _group(flags: dict[str, object], urban: bool) -> int:
    if flags["area_ethnic_minority"]:
        return DIFFICULT if flags["area_especially_difficult"] else ETHNIC
    return URBAN if urban else RURAL


def province_load(code: str, *, on: dt.date) -> Province:
    """The province with ``code`` valid on ``on``, its communes valid that day, and for each
    commune the predecessors (``UnitLineage.is_primary``) whose code records dated before
    the commune existed must carry."""
    province = units_valid_on(on, level=Level.PROVINCE).get(code=code)
    communes = list(
        units_valid_on(on, level=Level.COMMUNE)
        .filter(path__startswith=province.path)
        .order_by("code")
    )
    links: dict[int, list[UnitLineage]] = defaultdict(list)
    frontier = {c.pk for c in communes}
    seen: set[int] = set(frontier)
    while frontier:
        found = UnitLineage.objects.filter(target_id__in=frontier).select_related("source")
        frontier = set()
        for link in found.order_by("source__code", "pk"):
            links[link.target_id].append(link)
            if link.source_id not in seen:
                seen.add(link.source_id)
                frontier.add(link.source_id)
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=seen)}
    ancestor_ids = {pk for u in units.values() for pk in u.ancestor_ids}
    units.update({u.pk: u for u in OrgUnit.objects.filter(pk__in=ancestor_ids - set(units))})
    facilities = list(
        Facility.objects.filter(provides_delivery=True, is_public=True)
        .select_related("unit")
        .order_by("code")
    )
    stations: dict[int, list[Facility]] = defaultdict(list)
    centres: list[Facility] = []
    hospitals: list[Hospital] = []
    area_paths = {province.path} | {
        p.path for u in units.values() if (p := _province_of(u, units)) is not None
    }
    for facility in facilities:
        if facility.kind == Facility.Kind.COMMUNE_HEALTH_STATION:
            stations[facility.unit_id].append(facility)
        elif not any(facility.unit.path.startswith(path) for path in area_paths):
            continue
        elif facility.care_level == Facility.CareLevel.DISTRICT:
            centres.append(facility)
        elif facility.care_level in (Facility.CareLevel.PROVINCE, Facility.CareLevel.CENTRAL):
            hospitals.append(Hospital(facility.code, facility.valid_from, facility.valid_to))
    classifier = AreaClassifier(c.pk for c in communes)
    urban = set(
        UnitAttribute.objects.filter(
            unit__in=communes, key=Attribute.URBAN, value="true"
        ).values_list("unit_id", flat=True)
    )

    def era(unit: OrgUnit) -> Era:
        # A facility belongs to the era when it is in force on the era's last day (its
        # first day for today's era; any day for units valid from always).
        day = unit.valid_to or unit.valid_from
        station = next(
            (
                f.code
                for f in stations.get(unit.pk, ())
                if _valid_between(f.valid_from, f.valid_to, day)
            ),
            "",
        )
        candidates = [
            f
            for f in centres
            if _valid_between(f.valid_from, f.valid_to, day)
            and (f.unit_id == unit.parent_id or f.unit.path.startswith(province.path))
        ]
        candidates.sort(
            key=lambda f: (f.unit_id != unit.parent_id, _distance(f.unit, unit), f.code)
        )
        home = _province_of(unit, units)
        return Era(
            start=unit.valid_from,
            code=unit.code,
            station=station,
            centre=candidates[0].code if candidates else "",
            cccd=f"0{home.code[-2:]}" if home is not None and home.code.isdigit() else "",
        )

    def histories(unit: OrgUnit, depth: int = 0) -> list[tuple[Era, ...]]:
        here = era(unit)
        sources = [link for link in links.get(unit.pk, ()) if link.is_primary] or links.get(
            unit.pk, []
        )
        if not sources or depth > 3:
            return [(here,)]
        result = []
        for link in sources if depth == 0 else sources[:1]:
            older = histories(units[link.source_id], depth + 1)
            result.append((*older[0], here))
        return result

    result = []
    for commune in communes:
        flags = classifier.on(commune.pk, on)
        oldest = histories(commune)[0][0]
        local = PROVINCE_MINORITIES.get(oldest.cccd[-2:]) or PROVINCE_MINORITIES.get(code[-2:])
        pick = random.Random(f"minorities:{commune.code}")
        groups = local or DEFAULT_MINORITIES
        result.append(
            Commune(
                code=commune.code,
                name=commune.name,
                group=_group(flags, commune.pk in urban or commune.kind == "Phường"),
                histories=tuple(histories(commune)),
                minority_groups=tuple(pick.sample(groups, k=min(2, len(groups)))),
            )
        )
    return Province(
        code=province.code, name=province.name, communes=tuple(result), hospitals=tuple(hospitals)
    )


# ---------------------------------------------------------------------- synthetic province

_SYLLABLES = [
    "An",
    "Bình",
    "Phú",
    "Hòa",
    "Tân",
    "Thạnh",
    "Long",
    "Phước",
    "Hưng",
    "Thịnh",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Sơn",
    "Thủy",
    "Lộc",
    "Mỹ",
    "Vĩnh",
    "Quang",
    "Thuận",
    "Hiệp",
    "Trung",
    "Xuân",
    "Thái",
    "Hải",
    "Cát",
    "Lâm",
    "Đức",
    "Thành",
    "Hội",
    "Kim",
    "Ngọc",
    "Hương",
    "Khánh",
    "Tiến",
]


def _commune_names(number: int, count: int) -> list[str]:
    rng = random.Random(f"synthetic-names:{number}")
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(_SYLLABLES)} {rng.choice(_SYLLABLES)}"
        if name.split()[0] == name.split()[1]:
            continue
        if name in seen:
            name = f"{name} {sum(n.startswith(name) for n in names) + 1}"
        seen.add(name)
        names.append(name)
    return names


MAX_SYNTHETIC = 57  # provinces S1..S57 get commune codes 33001..89999
MAX_SYNTHETIC_COMMUNES = 999


def synthetic_code(number: int, index: int) -> str:
    """Commune ``index`` (1..999) of synthetic province ``number`` (1..57): five digits, as
    commune codes are, above every real code (the largest is about 32,250)."""
    if not 1 <= number <= MAX_SYNTHETIC or not 1 <= index <= MAX_SYNTHETIC_COMMUNES:
        raise ValueError(
            f"Tỉnh tổng hợp 1–{MAX_SYNTHETIC}, tối đa {MAX_SYNTHETIC_COMMUNES} xã mỗi tỉnh."
        )
    return f"{32 + number:02d}{index:03d}"


@transaction.atomic
def synthetic_province_ensure(*, number: int = 1, communes: int = 200) -> OrgUnit:
    """Province ``S<number>`` with communes ``<32 + number>001``… (S1: 33001…), valid from always, 30% of
    them ethnic-minority areas (about 4 in 10 of these in zone III), a health station in
    every commune, four regional health centres and two provincial hospitals. Idempotent:
    what exists (by code) is kept, what is missing is added. Classifications are marked
    ``source=SYNTHETIC``. Nothing here depends on a generation seed."""
    country = OrgUnit.objects.filter(level=Level.COUNTRY, code=COUNTRY_CODE).first()
    if country is None:
        country = unit_create(code=COUNTRY_CODE, name="Việt Nam", level=Level.COUNTRY, parent=None)
    code = f"S{number}"
    province = OrgUnit.objects.filter(level=Level.PROVINCE, code=code).first()
    if province is None:
        province = unit_create(
            code=code,
            name=f"Tỉnh Tổng Hợp {number}",
            short_name=f"Tổng Hợp {number}",
            kind="Tỉnh",
            level=Level.PROVINCE,
            parent=country,
            latitude=12.0,
            longitude=108.0,
            source=SYNTHETIC_SOURCE,
        )
    synthetic_code(number, communes)  # refuses numbers out of range before writing
    existing = set(province.children.values_list("code", flat=True))
    names = _commune_names(number, communes)
    new_units = []
    for index in range(1, communes + 1):
        commune_code = synthetic_code(number, index)
        if commune_code in existing:
            continue
        rng = random.Random(f"synthetic:{number}:{index}")
        ward = index <= max(1, communes * 15 // 100)
        new_units.append(
            OrgUnit(
                code=commune_code,
                name=f"{'Phường' if ward else 'Xã'} {names[index - 1]}",
                short_name=names[index - 1],
                kind="Phường" if ward else "Xã",
                level=Level.COMMUNE,
                parent=province,
                latitude=12.0 + rng.uniform(-0.8, 0.8),
                longitude=108.0 + rng.uniform(-0.8, 0.8),
                source=SYNTHETIC_SOURCE,
            )
        )
    units_bulk_create(units=new_units)
    all_communes = list(province.children.filter(level=Level.COMMUNE).order_by("code"))
    _synthetic_attributes(number, all_communes)
    _synthetic_facilities(province, all_communes)
    return province


def _synthetic_attributes(number: int, communes: list[OrgUnit]) -> None:
    have = set(UnitAttribute.objects.filter(unit__in=communes).values_list("unit_id", "key"))
    rows = []
    for index, commune in enumerate(communes, start=1):
        # Every third commune or so (spread evenly, none of the wards), 4 in 10 of them in
        # zone III: exactly the same whatever the number of communes asked.
        ward = commune.kind == "Phường"
        ethnic = not ward and int(index * 0.36) != int((index - 1) * 0.36)
        third = random.Random(f"synthetic-class:{commune.code}").random() < 0.4
        zone = ("III" if third else "II") if ethnic else "I"
        values = {
            Attribute.ETHNIC_MINORITY_AREA: "true" if ethnic else "false",
            Attribute.ZONE: zone,
            Attribute.ESPECIALLY_DIFFICULT: "true" if zone == "III" else "false",
            Attribute.URBAN: "true" if ward else "false",
        }
        rows += [
            UnitAttribute(
                unit=commune,
                key=key,
                value=value,
                legal_basis="Dữ liệu tổng hợp (synthetic)",
                source=SYNTHETIC_SOURCE,
            )
            for key, value in values.items()
            if (commune.pk, key) not in have
        ]
    UnitAttribute.objects.bulk_create(rows, batch_size=500)


def _synthetic_facilities(province: OrgUnit, communes: list[OrgUnit]) -> None:
    name = province.short_name or province.name
    wanted = [
        Facility(
            code=f"BVDK-{province.code}",
            name=f"Bệnh viện Đa khoa tỉnh {name}",
            kind=Facility.Kind.PROVINCIAL_HOSPITAL,
            care_level=Facility.CareLevel.PROVINCE,
            unit=province,
            provides_delivery=True,
        ),
        Facility(
            code=f"BVSN-{province.code}",
            name=f"Bệnh viện Sản - Nhi tỉnh {name}",
            kind=Facility.Kind.SPECIALISED_HOSPITAL,
            care_level=Facility.CareLevel.PROVINCE,
            unit=province,
            provides_delivery=True,
        ),
    ]
    step = max(1, len(communes) // 4)
    for number, commune in enumerate(communes[::step][:4], start=1):
        wanted.append(
            Facility(
                code=f"TTYT-{province.code}-{number}",
                name=f"Trung tâm Y tế khu vực {commune.short_name or commune.name}",
                kind=Facility.Kind.REGIONAL_HEALTH_CENTRE,
                care_level=Facility.CareLevel.DISTRICT,
                unit=commune,
                provides_delivery=True,
            )
        )
    for commune in communes:
        wanted.append(
            Facility(
                code=f"TYT-{commune.code}",
                name=f"Trạm Y tế {commune.name}",
                kind=Facility.Kind.COMMUNE_HEALTH_STATION,
                care_level=Facility.CareLevel.COMMUNE,
                unit=commune,
                provides_delivery=True,
            )
        )
    have = set(
        Facility.objects.filter(code__in=[f.code for f in wanted]).values_list("code", flat=True)
    )
    Facility.objects.bulk_create([f for f in wanted if f.code not in have], batch_size=500)
