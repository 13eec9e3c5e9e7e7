"""The import as a job of the worker (``mch.jobs``): queued by the import page and by
``mch import_registers --background``, retried from either.

The uploaded file is kept under ``VAR_DIR/job-files/`` until the import has run (a failed
run keeps it, so it can be run again); the batch is created when the job is queued, so the
page can show it at once, and reset when a retry starts.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import get_valid_filename

from mch.jobs.kinds import JobKind
from mch.jobs.models import Job
from mch.jobs.selectors import job_latest
from mch.jobs.services import ABANDONED, JobRun, job_enqueue, job_refresh, job_retry

from ..models import ImportBatch
from .importer import PHASES, bundle_import

IMPORT = JobKind(
    title="Nhập sổ",
    phases=PHASES,
    run="mch.registers.bundle.jobs.import_run",
    abandoned="mch.registers.bundle.jobs.import_abandoned",
)
KIND = f"{__name__}.IMPORT"


def _files() -> Path:
    return Path(settings.VAR_DIR) / "job-files"


def subject(batch: ImportBatch) -> str:
    return f"registers.importbatch:{batch.pk}"


def register_import_enqueue(
    *,
    user: Any,
    file_name: str,
    content: bytes | None = None,
    path: Path | None = None,
    keep_valid_rows: bool = False,
) -> ImportBatch:
    """Keep the file (an upload's ``content``, or a copy of ``path``) and queue its import
    as ``user`` (None: the system). Returns the batch, still waiting for the worker."""
    folder = _files() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    name = get_valid_filename(Path(file_name).name) or "tep"
    stored = folder / name
    if path is not None and path.is_dir():
        shutil.copytree(path, stored)
    elif path is not None:
        shutil.copyfile(path, stored)
    else:
        stored.write_bytes(content or b"")
    actor = user if getattr(user, "is_authenticated", False) else None
    batch = ImportBatch.objects.create(
        created_by=actor, file_name=file_name[:255], keep_valid_rows=keep_valid_rows
    )
    job_enqueue(
        kind=KIND,
        title=f"Nhập sổ: {file_name}",
        user=actor,
        subject=subject(batch),
        params={
            "batch_id": batch.pk,
            "path": str(stored),
            "user_id": getattr(actor, "pk", None),
            "keep_valid_rows": keep_valid_rows,
        },
    )
    return batch


def import_job(batch: ImportBatch) -> Job | None:
    """The batch's latest job, checked for a dead worker (None: imported without the queue)."""
    job = job_latest(subject=subject(batch))
    return job_refresh(job=job) if job is not None else None


def can_retry(batch: ImportBatch, job: Job | None) -> bool:
    return (
        job is not None
        and job.status == Job.Status.FAILED
        and batch.status == ImportBatch.Status.FAILED
        and Path(job.params.get("path", "")).exists()
    )


def register_import_retry(*, batch: ImportBatch) -> Job:
    """Queue a failed import again, on the same batch and the same file."""
    job = import_job(batch)
    if job is None or not can_retry(batch, job):
        raise ValueError("Lần nhập này không chạy lại được.")
    return job_retry(job=job)


def import_run(
    run: JobRun, *, batch_id: int, path: str, user_id: int | None, keep_valid_rows: bool
) -> dict[str, Any]:
    batch = ImportBatch.objects.get(pk=batch_id)
    # A retry starts the batch afresh: the failed run wrote nothing.
    batch.status = ImportBatch.Status.CHECKING
    batch.finished_at = None
    batch.report = {}
    batch.rows_done = batch.rows_created = batch.rows_unchanged = batch.rows_rejected = 0
    batch.save()
    user = get_user_model().objects.get(pk=user_id) if user_id else None
    try:
        result = bundle_import(
            source=Path(path),
            user=user,
            keep_valid_rows=keep_valid_rows,
            batch=batch,
            progress=run.report,
        )
    except BaseException:
        ImportBatch.objects.filter(
            pk=batch_id, status__in=(ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING)
        ).update(status=ImportBatch.Status.FAILED, finished_at=timezone.now())
        raise
    shutil.rmtree(Path(path).parent, ignore_errors=True)
    return {"batch_id": batch_id, "status": result.status, "summary": result.summary()}


def import_abandoned(job: Job) -> None:
    """The worker died during the import, which rolled back with its connection."""
    ImportBatch.objects.filter(
        pk=job.params["batch_id"],
        status__in=(ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING),
    ).update(
        status=ImportBatch.Status.FAILED,
        finished_at=timezone.now(),
        report={"failure": ABANDONED},
    )
