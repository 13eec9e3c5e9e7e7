"""The import as a job: queued from the command line, and a worker killed in the middle of
writing (a real process, SIGKILL) leaves nothing written and the import can be run again."""

# ruff: noqa: S603, S608 - child processes of this test, SQL of constant ids
from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from mch.jobs.models import Job
from mch.registers.bundle.jobs import import_job, register_import_enqueue
from mch.registers.models import ImportBatch, Person

from .bundle_helpers import basic_files, write_bundle

ROOT = Path(__file__).resolve().parents[3]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(databases=["default", "jobs"])
def test_the_command_queues_the_import_and_shows_its_progress(rw, tmp_path, settings) -> None:
    settings.TASKS = IMMEDIATE
    settings.VAR_DIR = tmp_path / "var"
    folder = write_bundle(tmp_path / "bundle", basic_files())
    out = io.StringIO()
    call_command(
        "import_registers", str(folder), "--user", rw.staff.username, "--background", stdout=out
    )
    job = Job.objects.get()
    assert f"Đã xếp hàng: việc #{job.pk}" in out.getvalue()
    assert ImportBatch.objects.get().status == "done" and Person.objects.count() == 2
    shown = io.StringIO()
    call_command("jobs", str(job.pk), stdout=shown)
    assert "Xong" in shown.getvalue() and "Nhập sổ: bundle" in shown.getvalue()
    assert not any((settings.VAR_DIR / "job-files").iterdir())  # the kept copy is removed


def _subprocess_env(tmp_path: Path) -> tuple[dict[str, str], Path | None]:
    """Point child processes at this test's databases: PostgreSQL's test database as it
    is; SQLite's in-memory test databases copied to files."""
    env = {**os.environ, "MCH_VAR_DIR": str(tmp_path / "var")}
    default = connections["default"]
    if default.vendor == "sqlite":
        file = tmp_path / "db.sqlite3"
        for alias, target in (("default", file), ("jobs", tmp_path / "db-jobs.sqlite3")):
            connections[alias].ensure_connection()
            with closing(sqlite3.connect(target)) as copy:
                connections[alias].connection.backup(copy)
        env["DATABASE_URL"] = f"sqlite:///{file}"
        return env, file
    s = default.settings_dict
    env["DATABASE_URL"] = (
        f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    )
    return env, None


def _all(file: Path | None, sql: str, *, jobs: bool = False) -> list[tuple]:
    """Rows as the child processes left them (read outside Django on SQLite's files)."""
    if file is None:
        with connections["default"].cursor() as cursor:
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]
    target = file.with_name("db-jobs.sqlite3") if jobs else file
    with closing(sqlite3.connect(target)) as db:
        return db.execute(sql).fetchall()


def _one(file: Path | None, sql: str, *, jobs: bool = False) -> tuple:
    return _all(file, sql, jobs=jobs)[0]


@pytest.mark.django_db(databases=["default", "jobs"], transaction=True)
def test_a_worker_killed_while_writing_leaves_nothing_and_the_import_runs_again(
    rw, tmp_path, settings
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    folder = write_bundle(tmp_path / "bundle", basic_files())
    batch = register_import_enqueue(user=rw.staff, file_name="bundle", path=folder)
    job = import_job(batch)
    env, file = _subprocess_env(tmp_path)
    marker = tmp_path / "inserted"
    python = [sys.executable]
    worker = subprocess.Popen(
        [*python, "-m", "mch.registers.tests.slow_worker", str(marker)], cwd=ROOT, env=env
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), "the worker never started writing"
        running = _one(file, f"SELECT status, phase FROM jobs_job WHERE id = {job.pk}", jobs=True)
        assert running[0] == "running" and running[1] in ("kiểm tra", "ghi")
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()
    assert marker.read_text().startswith("registers.Person")  # rows were in, uncommitted
    assert _one(file, "SELECT COUNT(*) FROM registers_person") == (0,)
    assert _one(file, f"SELECT status FROM registers_importbatch WHERE id = {batch.pk}")[0] in (
        "checking",
        "importing",
    )

    retried = subprocess.run(
        [*python, "manage.py", "jobs", str(job.pk), "--retry"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Đã xếp hàng chạy lại" in retried.stdout
    subprocess.run(
        [*python, "manage.py", "worker", "--batch", "--interval", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert _one(file, "SELECT COUNT(*) FROM registers_person") == (2,)
    assert _one(file, "SELECT COUNT(*) FROM registers_pregnancy") == (1,)
    assert _one(file, f"SELECT status FROM registers_importbatch WHERE id = {batch.pk}") == (
        "done",
    )
    jobs = _all(file, "SELECT status, retry_of_id FROM jobs_job ORDER BY id", jobs=True)
    assert jobs == [("failed", None), ("done", job.pk)]
