"""Mid-year population per commune, year, sex and age group: import, roll-up, demo.

A file (CSV or XLSX) has one row per commune × year × sex × age group, with its source:
``ma_xa,nam,gioi_tinh,nhom_tuoi,dan_so,nguon`` (English headers ``code,year,sex,
age_group,population,source`` are read too). Every row is checked first; one bad row
rejects the whole file with a Vietnamese message naming its line (the header is line 1).
A row for a commune, year, sex and age group already stored replaces it.

Roll-up (``population_total``) sums the communes of a unit valid on 1 July of the year,
like every other value; when one of them has no figure the answer is None ("chưa có số
liệu dân số"), never a partial sum. A unit asked for a year before it existed (a merged
province before 2025) answers with the sum of its predecessors'.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from mch.orgunits.imports import ImportResult, UnitImportError
from mch.orgunits.models import Level, OrgUnit, Population

MISSING = "chưa có số liệu dân số"
SYNTHETIC_SOURCE = "DEMO — số liệu dân số tổng hợp (synthetic), không phải số liệu thống kê"
COLUMNS = ("ma_xa", "nam", "gioi_tinh", "nhom_tuoi", "dan_so", "nguon")
ENGLISH = {
    "code": "ma_xa",
    "year": "nam",
    "sex": "gioi_tinh",
    "age_group": "nhom_tuoi",
    "population": "dan_so",
    "source": "nguon",
}
SEXES = {"": "", "chung": "", "cả hai": "", "tổng": "", "nam": "M", "m": "M", "nữ": "F", "f": "F"}
AGE_GROUPS = {
    "0": "0",
    "dưới 1": "0",
    "1-4": "1-4",
    "1–4": "1-4",
    "0-4": "0-4",
    "0–4": "0-4",
    "dưới 5": "0-4",
    "15-49": "15-49",
    "15–49": "15-49",
    "nữ 15-49": "15-49",
}


def _mid_year(year: int) -> dt.date:
    return dt.date(year, 7, 1)


def _read(file: Path | str | io.IOBase, name: str = "") -> list[tuple[int, dict[str, str]]]:
    name = name or str(file)
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(file, read_only=True, data_only=True)
        table = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
    else:
        if isinstance(file, str | Path):
            text = Path(file).read_text(encoding="utf-8-sig")
        else:
            raw = file.read()
            text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
            text = text.removeprefix("\ufeff")
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    if not table:
        raise UnitImportError("Tệp rỗng.")
    header = [ENGLISH.get(h.strip().lower(), h.strip().lower()) for h in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise UnitImportError(f"Dòng 1: thiếu cột {', '.join(missing)}.")
    return [
        (number, dict(zip(header, row, strict=False)))
        for number, row in enumerate(table[1:], start=2)
        if any(row)
    ]


@dataclass(frozen=True)
class _Row:
    number: int
    unit: OrgUnit
    year: int
    sex: str
    age_group: str
    value: int
    source: str


@transaction.atomic
def population_import(
    *,
    file: Path | str | io.IOBase,
    name: str = "",
    synthetic: bool = False,
    scope: Any = None,
    default_source: str = "",
) -> ImportResult:
    """Store mid-year populations from a CSV or XLSX file, all rows or none. ``scope``
    (an ``mch.accounts.scope.Scope``) refuses rows of communes outside it; a row without
    a source takes ``default_source``."""
    rows = _read(file, name)
    errors: list[str] = []
    parsed: dict[tuple[int, int, str, str], _Row] = {}
    for number, row in rows:
        code = row.get("ma_xa", "")
        try:
            year = int(float(row.get("nam", "")))
        except ValueError:
            errors.append(f"Dòng {number}: năm “{row.get('nam', '')}” không hợp lệ.")
            continue
        if not 2000 <= year <= 2100:
            errors.append(f"Dòng {number}: năm {year} nằm ngoài khoảng 2000–2100.")
            continue
        sex = SEXES.get(row.get("gioi_tinh", "").lower())
        if sex is None:
            errors.append(
                f"Dòng {number}: giới tính “{row['gioi_tinh']}” không hợp lệ (Nam, Nữ hoặc để trống)."
            )
            continue
        age = AGE_GROUPS.get(row.get("nhom_tuoi", "").lower())
        if age is None:
            errors.append(
                f"Dòng {number}: nhóm tuổi “{row.get('nhom_tuoi', '')}” không hợp lệ "
                "(0, 1-4, 0-4, 15-49)."
            )
            continue
        if age == "15-49" and sex == "M":
            errors.append(f"Dòng {number}: nhóm 15-49 là phụ nữ 15–49 tuổi, không ghi giới Nam.")
            continue
        if age == "15-49":
            sex = "F"
        text = row.get("dan_so", "").replace(".", "").replace(" ", "").replace(",", "")
        if not text.isdigit():
            errors.append(f"Dòng {number}: dân số “{row.get('dan_so', '')}” phải là số nguyên ≥ 0.")
            continue
        source = row.get("nguon", "").strip() or default_source.strip()
        if not source:
            errors.append(f"Dòng {number}: thiếu nguồn số liệu (cột nguon).")
            continue
        units = list(
            OrgUnit.objects.valid_on(_mid_year(year)).filter(level=Level.COMMUNE, code=code)
        )
        if len(units) != 1:
            errors.append(f"Dòng {number}: không có xã mã “{code}” còn hiệu lực ngày 01/07/{year}.")
            continue
        if scope is not None and not scope.contains(units[0]):
            errors.append(f"Dòng {number}: xã mã “{code}” ngoài phạm vi đơn vị của bạn.")
            continue
        key = (units[0].pk, year, sex, age)
        if key in parsed:
            errors.append(
                f"Dòng {number}: trùng với dòng {parsed[key].number} (cùng xã, năm, giới, nhóm tuổi)."
            )
            continue
        parsed[key] = _Row(number, units[0], year, sex, age, int(text), source[:200])
    if errors:
        raise UnitImportError(errors)
    stored = {
        (p.unit_id, p.year, p.sex, p.age_group): p
        for p in Population.objects.filter(
            unit_id__in={k[0] for k in parsed}, year__in={k[1] for k in parsed}
        )
    }
    new: list[Population] = []
    changed: list[Population] = []
    for key, item in parsed.items():
        old = stored.get(key)
        if old is None:
            new.append(
                Population(
                    unit=item.unit,
                    year=item.year,
                    sex=item.sex,
                    age_group=item.age_group,
                    value=item.value,
                    source=item.source,
                    synthetic=synthetic,
                )
            )
        else:
            old.value, old.source, old.synthetic = item.value, item.source, synthetic
            changed.append(old)
    Population.objects.bulk_create(new, batch_size=1000)
    Population.objects.bulk_update(changed, ["value", "source", "synthetic"], batch_size=1000)
    return ImportResult(rows=len(parsed), created=len(new), updated=len(changed))


def _commune_value(found: dict[tuple[str, str], int], age_group: str, sex: str) -> int | None:
    def one(age: str, s: str) -> int | None:
        if (age, s) in found:
            return found[(age, s)]
        if s == "" and (age, "M") in found and (age, "F") in found:
            return found[(age, "M")] + found[(age, "F")]
        if age == "15-49" and s == "" and (age, "F") in found:
            return found[(age, "F")]
        return None

    value = one(age_group, sex)
    if value is None and age_group == "0-4":
        under1, older = one("0", sex), one("1-4", sex)
        if under1 is not None and older is not None:
            value = under1 + older
    return value


def population_total(unit: OrgUnit, year: int, age_group: str, sex: str = "") -> int | None:
    """The mid-year population of ``unit`` (a commune or any unit above), summed over its
    communes valid on 1 July of ``year``; None when any commune has no figure. Under 5 is
    the 0–4 row, else under 1 plus 1–4; both sexes is the row without sex, else M + F.
    Before the unit existed (a province or commune of the 2025 map asked for 2024) it is
    the sum of the units it was formed from, valid on 1 July, times the part of each that
    went into it (``comparable_units``: 1 for a whole merge); a unit that had ended by
    1 July has no figure for that year."""
    day = _mid_year(year)
    if unit.valid_from is not None and day < unit.valid_from:
        # A unit formed later (a province merged in 2025): the units valid on 1 July that
        # it was formed from, with the part of each that went into it.
        from mch.orgunits.selectors import comparable_units

        parts = comparable_units(unit, on=day)
        if not parts:
            return None
        sum_ = Decimal(0)
        for old, weight in parts:
            value = population_total(old, year, age_group, sex)
            if value is None:
                return None
            sum_ += value * weight
        return int(sum_.to_integral_value(ROUND_HALF_UP))
    if unit.valid_to is not None and day > unit.valid_to:
        return None  # the unit did not exist on 1 July: no mid-year population
    if unit.level == Level.COMMUNE:
        communes = [unit.pk]
    else:
        communes = list(
            OrgUnit.objects.valid_on(day)
            .in_subtree(unit)
            .filter(level=Level.COMMUNE)
            .values_list("pk", flat=True)
        )
    if not communes:
        return None
    found: dict[int, dict[tuple[str, str], int]] = {pk: {} for pk in communes}
    for unit_id, age, s, value in Population.objects.filter(
        unit_id__in=communes, year=year
    ).values_list("unit_id", "age_group", "sex", "value"):
        found[unit_id][(age, s)] = value
    total = 0
    for pk in communes:
        figure = _commune_value(found[pk], age_group, sex)
        if figure is None:
            return None
        total += figure
    return total


def demo_population_rows(communes: list[OrgUnit], years: range) -> list[dict[str, Any]]:
    """Plausible synthetic mid-year populations (seeded per commune), marked synthetic: a
    commune of 4,000–15,000 people, about 1.4 % under 1, 5.6 % aged 1–4 (a little more
    in ethnic-minority areas is not modelled), 51 % boys, 26 % women aged 15–49."""
    rows: list[dict[str, Any]] = []
    for commune in communes:
        rng = random.Random(f"population:{commune.code}")
        size = rng.randint(4000, 15000)
        for year in years:
            day = _mid_year(year)
            if (commune.valid_from and commune.valid_from > day) or (
                commune.valid_to and commune.valid_to < day
            ):
                continue
            total = round(size * (1.008 ** (year - years.start)))
            for sex, share in (("M", 0.51), ("F", 0.49)):
                under1 = round(total * 0.014 * share * rng.uniform(0.9, 1.1))
                older = round(total * 0.056 * share * rng.uniform(0.95, 1.05))
                for age, value in (("0", under1), ("1-4", older), ("0-4", under1 + older)):
                    rows.append(
                        {
                            "ma_xa": commune.code,
                            "nam": year,
                            "gioi_tinh": {"M": "Nam", "F": "Nữ"}[sex],
                            "nhom_tuoi": age,
                            "dan_so": value,
                            "nguon": SYNTHETIC_SOURCE,
                        }
                    )
            rows.append(
                {
                    "ma_xa": commune.code,
                    "nam": year,
                    "gioi_tinh": "Nữ",
                    "nhom_tuoi": "15-49",
                    "dan_so": round(total * 0.26 * rng.uniform(0.95, 1.05)),
                    "nguon": SYNTHETIC_SOURCE,
                }
            )
    return rows


def rows_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@dataclass(frozen=True)
class YearLoaded:
    """What is loaded for one year inside a scope: communes with any figure among the
    communes valid on 1 July, rows, the age groups present, the sources."""

    year: int
    communes: int
    communes_with_figures: int
    rows: int
    age_groups: tuple[str, ...]
    sources: tuple[str, ...]
    synthetic: bool

    @property
    def complete(self) -> bool:
        return self.communes_with_figures == self.communes


def population_loaded(*, scope: Any) -> list[YearLoaded]:
    """Per year (newest first), what the population tables hold for the communes of
    ``scope`` (``mch.accounts.scope.Scope``)."""
    from collections import defaultdict

    stored = scope.filter(Population.objects.all(), "unit").values_list(
        "year", "unit_id", "age_group", "source", "synthetic"
    )
    by_year: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"units": set(), "rows": 0, "ages": set(), "sources": set(), "synthetic": False}
    )
    for year, unit_id, age, source, synthetic in stored:
        item = by_year[year]
        item["units"].add(unit_id)
        item["rows"] += 1
        item["ages"].add(age)
        item["sources"].add(source)
        item["synthetic"] = item["synthetic"] or synthetic
    out: list[YearLoaded] = []
    order = [choice for choice, _ in Population.AgeGroup.choices]
    for year in sorted(by_year, reverse=True):
        item = by_year[year]
        communes = scope.filter(
            OrgUnit.objects.valid_on(_mid_year(year)).filter(level=Level.COMMUNE)
        ).count()
        out.append(
            YearLoaded(
                year=year,
                communes=communes,
                communes_with_figures=len(item["units"]),
                rows=item["rows"],
                age_groups=tuple(a for a in order if a in item["ages"]),
                sources=tuple(sorted(item["sources"])),
                synthetic=item["synthetic"],
            )
        )
    return out
