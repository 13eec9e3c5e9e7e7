"""Recompute every stored indicator cell from the records and report those that differ."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.indicators.adapter.aggregates import aggregates_reconcile


def _pair(value: tuple[float, float] | None) -> str:
    return "—" if value is None else f"{value[0]:g}/{value[1]:g}"


class Command(BaseCommand):
    help = (
        "Đối chiếu: tính lại mọi ô tổng hợp chỉ số từ sổ đăng ký và liệt kê các ô khác với "
        "số đã lưu (thoát với mã lỗi nếu có)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=50, help="số ô khác nhau in ra")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        differences = aggregates_reconcile()
        seconds = time.monotonic() - started
        for diff in differences[: options["limit"]]:
            self.stdout.write(
                f"  {diff.indicator} v{diff.version} {diff.attribution} đơn vị {diff.unit_id} "
                f"{diff.period_kind} {diff.period_start:%d/%m/%Y} nhóm {diff.profile_id}: "
                f"đã lưu {_pair(diff.stored)}, tính lại {_pair(diff.computed)}"
            )
        if differences:
            raise CommandError(
                f"{len(differences)} ô khác với số tính lại từ sổ ({seconds:.1f} giây)."
            )
        self.stdout.write(self.style.SUCCESS(f"Mọi ô khớp với sổ ({seconds:.1f} giây)."))
