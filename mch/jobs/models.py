from __future__ import annotations

from django.db import models


class Job(models.Model):
    """One run of a long piece of work: what it is, who asked, how far it got.

    Lives behind the jobs alias (``database.py``), so its progress is committed while the
    work's own transaction is open. ``user_id`` is a plain id: on SQLite this table is in
    another file than the users."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Xong"
        FAILED = "failed", "Không hoàn thành"

    kind = models.CharField(max_length=200)  # dotted path of its JobKind
    title = models.CharField(max_length=255)
    # What the job works on, for its page to find it: "<app>.<model>:<pk>".
    subject = models.CharField(max_length=100, blank=True, db_index=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    # One progress per job: the phase it is in (one of its kind's, in order) and done/total
    # counted over the whole job; neither goes back.
    phase = models.CharField(max_length=40, blank=True)
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    failure = models.TextField(blank=True)
    worker = models.CharField(max_length=120, blank=True)  # host:pid of the process running it
    task_id = models.CharField(max_length=64, blank=True)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
