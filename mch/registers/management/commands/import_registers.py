"""mch import_registers PATH [--keep-valid] [--user USERNAME] [--background]"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.registers.bundle.importer import bundle_import
from mch.registers.bundle.jobs import import_job, register_import_enqueue
from mch.registers.bundle.spec import BY_KEY


class Command(BaseCommand):
    help = (
        "Import a register bundle (folder or .zip of CSV files, one CSV file, or an .xlsx "
        "workbook). Every row is checked; with any error nothing is saved unless --keep-valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--keep-valid",
            action="store_true",
            help="Save the valid rows and skip the rejected ones (and rows that depend on them).",
        )
        parser.add_argument(
            "--user",
            help="Import as this user (their units limit what may be imported); default: the system.",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the import for the job worker (mch worker) and return; "
            "follow it with `mch jobs ID --follow`.",
        )

    def handle(
        self,
        *args: Any,
        path: Path,
        keep_valid: bool,
        user: str | None,
        background: bool,
        **options: Any,
    ) -> None:
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"Không có tài khoản '{user}'.") from error
        if not path.exists():
            raise CommandError(f"Không tìm thấy '{path}'.")
        if background:
            batch = register_import_enqueue(
                user=actor, file_name=path.name, path=path, keep_valid_rows=keep_valid
            )
            job = import_job(batch)
            job_id = job.pk if job is not None else "?"
            self.stdout.write(
                f"Đã xếp hàng: việc #{job_id} (lô nhập #{batch.pk}). "
                f"Xem tiến độ: mch jobs {job_id} --follow"
            )
            return
        tty = sys.stdout.isatty() and self.stdout._out is sys.stdout  # type: ignore[attr-defined]
        last = [-1]

        def progress(phase: str, done: int, total: int, message: str) -> None:
            if not total:
                self.stdout.write(f"{phase}: {message}")
                return
            percent = min(99, int(100 * done / total))
            if percent == last[0]:
                return
            last[0] = percent
            line = f"{percent:3d}% {phase} — {message}"
            if tty:
                self.stdout.write(f"\r{line:<78}", ending="")
            else:
                self.stdout.write(line)

        result = bundle_import(
            source=path, user=actor, keep_valid_rows=keep_valid, progress=progress
        )
        if tty:
            self.stdout.write("")
        if not result.rejected:
            self.stdout.write("100% xong")
        for problem in result.errors:
            self.stdout.write(f"  ✗ {problem}")
        self.stdout.write(f"Kết quả: {result.summary()}.")
        for key, counts in result.counts.items():
            self.stdout.write(
                f"  {BY_KEY[key].name_vi:<20} {counts.created:>8} mới {counts.updated:>7} cập nhật "
                f"{counts.unchanged:>8} không đổi {counts.rejected:>7} từ chối"
            )
        if result.rejected:
            raise CommandError(
                f"Tệp có {len(result.errors)} lỗi: không lưu gì (lô nhập #{result.batch.pk}). "
                "Sửa các dòng trên rồi nhập lại, hoặc dùng --keep-valid để chỉ nhập các dòng hợp lệ."
            )
        self.stdout.write(f"Đã nhập (lô nhập #{result.batch.pk}).")
