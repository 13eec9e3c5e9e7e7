from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mch.mpdsr.registry import FormsError
from mch.mpdsr.services import forms_load


class Command(BaseCommand):
    help = "Nạp tệp biểu mẫu giám sát tử vong mẹ (M1, M2, M5, danh mục); tạo phiên bản mới khi tệp thay đổi."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "path", nargs="?", help="tệp YAML (mặc định: mch/mpdsr/forms/mpdsr.yaml)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            version = forms_load(path=options.get("path"))
        except FormsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Biểu mẫu giám sát tử vong mẹ: phiên bản {version.number}")
