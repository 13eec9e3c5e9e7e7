"""Jobs as another app uses them: queue, progress, failure, retry, a dead worker."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mch.jobs.kinds import JobKind
from mch.jobs.models import Job
from mch.jobs.services import JobRun, job_enqueue, job_refresh, job_retry, jobs_reap

COUNT = JobKind(
    title="Đếm",
    phases=("chuẩn bị", "đếm"),
    run=f"{__name__}.count_run",
    abandoned=f"{__name__}.count_abandoned",
)
KIND = f"{__name__}.COUNT"
ABANDONED: list[int] = []


def count_run(run: JobRun, *, n: int, fail: bool = False) -> dict[str, int]:
    run.report("chuẩn bị", 0, 2 * n, "Đang chuẩn bị")
    run.report("đếm", n, message="Đang đếm")
    if fail:
        raise RuntimeError("hỏng giữa chừng")
    return {"counted": n}


def count_abandoned(job: Job) -> None:
    ABANDONED.append(job.pk)


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
both = pytest.mark.django_db(databases=["default", "jobs"])


@both
def test_a_job_runs_and_keeps_its_result(settings) -> None:
    settings.TASKS = IMMEDIATE
    job = job_enqueue(kind=KIND, title="Đếm 5", params={"n": 5})
    assert (job.status, job.phase, job.percent, job.result) == ("done", "đếm", 100, {"counted": 5})
    assert job.worker and job.finished_at is not None


@both
def test_progress_never_goes_back(settings) -> None:
    job = Job.objects.create(kind=KIND, title="Đếm", status=Job.Status.RUNNING)
    run = JobRun(job, COUNT)
    seen = []
    for phase, done, total in [
        ("chuẩn bị", 0, 0),
        ("chuẩn bị", 10, 100),
        ("đếm", 60, 100),
        ("chuẩn bị", 30, 100),  # a late report of an earlier phase
        ("đếm", 20, 100),
        ("đếm", 100, 100),
    ]:
        run.report(phase, done, total)
        run.flush()
        job.refresh_from_db()
        seen.append((job.phase, job.percent))
    assert seen == [
        ("chuẩn bị", 0),
        ("chuẩn bị", 10),
        ("đếm", 60),
        ("đếm", 60),
        ("đếm", 60),
        ("đếm", 99),  # 100 once finished
    ]


@both
def test_a_failed_job_says_why_and_runs_again(settings) -> None:
    settings.TASKS = IMMEDIATE
    failed = job_enqueue(kind=KIND, title="Đếm", params={"n": 3, "fail": True})
    assert failed.status == "failed" and "hỏng giữa chừng" in failed.failure
    assert failed.phase == "đếm" and failed.percent == 50
    Job.objects.filter(pk=failed.pk).update(params={"n": 3})  # what was wrong is put right
    failed.refresh_from_db()
    again = job_retry(job=failed)
    assert again.pk != failed.pk and again.retry_of == failed
    assert (again.status, again.result) == ("done", {"counted": 3})
    with pytest.raises(ValueError):
        job_retry(job=again)


@pytest.mark.django_db(databases=["default", "jobs"], transaction=True)
def test_the_worker_runs_queued_jobs_from_the_database() -> None:
    job = job_enqueue(kind=KIND, title="Đếm 2", params={"n": 2})
    assert job.status == "queued"
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    call_command("worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.result) == ("done", {"counted": 2})
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"


@both
def test_a_job_whose_worker_died_is_marked_failed_once() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    import socket

    job = Job.objects.create(
        kind=KIND,
        title="Đếm",
        status=Job.Status.RUNNING,
        worker=f"{socket.gethostname()}:{gone.pid}",
    )
    Job.objects.filter(pk=job.pk).update(heartbeat_at=job.created_at)
    ABANDONED.clear()
    assert job_refresh(job=job).status == "failed"
    assert "dừng giữa chừng" in job.failure
    assert jobs_reap() == [] and [job.pk] == ABANDONED


@both
def test_a_job_of_a_live_worker_is_left_running() -> None:
    import os
    import socket

    from django.utils import timezone

    job = Job.objects.create(
        kind=KIND,
        title="Đếm",
        status=Job.Status.RUNNING,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        heartbeat_at=timezone.now(),
    )
    assert jobs_reap() == [] and job_refresh(job=job).status == "running"
