from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Job


def jobs_for_user(*, user: Any) -> QuerySet[Job]:
    """The jobs a user may see: their own; an administrator sees every job."""
    jobs = Job.objects.all()
    if getattr(user, "is_superuser", False):
        return jobs
    return jobs.filter(user_id=user.pk)


def job_latest(*, subject: str) -> Job | None:
    """The latest job on ``subject`` (a retry comes after the run it retries)."""
    return Job.objects.filter(subject=subject).order_by("-created_at", "-pk").first()
