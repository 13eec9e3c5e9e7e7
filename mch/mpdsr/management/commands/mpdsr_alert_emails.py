from typing import Any

from django.core.management.base import BaseCommand

from mch.mpdsr.services import alert_emails_sweep


class Command(BaseCommand):
    help = "E-mail the provinces the suspected maternal deaths not alerted yet (once per death)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Đã gửi {alert_emails_sweep()} thư báo.")
