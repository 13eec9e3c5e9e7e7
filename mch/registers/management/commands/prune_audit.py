import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mch.registers.services import audit_reads_prune


class Command(BaseCommand):
    help = (
        "Delete the audit entries of views and exports older than AUDIT_READ_RETENTION_DAYS "
        "(entries of changes to records are never deleted)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="override AUDIT_READ_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days = (
            options["days"] if options["days"] is not None else settings.AUDIT_READ_RETENTION_DAYS
        )
        if days < 0:
            raise CommandError("--days phải là số không âm.")
        if days == 0:
            self.stdout.write("Lưu vô thời hạn (AUDIT_READ_RETENTION_DAYS=0): không xóa gì.")
            return
        before = timezone.now() - dt.timedelta(days=days)
        count = audit_reads_prune(before=before, dry_run=options["dry_run"])
        verb = "Sẽ xóa" if options["dry_run"] else "Đã xóa"
        self.stdout.write(
            f"{verb} {count} mục nhật ký xem/xuất trước {timezone.localtime(before):%d/%m/%Y %H:%M}."
        )
