"""Rebuild the stored indicator cells from the records."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.indicators.adapter.aggregates import aggregates_rebuild
from mch.indicators.values import latest_versions


class Command(BaseCommand):
    help = (
        "Tính lại các ô tổng hợp chỉ số đã lưu từ sổ đăng ký (mặc định: phiên bản mới nhất "
        "của mọi chỉ số)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicator", help="mã chỉ số, cách nhau bởi dấu phẩy")

    def handle(self, *args: Any, **options: Any) -> None:
        versions = None
        if options.get("indicator"):
            codes = [c.strip() for c in options["indicator"].split(",") if c.strip()]
            found = latest_versions(codes)
            missing = [c for c in codes if c not in found]
            if missing:
                raise CommandError(f"Không có chỉ số trong danh mục: {', '.join(missing)}")
            versions = list(found.values())
        started = time.monotonic()

        def progress(done: int, total: int, year: str) -> None:
            self.stdout.write(f"  {done}/{total} năm {year} ({round(100 * done / total)}%)")

        written = aggregates_rebuild(versions=versions, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tính lại {written} ô trong {time.monotonic() - started:.1f} giây."
            )
        )
