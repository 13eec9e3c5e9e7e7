"""Writes to the immunisation schedule.

The national rows come from ``schedule.yaml``; province rows are made in the admin site
and never touched here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.db import transaction

from mch.immunisation.models import Antigen, ScheduleEntry
from mch.immunisation.schedule_file import load_schedule_file

ANTIGEN_FIELDS = (
    "abbreviation",
    "name_vi",
    "name_en",
    "diseases",
    "target_group",
    "is_epi",
    "order",
    "note",
)


@dataclass
class ScheduleLoadSummary:
    source: str = ""
    antigens_total: int = 0
    antigens_created: int = 0
    antigens_updated: int = 0
    entries_total: int = 0
    entries_created: int = 0
    entries_updated: int = 0
    antigens_unchanged: int = 0
    entries_unchanged: int = 0
    changed: list[str] = field(default_factory=list)
    admin_edits_kept: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return self.antigens_unchanged + self.entries_unchanged

    @property
    def writes(self) -> int:
        return (
            self.antigens_created
            + self.antigens_updated
            + self.entries_created
            + self.entries_updated
        )


def schedule_load(*, path: Path | str | None = None) -> ScheduleLoadSummary:
    """Bring the antigens and national schedule rows in line with the schedule file.

    Idempotent and all-or-nothing: a malformed file raises ``ScheduleFileError`` before
    anything is written; a second run on an unchanged file writes nothing. A national row
    (key: antigen, dose, valid from) or an antigen that differs from the file is updated,
    unless it was edited in the admin site after the last load while the file still says
    what was last loaded from it: that edit is kept (and listed) until the file changes.
    Rows the file no longer has are kept and listed; province rows are never touched.
    """
    schedule = load_schedule_file(path)
    summary = ScheduleLoadSummary(
        source=schedule.source,
        antigens_total=len(schedule.antigens),
        entries_total=len(schedule.entries),
    )
    with transaction.atomic():
        antigens = {a.code: a for a in Antigen.objects.select_for_update()}
        for spec in schedule.antigens:
            values = spec.model_fields()
            antigen = antigens.get(spec.code)
            if antigen is None:
                antigen = Antigen(code=spec.code, loaded_values=values, **values)
                antigen.full_clean()
                antigen.save()
                antigens[spec.code] = antigen
                summary.antigens_created += 1
                continue
            apply_antigen = partial(_antigen_apply, antigen)
            outcome = _reconcile(antigen, values, _antigen_values(antigen), apply_antigen)
            _count(summary, outcome, spec.code, "antigens")

        rows = {
            (row.antigen.code, row.dose, row.valid_from): row
            for row in ScheduleEntry.objects.national()
            .select_related("antigen", "interval_from_antigen")
            .select_for_update(of=("self",))
        }
        for entry in schedule.entries:
            values = entry.values()
            row = rows.get(entry.key)
            label = f"{entry.antigen} mũi {entry.dose} ({entry.valid_from:%d/%m/%Y})"
            if row is None:
                row = ScheduleEntry(
                    antigen=antigens[entry.antigen], dose=entry.dose, valid_from=entry.valid_from
                )
                _entry_apply(row, values, antigens)
                row.loaded_values = values
                row.full_clean()
                row.save()
                summary.entries_created += 1
                continue
            apply = partial(_entry_apply, row, antigens=antigens)
            outcome = _reconcile(row, values, entry_values(row), apply)
            _count(summary, outcome, label, "entries")

        file_keys = {e.key for e in schedule.entries}
        summary.not_in_file = sorted(
            f"{code} mũi {dose} ({valid_from:%d/%m/%Y})"
            for (code, dose, valid_from), row in rows.items()
            if (code, dose, valid_from) not in file_keys and row.loaded_values is not None
        )
        file_codes = {a.code for a in schedule.antigens}
        summary.not_in_file += sorted(code for code in antigens if code not in file_codes)
    return summary


def entry_values(row: ScheduleEntry) -> dict[str, Any]:
    """A row's values in the form of ``EntrySpec.values()``, to compare with the file."""
    return {
        "min_age_days": row.min_age_days,
        "due_age_days": row.due_age_days,
        "min_interval_days": row.min_interval_days,
        "interval_from_antigen": (
            row.interval_from_antigen.code if row.interval_from_antigen is not None else None
        ),
        "interval_from_dose": row.interval_from_dose,
        "timely_age_days": row.timely_age_days,
        "latest_age_days": row.latest_age_days,
        "counts_for_full_immunisation": row.counts_for_full_immunisation,
        "valid_to": row.valid_to.isoformat() if row.valid_to else None,
        "legal_basis": row.legal_basis,
        "certainty": row.certainty,
        "note": row.note,
    }


def _antigen_values(antigen: Antigen) -> dict[str, Any]:
    values = {name: getattr(antigen, name) for name in ANTIGEN_FIELDS}
    values["diseases"] = list(values["diseases"] or [])
    return values


def _antigen_apply(antigen: Antigen, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(antigen, name, value)


def _entry_apply(row: ScheduleEntry, values: dict[str, Any], antigens: dict[str, Antigen]) -> None:
    for name, value in values.items():
        if name == "interval_from_antigen":
            row.interval_from_antigen = antigens[value] if value else None
        elif name == "valid_to":
            row.valid_to = dt.date.fromisoformat(value) if value else None
        else:
            setattr(row, name, value)


def _reconcile(
    obj: Antigen | ScheduleEntry,
    wanted: dict[str, Any],
    current: dict[str, Any],
    apply: Callable[[dict[str, Any]], None],
) -> str:
    """Update ``obj`` to the file's values unless an admin edit should be kept."""
    if current == wanted:
        if obj.loaded_values != wanted:
            # Equal to the file but not recorded as loaded (made by hand, or an older
            # loader): record it, so that a later admin edit is recognised as one.
            obj.loaded_values = wanted
            obj.save(update_fields=["loaded_values"])
        return "unchanged"
    if obj.loaded_values == wanted:
        return "kept"
    apply(wanted)
    obj.loaded_values = wanted
    obj.full_clean()
    obj.save()
    return "updated"


def _count(summary: ScheduleLoadSummary, outcome: str, label: str, kind: str) -> None:
    """Add one outcome to the ``<kind>_unchanged`` / ``<kind>_updated`` counters."""
    counter = f"{kind}_updated" if outcome == "updated" else f"{kind}_unchanged"
    setattr(summary, counter, getattr(summary, counter) + 1)
    if outcome == "updated":
        summary.changed.append(label)
    elif outcome == "kept":
        summary.admin_edits_kept.append(label)
