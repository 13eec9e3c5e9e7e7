"""CSV imports for data the reference package does not carry: population shares of
split units and official commune classifications. Every row is checked first; one bad
row rejects the whole file with a message naming its line (the header is line 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from mch.core.dates import dmy
from mch.orgunits.models import Attribute, Level, OrgUnit, UnitAttribute, UnitLineage

SHARE_COLUMNS = ("old_code", "new_code", "share")
ATTRIBUTE_COLUMNS = (
    "level",
    "code",
    "key",
    "value",
    "valid_from",
    "valid_to",
    "legal_basis",
    "source",
)
BOOLEAN_VALUES = {"true": "true", "false": "false", "có": "true", "không": "false"}
ZONE_VALUES = {"I", "II", "III"}


class UnitImportError(ValidationError):
    """Raised with every problem found in the file, one message per problem."""


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int


def _rows(
    file: Path | str | io.TextIOBase, columns: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    if isinstance(file, str | Path):
        text = Path(file).read_text(encoding="utf-8-sig")
    else:
        text = file.read()
        text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in columns if name not in header]
    if missing:
        raise UnitImportError(f"Dòng 1: thiếu cột {', '.join(missing)}.")
    reader.fieldnames = header
    return [
        (number, {key: (value or "").strip() for key, value in row.items() if key})
        for number, row in enumerate(reader, start=2)
    ]


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


@transaction.atomic
def unit_shares_import(*, file: Path | str | io.TextIOBase) -> ImportResult:
    """Set ``UnitLineage.share`` from rows ``old_code,new_code,share``."""
    rows = _rows(file, SHARE_COLUMNS)
    errors: list[str] = []
    chosen: dict[int, tuple[int, UnitLineage, Decimal]] = {}
    for number, row in rows:
        old_code, new_code = row.get("old_code", ""), row.get("new_code", "")
        share = _decimal(row.get("share", ""))
        if not old_code or not new_code:
            errors.append(f"Dòng {number}: thiếu mã đơn vị cũ hoặc mã đơn vị mới.")
            continue
        if share is None or not Decimal(0) < share <= Decimal(1):
            errors.append(
                f"Dòng {number}: tỷ lệ “{row.get('share', '')}” không hợp lệ "
                "(phải lớn hơn 0 và không quá 1)."
            )
            continue
        if share != share.quantize(Decimal("0.00001")):
            errors.append(f"Dòng {number}: tỷ lệ {share} có quá 5 chữ số thập phân.")
            continue
        links = list(
            UnitLineage.objects.filter(source__code=old_code, target__code=new_code).select_related(
                "source", "target"
            )
        )
        if not links:
            errors.append(
                f"Dòng {number}: không có liên kết từ đơn vị cũ mã {old_code} "
                f"sang đơn vị mới mã {new_code}."
            )
            continue
        if len(links) > 1:
            errors.append(
                f"Dòng {number}: mã {old_code} → {new_code} khớp nhiều liên kết; không xác định được."
            )
            continue
        link = links[0]
        if link.pk in chosen:
            errors.append(
                f"Dòng {number}: liên kết {old_code} → {new_code} đã có ở dòng {chosen[link.pk][0]}."
            )
            continue
        chosen[link.pk] = (number, link, share)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    first_row: dict[int, int] = {}
    touched_sources = {link.source_id for _, link, _ in chosen.values()}
    for link in UnitLineage.objects.filter(source_id__in=touched_sources):
        if link.pk in chosen:
            number, _, share = chosen[link.pk]
            totals[link.source_id] += share
            first_row[link.source_id] = min(number, first_row.get(link.source_id, number))
        elif link.share is not None:
            totals[link.source_id] += link.share
    codes = {link.source_id: link.source.code for _, link, _ in chosen.values()}
    for source_id, total in sorted(totals.items(), key=lambda item: first_row[item[0]]):
        if total > 1:
            errors.append(
                f"Dòng {first_row[source_id]}: tổng tỷ lệ của đơn vị cũ mã {codes[source_id]} "
                f"là {total}, vượt quá 1."
            )
    if errors:
        raise UnitImportError(errors)
    for _, link, share in chosen.values():
        link.share = share
    UnitLineage.objects.bulk_update([link for _, link, _ in chosen.values()], ["share"])
    return ImportResult(rows=len(rows), created=0, updated=len(chosen))


def _attribute_value(key: str, value: str) -> str | None:
    if key == Attribute.ZONE:
        return value.upper() if value.upper() in ZONE_VALUES else None
    return BOOLEAN_VALUES.get(value.lower())


@transaction.atomic
def unit_attributes_import(*, file: Path | str | io.TextIOBase) -> ImportResult:
    """Store classifications from rows
    ``level,code,key,value,valid_from,valid_to,legal_basis,source``.
    A row with the same unit, key and start date as a stored one replaces it."""
    rows = _rows(file, ATTRIBUTE_COLUMNS)
    errors: list[str] = []
    parsed: list[tuple[int, UnitAttribute]] = []
    for number, row in rows:
        level, code, key = row["level"], row["code"], row["key"]
        if level not in Level.values:
            errors.append(f"Dòng {number}: cấp “{level}” không hợp lệ ({', '.join(Level.values)}).")
            continue
        if key not in Attribute.values:
            errors.append(f"Dòng {number}: thuộc tính “{key}” không hợp lệ.")
            continue
        value = _attribute_value(key, row["value"])
        if value is None:
            expected = "I, II hoặc III" if key == Attribute.ZONE else "true/false (có/không)"
            errors.append(
                f"Dòng {number}: giá trị “{row['value']}” không hợp lệ cho {key} ({expected})."
            )
            continue
        try:
            valid_from = _date(row["valid_from"]) if row["valid_from"] else None
            valid_to = _date(row["valid_to"]) if row["valid_to"] else None
        except ValueError as error:
            errors.append(
                f"Dòng {number}: ngày “{error}” không hợp lệ (YYYY-MM-DD hoặc DD/MM/YYYY)."
            )
            continue
        if valid_from and valid_to and valid_to < valid_from:
            errors.append(f"Dòng {number}: ngày kết thúc trước ngày bắt đầu.")
            continue
        candidates = OrgUnit.objects.filter(level=level, code=code)
        if valid_to:
            candidates = candidates.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to))
        if valid_from:
            candidates = candidates.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        units = list(candidates[:2])
        if not units:
            errors.append(
                f"Dòng {number}: không có đơn vị cấp {level} mã {code} còn hiệu lực trong khoảng thời gian này."
            )
            continue
        if len(units) > 1:
            errors.append(
                f"Dòng {number}: mã {code} ứng với nhiều đơn vị trong khoảng thời gian này; "
                "hãy thu hẹp ngày bắt đầu/kết thúc."
            )
            continue
        parsed.append(
            (
                number,
                UnitAttribute(
                    unit=units[0],
                    key=key,
                    value=value,
                    valid_from=valid_from,
                    valid_to=valid_to,
                    legal_basis=row["legal_basis"],
                    source=row["source"],
                ),
            )
        )
    errors.extend(_overlaps(parsed))
    if errors:
        raise UnitImportError(errors)
    created = updated = 0
    for _, attribute in parsed:
        _, was_created = UnitAttribute.objects.update_or_create(
            unit=attribute.unit,
            key=attribute.key,
            valid_from=attribute.valid_from,
            defaults={
                "value": attribute.value,
                "valid_to": attribute.valid_to,
                "legal_basis": attribute.legal_basis,
                "source": attribute.source,
            },
        )
        created += int(was_created)
        updated += int(not was_created)
    return ImportResult(rows=len(rows), created=created, updated=updated)


def _overlap(a: UnitAttribute, b: UnitAttribute) -> bool:
    return (a.valid_from is None or b.valid_to is None or a.valid_from <= b.valid_to) and (
        b.valid_from is None or a.valid_to is None or b.valid_from <= a.valid_to
    )


def _overlaps(parsed: list[tuple[int, UnitAttribute]]) -> list[str]:
    errors: list[str] = []
    seen: dict[tuple[int, str], list[tuple[int, UnitAttribute]]] = defaultdict(list)
    for number, attribute in parsed:
        slot = (attribute.unit.pk, attribute.key)
        for other_number, other in seen[slot]:
            if _overlap(attribute, other):
                errors.append(
                    f"Dòng {number}: thời gian hiệu lực của {attribute.key} cho đơn vị "
                    f"{attribute.unit.code} trùng với dòng {other_number}."
                )
                break
        else:
            stored = UnitAttribute.objects.filter(unit=attribute.unit, key=attribute.key).exclude(
                valid_from=attribute.valid_from
            )
            clash = next((s for s in stored if _overlap(attribute, s)), None)
            if clash is not None:
                errors.append(
                    f"Dòng {number}: thời gian hiệu lực của {attribute.key} cho đơn vị "
                    f"{attribute.unit.code} trùng với giá trị đã lưu từ "
                    f"{dmy(clash.valid_from)}."
                    if clash.valid_from
                    else f"Dòng {number}: thời gian hiệu lực của {attribute.key} cho đơn vị "
                    f"{attribute.unit.code} trùng với giá trị đã lưu."
                )
        seen[slot].append((number, attribute))
    return errors
