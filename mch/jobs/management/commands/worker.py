"""mch worker [--batch] [--interval SECONDS]: run queued jobs (django-tasks' db_worker)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError

from mch.jobs.database import ALIAS, separate
from mch.jobs.services import jobs_reap, worker_name


def _pending(alias: str) -> bool:
    try:
        executor = MigrationExecutor(connections[alias])
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return True
    finally:
        connections[alias].close()


class Command(BaseCommand):
    help = (
        "Run the job worker: take queued jobs (register imports, …) from the database and run "
        "them one at a time. Started by scripts/start.sh beside the web server; in production "
        "a service of its own (docs/adr/0001-job-queue.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs queued now, then stop."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at the queue."
        )

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        verbosity = options.get("verbosity", 1)
        aliases = ["default", ALIAS] if separate(settings.DATABASES) else ["default"]
        waited = False
        while any(_pending(alias) for alias in aliases):
            if not waited:
                self.stdout.write(
                    "Chờ cơ sở dữ liệu được cập nhật (mch setup, hoặc mch migrate "
                    "và mch migrate --database jobs)…"
                )
                waited = True
            time.sleep(2)
        for job in jobs_reap():
            self.stdout.write(
                f"Việc #{job.pk} ({job.title}) đã dừng giữa chừng: đánh dấu thất bại."
            )
        if verbosity:
            self.stdout.write(f"Tiến trình xử lý việc nền {worker_name()} đang chạy.")
        call_command(
            "db_worker",
            batch=batch,
            interval=interval,
            reload=False,
            startup_delay=False,
            worker_id=worker_name()[:64],
            verbosity=verbosity,
        )
