from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.orgunits.imports import UnitImportError, unit_attributes_import


class Command(BaseCommand):
    help = (
        "Nhập phân loại đơn vị theo thời gian từ CSV (cột level,code,key,value,valid_from,"
        "valid_to,legal_basis,source). Một dòng sai thì không nhập dòng nào."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", help="Đường dẫn tệp CSV (UTF-8).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = unit_attributes_import(file=options["csv"])
        except (UnitImportError, OSError) as error:
            for message in getattr(error, "messages", [str(error)]):
                self.stderr.write(message)
            raise CommandError("Không nhập được tệp; chưa có thay đổi nào được lưu.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng: {result.created} mới, {result.updated} cập nhật."
            )
        )
