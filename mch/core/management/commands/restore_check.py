from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.core.backup import backup_restore_check


class Command(BaseCommand):
    help = "Restore a backup into a fresh database and compare row counts and register checksums with its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        report = backup_restore_check(dump=options["dump"])
        if not report.ok:
            raise CommandError(
                "Khôi phục KHÔNG khớp bản sao lưu:\n  " + "\n  ".join(report.differences)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Khôi phục khớp: {report.tables} bảng, {report.rows} dòng, tổng kiểm tra các sổ giống nhau."
            )
        )
