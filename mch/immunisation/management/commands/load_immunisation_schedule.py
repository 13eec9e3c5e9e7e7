"""Load the national immunisation schedule (schedule.yaml) into the database (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.immunisation.schedule_file import ScheduleFileError
from mch.immunisation.services import schedule_load


class Command(BaseCommand):
    help = (
        "Đọc lịch tiêm chủng mở rộng quốc gia (mch/immunisation/schedule.yaml) vào cơ sở dữ "
        "liệu; chạy lại không tạo trùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", help="Tệp lịch tiêm (mặc định: mch/immunisation/schedule.yaml)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = schedule_load(path=options.get("file"))
        except ScheduleFileError as exc:
            raise CommandError("Lịch tiêm chủng không hợp lệ:\n" + str(exc)) from exc
        out = self.stdout
        out.write(f"Tệp: {summary.source}")
        out.write(
            f"Vắc xin: {summary.antigens_total} trong tệp, {summary.antigens_created} mới, "
            f"{summary.antigens_updated} cập nhật, {summary.antigens_unchanged} không đổi"
        )
        out.write(
            f"Dòng lịch quốc gia: {summary.entries_total} trong tệp, {summary.entries_created} "
            f"mới, {summary.entries_updated} cập nhật, {summary.entries_unchanged} không đổi"
        )
        if summary.changed:
            out.write(f"  thay đổi: {', '.join(summary.changed)}")
        if summary.admin_edits_kept:
            out.write(
                "  giữ bản sửa trên trang quản trị (tệp không đổi): "
                + ", ".join(summary.admin_edits_kept)
            )
        if summary.not_in_file:
            out.write(
                self.style.WARNING(
                    "Có trong cơ sở dữ liệu nhưng không còn trong tệp (giữ nguyên): "
                    + ", ".join(summary.not_in_file)
                )
            )
        out.write(self.style.SUCCESS("Đã nạp lịch tiêm chủng."))
