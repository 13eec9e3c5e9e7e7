"""Rebuilding stored indicator cells as a job of the worker (``mch.jobs``).

Queued by ``mch rebuild_indicators`` (which then follows its progress) and by
``mch load_catalogue`` for the versions a changed catalogue created. The versions read
``building`` from the moment the job is queued: values are computed from the records
meanwhile and pages say "đang tính lại" (``values.indicator_values`` notes it); the
progress is the job's (``rebuild_progress``), a year of records at a time.
"""

from __future__ import annotations

from typing import Any

from mch.jobs.kinds import JobKind
from mch.jobs.models import Job
from mch.jobs.services import JobRun, job_enqueue, job_refresh

from .models import AggregateState, IndicatorVersion

PHASES = ("tính theo năm", "cập nhật thay đổi")
REBUILD = JobKind(
    title="Tính lại chỉ số",
    phases=PHASES,
    run="mch.indicators.jobs.rebuild_run",
)
KIND = f"{__name__}.REBUILD"
SUBJECT = "indicators.rebuild"


def _subject(version_ids: list[int]) -> str:
    return "indicators.versions:," + ",".join(map(str, version_ids)) + ","


def rebuild_enqueue(*, versions: list[IndicatorVersion] | None = None, user: Any = None) -> Job:
    """Queue a rebuild of ``versions`` (None: the latest version of every indicator). The
    versions read ``building`` at once; the job's subject names them for the pages."""
    from .adapter.aggregates import _latest_versions

    chosen = versions if versions is not None else _latest_versions()
    chosen = [v for v in chosen if v.compute]
    for version in chosen:
        AggregateState.objects.update_or_create(
            version_id=version.pk,
            defaults={"status": AggregateState.Status.BUILDING, "progress": 0},
        )
    codes = ", ".join(sorted(v.indicator.code for v in chosen))
    title = "Tính lại mọi chỉ số" if versions is None else f"Tính lại chỉ số: {codes}"
    ids = [v.pk for v in chosen]
    subject = SUBJECT if versions is None or len(_subject(ids)) > 100 else _subject(ids)
    actor = user if getattr(user, "is_authenticated", False) else None
    return job_enqueue(
        kind=KIND,
        title=title,
        user=actor,
        subject=subject,
        params={"version_ids": None if versions is None else ids},
    )


def rebuild_run(run: JobRun, *, version_ids: list[int] | None) -> dict[str, Any]:
    from .adapter.aggregates import aggregates_rebuild

    versions = (
        None
        if version_ids is None
        else list(IndicatorVersion.objects.filter(pk__in=version_ids).select_related("indicator"))
    )

    def progress(done: int, total: int, year: str) -> None:
        phase = PHASES[0] if year.isdigit() else PHASES[1]
        run.report(phase, done, total, f"năm {year}" if year.isdigit() else year)

    written = aggregates_rebuild(versions=versions, progress=progress)
    return {"cells": written}


def rebuild_progress(version: IndicatorVersion) -> Job | None:
    """The running or queued rebuild job that covers ``version``, if any."""
    state = AggregateState.objects.filter(version=version).first()
    if state is None or state.status != AggregateState.Status.BUILDING:
        return None
    unfinished = Job.objects.filter(kind=KIND).exclude(
        status__in=[Job.Status.DONE, Job.Status.FAILED]
    )
    for job in unfinished.order_by("-pk"):
        if job.subject == SUBJECT or f",{version.pk}," in job.subject:
            job = job_refresh(job=job)
            return None if job.finished else job
    return None


def rebuild_note(version: IndicatorVersion | None) -> str:
    """What a page says while ``version`` is being rebuilt ("" when it is not): the job's
    progress when one is queued or running."""
    from django.utils.translation import gettext

    if version is None:
        return ""
    state = AggregateState.objects.filter(version=version).first()
    if state is None or state.status != AggregateState.Status.BUILDING:
        return ""
    job = rebuild_progress(version)
    text = gettext("Being rebuilt: values are computed from the registers meanwhile")
    if job is None:
        return f"{text}."
    if job.status == Job.Status.QUEUED:
        return f"{text} ({gettext('job')} #{job.pk}, {job.get_status_display().lower()})."
    return f"{text} ({gettext('job')} #{job.pk}: {job.percent}% — {job.phase})."
