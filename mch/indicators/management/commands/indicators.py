"""``mch indicators``: indicator values as CSV or JSON, the rows of /api/indicators/values/."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from mch.accounts.models import User
from mch.indicators.query import (
    FIELDS,
    QueryInvalid,
    QueryRefused,
    query_parse,
    query_values,
    value_rows,
)


class Command(BaseCommand):
    help = (
        "In giá trị chỉ số (CSV hoặc JSON) cho một tập chỉ số, đơn vị, kỳ, nhóm dân số và cách "
        "gán đơn vị; cùng các dòng như /api/indicators/values/. Ví dụ: "
        "mch indicators --indicator imr,nmr --unit 56 --period 2025 --by unit"
    )
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicator", required=True, help="mã chỉ số, cách nhau bằng dấu phẩy")
        parser.add_argument(
            "--unit",
            help="mã hoặc số hiệu đơn vị, cách nhau bằng dấu phẩy (mặc định: đơn vị của --user)",
        )
        parser.add_argument(
            "--period",
            required=True,
            help="2026, 2026-Q1, 2026-03, 2026-6M, 2026-9M hoặc 2021..2025",
        )
        parser.add_argument("--group", help="nhóm dân số, cách nhau bằng dấu phẩy (mặc định: all)")
        parser.add_argument("--attribution", choices=["residence", "service"], default="residence")
        parser.add_argument("--by", help="unit (từng xã), group (từng nhóm) hoặc unit,group")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "--user", help="tên đăng nhập: chỉ các đơn vị người này được xem (mặc định: tất cả)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng '{options['user']}'")
        else:
            user = User(username="mch-cli", is_superuser=True, is_active=True)
        params = {key: options.get(key) for key in ("indicator", "unit", "period", "group", "by")}
        params["attribution"] = options["attribution"]
        try:
            query = query_parse(user=user, params=params)
        except QueryInvalid as invalid:
            lines = [
                f"--{key}: {message}"
                for key, messages in invalid.errors.items()
                for message in messages
            ]
            raise CommandError("\n".join(lines)) from None
        except QueryRefused as refused:
            raise CommandError(str(refused)) from None
        rows = value_rows(query_values(user=user, query=query))
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
