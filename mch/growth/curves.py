"""Reference curves for growth charts: the -3, -2, 0, +2, +3 SD lines of an indicator.

Computed from the same LMS tables as the z-scores: the value at k SD is
``M (1 + L S k) ** (1 / L)`` (for length/height-for-age L = 1, so ``M (1 + S k)``).
Between the 0.1 cm rows of the weight-for-length/height tables L, M and S are
interpolated linearly, as for the z-scores.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mch.growth.tables import Table, sd_value, table

SD_LINES = (-3, -2, 0, 2, 3)
INDICATORS = {
    "wfa": "weight (kg) for age (days)",
    "lhfa": "length/height (cm) for age (days)",
    "bfa": "BMI (kg/m²) for age (days)",
    "wfl": "weight (kg) for length (cm), under 2 years",
    "wfh": "weight (kg) for height (cm), from 2 years",
}
DEFAULT_STEP = {"wfa": 7.0, "lhfa": 7.0, "bfa": 7.0, "wfl": 0.5, "wfh": 0.5}


@dataclass(frozen=True)
class Curves:
    """``x`` (age in days, or length/height in cm) and one list of values per SD line."""

    indicator: str
    sex: int
    x: list[float]
    lines: dict[int, list[float]]


def _points(t: Table, step: float) -> np.ndarray:
    count = int(np.floor((t.last - t.first) / step + 1e-9)) + 1
    x = np.round(t.first + step * np.arange(count), 6)
    if x[-1] < t.last:
        x = np.append(x, t.last)
    return x


def curves(indicator: str, sex: int, step: float | None = None, decimals: int = 3) -> Curves:
    """The SD lines of ``indicator`` (wfa, lhfa, bfa, wfl, wfh) for sex 1 or 2.

    ``step``: spacing of the points (default 7 days, or 0.5 cm); the last row of the
    table is always included. Values are rounded to ``decimals``.
    """
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}; one of {', '.join(INDICATORS)}")
    if sex not in (1, 2):
        raise ValueError(f"sex must be 1 (male) or 2 (female), not {sex!r}")
    t = table(indicator)
    step = DEFAULT_STEP[indicator] if step is None else step
    if not step > 0:
        raise ValueError("step must be positive")
    x = _points(t, step)
    keys = np.linspace(t.first, t.last, t.rows)
    block = slice(sex * t.rows, (sex + 1) * t.rows)
    l, m, s = (np.interp(x, keys, column[block]) for column in (t.l, t.m, t.s))  # noqa: E741
    lines = {k: np.round(sd_value(l, m, s, k), decimals).tolist() for k in SD_LINES}
    return Curves(indicator=indicator, sex=sex, x=[float(v) for v in x], lines=lines)
