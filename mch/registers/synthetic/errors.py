"""Data-entry errors injected into a generated bundle, and the manifest that lists them.

Errors are put only in rows no other row refers to (visits, doses, measurements, check-ups,
contacts, illnesses, births; duplicate women are extra rows), so each one costs exactly one
refused or flagged row on import. They are drawn from their own random stream: the same
seed gives the same clean data whatever the error rate.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

# kind -> (what the importer should do, description)
KINDS: dict[str, tuple[str, str]] = {
    "swapped_day_month": ("refuse", "day and month swapped: 13/05/2024 typed as 05/13/2024"),
    "birth_weight_in_kg": ("refuse", "birth weight typed in kilograms (3.2 for 3200 g)"),
    "visit_before_lmp": ("refuse", "antenatal visit dated before the last menstrual period"),
    "dose_before_birth": ("refuse", "vaccine dose dated before the child's birth"),
    "measurement_decimal": ("refuse", "length or weight with the decimal point misplaced (x10)"),
    "duplicate_woman": ("flag", "the same woman registered twice (same name, birth date, commune)"),
}
MANIFEST_NAME = "manifest.json"


@dataclass
class Manifest:
    """What was generated: parameters, rows per file, and every injected error's row ID."""

    parameters: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    errors: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    # Rows refused only because an injected error took a row they need (a delivery whose
    # only birth row is refused, the postnatal contacts of that delivery or baby).
    dependents: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def refused(self) -> set[str]:
        """IDs of the rows an import must refuse: injected errors and their dependents."""
        ids = {
            i for kind, pairs in self.errors.items() if KINDS[kind][0] == "refuse" for _, i in pairs
        }
        return ids | {i for _, i in self.dependents}

    def add(self, kind: str, file: str, ids: Sequence[str] | np.ndarray) -> None:
        if kind not in KINDS:
            raise KeyError(kind)
        values = ids.tolist() if isinstance(ids, np.ndarray) else list(ids)
        self.errors[kind].extend((file, value) for value in values)

    @property
    def error_counts(self) -> dict[str, int]:
        return {kind: len(self.errors.get(kind, ())) for kind in KINDS}

    @property
    def total_errors(self) -> int:
        return sum(self.error_counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "parameters": self.parameters,
            "rows": self.rows,
            "error_counts": self.error_counts,
            "error_kinds": {kind: {"expected": a, "what": b} for kind, (a, b) in KINDS.items()},
            "errors": {kind: [list(pair) for pair in self.errors.get(kind, ())] for kind in KINDS},
            "dependents": [list(pair) for pair in self.dependents],
        }

    def save(self, path: Path) -> None:
        path.write_text(
            json.dumps(self.as_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = cls(
            parameters=data["parameters"],
            rows=data["rows"],
            dependents=[(file, value) for file, value in data["dependents"]],
        )
        for kind, pairs in data["errors"].items():
            manifest.errors[kind] = [(file, value) for file, value in pairs]
        return manifest


class Errors:
    """Chooses the rows to spoil at the configured rate."""

    def __init__(self, rng: np.random.Generator, rate: float, manifest: Manifest) -> None:
        self.rng = rng
        self.rate = rate
        self.manifest = manifest

    def pick(self, n: int, kinds: int) -> list[np.ndarray]:
        """Row indices to spoil, split among ``kinds`` kinds of error."""
        if self.rate <= 0 or n == 0:
            return [np.empty(0, dtype=np.int64) for _ in range(kinds)]
        chosen = np.flatnonzero(self.rng.random(n) < self.rate)
        which = self.rng.integers(0, kinds, size=len(chosen))
        return [chosen[which == k] for k in range(kinds)]

    def offsets(self, n: int, low: int, high: int) -> np.ndarray:
        return self.rng.integers(low, high + 1, size=n)

    def swap_day_month(
        self, file: str, dates: np.ndarray, ids: np.ndarray, rows: np.ndarray
    ) -> None:
        """Write dd/mm/yyyy as mm/dd/yyyy where the day is above 12 (so it cannot parse)."""
        done = []
        for row in rows.tolist():
            text = dates[row]
            if int(text[:2]) > 12:
                dates[row] = f"{text[3:5]}/{text[:2]}/{text[6:]}"
                done.append(ids[row])
        self.manifest.add("swapped_day_month", file, done)
