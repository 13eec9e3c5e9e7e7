"""Export a register (or all of them) as the bundle format the importer reads.

    export = register_export(user=user, file_key="pregnancies", fmt="xlsx")
    export.content, export.filename, export.rows

Only people the user may see (``selectors.people_scope_q``) and only for users who may
see identifiable records (``can_see_people``); every export is audited. Headers are
Vietnamese by default (English keys with ``language="en"``), dates dd/mm/yyyy, decimal
comma and Vietnamese labels, so an exported file imports back unchanged. A record
entered through a form has no external ID: the export gives it one (``mch-<id>``) and
stores it, so a file exported twice, or re-imported, names the same record the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, F, Model, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Concat

from mch.accounts.permissions import can_see_people
from mch.accounts.scope import Scope
from mch.orgunits.models import OrgUnit

from ..ethnicities import ethnicity_name
from ..models import AuditAction, AuditEntry, Person, Residence
from ..selectors import people_scope_q
from .checks import FIELD_OF, MODELS
from .spec import BY_KEY, ORDER, Column, FileSpec
from .values import formatter

ALL = "all"
FORMATS = ("csv", "xlsx")

# Where a column's value is read from (a lookup for ``values_list``).
_LOOKUP = {
    "id": "external_id",
    "person_id": "person__external_id",
    "mother_id": "mother__external_id",
    "pregnancy_id": "pregnancy__external_id",
    "delivery_id": "delivery__external_id",
    "commune": "residence_unit__code",
    # Only a commune is written: a service unit above the commune (a hospital's province or
    # district) is derived again from the facility on import, and the column reads communes.
    "service_commune": Case(
        When(service_unit__level="commune", then=F("service_unit__code")), default=Value("")
    ),
    "facility": "facility__code",
}


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    content: bytes
    rows: int


def _queryset(
    user: Any, key: str, unit: OrgUnit | None, period: tuple[dt.date, dt.date] | None
) -> QuerySet[Any]:
    model = MODELS[key]
    if key == "persons":
        rows: QuerySet[Any] = Person.objects.active().filter(people_scope_q(user))
    elif key == "residences":
        rows = Residence.objects.filter(people_scope_q(user, "person__"), person__merged_into=None)
        if unit is not None:
            rows = rows.filter(person__residence_unit__path__startswith=unit.path)
        return rows.order_by("person_id", "valid_from", "pk")
    else:
        person = "mother" if key == "births" else "person"
        rows = model._default_manager.filter(people_scope_q(user, f"{person}__"))
    if unit is not None:
        rows = rows.filter(residence_unit__path__startswith=unit.path)
    if period is not None and key != "persons":
        rows = rows.filter(date__gte=period[0], date__lte=period[1])
    return rows.order_by("pk")


def _name_records(model: type[Model], rows: QuerySet[Any]) -> None:
    """Give rows without an external ID the stable one ``mch-<id>``."""
    model._default_manager.filter(pk__in=rows.values("pk"), external_id="").update(
        external_id=Concat(Value("mch-"), Cast("pk", CharField()))
    )


def _parents(key: str, rows: QuerySet[Any]) -> None:
    spec = BY_KEY[key]
    for column in spec.columns:
        if column.type.startswith("ref:"):
            target = column.type.split(":", 1)[1]
            field = FIELD_OF[column.key]
            _name_records(
                MODELS[target],
                MODELS[target]._default_manager.filter(pk__in=rows.values(f"{field}_id")),
            )


def _registered_on(row: dict[str, Any]) -> dt.date | None:
    """A registration date on which the person's commune code names that commune (codes
    are reused across the 2025 reform), so the file imports back to the same commune."""
    day = row["_since"] or row["birth_date"]
    start, end = row["_unit_from"], row["_unit_to"]
    if day is None:
        return end if end is not None else None
    if start is not None and day < start:
        return start
    if end is not None and day > end:
        return end
    return day


def _rows(spec: FileSpec, rows: QuerySet[Any], language: str) -> Iterable[list[Any]]:
    lookups = []
    for column in spec.columns:
        if column.key == "registered_on":
            continue
        lookups.append(_LOOKUP.get(column.key, column.key))
    if spec.key == "persons":
        since = Residence.objects.filter(person=OuterRef("pk"), valid_to__isnull=True).values(
            "valid_from"
        )[:1]
        rows = rows.annotate(_since=Subquery(since))
        lookups += ["_since", "residence_unit__valid_from", "residence_unit__valid_to"]
    if spec.key == "residences":
        lookups = ["person__external_id", "unit__code", "village", "valid_from", "valid_to"]
    names = [c.key for c in spec.columns if c.key != "registered_on"]
    for values in rows.values_list(*lookups).iterator(chunk_size=2000):
        found = dict(zip(names, values, strict=False))
        if spec.key == "persons":
            found["registered_on"] = _registered_on(
                {
                    "_since": values[-3],
                    "birth_date": found["birth_date"],
                    "_unit_from": values[-2],
                    "_unit_to": values[-1],
                }
            )
        yield [found.get(column.key) for column in spec.columns]


def _text_formatter(column: Column, language: str) -> Callable[[Any], str]:
    if column.type == "ethnicity" and not language.startswith("en"):
        return lambda code: ethnicity_name(code) if code else ""
    return formatter(column, language=language)


def _text_formatters(spec: FileSpec, language: str) -> list[Callable[[Any], str]]:
    return [_text_formatter(column, language) for column in spec.columns]


def _headers(spec: FileSpec, language: str) -> list[str]:
    vi = not language.startswith("en")
    return [column.header_vi if vi else column.key for column in spec.columns]


def _csv(spec: FileSpec, rows: Iterable[list[Any]], language: str) -> tuple[bytes, int]:
    out = io.StringIO()
    vi = not language.startswith("en")
    # Vietnamese spreadsheets use the decimal comma, so their CSV separator is ";".
    writer = csv.writer(out, delimiter=";" if vi else ",", lineterminator="\r\n")
    writer.writerow(_headers(spec, language))
    formats = _text_formatters(spec, language)
    count = 0
    for row in rows:
        writer.writerow([fmt(value) for fmt, value in zip(formats, row, strict=True)])
        count += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), count


def _sheet(book: Any, spec: FileSpec, rows: Iterable[list[Any]], language: str) -> int:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(spec.name_vi)
    bold = Font(bold=True)
    header = []
    for text in _headers(spec, language):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    cells = [_xlsx_cell(sheet, column, language) for column in spec.columns]
    count = 0
    for row in rows:
        sheet.append([make(value) for make, value in zip(cells, row, strict=True)])
        count += 1
    return count


def _xlsx_cell(sheet: Any, column: Column, language: str) -> Callable[[Any], Any]:
    from openpyxl.cell import WriteOnlyCell

    if column.type == "date":

        def date_cell(value: Any) -> Any:
            if value is None:
                return None
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "DD/MM/YYYY"
            return cell

        return date_cell
    if column.type in ("int", "decimal"):
        return lambda value: value
    text = _text_formatter(column, language)
    return lambda value: text(value) or None


def register_export(
    *,
    user: Any,
    file_key: str,
    fmt: str = "csv",
    unit: OrgUnit | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    language: str = "vi",
) -> Export:
    """One register (``file_key`` of ``spec``) or ``"all"`` of them (a .zip of CSV files or
    one workbook) as the user may see it, optionally for a unit's subtree and a period
    (event dates; people are not filtered by period)."""
    if not can_see_people(user):
        raise PermissionDenied("Tài khoản này không được xuất danh sách người dân.")
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng không hỗ trợ: {fmt}")
    if unit is not None and not Scope.for_user(user).contains(unit):
        raise PermissionDenied(f"{unit} nằm ngoài phạm vi đơn vị của tài khoản này.")
    keys = list(ORDER) if file_key == ALL else [file_key]
    if any(key not in BY_KEY for key in keys):
        raise ValueError(f"Không có sổ '{file_key}'.")
    querysets = {key: _queryset(user, key, unit, period) for key in keys}
    for key, rows in querysets.items():
        if key != "residences":  # a history has no ID of its own
            _name_records(MODELS[key], rows)
        _parents(key, rows)
    counts: dict[str, int] = {}
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        for key in keys:
            counts[key] = _sheet(
                book, BY_KEY[key], _rows(BY_KEY[key], querysets[key], language), language
            )
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        stem = "so" if file_key == ALL else BY_KEY[file_key].name_vi
        filename = f"{stem}.xlsx"
    elif file_key == ALL:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for key in keys:
                data, counts[key] = _csv(
                    BY_KEY[key], _rows(BY_KEY[key], querysets[key], language), language
                )
                # A fixed date keeps the archive the same bytes for the same records.
                info = zipfile.ZipInfo(
                    f"{BY_KEY[key].name_vi}.csv", date_time=(2025, 7, 1, 0, 0, 0)
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        content, content_type, filename = buffer.getvalue(), "application/zip", "so.zip"
    else:
        content, counts[file_key] = _csv(
            BY_KEY[file_key], _rows(BY_KEY[file_key], querysets[file_key], language), language
        )
        content_type = "text/csv; charset=utf-8"
        filename = f"{BY_KEY[file_key].name_vi}.csv"
    total = sum(counts.values())
    where = f", {unit}" if unit is not None else ""
    when = f", {period[0]:%d/%m/%Y}–{period[1]:%d/%m/%Y}" if period is not None else ""
    AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=AuditAction.EXPORT,
        model="" if file_key == ALL else BY_KEY[file_key].model.lower(),
        changes={
            "file": file_key,
            "format": fmt,
            "rows": counts,
            "unit": unit.pk if unit is not None else None,
            "period": [period[0].isoformat(), period[1].isoformat()] if period else None,
        },
        note=f"Xuất {filename}: {total} dòng{where}{when}"[:300],
    )
    return Export(filename, content_type, content, total)


__all__ = ["ALL", "FORMATS", "Export", "register_export"]
