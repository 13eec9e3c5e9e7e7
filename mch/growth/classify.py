"""Nutrition status from z-scores, by WHO's cut-offs on the value rounded to 2 decimals.

- stunting (HAZ), underweight (WAZ), wasting (WHZ): ``severe`` below -3, ``moderate``
  from -3 up to below -2 (WHO's "moderate or severe" is both), else ``none``;
- overweight: WHZ above +2;
- ``implausible`` where the z-score is flagged, ``missing`` where there is none;
- oedema: WHO's prevalence analysis counts a child with oedema as below -3 SD in every
  weight-based indicator, so wasting and underweight are ``severe`` and overweight is
  ``none`` (unless the age is known to be outside 0..1826 days).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mch.growth.tables import AGE_DAYS, FloatArray
from mch.growth.zscores import DECIMALS, BoolArray, ZScores

StrArray = npt.NDArray[np.str_]

MODERATE_BELOW = -2.0
SEVERE_BELOW = -3.0
OVERWEIGHT_ABOVE = 2.0


class Category(enum.StrEnum):
    NONE = "none"
    MODERATE = "moderate"
    SEVERE = "severe"
    OVERWEIGHT = "overweight"
    IMPLAUSIBLE = "implausible"
    MISSING = "missing"


@dataclass(frozen=True)
class Classes:
    """Arrays of ``Category`` values, one element per measurement."""

    stunting: StrArray
    underweight: StrArray
    wasting: StrArray
    overweight: StrArray


def _deficit(z: FloatArray, flag: BoolArray, oedema: BoolArray | None = None) -> StrArray:
    r = np.round(z, DECIMALS)
    with np.errstate(invalid="ignore"):
        conditions = [flag, np.isnan(r), r < SEVERE_BELOW, r < MODERATE_BELOW]
    choices = [Category.IMPLAUSIBLE, Category.MISSING, Category.SEVERE, Category.MODERATE]
    if oedema is not None:
        conditions.insert(0, oedema)
        choices.insert(0, Category.SEVERE)
    return np.select(conditions, [c.value for c in choices], Category.NONE.value)


def classify(scores: ZScores) -> Classes:
    """Stunting, underweight, wasting and overweight for each measurement."""
    age = scores.age_days
    with np.errstate(invalid="ignore"):
        oedema = scores.oedema & (np.isnan(age) | (age < AGE_DAYS))
        r = np.round(scores.whz, DECIMALS)
        overweight = np.select(
            [oedema, scores.flag_whz, np.isnan(r), r > OVERWEIGHT_ABOVE],
            [Category.NONE, Category.IMPLAUSIBLE, Category.MISSING, Category.OVERWEIGHT],
            Category.NONE.value,
        )
    return Classes(
        stunting=_deficit(scores.haz, scores.flag_haz),
        underweight=_deficit(scores.waz, scores.flag_waz, oedema),
        wasting=_deficit(scores.whz, scores.flag_whz, oedema),
        overweight=overweight,
    )
