"""mch send_reminders [--today YYYY-MM-DD]: remind the agencies of their task reports due
before the deadline (home page, and e-mail when configured); run daily, idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from mch.reporting.reminders import email_configured, reminders_send


class Command(BaseCommand):
    help = "Remind agencies of their yearly task reports before the deadline (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="Default: today.")

    def handle(self, *args: Any, today: dt.date | None, **options: Any) -> None:
        day = today or timezone.localdate()
        summary = reminders_send(today=day)
        mail = "" if email_configured() else " (chưa cấu hình e-mail: chỉ nhắc trong hệ thống)"
        self.stdout.write(
            f"{day:%d/%m/%Y}: {summary.sent} lời nhắc mới, {summary.emailed} e-mail, "
            f"{summary.already} đã nhắc trước đó{mail}."
        )
        if summary.without_user:
            self.stdout.write(
                "Cơ quan chưa có tài khoản để nhắc: " + "; ".join(summary.without_user) + "."
            )
