"""mch annual_report PLAN YEAR --user NAME [--background [--follow]] [--out DIR]: generate
the plan's annual report (.docx, Phụ lục 1 .xlsx, PDF) in the user's scope, here or on the
worker's queue; the files are kept with the report and can be written to DIR."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.jobs.management.commands.jobs import follow_job, job_line
from mch.plans.models import Plan
from mch.reporting.annual.generate import GenerationFailed, annual_report_generate
from mch.reporting.annual.jobs import annual_report_enqueue
from mch.reporting.models import AnnualReportFile
from mch.reporting.selectors import annual_report_get, report_years


class Command(BaseCommand):
    help = "Generate a plan's annual report for a year (here, or queued for mch worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="The plan's slug.")
        parser.add_argument("year", type=int)
        parser.add_argument("--user", required=True, help="Whose scope the figures are in.")
        parser.add_argument("--background", action="store_true", help="Queue it for mch worker.")
        parser.add_argument("--follow", action="store_true", help="With --background: wait.")
        parser.add_argument("--out", type=Path, help="Write the kept files to this folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch '{options['plan']}'.")
        year = options["year"]
        if year not in report_years(plan):
            raise CommandError(f"Năm {year} ngoài thời kỳ của kế hoạch.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{options['user']}'.")
        if options["background"]:
            job = annual_report_enqueue(user=user, plan=plan, year=year)
            self.stdout.write(f"Đã xếp hàng: việc #{job.pk} (mch jobs {job.pk} --follow).")
            if options["follow"]:
                follow_job(self, job)
            else:
                self.stdout.write(job_line(job))
        else:
            started = time.monotonic()
            last = [""]

            def say(phase: str, done: int, total: int, message: str) -> None:
                if message != last[0]:
                    self.stdout.write(f"{done:3d}% {phase} — {message}")
                    last[0] = message

            try:
                annual_report_generate(user=user, plan=plan, year=year, progress=say)
            except GenerationFailed as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Xong trong {time.monotonic() - started:.1f} s.")
        if options["out"]:
            self._write(plan, year, options["out"])

    def _write(self, plan: Plan, year: int, folder: Path) -> None:
        report = annual_report_get(plan=plan, year=year)
        files = list(report.files.all()) if report else []
        folder.mkdir(parents=True, exist_ok=True)
        for f in files:
            suffix = "-phu-luc-1" if f.kind == AnnualReportFile.Kind.XLSX else ""
            path = folder / f"bao-cao-{plan.slug}-{year}{suffix}.{f.kind}"
            path.write_bytes(bytes(f.data))
            self.stdout.write(str(path))
