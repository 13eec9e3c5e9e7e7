"""Writing the bundle: one CSV file per ``FileSpec``, English keys as headers, UTF-8.

Rows are built column-wise from NumPy arrays. Values are turned into text through lookup
tables (dates, whole numbers, tenths) so millions of rows cost a few seconds; a value is
quoted only when it holds a comma, a quote or a line break, as the csv module would.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import numpy as np

from mch.registers.bundle.spec import BY_KEY, FILES, FileSpec

EPOCH = dt.date(1970, 1, 1)
FIRST_DAY = (dt.date(1930, 1, 1) - EPOCH).days
LAST_DAY = (dt.date(2060, 12, 31) - EPOCH).days
NEVER = 10**7  # a day number later than any date
Column = Sequence[str] | np.ndarray


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def to_date(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


class Text:
    """Lookup tables from numbers to their text in the bundle."""

    def __init__(self) -> None:
        days = np.arange(FIRST_DAY, LAST_DAY + 1).astype("datetime64[D]")
        iso = np.datetime_as_string(days).tolist()
        self._dates = np.array([f"{s[8:10]}/{s[5:7]}/{s[:4]}" for s in iso], dtype=object)
        self._ints = np.array([str(i) for i in range(0, 10_000)], dtype=object)
        self._tenths = np.array([f"{i // 10}.{i % 10}" for i in range(0, 20_000)], dtype=object)
        self._flags = np.array(["0", "1", ""], dtype=object)

    def dates(self, days: np.ndarray) -> np.ndarray:
        return self._dates[np.asarray(days) - FIRST_DAY]

    def ints(self, values: np.ndarray, blank: np.ndarray | None = None) -> np.ndarray:
        out = self._ints[np.asarray(values, dtype=np.int64)]
        if blank is not None:
            out[blank] = ""
        return out

    def tenths(self, values: np.ndarray, blank: np.ndarray | None = None) -> np.ndarray:
        """Numbers with one decimal: 12.3 from 123 tenths."""
        out = self._tenths[np.asarray(values, dtype=np.int64)]
        if blank is not None:
            out[blank] = ""
        return out

    def flags(self, values: np.ndarray, blank: np.ndarray | None = None) -> np.ndarray:
        """1/0 from booleans, blank where ``blank``."""
        index = np.asarray(values, dtype=np.int64)
        if blank is not None:
            index = np.where(blank, 2, index)
        return self._flags[index]


def choices(codes: Sequence[str], index: np.ndarray) -> np.ndarray:
    return np.array(list(codes), dtype=object)[np.asarray(index, dtype=np.int64)]


class Ids:
    """Stable IDs: ``<prefix>-<letters><7 digits>``, numbered in file order."""

    LETTERS = {
        "persons": "P",
        "pregnancies": "T",
        "antenatal_visits": "K",
        "deliveries": "D",
        "births": "B",
        "postnatal_contacts": "S",
        "checkups": "C",
        "growth": "G",
        "immunisations": "V",
        "illnesses": "I",
        "deaths": "X",
        "duplicates": "Q",  # persons rows injected as errors: their own numbers, so that the
        # other rows keep their IDs whatever the error rate
    }

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.next = dict.fromkeys(self.LETTERS, 1)
        self._tails = np.array([f"{n:03d}" for n in range(1000)], dtype=object)
        self._heads: dict[str, np.ndarray] = {}

    def take(self, file: str, count: int) -> np.ndarray:
        """``count`` new IDs for rows of ``file`` (or the error series "duplicates")."""
        start = self.next[file]
        self.next[file] = start + count
        numbers = np.arange(start, start + count)
        high = numbers // 1000
        heads = self._heads.get(file)
        if heads is None or len(heads) <= high[-1:].max(initial=0):
            letter = f"{self.prefix}-{self.LETTERS[file]}"
            size = max(2 * (int(high.max(initial=0)) + 1), 1024)
            heads = self._heads[file] = np.array(
                [f"{letter}{n:04d}" for n in range(size)], dtype=object
            )
        ids = list(map(operator.add, heads[high].tolist(), self._tails[numbers % 1000].tolist()))
        return np.array(ids, dtype=object)


_SPECIAL = (",", '"', "\n", "\r")


def _quoted(values: list[str]) -> list[str]:
    joined = "\x1f".join(values)
    if not any(ch in joined for ch in _SPECIAL):
        return values
    return [
        '"' + v.replace('"', '""') + '"' if any(ch in v for ch in _SPECIAL) else v for v in values
    ]


class BundleWriter:
    """Open one file per spec in ``directory`` and append rows to them."""

    SLICE = 200_000  # rows turned into text at a time (bounds the memory used)

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.counts = dict.fromkeys(BY_KEY, 0)
        self._files: dict[str, IO[str]] = {}
        for spec in FILES:
            handle = (directory / f"{spec.key}.csv").open("w", encoding="utf-8", newline="")
            handle.write(",".join(column.key for column in spec.columns) + "\n")
            self._files[spec.key] = handle

    def write(self, file: str, columns: dict[str, Column]) -> int:
        """Append rows given as columns (keys of the spec; missing columns are blank)."""
        spec = BY_KEY[file]
        unknown = set(columns) - {c.key for c in spec.columns}
        if unknown:
            raise KeyError(f"{file}: unknown columns {sorted(unknown)}")
        n = len(columns["id"] if "id" in columns else next(iter(columns.values())))
        if not n:
            return 0
        for start in range(0, n, self.SLICE):
            part = {key: values[start : start + self.SLICE] for key, values in columns.items()}
            self._write(file, spec, part, min(self.SLICE, n - start))
        self.counts[file] += n
        return n

    def _write(self, file: str, spec: FileSpec, columns: dict[str, Column], n: int) -> None:
        blank = [""] * n
        ordered = []
        # Blank columns at the end of the row cost nothing: they go into the line break.
        keys = [c.key for c in spec.columns]
        while len(keys) > 1 and columns.get(keys[-1]) is None:
            keys.pop()
        end = "," * (len(spec.columns) - len(keys)) + "\n"
        for column in spec.columns[: len(keys)]:
            values = columns.get(column.key)
            if values is None:
                ordered.append(blank)
                continue
            as_list = values.tolist() if isinstance(values, np.ndarray) else list(values)
            if len(as_list) != n:
                raise ValueError(f"{file}.{column.key}: {len(as_list)} values for {n} rows")
            ordered.append(_quoted(as_list))
        self._files[file].write(end.join(map(",".join, zip(*ordered, strict=True))) + end)

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
