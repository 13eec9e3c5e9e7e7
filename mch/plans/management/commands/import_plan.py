from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.plans.planfile import PlanFileError
from mch.plans.services import plan_import


class Command(BaseCommand):
    help = "Import a plan file (all or nothing); a plan with the same slug is replaced."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            plan = plan_import(content=file.read_bytes(), filename=file.name)
        except PlanFileError as exc:
            raise CommandError(
                "Không nhập được kế hoạch:\n" + "\n".join(map(str, exc.problems))
            ) from exc
        self.stdout.write(
            f"Đã nhập '{plan.slug}': {plan.targets.count()} chỉ tiêu, {plan.observations.count()} "
            f"giá trị, {plan.tasks.count()} nhiệm vụ."
        )
