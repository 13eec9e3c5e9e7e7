"""Bulk import of a bundle: every row checked, then all or nothing (or only the valid rows,
when the user asks), in one transaction.

    result = bundle_import(source=path, user=user)

Steps: read the files (``reader``), parse and check every row with the registers' rules
(``checks``), then, unless a row was rejected and ``keep_valid_rows`` is off, write the
new rows with ``bulk_create`` and the changed ones with ``bulk_update`` in chunks. A row
whose ``id`` is already stored with the same values is left alone, so importing the
same file twice changes nothing; a row whose values changed updates the record and is
audited with the changed columns. The batch gets one audit entry with its counts.

Progress: ``progress(phase, done, total, message)`` is called after each file checked and
each chunk written, with one figure for the whole import that never goes back: ``phase`` is
one of ``PHASES``, ``done`` counts rows checked plus rows written against ``total``, twice the
rows (on PostgreSQL both advance together). Run as a job (``jobs.py``) it is stored where any
process reads it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gc
import hashlib
import queue
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from mch.accounts.permissions import can_see_people

from ..models import AuditAction, AuditEntry, ImportBatch, Residence, Source
from ..services import residences
from ..services.write_scope import WriteScope
from . import fastinsert
from .checks import MODELS, Checker
from .reader import Bundle, Spill, read_bundle, source_name
from .reader import Source as BundleSource
from .rows import CREATED, REJECTED, UNCHANGED, UPDATED, Record, Row, file_label
from .spec import BY_KEY, ORDER

CHUNK = 2000
MAX_STORED_ERRORS = 2000

READ, CHECK, WRITE = PHASES = ("đọc tệp", "kiểm tra", "ghi")
Progress = Callable[[str, int, int, str], None]


@dataclass(frozen=True)
class RowError:
    """A rejected row (or a whole file when ``row`` is 0), with the reason in Vietnamese."""

    file: str
    row: int
    column: str
    message: str
    id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "id": self.id,
        }

    def __str__(self) -> str:
        where = f"{self.file}, dòng {self.row}" if self.row else self.file
        column = f", cột {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class FileCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected


@dataclass
class ImportResult:
    batch: ImportBatch
    counts: dict[str, FileCounts] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.batch.status

    @property
    def rejected(self) -> bool:
        return self.batch.status == ImportBatch.Status.REJECTED

    def count(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.counts.values())

    @property
    def rows_total(self) -> int:
        return sum(c.total for c in self.counts.values())

    def summary(self) -> str:
        parts = [
            f"{self.rows_total:,} dòng".replace(",", "."),
            f"{self.count('created'):,} thêm mới".replace(",", "."),
            f"{self.count('updated'):,} cập nhật".replace(",", "."),
            f"{self.count('unchanged'):,} không đổi".replace(",", "."),
            f"{self.count('rejected'):,} bị từ chối".replace(",", "."),
        ]
        return ", ".join(parts)


def _sha256(source: BundleSource) -> str:
    if isinstance(source, tuple):
        return hashlib.sha256(source[1]).hexdigest()
    path = Path(source)
    if path.is_file():
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    return ""


def _counts(checker: Checker | None) -> dict[str, FileCounts]:
    counts: dict[str, FileCounts] = {}
    if checker is None:
        return counts
    for key in ORDER:
        rows = checker.rows[key]
        if not rows:
            continue
        found = FileCounts()
        for row in rows:
            if row.status == CREATED:
                found.created += 1
            elif row.status == UPDATED:
                found.updated += 1
            elif row.status == UNCHANGED:
                found.unchanged += 1
            else:
                found.rejected += 1
        counts[key] = found
    for key, streamed in checker.streamed_counts.items():
        if sum(streamed.values()):
            counts[key] = FileCounts(**streamed)
    return {key: counts[key] for key in ORDER if key in counts}


def _errors(bundle: Bundle, checker: Checker | None) -> list[RowError]:
    errors = [RowError(p.file, p.row, p.column, p.message) for p in bundle.problems]
    if checker is None:
        return errors
    for key in ORDER:
        table = bundle.tables.get(key)
        name = table.name if table is not None else BY_KEY[key].name_vi
        for row in checker.rows[key]:
            for column, message in row.errors:
                errors.append(
                    RowError(name, row.number, checker.label(key, column), message, row.id)
                )
        for number, column, message, ident in checker.streamed_errors.get(key, ()):
            errors.append(RowError(name, number, column, message, ident))
    return errors


def bundle_import(
    *,
    source: BundleSource,
    user: Any,
    keep_valid_rows: bool = False,
    progress: Progress | None = None,
    batch: ImportBatch | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Check and import a bundle (see the module docstring). ``user`` None is the system
    (a command run without --user): every unit is in scope."""
    if user is not None and not can_see_people(user):
        if batch is not None:
            batch.status = ImportBatch.Status.FAILED
            batch.finished_at = timezone.now()
            batch.report = {"failure": "Tài khoản này không được nhập sổ của người dân."}
            batch.save(update_fields=["status", "finished_at", "report"])
        raise PermissionDenied("Tài khoản này không được nhập sổ của người dân.")
    writer = WriteScope.for_user(user)
    today = today or timezone.localdate()
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    if batch is None:
        batch = ImportBatch.objects.create(
            created_by=actor,
            file_name=source_name(source)[:255],
            keep_valid_rows=keep_valid_rows,
        )
    batch.sha256 = _sha256(source)
    batch.status = ImportBatch.Status.CHECKING
    batch.save(update_fields=["sha256", "status"])
    notify = _Notifier(progress)
    # Hundreds of thousands of small objects live until the end: the cyclic collector
    # would walk them again and again (they hold no cycles), so it waits for the end.
    collecting = gc.isenabled()
    gc.disable()
    bundle: Bundle | None = None

    def bundle_close() -> None:
        if bundle is not None:
            bundle.close()

    try:
        notify.reading()
        bundle = read_bundle(source)
        notify.total = bundle.rows_total
        batch.rows_total = bundle.rows_total
        batch.save(update_fields=["rows_total"])
        if bundle.problems:
            errors = _errors(bundle, None)
            _finish(batch, ImportBatch.Status.REJECTED, {}, errors, user=actor)
            return ImportResult(batch, {}, errors)
        checker = Checker(bundle, writer=writer, today=today, progress=notify.checked)
        writer = _Writer(checker, batch, actor, notify, keep_valid_rows=keep_valid_rows)
        checker.chunk_checked = writer.chunk_checked
        errors, counts = [], {}
        try:
            if writer.early:
                # PostgreSQL: files are written while later ones are still checked, in the
                # one transaction, which a rejected row rolls back.
                with transaction.atomic():
                    try:
                        writer.start()
                        checker.run(after=writer.file_checked)
                        notify.checks_done()
                        errors, counts = _errors(bundle, checker), _counts(checker)
                        if errors and not keep_valid_rows:
                            raise _Rejected
                        writer.finish()
                        _finish(batch, ImportBatch.Status.DONE, counts, errors, user=actor)
                    except BaseException:
                        writer.stop(cancel=True)  # the insert thread ends before the rollback
                        raise
            else:
                # SQLite: checking holds no lock; the writing transaction comes after.
                checker.run()
                notify.checks_done()
                errors, counts = _errors(bundle, checker), _counts(checker)
                if errors and not keep_valid_rows:
                    raise _Rejected
                batch.status = ImportBatch.Status.IMPORTING
                batch.rows_done = batch.rows_total // 2
                batch.save(update_fields=["status", "rows_done"])
                with transaction.atomic():
                    writer.finish()
                    _finish(batch, ImportBatch.Status.DONE, counts, errors, user=actor)
        except _Rejected:
            _finish(batch, ImportBatch.Status.REJECTED, counts, errors, user=actor)
        finally:
            writer.stop()
        return ImportResult(batch, counts, errors)
    except Exception as error:
        bundle_close()
        batch.status = ImportBatch.Status.FAILED
        batch.finished_at = timezone.now()
        batch.report = {"failure": f"{type(error).__name__}: {error}"[:500]}
        batch.save(update_fields=["status", "finished_at", "report"])
        raise
    finally:
        bundle_close()
        if collecting:
            gc.enable()


