from typing import Any

from django.core.management.base import BaseCommand

from mch.core.demo import DEMO_PASSWORD, DEMO_USERS, demo_setup


class Command(BaseCommand):
    help = "Load reference units, the indicator catalogue, the five plans and demo users."

    def handle(self, *args: Any, **options: Any) -> None:
        demo_setup(progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Dữ liệu đã sẵn sàng."))
        self.stdout.write(f"Tài khoản minh họa (mật khẩu: {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<20} {user.role}")
