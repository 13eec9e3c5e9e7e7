import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.plans.models import Plan
from mch.plans.services import plan_export


class Command(BaseCommand):
    help = "Export a plan with all its targets as JSON (plan-file format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--output", "-o", type=Path, help="File to write (default: stdout)")

    def handle(self, *args: Any, slug: str, output: Path | None, **options: Any) -> None:
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch '{slug}'.")
        text = json.dumps(plan_export(plan=plan), ensure_ascii=False, indent=2)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
