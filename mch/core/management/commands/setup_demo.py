from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from mch.accounts.models import Role
from mch.core.demo import DEMO_PASSWORD, DEMO_USERS, demo_setup


class Command(BaseCommand):
    help = "Load reference units, the indicator catalogue, the five plans and demo users."

    def handle(self, *args: Any, **options: Any) -> None:
        demo_setup(progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Dữ liệu đã sẵn sàng."))
        self.stdout.write(f"Tài khoản minh họa (mật khẩu: {DEMO_PASSWORD}):")
        with translation.override("vi"):
            for user in DEMO_USERS:
                role = "Quản trị hệ thống" if user.superuser else Role(user.role).label
                self.stdout.write(f"  {user.username:<20} {role} — {user.full_name}")
