from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.orgunits.imports import UnitImportError
from mch.orgunits.models import Level, OrgUnit
from mch.orgunits.population import demo_population_rows, population_import, rows_csv


class Command(BaseCommand):
    help = (
        "Nhập dân số giữa năm theo xã, năm, giới và nhóm tuổi từ CSV/XLSX (cột ma_xa,nam,"
        "gioi_tinh,nhom_tuoi,dan_so,nguon). Một dòng sai thì không nhập dòng nào. "
        "--demo PROVINCE_CODE --years 2021-2026: sinh số liệu tổng hợp (synthetic) cho demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Tệp CSV (UTF-8) hoặc XLSX.")
        parser.add_argument("--demo", help="Mã tỉnh: sinh dân số tổng hợp cho các xã của tỉnh.")
        parser.add_argument("--years", default="2021-2026", help="Các năm, ví dụ 2021-2026.")

    def handle(self, *args: Any, **options: Any) -> None:
        import io

        try:
            if options["demo"]:
                first, _, last = options["years"].partition("-")
                provinces = OrgUnit.objects.filter(level=Level.PROVINCE, code=options["demo"])
                communes = [
                    c
                    for p in provinces
                    for c in OrgUnit.objects.in_subtree(p).filter(level=Level.COMMUNE)
                ]
                text = rows_csv(
                    demo_population_rows(communes, range(int(first), int(last or first) + 1))
                )
                result = population_import(file=io.StringIO(text), name="demo.csv", synthetic=True)
            elif options["file"]:
                result = population_import(file=options["file"])
            else:
                raise CommandError("Cần tệp dân số hoặc --demo MÃ_TỈNH.")
        except (UnitImportError, OSError, ValueError) as error:
            for message in getattr(error, "messages", [str(error)]):
                self.stderr.write(message)
            raise CommandError("Không nhập được tệp; chưa có thay đổi nào được lưu.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng dân số: {result.created} mới, {result.updated} cập nhật."
            )
        )