class _Rejected(Exception):
    """A row was rejected and the user wants all or nothing: roll back what was written."""


class _Notifier:
    """One progress for the whole import: rows checked and rows written, against twice the
    rows. Writing overlaps checking on PostgreSQL; the phase says checking until it ends."""

    def __init__(self, callback: Progress | None):
        self.callback = callback
        self.total = 0
        self.checked_rows = 0
        self.written_rows = 0
        self.checking = True
        self.last_check = ""
        self.lock = threading.Lock()

    def _send(self, phase: str, message: str) -> None:
        if self.callback is not None:
            with self.lock:
                done = self.checked_rows + self.written_rows
            self.callback(phase, done, 2 * self.total, message)

    def reading(self) -> None:
        self._send(READ, "Đang đọc tệp")

    def checked(self, done: int, total: int, message: str) -> None:
        with self.lock:
            self.checked_rows = max(self.checked_rows, done)
            self.last_check = message
        self._send(CHECK, message)

    def written(self, done: int, message: str) -> None:
        with self.lock:
            self.written_rows = max(self.written_rows, done)
        if self.checking:  # PostgreSQL: the checking of later files is what the user waits on
            self._send(CHECK, self.last_check)
        else:
            self._send(WRITE, message)

    def checks_done(self) -> None:
        with self.lock:
            self.checked_rows = self.total
        self.checking = False


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _finish(
    batch: ImportBatch,
    status: str,
    counts: dict[str, FileCounts],
    errors: list[RowError],
    *,
    user: Any,
) -> None:
    batch.status = status
    batch.finished_at = timezone.now()
    written = status == ImportBatch.Status.DONE
    batch.rows_done = batch.rows_total if written else batch.rows_total // 2
    batch.rows_created = sum(c.created for c in counts.values()) if written else 0
    batch.rows_unchanged = sum(c.unchanged for c in counts.values())
    batch.rows_rejected = sum(c.rejected for c in counts.values())
    batch.report = {
        "counts": {key: vars(c) for key, c in counts.items()},
        "errors": [e.as_dict() for e in errors[:MAX_STORED_ERRORS]],
        "errors_total": len(errors),
        "rows_with_errors": sum(c.rejected for c in counts.values()),
    }
    batch.save()
    total = {
        name: sum(getattr(c, name) for c in counts.values())
        for name in ("created", "updated", "unchanged", "rejected")
    }
    note = (
        f"Nhập {batch.file_name}: {total['created']} thêm, {total['updated']} cập nhật, "
        f"{total['unchanged']} không đổi, {total['rejected']} từ chối"
        if written
        else f"Từ chối {batch.file_name}: {len(errors)} lỗi, không lưu gì"
    )
    if written:
        from mch.indicators.adapter.aggregates import cells_touch_batch

        cells_touch_batch(batch.pk)
    AuditEntry.objects.create(
        user=user,
        action=AuditAction.IMPORT,
        model="importbatch",
        object_id=batch.pk,
        changes={"status": status, **total},
        note=note[:300],
        import_batch=batch,
    )


