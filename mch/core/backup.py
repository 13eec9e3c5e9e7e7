"""Backups and a restore that proves them.

``backup_create`` dumps the database (PostgreSQL: ``pg_dump`` custom format; SQLite: the
SQLite backup API) and, from the very same snapshot, a manifest: the row count of every
table and a checksum of every register table. ``backup_restore_check`` restores a dump into
a fresh database (a temporary file, or a new PostgreSQL database dropped afterwards) and
compares it with the manifest. A backup whose restore has not been checked is not a backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore with arguments, never a shell
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, transaction

MANIFEST_SUFFIX = ".manifest.json"


@dataclass
class RestoreReport:
    tables: int
    rows: int
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def register_tables() -> list[str]:
    """The tables of people and their care events: what a province cannot lose."""
    return sorted(model._meta.db_table for model in apps.get_app_config("registers").get_models())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def manifest(cursor: Any, tables: Iterable[str], checksummed: Iterable[str]) -> dict[str, Any]:
    """Row counts of ``tables`` and a SHA-256 of the rows of ``checksummed``, in key order."""
    counts, sums = {}, {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - table names from the schema
        counts[table] = cursor.fetchone()[0]
    for table in sorted(checksummed):
        digest = hashlib.sha256()
        cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY 1")  # noqa: S608
        for row in cursor.fetchall():
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")
        sums[table] = digest.hexdigest()
    return {"counts": counts, "checksums": sums}


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def _pg_args(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def backup_create(*, out: Path) -> Path:
    """Dump the database to ``out`` and write its manifest beside it; return the manifest."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tables, registers = _tables(), register_tables()
    if connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # Read through a plain connection, as the restored copy is read, in the snapshot
            # pg_dump dumps.
            with (
                _pg_connect(connection.settings_dict["NAME"], autocommit=True) as plain,
                plain.cursor() as read,
            ):
                read.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                read.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                facts = manifest(read, tables, registers)
            subprocess.run(  # noqa: S603
                [
                    _tool("pg_dump"),
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(out),
                    connection.settings_dict["NAME"],
                ],
                check=True,
                env=env,
            )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        out.unlink(missing_ok=True)
        with transaction.atomic(), connection.cursor() as cursor:
            facts = manifest(cursor, tables, registers)
            target = sqlite3.connect(out)
            try:
                source.backup(target)
            finally:
                target.close()
    else:
        raise NotImplementedError(f"backups of {connection.vendor} databases")
    facts["vendor"] = connection.vendor
    path = out.with_name(out.name + MANIFEST_SUFFIX)
    path.write_text(json.dumps(facts, indent=1, sort_keys=True))
    for written in (out, path):  # people's health records: the owner only
        written.chmod(0o600)
    return path


def _compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    differences = []
    for table, count in expected["counts"].items():
        got = actual["counts"].get(table)
        if got != count:
            differences.append(f"{table}: {count} dòng khi sao lưu, {got} sau khi khôi phục")
    for table, digest in expected["checksums"].items():
        if actual["checksums"].get(table) != digest:
            differences.append(f"{table}: tổng kiểm tra (checksum) khác")
    return differences


def backup_restore_check(*, dump: Path) -> RestoreReport:
    """Restore ``dump`` into a fresh database and compare it with the dump's manifest."""
    expected = json.loads(dump.with_name(dump.name + MANIFEST_SUFFIX).read_text())
    tables, registers = list(expected["counts"]), list(expected["checksums"])
    if expected["vendor"] == "sqlite":
        with tempfile.TemporaryDirectory(prefix="mch-restore-") as folder:
            # Read with the converters Django registers, as the manifest was read.
            fresh = sqlite3.connect(
                Path(folder) / "restored.sqlite3",
                detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
            )
            source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
            try:
                source.backup(fresh)
                actual = manifest(fresh.cursor(), tables, registers)
            finally:
                source.close()
                fresh.close()
    elif expected["vendor"] == "postgresql":
        actual = _pg_restore_manifest(dump, tables, registers)
    else:
        raise NotImplementedError(expected["vendor"])
    rows = sum(expected["counts"].values())
    return RestoreReport(len(tables), rows, _compare(expected, actual))


def _pg_restore_manifest(dump: Path, tables: list[str], registers: list[str]) -> dict[str, Any]:
    args, env = _pg_args(connection.settings_dict)
    name = f"mch_restore_check_{uuid.uuid4().hex[:10]}"
    with _pg_connect("postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {_quote(name)}")
    try:
        subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                *args,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "-d",
                name,
                str(dump),
            ],
            check=True,
            env=env,
        )
        with _pg_connect(name) as restored, restored.cursor() as cursor:
            return manifest(cursor, tables, registers)
    finally:
        with _pg_connect("postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")


def _pg_connect(dbname: str, *, autocommit: bool = False) -> Any:
    import psycopg

    settings = connection.settings_dict
    params = {
        key: settings[setting]
        for key, setting in (
            ("host", "HOST"),
            ("port", "PORT"),
            ("user", "USER"),
            ("password", "PASSWORD"),
        )
        if settings.get(setting)
    }
    return psycopg.connect(
        dbname=dbname, autocommit=autocommit, options="-c TimeZone=UTC", **params
    )


def _tool(name: str) -> str:
    """The PostgreSQL client program, of the server's major version (apt: postgresql-client)."""
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} không có trên máy (apt-get install postgresql-client)")
    return found
