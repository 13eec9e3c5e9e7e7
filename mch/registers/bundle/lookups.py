"""What the importer reads from the database, a few queries for a whole bundle: communes by
code through time, facilities by code, and stored records by external ID or by id."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Model

from mch.orgunits.models import Facility, OrgUnit


def chunks(values: Iterable[Any], size: int | None = None) -> Iterator[list[Any]]:
    """Slices small enough for one ``__in`` query on this database."""
    size = size or (_sqlite_limit() if connection.vendor == "sqlite" else 10_000)
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sqlite_limit() -> int:
    """Parameters one SQLite statement may take (999 on old builds, 32,766 since 3.32)."""
    import sqlite3

    connection.ensure_connection()
    raw = connection.connection
    try:
        limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # Python < 3.11
        limit = 999
    return max(100, min(limit - 10, 10_000))


class Stored:
    """A stored record read for checking (attributes named like the model's columns)."""

    pk: int

    def __init__(self, **values: Any):
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"Stored({self.__dict__})"

    if TYPE_CHECKING:  # columns are set at run time, one attribute each

        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...


def _reader(field: Any) -> Any:
    """How a raw database value of ``field`` becomes the value Django would give."""
    from django.db import models

    if isinstance(field, models.JSONField):

        def read_json(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            return [] if value == "[]" else json.loads(value)

        return read_json
    if connection.vendor != "sqlite":
        return None
    if isinstance(field, models.DateTimeField):
        return None
    if isinstance(field, models.DateField):
        return lambda value: dt.date.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(field, models.TimeField):
        return lambda value: dt.time.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(field, models.BooleanField):
        return lambda value: None if value is None else bool(value)
    return None


def _stored(
    model: type[Model], field: str, keys: Iterable[Any], columns: Iterable[str]
) -> Iterator[Stored]:
    """Rows read with one plain query per chunk: Django's row machinery costs more than
    the query itself when a re-import reads back every record it names."""
    names = ["id", field, *[c for c in columns if c not in ("id", field)]]
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    readers = [(index, reader) for index, f in enumerate(fields) if (reader := _reader(f))]
    table = connection.ops.quote_name(model._meta.db_table)
    selected = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    where = connection.ops.quote_name(str(fields[1].column))
    with connection.cursor() as cursor:
        for batch in chunks(set(keys)):
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"SELECT {selected} FROM {table} WHERE {where} IN ({marks})",  # noqa: S608
                batch,
            )
            for values in cursor.fetchall():
                if readers:
                    values = list(values)
                    for index, reader in readers:
                        values[index] = reader(values[index])
                record = Stored.__new__(Stored)
                record.__dict__ = dict(zip(names, values, strict=True))
                record.pk = values[0]
                yield record


def stored_by(
    model: type[Model], field: str, keys: Iterable[Any], columns: Iterable[str]
) -> dict[Any, Stored]:
    """Stored rows whose ``field`` is one of ``keys``, keyed by that field."""
    return {getattr(record, field): record for record in _stored(model, field, keys, columns)}


def stored_groups(
    model: type[Model], field: str, keys: Iterable[Any], columns: Iterable[str]
) -> dict[Any, list[Stored]]:
    """Stored rows grouped by ``field`` (e.g. the visits of each pregnancy)."""
    found: dict[Any, list[Stored]] = defaultdict(list)
    for record in _stored(model, field, keys, columns):
        found[getattr(record, field)].append(record)
    return found


class Communes:
    """Every commune with its validity, so a code resolves to the commune of a date."""

    def __init__(self) -> None:
        self._by_code: dict[str, list[tuple[dt.date | None, dt.date | None, int]]] = defaultdict(
            list
        )
        self.paths: dict[int, str] = {}
        self.names: dict[int, str] = {}
        self.codes: dict[int, str] = {}
        rows = OrgUnit.objects.filter(level="commune").values_list(
            "id", "code", "valid_from", "valid_to", "path", "name"
        )
        for pk, code, start, end, path, name in rows:
            self._by_code[code].append((start, end, pk))
            self.paths[pk] = path
            self.names[pk] = name
            self.codes[pk] = code

    def ids(self, code: str) -> list[int]:
        return [pk for _start, _end, pk in self._by_code.get(code, ())]

    def known(self, code: str) -> bool:
        return code in self._by_code

    def on(self, code: str, day: dt.date) -> int | None:
        for start, end, pk in self._by_code.get(code, ()):
            if (start is None or start <= day) and (end is None or end >= day):
                return pk
        return None

    def periods(self, code: str) -> str:
        parts = []
        for start, end, _pk in sorted(
            self._by_code.get(code, ()), key=lambda r: r[0] or dt.date.min
        ):
            parts.append(
                f"{start:%d/%m/%Y}" if start else "…",
            )
            parts[-1] += f"–{end:%d/%m/%Y}" if end else "–nay"
        return ", ".join(parts)


class Facilities:
    def __init__(self, codes: Iterable[str]):
        self._by_code: dict[str, tuple[int, str]] = {}
        self.names: dict[int, str] = {}
        self.units: dict[int, int] = {}
        self._asked: set[str] = set()
        self.add(codes)

    def add(self, codes: Iterable[str]) -> None:
        """Read the facilities of codes not asked for yet."""
        wanted = set(codes) - self._asked
        self._asked |= wanted
        for batch in chunks(wanted):
            for pk, code, level, name, unit_id in Facility.objects.filter(
                code__in=batch
            ).values_list("id", "code", "care_level", "name", "unit_id"):
                self._by_code[code] = (pk, level)
                self.names[pk] = name
                self.units[pk] = unit_id

    def get(self, code: str) -> tuple[int, str] | None:
        return self._by_code.get(code)
