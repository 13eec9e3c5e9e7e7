"""The annual report's generation as a job of the worker (``mch.jobs``): queued by the annual
report page and by ``mch annual_report --background``; its progress is polled by the page
and followed by ``mch jobs ID --follow``. The files are kept with the report
(``AnnualReportFile``) once the job is done; a failed job says why in Vietnamese."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from mch.jobs.kinds import JobKind
from mch.jobs.models import Job
from mch.jobs.selectors import job_latest
from mch.jobs.services import JobRun, job_enqueue, job_refresh
from mch.plans.models import Plan

from .generate import PHASES, GenerationFailed, annual_report_generate

GENERATE = JobKind(
    title="Tạo báo cáo năm",
    phases=PHASES,
    run="mch.reporting.annual.jobs.generate_run",
)
KIND = f"{__name__}.GENERATE"


def subject(plan: Plan, year: int) -> str:
    return f"reporting.annual:{plan.pk}:{year}"


def annual_report_enqueue(*, user: Any, plan: Plan, year: int) -> Job:
    """Queue the generation of ``plan``'s report for ``year`` as ``user`` (whose scope the
    figures are computed in). A generation already queued or running is returned as is."""
    current = generation_job(plan, year)
    if current is not None and not current.finished:
        return current
    return job_enqueue(
        kind=KIND,
        title=f"Báo cáo năm {year}: {plan.slug}",
        user=user,
        subject=subject(plan, year),
        params={"plan_id": plan.pk, "year": year, "user_id": user.pk},
    )


def generation_job(plan: Plan, year: int) -> Job | None:
    """The latest generation of this report, checked for a dead worker."""
    job = job_latest(subject=subject(plan, year))
    return job_refresh(job=job) if job is not None else None


def failure_text(job: Job) -> str:
    """The failure as a user reads it: the Vietnamese reason, without the exception's name."""
    first = job.failure.splitlines()[0] if job.failure else ""
    prefix = f"{GenerationFailed.__name__}: "
    if first.startswith(prefix):
        return first[len(prefix) :]
    if first and ":" in first.split(" ")[0]:
        return f"Lỗi hệ thống ({first[:300]})."
    return first or "Không rõ lý do."


def generate_run(run: JobRun, *, plan_id: int, year: int, user_id: int) -> dict[str, Any]:
    try:
        plan = Plan.objects.get(pk=plan_id)
        user = get_user_model().objects.get(pk=user_id)
    except (Plan.DoesNotExist, get_user_model().DoesNotExist) as error:
        raise GenerationFailed("Kế hoạch hoặc người yêu cầu không còn trong hệ thống.") from error
    files = annual_report_generate(
        user=user,
        plan=plan,
        year=year,
        progress=lambda phase, done, total, message: run.report(phase, done, total, message),
    )
    return {kind: {"id": f.pk, "bytes": len(bytes(f.data))} for kind, f in files.items()}
