"""What a kind of job declares: its name, its phases in order, the function that does it.

A kind is a module-level ``JobKind``; a job stores its dotted path, so the worker finds the
function without a registry and a retry runs the same kind again::

    IMPORT = JobKind(
        title="Nhập sổ",
        phases=("đọc tệp", "kiểm tra", "ghi"),
        run="mch.registers.bundle.jobs.import_run",
        abandoned="mch.registers.bundle.jobs.import_abandoned",
    )

``run(job, **params)`` gets a ``JobRun`` (``job.report(phase, done, total, message)``) and
the job's parameters, and returns a JSON-able result. ``abandoned(job)``, if given, is called
when a job is found dead (its worker killed or its machine restarted): the work rolled back
with the worker's connection; the kind marks its own records (an import batch) accordingly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.module_loading import import_string


class Reporter(Protocol):
    def __call__(self, phase: str, done: int, total: int, message: str = "") -> None: ...


@dataclass(frozen=True)
class JobKind:
    title: str
    phases: tuple[str, ...]
    run: str
    abandoned: str = ""

    def runner(self) -> Callable[..., Any]:
        return import_string(self.run)  # type: ignore[no-any-return]

    def on_abandoned(self) -> Callable[[Any], None] | None:
        return import_string(self.abandoned) if self.abandoned else None


def kind_of(path: str) -> JobKind:
    kind = import_string(path)
    if not isinstance(kind, JobKind):
        raise TypeError(f"{path} is not a JobKind")
    return kind
