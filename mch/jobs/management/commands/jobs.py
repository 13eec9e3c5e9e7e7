"""mch jobs [ID] [--follow] [--retry]: the jobs and their progress, as the worker stored it."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mch.jobs.models import Job
from mch.jobs.services import job_refresh, job_retry, jobs_reap


def job_line(job: Job) -> str:
    if job.status == Job.Status.RUNNING:
        where = f"{job.percent:3d}% {job.phase}" + (f" — {job.message}" if job.message else "")
    elif job.status == Job.Status.FAILED:
        where = job.failure.splitlines()[0] if job.failure else ""
    else:
        where = ""
    created = job.created_at.strftime("%d/%m/%Y %H:%M")
    return f"#{job.pk:<5} {created}  {job.get_status_display():<16} {job.title}  {where}".rstrip()


class Command(BaseCommand):
    help = "List the jobs (latest first), show one, follow its progress, or run a failed one again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", nargs="?", type=int)
        parser.add_argument("--follow", action="store_true", help="Show progress until it ends.")
        parser.add_argument("--retry", action="store_true", help="Run a failed job again.")
        parser.add_argument("--limit", type=int, default=20)

    def handle(
        self, *args: Any, id: int | None, follow: bool, retry: bool, limit: int, **options: Any
    ) -> None:
        if id is None:
            jobs_reap()
            for job in Job.objects.all()[:limit]:
                self.stdout.write(job_line(job))
            return
        try:
            job = job_refresh(job=Job.objects.get(pk=id))
        except Job.DoesNotExist as error:
            raise CommandError(f"Không có việc #{id}.") from error
        if retry:
            try:
                job = job_retry(job=job)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Đã xếp hàng chạy lại: việc #{job.pk}.")
        self.stdout.write(job_line(job))
        if follow:
            follow_job(self, job)


def follow_job(command: BaseCommand, job: Job, every: float = 1.0) -> Job:
    """Print the job's progress line whenever it changes, until it ends."""
    last = job_line(job)
    while not job.finished:
        time.sleep(every)
        job = job_refresh(job=job)
        line = job_line(job)
        if line != last:
            command.stdout.write(line)
            last = line
    if job.status == Job.Status.FAILED:
        raise CommandError(f"Việc #{job.pk} không hoàn thành.")
    return job
