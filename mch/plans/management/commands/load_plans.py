from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mch.plans.planfile import PlanFileError
from mch.plans.services import plans_load_sources


class Command(BaseCommand):
    help = "Load the plan files shipped in mch/plans/sources/."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plans = plans_load_sources(progress=self.stdout.write)
        except PlanFileError as exc:
            raise CommandError("\n".join(map(str, exc.problems))) from exc
        self.stdout.write(f"Đã nạp {len(plans)} kế hoạch.")
