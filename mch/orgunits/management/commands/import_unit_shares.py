from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.orgunits.imports import UnitImportError, unit_shares_import


class Command(BaseCommand):
    help = (
        "Nhập tỷ lệ dân số của đơn vị cũ chuyển sang đơn vị mới từ CSV "
        "(cột old_code,new_code,share). Một dòng sai thì không nhập dòng nào."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", help="Đường dẫn tệp CSV (UTF-8).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = unit_shares_import(file=options["csv"])
        except (UnitImportError, OSError) as error:
            for message in getattr(error, "messages", [str(error)]):
                self.stderr.write(message)
            raise CommandError("Không nhập được tệp; chưa có thay đổi nào được lưu.") from error
        self.stdout.write(self.style.SUCCESS(f"Đã cập nhật {result.updated} tỷ lệ."))
