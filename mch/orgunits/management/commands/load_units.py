from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mch.orgunits.demo import load_demo_facilities_and_attributes
from mch.orgunits.reference import load_reference_units


class Command(BaseCommand):
    help = (
        "Nạp (hoặc cập nhật) danh mục đơn vị hành chính trước và sau 01/07/2025 từ tệp dữ liệu "
        "của gói vietnamadminunits, hoặc từ một tệp mới hơn cùng cấu trúc (--db)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--db", help="Tệp SQLite cùng cấu trúc với dataset.db của gói.")
        parser.add_argument(
            "--converter",
            help="Tệp converter_2025.json (mặc định: cạnh tệp --db, nếu không thì của gói).",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Thêm cơ sở y tế và phân loại xã DEMO (không chính thức) cho 4 tỉnh mẫu.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_reference_units(
            db_path=options["db"],
            converter_path=options["converter"],
            progress=lambda message: self.stdout.write(f"  {message}"),
        )
        for level in ("country", "province", "district", "commune"):
            self.stdout.write(
                f"{level}: tạo mới {report.created[level]}, cập nhật {report.updated[level]}, "
                f"không đổi {report.unchanged[level]}"
            )
        self.stdout.write(
            f"Quyết định thay đổi mới: {report.changes_created}; "
            f"liên kết kế thừa mới: {report.links_created}; {report.seconds:.1f} giây"
        )
        if options["demo"]:
            demo = load_demo_facilities_and_attributes()
            self.stdout.write(
                f"DEMO: {demo.facilities_created} cơ sở y tế, {demo.attributes_created} phân loại mới"
            )
        self.stdout.write(self.style.SUCCESS("Xong."))
