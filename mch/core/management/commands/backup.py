from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils import timezone

from mch.core.backup import backup_create


class Command(BaseCommand):
    help = "Dump the database (pg_dump or the SQLite backup API) with a manifest of row counts and register checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, help="default: var/backups/mch-<time>")
        parser.add_argument(
            "--check", action="store_true", help="then restore it into a fresh database and compare"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        suffix = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
        out = options["output"] or (
            Path(settings.VAR_DIR) / "backups" / f"mch-{timezone.localtime():%Y%m%d-%H%M%S}{suffix}"
        )
        manifest = backup_create(out=out)
        self.stdout.write(f"Đã sao lưu: {out}\nBản kê: {manifest}")
        if options["check"]:
            call_command("restore_check", str(out), stdout=self.stdout)
