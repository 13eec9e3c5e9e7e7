"""How far running imports have got, for the page that polls them.

The import writes in one transaction, and on SQLite a second connection could not even
update the batch row while that transaction holds the write lock. So the import thread
reports here, in memory, and writes ``ImportBatch.rows_done`` only between its phases
(outside the transaction). A page served by the same process reads the live figure; a
page served by another process falls back to the batch row.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    message: str

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


_lock = threading.Lock()
_running: dict[int, Progress] = {}


def report(batch_id: int, done: int, total: int, message: str) -> None:
    with _lock:
        _running[batch_id] = Progress(done, total, message)


def current(batch_id: int) -> Progress | None:
    with _lock:
        return _running.get(batch_id)


def finish(batch_id: int) -> None:
    with _lock:
        _running.pop(batch_id, None)
