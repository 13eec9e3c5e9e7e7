"""Load the indicator catalogue files into the database (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.indicators.adapter.aggregates import versions_unbuilt
from mch.indicators.registry import CatalogueError
from mch.indicators.services import catalogue_load


class Command(BaseCommand):
    help = "Đọc danh mục chỉ số (catalogue/*.yaml) vào cơ sở dữ liệu; chạy lại không tạo trùng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory", help="Thư mục chứa các tệp *.yaml (mặc định: mch/indicators/catalogue)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = catalogue_load(directory=options.get("directory"))
        except CatalogueError as exc:
            raise CommandError("Danh mục chỉ số không hợp lệ:\n" + str(exc)) from exc
        out = self.stdout
        out.write(f"Tệp: {', '.join(summary.files)}")
        out.write(
            f"Chỉ số: {summary.indicators_total} trong tệp, {summary.indicators_created} mới, "
            f"{summary.unchanged} không đổi"
        )
        out.write(f"Phiên bản mới: {summary.versions_created}")
        if summary.changed_codes:
            out.write(f"  định nghĩa thay đổi: {', '.join(summary.changed_codes)}")
        if summary.admin_edits_kept:
            out.write(
                "  giữ bản sửa trên trang quản trị (tệp không đổi): "
                + ", ".join(summary.admin_edits_kept)
            )
        if summary.domains_changed:
            out.write(f"  đổi lĩnh vực: {summary.domains_changed}")
        out.write(
            f"Nhóm dân số: {summary.groups_total} trong tệp, {summary.groups_created} mới, "
            f"{summary.groups_updated} cập nhật"
        )
        if summary.not_in_files:
            out.write(
                self.style.WARNING(
                    f"Có trong cơ sở dữ liệu nhưng không còn trong tệp (giữ nguyên): "
                    f"{', '.join(summary.not_in_files)}"
                )
            )
        unbuilt = versions_unbuilt()
        if unbuilt:
            from mch.indicators.jobs import rebuild_enqueue

            job = rebuild_enqueue(versions=unbuilt)
            out.write(
                f"Tính lại ô tổng hợp của {len(unbuilt)} phiên bản mới: việc #{job.pk} "
                f"(mch jobs {job.pk} --follow); trong lúc chờ, số liệu tính trực tiếp từ sổ."
            )
        out.write(self.style.SUCCESS("Đã nạp danh mục chỉ số."))
