"""mch generate_registers (--province CODE | --synthetic [N]) -o DIR [options] [--import]"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mch.registers.synthetic import KINDS, Options
from mch.registers.synthetic.services import synthetic_generate


def _date(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as error:
        raise CommandError(f"Ngày không hợp lệ: {value} (dd/mm/yyyy).") from error


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Generate synthetic registers (women, pregnancies, births, children's care, deaths) "
        "for a province as an import bundle of CSV files, with data-entry errors at a given "
        "rate; same seed and --as-of, same files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--province", help="code of a province of the database (e.g. 56)")
        where.add_argument(
            "--synthetic",
            type=int,
            nargs="?",
            const=1,
            metavar="N",
            help="synthetic province S<N> (default 1), created when missing",
        )
        parser.add_argument(
            "--communes", type=int, default=200, help="communes of a new synthetic province"
        )
        parser.add_argument(
            "--commune", action="append", default=[], help="only these communes (repeat)"
        )
        parser.add_argument("--births-per-year", type=int, default=25_000)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--end-year", type=int, default=None, help="default: this year")
        parser.add_argument("--as-of", type=_date, default=None, help="dd/mm/yyyy, default today")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--error-rate", type=float, default=0.005)
        parser.add_argument("--id-prefix", default="", help="default S<seed>-<province>")
        parser.add_argument("-o", "--output", type=Path, required=True, help="output folder")
        parser.add_argument("--import", dest="load", action="store_true", help="then import it")
        parser.add_argument("--user", help="import as this user (default: the system)")
        parser.add_argument("--keep-valid", action="store_true", help="import the valid rows only")

    def handle(self, *args: Any, **o: Any) -> None:
        today = timezone.localdate()
        as_of = o["as_of"] or today
        end_year = o["end_year"] or as_of.year
        if not 0 <= o["error_rate"] < 1 or o["births_per_year"] < 1 or o["years"] < 1:
            raise CommandError("--error-rate phải trong [0, 1); số ca đẻ và số năm phải dương.")
        options = Options(
            as_of=as_of,
            births_per_year=o["births_per_year"],
            years=o["years"],
            end_year=end_year,
            seed=o["seed"],
            error_rate=o["error_rate"],
            id_prefix=o["id_prefix"],
        )
        try:
            manifest = synthetic_generate(
                directory=o["output"],
                options=options,
                province=o["province"] or "",
                synthetic=o["synthetic"],
                communes=o["communes"],
                only=o["commune"],
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except (ValueError, LookupError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest.rows.values())
        self.stdout.write(
            f"Đã tạo {_number(rows)} dòng trong {o['output']} ({manifest.seconds:.1f} giây):"
        )
        for key, count in manifest.rows.items():
            self.stdout.write(f"  {key:<20} {_number(count):>12}")
        self.stdout.write(f"Lỗi nhập liệu cố ý: {_number(manifest.total_errors)} (manifest.json)")
        for kind, count in manifest.error_counts.items():
            self.stdout.write(f"  {kind:<20} {_number(count):>8}  {KINDS[kind][1]}")
        if o["load"]:
            self._import(o["output"], o["user"], o["keep_valid"], as_of)
            from mch.registers.synthetic.mpdsr import mpdsr_generate

            mpdsr_generate(
                province=o["province"] or f"S{o['synthetic']}",
                today=as_of,
                seed=o["seed"],
                progress=lambda message: self.stdout.write(f"  {message}"),
            )

    def _import(self, path: Path, username: str | None, keep_valid: bool, as_of: dt.date) -> None:
        from mch.registers.bundle.importer import bundle_import

        user = None
        if username:
            try:
                user = get_user_model().objects.get(username=username)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"Không có tài khoản '{username}'.") from error
        last = [-1]

        def progress(phase: str, done: int, total: int, message: str) -> None:
            percent = int(100 * done / total) if total else 0
            if percent // 10 != last[0]:
                last[0] = percent // 10
                self.stdout.write(f"  {percent:3d}% {phase} — {message}")

        result = bundle_import(
            source=path,
            user=user,
            keep_valid_rows=keep_valid,
            progress=progress,
            today=max(as_of, timezone.localdate()),
        )
        self.stdout.write(f"Nhập: {result.summary()}.")
        if result.rejected:
            for error in result.errors[:20]:
                self.stdout.write(f"  ✗ {error}")
            raise CommandError(
                f"{len(result.errors)} lỗi: không lưu gì (lô nhập #{result.batch.pk}); "
                "dùng --keep-valid để chỉ nhập các dòng hợp lệ."
            )
