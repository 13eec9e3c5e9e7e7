"""mch registers_template [-o mau.xlsx]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mch.registers.bundle.template import template_workbook


class Command(BaseCommand):
    help = "Write the register import template: one sheet per file, help and allowed values."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, default=Path("mau-nhap-so.xlsx"))

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        output.write_bytes(template_workbook())
        self.stdout.write(f"Đã ghi mẫu nhập sổ vào {output}.")
