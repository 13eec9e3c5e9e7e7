"""Rebuild the stored indicator cells from the records: as a job of the worker (default,
following its progress), or in this process (``--here``)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.indicators.adapter.aggregates import aggregates_rebuild
from mch.indicators.values import latest_versions


class Command(BaseCommand):
    help = (
        "Tính lại các ô tổng hợp chỉ số đã lưu từ sổ đăng ký (mặc định: phiên bản mới nhất "
        "của mọi chỉ số), như một việc của tiến trình xử lý (mch worker), hiện tiến độ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicator", help="mã chỉ số, cách nhau bởi dấu phẩy")
        parser.add_argument(
            "--here", action="store_true", help="tính ngay trong tiến trình này, không xếp hàng"
        )
        parser.add_argument(
            "--no-follow", action="store_true", help="xếp hàng rồi thoát, không chờ tiến độ"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        versions = None
        if options.get("indicator"):
            codes = [c.strip() for c in options["indicator"].split(",") if c.strip()]
            found = latest_versions(codes)
            missing = [c for c in codes if c not in found]
            if missing:
                raise CommandError(f"Không có chỉ số trong danh mục: {', '.join(missing)}")
            versions = list(found.values())
        if not options.get("here"):
            from mch.indicators.jobs import rebuild_enqueue
            from mch.jobs.management.commands.jobs import follow_job, job_line

            job = rebuild_enqueue(versions=versions)
            self.stdout.write(f"Đã xếp hàng việc #{job.pk} (tiến trình xử lý: mch worker).")
            self.stdout.write(job_line(job))
            if not options.get("no_follow"):
                job = follow_job(self, job)
                self.stdout.write(
                    self.style.SUCCESS(f"Đã tính lại {job.result.get('cells', 0)} ô.")
                )
            return
        started = time.monotonic()

        def progress(done: int, total: int, year: str) -> None:
            self.stdout.write(f"  {done}/{total} năm {year} ({round(100 * done / total)}%)")

        written = aggregates_rebuild(versions=versions, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tính lại {written} ô trong {time.monotonic() - started:.1f} giây."
            )
        )
