"""Insert many rows of one model quickly, ids known before the insert.

Django's ``bulk_create`` prepares every value through the field machinery (about 100 µs
a row for a care event), which alone keeps an import under 10,000 rows a second. Here
each column gets one converter chosen once, ids are reserved first (from the sequence on
PostgreSQL, after the highest id in SQLite's write transaction) so children can point to
their parents, and the rows go in with one ``executemany`` on SQLite or ``COPY`` on
PostgreSQL. Only for plain columns (no custom field types): the register models.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

Converter = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _json(value: Any) -> Any:
    if value is None:
        return None
    return "[]" if value == [] else json.dumps(value)


def _pg_type(field: models.Field) -> str:  # type: ignore[type-arg]
    """The PostgreSQL type name binary COPY sends the column as."""
    kind = field.db_type(connection) or "text"
    kind = kind.split("(", 1)[0].split(" CHECK", 1)[0].strip()
    return {"varchar": "text", "serial": "integer", "bigserial": "bigint"}.get(kind, kind)


def _pg_json(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    return None if value is None else Jsonb(value)


def _converter(field: models.Field, vendor: str) -> Converter:  # type: ignore[type-arg]
    if isinstance(field, models.JSONField):
        return _pg_json if vendor == "postgresql" else _json
    if vendor != "sqlite":
        return _identity  # psycopg adapts dates, times, datetimes and bools itself
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else connection.ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(field, models.TimeField):
        return lambda v: None if v is None else v.isoformat()
    return _identity


def columns(model: type[models.Model]) -> list[models.Field]:  # type: ignore[type-arg]
    return list(model._meta.concrete_fields)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``; call inside the writing transaction."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT MAX(id) FROM {quoted}")  # noqa: S608 - a model's table name
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def insert(
    model: type[models.Model],
    records: Sequence[Any],
    *,
    values: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 2000,
    raw: Any = None,
) -> None:
    """Insert ``records`` (objects with an attribute per column ``attname``; ``pk`` set
    by ``reserve_ids``). ``values`` gives columns that are the same for every row; a
    column a record lacks takes the field's default. ``progress(n)`` is called after
    each ``every`` rows (and at the end) with the rows sent so far.

    On PostgreSQL one COPY carries the whole table: psycopg sends from its own thread,
    so the server indexes rows while this process is still preparing the next ones.
    ``raw``: the psycopg connection to use from another thread (Django's connection
    object belongs to the thread that opened it)."""
    if not records:
        return
    report = progress or (lambda count: None)
    if connection.vendor != "postgresql":
        for start in range(0, len(records), every):
            _insert(model, records[start : start + every], values)
            report(min(start + every, len(records)))
        return
    _insert(model, records, values, report, every, raw)


def _insert(
    model: type[models.Model],
    records: Sequence[Any],
    values: dict[str, Any] | None,
    report: Callable[[int], None] | None = None,
    every: int = 2000,
    raw: Any = None,
) -> None:
    if not records:
        return
    vendor = connection.vendor
    fields = columns(model)
    values = values or {}
    names = [field.attname for field in fields]
    plan: list[tuple[str, Converter, Any, bool]] = []
    for field in fields:
        convert = _converter(field, vendor)
        if field.primary_key:
            plan.append(("pk", convert, None, False))
        elif field.attname in values:
            plan.append((field.attname, convert, convert(values[field.attname]), True))
        else:
            default = field.get_default() if field.has_default() or not field.null else None
            plan.append((field.attname, convert, default, False))
    states = [record.__dict__ for record in records]
    count = len(states)
    columns_ = []
    for name, convert, default, fixed in plan:
        if fixed:
            columns_.append([default] * count)
            continue
        found = [state.get(name, default) for state in states]
        columns_.append(found if convert is _identity else list(map(convert, found)))
    rows = list(zip(*columns_, strict=True))
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    table = connection.ops.quote_name(model._meta.db_table)
    if vendor == "postgresql" and raw is not None:
        types = [_pg_type(field) for field in fields]
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({quoted}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(types)
            for count, row in enumerate(rows, 1):
                copy.write_row(row)
                if report is not None and count % every == 0:
                    report(count)
        if report is not None:
            report(len(rows))
        return
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            types = [_pg_type(field) for field in fields]
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for count, row in enumerate(rows, 1):
                    copy.write_row(row)
                    if report is not None and count % every == 0:
                        report(count)
            if report is not None:
                report(len(rows))
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})",  # noqa: S608
                rows,
            )


def now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()
