from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.plans.planfile import PlanFileError
from mch.plans.services import plan_check


class Command(BaseCommand):
    help = "Check plan files (format, catalogue codes, units) without writing anything."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, files: list[Path], **options: Any) -> None:
        failed = False
        for path in files:
            try:
                spec = plan_check(content=path.read_bytes())
            except PlanFileError as exc:
                failed = True
                self.stderr.write(f"{path}:")
                for problem in exc.problems:
                    self.stderr.write(f"  {problem}")
                continue
            self.stdout.write(
                f"{path}: hợp lệ — {len(spec.targets)} chỉ tiêu, {len(spec.observations)} giá trị "
                f"thực hiện/cơ sở, {len(spec.tasks)} nhiệm vụ, {len(spec.budget)} dòng kinh phí"
            )
        if failed:
            raise CommandError("Có tệp không hợp lệ.")
