from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mch.aggregate_data.registry import DefinitionsError
from mch.aggregate_data.services import definitions_load


class Command(BaseCommand):
    help = "Nạp định nghĩa báo cáo định kỳ (chỉ tiêu, phân tổ, biểu mẫu) và tệp ngày nghỉ lễ."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--definitions",
            help="tệp YAML (mặc định: mch/aggregate_data/definitions/commune-mch.yaml)",
        )
        parser.add_argument(
            "--holidays", help="tệp YAML (mặc định: mch/aggregate_data/data/holidays-vn.yaml)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = definitions_load(
                path=options.get("definitions"), holidays_path=options.get("holidays")
            )
        except DefinitionsError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        state = "mới" if summary.version_created else "không đổi"
        self.stdout.write(
            f"Định nghĩa báo cáo định kỳ: phiên bản {summary.version} ({state}); "
            f"{summary.holidays} ngày nghỉ lễ, {summary.working_saturdays} thứ Bảy làm bù"
        )