PARENTS = ("persons", "pregnancies", "antenatal_visits", "deliveries", "births")
# Columns a later file may still change after a row was inserted early (a death, a
# delivery closing the pregnancy, a stillbirth of that day flagging a child): compared and
# corrected at the end.
LATER = {"persons": ("deceased_on", "flags"), "pregnancies": ("outcome", "outcome_date")}
LEAVES = ("postnatal_contacts", "checkups", "growth", "immunisations", "illnesses")


class _Writer:
    """Writes the checked rows: new rows with ids reserved first (so a child row can point
    to a parent created in the same import) and inserted file by file; then the changed
    rows, residences, derived values of stored records and the audit trail.

    On PostgreSQL the inserts run in a thread of their own, on the same connection and
    transaction, as soon as a file's rows are final (people once checked, pregnancies with
    their visits once the visits are, deliveries and births once the births are, each later
    file once checked; ``LATER`` columns are corrected at the end), so the server indexes
    and checks references while this process checks the next files. Constraints are checked at
    each insert (``SET CONSTRAINTS ALL IMMEDIATE``), so that work is done then too."""

    def __init__(
        self,
        checker: Checker,
        batch: ImportBatch,
        user: Any,
        notify: _Notifier,
        *,
        keep_valid_rows: bool,
    ):
        self.checker = checker
        self.batch = batch
        self.user = user
        self.notify = notify
        self.keep_valid_rows = keep_valid_rows
        self.now = timezone.now()
        self.done = 0
        self.early = connection.vendor == "postgresql"
        self.sent: set[str] = set()
        self.inserted: dict[int, tuple[Any, ...]] = {}  # id(row) -> LATER values inserted
        self.stopped = False
        self.cancelled = False
        # Bounded: a streamed file's chunks wait here for the insert thread.
        self.queue: queue.Queue[tuple[str, list[Any]] | None] = queue.Queue(maxsize=4)
        self.spills: dict[str, tuple[Spill, Spill]] = {}
        self.thread: threading.Thread | None = None
        self.failure: BaseException | None = None
        self.common = {
            "source": Source.IMPORT,
            "import_batch_id": batch.pk,
            "recorded_by_id": user.pk if user is not None else None,
            "created_at": self.now,
            "updated_at": self.now,
        }

    # ------------------------------------------------------------------ inserts

    def start(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ensure_connection()
        raw = connection.connection
        self.thread = threading.Thread(target=self._work, args=(raw,), daemon=True)
        self.thread.start()

    def file_checked(self, key: str) -> None:
        if self.stopped:
            return
        if not self.keep_valid_rows and self.checker.has_errors():
            self.stopped = True  # nothing will be kept: stop writing, it is rolled back
            return
        if key == "persons":
            self._send(("persons",))
        elif key == "antenatal_visits":
            self._send(("pregnancies", "antenatal_visits"))
        elif key == "births":
            self._send(PARENTS)
        elif key in LEAVES:
            self._send((key,))

    def _created(self, key: str) -> list[Row]:
        if key == "residences":  # sent at the end, once sorted: unchanged histories stay
            return [row for row in self.checker.rows[key] if row.status == CREATED]
        return [
            row
            for row in self.checker.rows[key]
            if row.ok and row.obj is not None and row.existing is None
        ]

    def _send(self, keys: tuple[str, ...]) -> None:
        batches = []
        for key in keys:
            if key in self.sent:
                continue
            self.sent.add(key)
            rows = self._created(key)
            for row, pk in zip(rows, fastinsert.reserve_ids(MODELS[key], len(rows)), strict=True):
                row.obj.pk = pk
            batches.append((key, rows))
        for key, rows in batches:
            later = LATER.get(key, ())
            for row in rows:
                row.obj.resolve()
                if later:
                    self.inserted[id(row)] = tuple(getattr(row.obj, name) for name in later)
            if self.thread is not None:
                self.queue.put((key, [row.obj for row in rows]))
            else:
                self._insert(key, [row.obj for row in rows])

    def _insert(self, key: str, objs: list[Any], raw: Any = None) -> None:
        before = self.done
        message = f"Đang ghi tệp {file_label(key)}"

        def sent(count: int) -> None:
            self.notify.written(before + count, message)

        fastinsert.insert(
            MODELS[key], objs, values=self.common, progress=sent, every=CHUNK, raw=raw
        )
        self.done += len(objs)

    def _work(self, raw: Any) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.failure is not None or self.cancelled:
                continue
            try:
                self._insert(item[0], item[1], raw)
            except BaseException as error:  # handed to the importing thread
                self.failure = error

    def stop(self, *, cancel: bool = False) -> None:
        """Wait for the insert thread (after a failure too, before the rollback);
        ``cancel``: skip what it has not started."""
        if self.thread is not None:
            self.cancelled = cancel
            self.queue.put(None)
            self.thread.join()
            self.thread = None

    def chunk_checked(self, key: str, rows: list[Row]) -> None:
        """A chunk of a streamed file is checked: its new rows go to the insert thread
        (PostgreSQL, parents have their ids) or to a file on disk until the writing
        transaction (SQLite); its changed rows to a file on disk. Then it is let go."""
        self.sent.add(key)
        if settings.DEBUG and not connection.force_debug_cursor:
            connection.queries_log.clear()  # DEBUG keeps the last 9,000 queries' SQL text
        if self.stopped:
            return
        if not self.keep_valid_rows and self.checker.has_errors():
            self.stopped = True
            return
        created = [row.obj for row in rows if row.status == CREATED]
        changed = [row for row in rows if row.status == UPDATED]
        if key not in self.spills:
            folder = self.checker.bundle.scratch()
            self.spills[key] = (Spill(folder, f"{key}.new"), Spill(folder, f"{key}.changed"))
        new, updates = self.spills[key]
        if created and self.thread is not None:
            for obj, pk in zip(
                created, fastinsert.reserve_ids(MODELS[key], len(created)), strict=True
            ):
                obj.pk = pk
                obj.resolve()
                obj.links = []
            self.queue.put((key, created))
        else:
            for obj in created:
                state = dict(obj.__dict__)
                state["links"] = [(name, parent.file, parent.id) for name, parent in obj.links]
                new.add(state)
        for row in changed:
            updates.add(self._change(key, row))

    def _streamed(self) -> None:
        """Write what the streamed files left on disk, a frame at a time."""
        for key in ORDER:
            if key not in self.spills:
                continue
            new, updates = self.spills[key]
            index = self.checker.index
            for frame in new.frames(0):
                objs = []
                for state in frame:
                    obj = Record.__new__(Record)
                    for name, file, ident in state.pop("links"):
                        state[name] = index[file][ident].pk
                    state["links"] = []
                    obj.__dict__ = state
                    objs.append(obj)
                for obj, pk in zip(
                    objs, fastinsert.reserve_ids(MODELS[key], len(objs)), strict=True
                ):
                    obj.pk = pk
                self._insert(key, objs)
            for frame in updates.frames(0):
                self._write_changes(key, frame)

    # ------------------------------------------------------------------ the rest

    def finish(self) -> None:
        self.stopped = False
        # People whose stored history the file replaces: their histories before, so that
        # their stored events can follow the new one (``services.residences``).
        moved_before = (
            residences.histories(residences.people_of_residences(self.checker.replaced_residences))
            if self.checker.replaced_residences
            else {}
        )
        self._send(tuple(key for key in ORDER if key not in self.sent))
        self.stop()
        if self.failure is not None:
            raise self.failure
        if self.checker.replaced_residences:
            # Histories given again with a change: the file's rows replace the stored ones.
            replaced = sorted(self.checker.replaced_residences)
            for start in range(0, len(replaced), CHUNK):
                Residence.objects.filter(pk__in=replaced[start : start + CHUNK]).delete()
        if self.early:
            with connection.cursor() as cursor:  # back to Django's deferred checks
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for key, names in LATER.items():
            # Inserted before a later file settled these columns: correct what changed.
            model = MODELS[key]
            changed = [
                model(pk=row.obj.pk, **{name: getattr(row.obj, name) for name in names})
                for row in self.checker.rows[key]
                if id(row) in self.inserted
                and self.inserted[id(row)] != tuple(getattr(row.obj, name) for name in names)
            ]
            if changed:
                model._default_manager.bulk_update(changed, list(names), batch_size=CHUNK // 4)
        self._streamed()
        for key in ORDER:
            self._update(key, [row for row in self.checker.rows[key] if row.status == UPDATED])
        self.done = self.notify.total
        self.notify.written(self.done, "Đang ghi nơi ở và nhật ký")
        self._residences()
        self._derived()
        residences.events_rederive(
            before=moved_before,
            user=self.user,
            note=f"Nhập {self.batch.file_name}: nơi ở được sửa",
            import_batch_id=self.batch.pk,
            skip_batch=True,
        )

    def _change(self, key: str, row: Row) -> tuple[Any, ...]:
        """What updating a changed row needs: (pk, values, row number, person, changes)."""
        names = tuple(sorted(row.changes))
        return (
            row.obj.pk,
            {name: getattr(row.obj, name) for name in names},
            row.number,
            _person_id(key, row.obj),
            {name: [_plain(old), _plain(new)] for name, (old, new) in row.changes.items()},
        )

    def _update(self, key: str, rows: list[Row]) -> None:
        for start in range(0, len(rows), CHUNK):
            self._write_changes(
                key, [self._change(key, row) for row in rows[start : start + CHUNK]]
            )

    def _write_changes(self, key: str, changes: list[tuple[Any, ...]]) -> None:
        """Update changed records and audit each with its changed columns."""
        if not changes:
            return
        model = MODELS[key]
        groups: dict[tuple[str, ...], list[Any]] = defaultdict(list)
        audits = []
        for pk, values, number, person_id, diff in changes:
            groups[tuple(values)].append(model(pk=pk, updated_at=self.now, **values))
            audits.append(
                AuditEntry(
                    user=self.user,
                    action=AuditAction.UPDATE,
                    model=model._meta.model_name or "",
                    object_id=pk,
                    person_id=person_id,
                    changes=diff,
                    note=f"Nhập lại: {self.batch.file_name}, dòng {number}"[:300],
                    import_batch=self.batch,
                )
            )
        for names, objs in groups.items():
            model._default_manager.bulk_update(objs, [*names, "updated_at"], batch_size=CHUNK // 4)
        AuditEntry.objects.bulk_create(audits, batch_size=CHUNK)

    def _residences(self) -> None:
        """Where new people live from their registration; a re-import that moves a person
        closes the current residence the day before the import (as ``person_move``)."""
        new: list[Record] = []
        moved: list[Row] = []
        today = timezone.localdate()
        given = {  # people whose history the residences file gives
            row.refs["person_id"].pk for row in self.checker.rows["residences"] if row.ok
        }
        for row in self.checker.rows["persons"]:
            obj = row.obj
            if obj is not None and obj.pk in given:
                continue
            if row.status == CREATED:
                new.append(
                    Record(
                        person_id=obj.pk,
                        unit_id=obj.residence_unit_id,
                        village=obj.village,
                        valid_from=obj._residence_from,
                        valid_to=None,
                    )
                )
            elif row.status == UPDATED and "residence_unit_id" in row.changes:
                moved.append(row)
                new.append(
                    Record(
                        person_id=obj.pk,
                        unit_id=obj.residence_unit_id,
                        village=obj.village,
                        valid_from=today,
                        valid_to=None,
                    )
                )
        for row in moved:
            current = Residence.objects.filter(person_id=row.obj.pk, valid_to__isnull=True).first()
            if current is not None:
                current.valid_to = max(today - dt.timedelta(days=1), current.valid_from or today)
                current.save(update_fields=["valid_to"])
        for obj, pk in zip(new, fastinsert.reserve_ids(Residence, len(new)), strict=True):
            obj.pk = pk
        fastinsert.insert(Residence, new, every=CHUNK)

    def _derived(self) -> None:
        """Stored records outside the bundle whose derived values the bundle changes: a
        pregnancy's visit summary and outcome, a delivery's births, a person's death."""
        for key, changes in self.checker.derived.items():
            model = MODELS[key]
            groups: dict[tuple[str, ...], list[Any]] = defaultdict(list)
            for pk, values in changes.items():
                obj = model(pk=pk, updated_at=self.now, **values)
                groups[tuple(sorted(values))].append(obj)
            for names, objs in groups.items():
                model._default_manager.bulk_update(
                    objs, [*names, "updated_at"], batch_size=CHUNK // 4
                )


def _person_id(key: str, obj: Any) -> int | None:
    if key == "persons":
        return obj.pk
    return getattr(obj, "person_id", None) or getattr(obj, "mother_id", None)


__all__ = ["REJECTED", "FileCounts", "ImportResult", "RowError", "bundle_import"]
