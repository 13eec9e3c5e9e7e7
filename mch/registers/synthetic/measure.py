"""Lengths and weights drawn from z-scores, by inverting WHO 2006 LMS tables
(``mch.growth.tables``): ``y = M (1 + L S z) ** (1 / L)``."""

from __future__ import annotations

import numpy as np

from mch.growth.tables import AGE_DAYS, table

LYING_UNTIL_DAYS = 731


def _lms(name: str, row: np.ndarray, z: np.ndarray) -> np.ndarray:
    t = table(name)
    l, m, s = t.l[row], t.m[row], t.s[row]  # noqa: E741
    return m * np.power(np.maximum(1 + l * s * z, 0.05), 1 / l)


def length_cm(haz: np.ndarray, age_days: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Length (lying, under 731 days) or height (standing) at the given HAZ."""
    t = table("lhfa")
    sex = np.where(male, 1, 2)
    row = sex * t.rows + np.clip(age_days, 0, AGE_DAYS - 1)
    return _lms("lhfa", row, haz)


def weight_kg(
    whz: np.ndarray, length: np.ndarray, age_days: np.ndarray, male: np.ndarray
) -> np.ndarray:
    """Weight at the given weight-for-length (under 731 days) or -for-height z-score; a
    length outside the table counts as its nearest end."""
    sex = np.where(male, 1, 2)
    out = np.empty(len(length))
    for name, young in (("wfl", True), ("wfh", False)):
        here = (age_days < LYING_UNTIL_DAYS) == young
        if not here.any():
            continue
        t = table(name)
        step = np.rint((np.clip(length[here], t.first, t.last) - t.first) * 10).astype(np.int64)
        out[here] = _lms(name, sex[here] * t.rows + step, whz[here])
    return out
