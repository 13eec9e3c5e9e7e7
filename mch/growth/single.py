"""One measurement at a time, for forms and a child's page."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from mch.growth.classify import Category, classify
from mch.growth.zscores import DECIMALS, ZScores, compute


@dataclass(frozen=True)
class ZScore:
    """One measurement's z-scores (None where not computable), flags and categories."""

    haz: float | None
    waz: float | None
    whz: float | None
    baz: float | None
    length_cm: float | None
    bmi: float | None
    flag_haz: bool
    flag_waz: bool
    flag_whz: bool
    flag_baz: bool
    flag_position: bool
    oedema: bool
    age_days: int | None
    stunting: Category
    underweight: Category
    wasting: Category
    overweight: Category


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def compute_one(
    sex: int | None,
    age_days: float | None,
    weight_kg: float | None,
    length_cm: float | None,
    measured_lying: bool | None = None,
    oedema: bool | None = None,
    *,
    decimals: int | None = DECIMALS,
) -> ZScore:
    """``compute`` and ``classify`` for one measurement; None for a missing value."""
    scores = compute(
        _nan(sex),
        _nan(age_days),
        _nan(weight_kg),
        _nan(length_cm),
        _nan(measured_lying),
        _nan(oedema),
        decimals=decimals,
    )
    values: dict[str, object] = {}
    for f in fields(ZScores):
        item = getattr(scores, f.name).item()
        if isinstance(item, float):
            values[f.name] = None if math.isnan(item) else item
        else:
            values[f.name] = bool(item)
    if values["age_days"] is not None:
        values["age_days"] = int(np.float64(values["age_days"]))  # type: ignore[arg-type]
    classes = classify(scores)
    for name in ("stunting", "underweight", "wasting", "overweight"):
        values[name] = Category(getattr(classes, name).item())
    return ZScore(**values)  # type: ignore[arg-type]
