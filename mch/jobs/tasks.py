"""The one task every job runs through: the queue holds job ids, the Job row the rest."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .services import job_execute


@task()
def job_run(job_id: int) -> Any:
    return job_execute(job_id=job_id)
