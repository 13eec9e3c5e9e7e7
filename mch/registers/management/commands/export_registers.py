"""mch export_registers FILE_KEY --user U [--format csv|xlsx] [-o OUT]"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.orgunits.models import OrgUnit
from mch.registers.bundle.exporter import ALL, FORMATS, register_export
from mch.registers.bundle.reader import match_file
from mch.registers.bundle.values import parse_date


class Command(BaseCommand):
    help = (
        "Export a register (persons, pregnancies, … or their Vietnamese names; 'all' for every "
        "one) as the user may see it, in the bundle format import_registers reads."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file_key", help="persons, pregnancies, … (or nguoi, thai_ky, …) or all"
        )
        parser.add_argument("--user", required=True)
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("-o", "--output", type=Path)
        parser.add_argument("--unit", help="only this unit's subtree (unit id)")
        parser.add_argument("--from", dest="start", help="first event date, dd/mm/yyyy")
        parser.add_argument("--to", dest="end", help="last event date, dd/mm/yyyy")
        parser.add_argument("--english", action="store_true", help="English column keys and codes")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["file_key"]
        if key != ALL:
            spec = match_file(key)
            if spec is None:
                raise CommandError(f"Không có sổ '{key}'.")
            key = spec.key
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"Không có tài khoản '{options['user']}'.") from error
        unit = OrgUnit.objects.filter(pk=options["unit"]).first() if options["unit"] else None
        period = None
        if options["start"] or options["end"]:
            period = (
                parse_date(options["start"]) or dt.date.min,
                parse_date(options["end"]) or dt.date.max,
            )
        try:
            export = register_export(
                user=user,
                file_key=key,
                fmt=options["format"],
                unit=unit,
                period=period,
                language="en" if options["english"] else "vi",
            )
        except PermissionDenied as error:
            raise CommandError(str(error) or "Không được phép xuất.") from error
        target = options["output"] or Path(export.filename)
        target.write_bytes(export.content)
        self.stdout.write(f"Đã xuất {export.rows} dòng vào {target}.")
