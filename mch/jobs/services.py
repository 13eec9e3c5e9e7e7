"""Enqueue, run, retry and reap jobs. Other apps call ``job_enqueue`` and ``job_retry``;
the worker calls ``job_execute`` (through the ``job_run`` task) and ``jobs_reap``."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from typing import Any

from django.db import connections
from django.utils import timezone

from .database import ALIAS
from .kinds import JobKind, kind_of
from .models import Job

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10.0
# A running job whose worker has not been heard of for this long is dead (killed, or its
# machine restarted); on the worker's own machine a vanished process is seen at once.
STALE_AFTER = dt.timedelta(seconds=60)
FLUSH_SECONDS = 0.5
ABANDONED = "Tiến trình xử lý đã dừng giữa chừng (máy chủ khởi động lại hoặc bị dừng): chưa lưu gì."


def job_enqueue(
    *, kind: str, title: str, user: Any = None, subject: str = "", params: dict[str, Any]
) -> Job:
    """Queue a job of ``kind`` (dotted path of a JobKind) for the worker. ``subject`` names
    what it works on (``"registers.importbatch:12"``), for ``job_latest``."""
    kind_of(kind)  # refuse an unknown kind now, not in the worker
    job = Job.objects.create(
        kind=kind,
        title=title[:255],
        subject=subject,
        user_id=getattr(user, "pk", None),
        params=params,
    )
    return _enqueue(job)


def job_retry(*, job: Job) -> Job:
    """Run a failed job again, with the same parameters, as a new job."""
    if job.status != Job.Status.FAILED:
        raise ValueError("Chỉ chạy lại được việc không hoàn thành.")
    again = Job.objects.create(
        kind=job.kind,
        title=job.title,
        subject=job.subject,
        user_id=job.user_id,
        params=job.params,
        retry_of=job,
    )
    return _enqueue(again)


def _enqueue(job: Job) -> Job:
    from .tasks import job_run

    result = job_run.enqueue(job.pk)
    # The immediate backend (tests) has run it already and saved its state.
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


class JobRun:
    """Handed to a job's function: reports progress, one monotonic figure per job.

    ``report`` may be called from any thread (the PostgreSQL import writes from a second
    one); it is written to the database from the job's own thread, at most every
    ``FLUSH_SECONDS`` and at every change of phase."""

    def __init__(self, job: Job, kind: JobKind):
        self.job = job
        self.kind = kind
        self._lock = threading.Lock()
        self._thread = threading.get_ident()
        self._phase = -1
        self._state: dict[str, Any] = {}
        self._dirty = False
        self._flushed = 0.0

    def report(self, phase: str, done: int = 0, total: int = 0, message: str = "") -> None:
        index = self.kind.phases.index(phase)
        with self._lock:
            moved = index > self._phase
            if moved:
                self._phase = index
            state = self._state
            total = total or state.get("total", 0)
            done = max(done, state.get("done", 0))
            if total:
                done = min(done, total)
            # 100% only once finished: the last step (an audit trail, a commit) can take long.
            percent = min(99, int(100 * done / total)) if total else 0
            self._state = {
                "phase": self.kind.phases[self._phase],
                "done": done,
                "total": total,
                "percent": max(percent, state.get("percent", 0)),
                "message": (message or state.get("message", ""))[:300],
            }
            self._dirty = True
        if threading.get_ident() == self._thread and (
            moved or time.monotonic() - self._flushed >= FLUSH_SECONDS
        ):
            self.flush()

    def flush(self, **extra: Any) -> None:
        with self._lock:
            values = {**self._state, **extra} if (self._dirty or extra) else {}
            self._dirty = False
        if values:
            Job.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now(), **values)
            self._flushed = time.monotonic()


class _Heartbeat(threading.Thread):
    """Tells that the worker is alive while the job's function is busy between reports."""

    def __init__(self, job_id: int):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now())
                except Exception:  # the next beat tries again; the job itself goes on
                    log.warning("Heartbeat of job %s failed", self.job_id, exc_info=True)
        finally:
            connections[ALIAS].close()


def job_execute(*, job_id: int) -> Any:
    """Run a queued job in this process (the worker's ``job_run`` task)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, worker=worker_name()
    )
    if not claimed:
        return None  # reaped, or already run
    job = Job.objects.get(pk=job_id)
    kind = kind_of(job.kind)
    run = JobRun(job, kind)
    beat = _Heartbeat(job.pk)
    beat.start()
    try:
        result = kind.runner()(run, **job.params)
    except BaseException as error:
        run.flush(
            status=Job.Status.FAILED,
            failure=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    finally:
        beat.stopped.set()
        beat.join()
    run.flush(
        status=Job.Status.DONE,
        percent=100,
        result=result if isinstance(result, dict) else {"value": result},
        finished_at=timezone.now(),
    )
    return result


def _alive(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: only its heartbeat tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead(job: Job, now: dt.datetime) -> bool:
    if job.status != Job.Status.RUNNING:
        return False
    silent = job.heartbeat_at is None or now - job.heartbeat_at > STALE_AFTER
    return silent or not _alive(job.worker)


def job_refresh(*, job: Job) -> Job:
    """The job as stored now; a running job whose worker is gone is marked failed first."""
    job.refresh_from_db()
    if _dead(job, timezone.now()):
        _abandon(job)
        job.refresh_from_db()
    return job


def jobs_reap() -> list[Job]:
    """Mark failed every running job whose worker is gone (the worker calls this at start)."""
    now = timezone.now()
    dead = [job for job in Job.objects.filter(status=Job.Status.RUNNING) if _dead(job, now)]
    return [job for job in dead if _abandon(job)]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _abandon(job: Job) -> bool:
    now = timezone.now()
    taken = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=job.worker).update(
        status=Job.Status.FAILED, failure=ABANDONED, finished_at=now
    )
    if not taken:
        return False  # it finished meanwhile, or another process reaped it
    if _is_uuid(job.task_id):  # queued through the database backend
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").update(
            status="FAILED", finished_at=now, traceback=ABANDONED
        )
    hook = kind_of(job.kind).on_abandoned()
    if hook is not None:
        job.refresh_from_db()
        hook(job)
    return True
