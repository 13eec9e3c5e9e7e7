"""The connection that job bookkeeping (the queue and each job's progress) goes through.

A job does its work in one transaction on ``default``; its progress must be committed while
that transaction is still open, and must survive its rollback. So the jobs tables are
read and written through a second alias, ``jobs``: on PostgreSQL the same database (a second
connection), on SQLite a file beside the main one (SQLite lets one connection write at a
time, and the import's transaction holds that). Used by the settings; imports no models.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

ALIAS = "jobs"
# App labels whose tables live behind the jobs alias: ours and django-tasks' database backend.
APPS = frozenset({"jobs", "django_tasks_database"})


def jobs_database(default: dict[str, Any]) -> dict[str, Any]:
    """Settings of the jobs alias, derived from the default database's."""
    settings = copy.deepcopy(default)
    name = str(settings.get("NAME") or "")
    if "sqlite" in settings.get("ENGINE", "") and name and not name.startswith(("file:", ":")):
        path = Path(name)
        settings["NAME"] = str(path.with_name(f"{path.stem}-jobs{path.suffix or '.sqlite3'}"))
    return settings


def separate(databases: dict[str, dict[str, Any]]) -> bool:
    """Whether the jobs alias is its own database (SQLite) rather than a second connection."""
    jobs, default = databases[ALIAS], databases["default"]
    return (jobs.get("ENGINE"), jobs.get("NAME"), jobs.get("HOST"), jobs.get("PORT")) != (
        default.get("ENGINE"),
        default.get("NAME"),
        default.get("HOST"),
        default.get("PORT"),
    )


class JobsRouter:
    """Jobs tables through the jobs alias; the jobs alias holds nothing else.

    The tables are migrated on ``default`` too: on PostgreSQL that is where they are (the
    jobs alias is the same database), on SQLite they stay empty there. The historical models
    of migrations are left to the default database: a data migration of django-tasks-db
    queries them without naming a database, and while the test database is built the jobs
    alias still points at the real one."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if model.__module__ == "__fake__":
            return None
        return ALIAS if model._meta.app_label in APPS else None

    db_for_write = db_for_read

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if db == ALIAS:
            return app_label in APPS
        return None
