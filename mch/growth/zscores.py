"""WHO 2006 Child Growth Standards z-scores, vectorised, with the rules of WHO's software.

The rules follow WHO's R package ``anthro`` (and the igrowup macros before it):

- age in whole days, rounded half up; z-scores only under 60 months, i.e. days 0..1826
  (1826 / 30.4375 < 60; WHO's older macros went on to day 1856, see the README);
- length lying under 731 days, height standing from 731 days: +0.7 cm for a child under
  731 days measured standing, -0.7 cm for a child of 731+ days measured lying; a child
  under 9 months recorded as standing is taken as position unknown (no conversion) and
  flagged; the converted length is used for HAZ, WHZ and BMI;
- HAZ = (y / M - 1) / S; WAZ, BAZ and WHZ by the LMS formula with WHO's restricted rule
  beyond +/-3 SD;
- WHZ from the weight-for-length table (45-110 cm) under 731 days and the
  weight-for-height table (65-120 cm) from 731 days, interpolating L, M, S linearly
  between the 0.1 cm rows; without an age, the recorded position chooses the table, and
  without either, length under 87 cm;
- oedema: no weight-based z-score (WAZ, WHZ, BAZ);
- z rounded to 2 decimals (WHO's default) and flagged as implausible on the rounded
  value: HAZ outside -6..6, WAZ outside -6..5, WHZ and BAZ outside -5..5.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mch.growth.ages import DAYS_PER_MONTH, round_half_up
from mch.growth.tables import AGE_DAYS, FloatArray, Table, sd_value, table

BoolArray = npt.NDArray[np.bool_]
# arrays, scalars or sequences; None (or NaN) for a missing value
Values = npt.ArrayLike | Sequence[float | None] | None

LYING_UNTIL_DAYS = 731  # lying length before this age, standing height from it
POSITION_CHANGE_CM = 0.7
STANDING_MIN_MONTHS = 9
WFL_WFH_UNKNOWN_AGE_CM = 87.0
DECIMALS = 2

# (low, high) plausible z, inclusive, from WHO's flag rules
PLAUSIBLE = {"haz": (-6.0, 6.0), "waz": (-6.0, 5.0), "whz": (-5.0, 5.0), "baz": (-5.0, 5.0)}


@dataclass(frozen=True)
class ZScores:
    """Arrays of equal shape, one element per measurement; NaN where not computable.

    ``length_cm`` and ``bmi`` are the converted length/height and the BMI computed from
    it. ``flag_*`` are True where the (rounded) z-score is implausible; a flagged
    z-score is kept, as WHO keeps it, and excluded by ``classify``. ``flag_position``
    marks children under 9 months recorded as standing. ``oedema`` is the oedema
    reading as applied (missing counts as no oedema) and ``age_days`` the whole days
    used (NaN when missing or negative).
    """

    haz: FloatArray
    waz: FloatArray
    whz: FloatArray
    baz: FloatArray
    length_cm: FloatArray
    bmi: FloatArray
    flag_haz: BoolArray
    flag_waz: BoolArray
    flag_whz: BoolArray
    flag_baz: BoolArray
    flag_position: BoolArray
    oedema: BoolArray
    age_days: FloatArray

    def __len__(self) -> int:
        return int(self.haz.size)


def _floats(values: Values) -> FloatArray:
    if values is None:
        return np.asarray(np.nan)
    return np.asarray(values, dtype=np.float64)


def _restricted(
    y: FloatArray, z: FloatArray, sd: Callable[[int, BoolArray], FloatArray]
) -> FloatArray:
    """WHO's restricted rule beyond +/-3 SD; ``sd(k, where)`` gives the k SD values."""
    with np.errstate(invalid="ignore", divide="ignore"):
        high = z > 3
        if high.any():
            sd3 = sd(3, high)
            z[high] = 3 + (y[high] - sd3) / (sd3 - sd(2, high))
        low = z < -3
        if low.any():
            sd3 = sd(-3, low)
            z[low] = -3 + (y[low] - sd3) / (sd(-2, low) - sd3)
    return z


def _lms(y: FloatArray, l: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:  # noqa: E741
    """LMS z-score, restricted beyond +/-3 SD."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = ((y / m) ** l - 1) / (s * l)
    return _restricted(y, z, lambda k, where: sd_value(l[where], m[where], s[where], k))


def _lms_by_row(y: FloatArray, t: Table, row: npt.NDArray[np.intp]) -> FloatArray:
    """LMS z-score on a daily table, with the rows' SD lines precomputed."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = ((y / t.m[row]) ** t.l[row] - 1) / (t.s[row] * t.l[row])
    return _restricted(y, z, lambda k, where: t.sd[k][row[where]])


def _by_age(
    y: FloatArray, name: str, sex_i: npt.NDArray[np.intp], day: FloatArray, ok: BoolArray
) -> FloatArray:
    t = table(name)
    valid = ok & (y > 0)
    row = np.where(valid, sex_i * t.rows + np.where(valid, day, 0).astype(np.intp), 0)
    if name == "lhfa":
        with np.errstate(invalid="ignore"):
            z = (y / t.m[row] - 1) / t.s[row]
    else:
        z = _lms_by_row(y, t, row)
    return np.where(valid, z, np.nan)


@functools.cache
def _wflh() -> tuple[Table, Table, FloatArray, FloatArray, FloatArray]:
    """Both weight-for-length/height tables in one flat array each of L, M, S."""
    wfl, wfh = table("wfl"), table("wfh")
    l, m, s = (np.concatenate([getattr(wfl, c), getattr(wfh, c)]) for c in "lms")  # noqa: E741
    return wfl, wfh, l, m, s


def _by_length(
    weight: FloatArray,
    length: FloatArray,
    sex_i: npt.NDArray[np.intp],
    use_wfl: BoolArray,
    use_wfh: BoolArray,
) -> FloatArray:
    wfl, wfh, tl, tm, ts = _wflh()
    first = np.where(use_wfl, wfl.first, wfh.first)
    with np.errstate(invalid="ignore"):
        valid = (
            (use_wfl | use_wfh)
            & (length >= first)
            & (length <= np.where(use_wfl, wfl.last, wfh.last))
            & (weight > 0)
        )
    x = np.where(valid, length, first)
    tenths = np.trunc(x * 10)
    # WHO's rows: the 0.1 cm row at or below the length, and the next one
    diff = (x - tenths / 10) / 0.1
    rows = np.where(use_wfl, wfl.rows, wfh.rows)
    start = np.where(use_wfl, 0, 3 * wfl.rows) + sex_i * rows
    lower = start + (tenths - np.round(first * 10)).astype(np.intp)
    upper = np.minimum(lower + 1, start + rows - 1)
    lower[~valid] = 0
    upper[~valid] = 0
    between = diff > 0
    l, m, s = (  # noqa: E741
        np.where(between, c[lower] + diff * (c[upper] - c[lower]), c[lower]) for c in (tl, tm, ts)
    )
    z = _lms(np.where(valid, weight, np.nan), l, m, s)
    return np.where(valid, z, np.nan)


def _round(z: FloatArray, decimals: int | None) -> FloatArray:
    return z if decimals is None else np.round(z, decimals)


def _flag(z: FloatArray, indicator: str) -> BoolArray:
    low, high = PLAUSIBLE[indicator]
    with np.errstate(invalid="ignore"):
        r = np.round(z, DECIMALS)
        return np.asarray((r < low) | (r > high))


def compute(
    sex: Values,
    age_days: Values,
    weight_kg: Values,
    length_cm: Values,
    measured_lying: Values = None,
    oedema: Values = None,
    *,
    decimals: int | None = DECIMALS,
) -> ZScores:
    """HAZ, WAZ, WHZ and BAZ for arrays (or sequences, or scalars) of measurements.

    ``sex``: 1 male, 2 female (anything else: no z-score). ``age_days``: age at the
    measurement in days (fractions rounded half up as WHO does; NaN when unknown).
    ``weight_kg``, ``length_cm``: NaN when missing; zero or negative counts as missing.
    ``measured_lying``: True lying (recumbent length), False standing (height), NaN or
    None unknown. ``oedema``: True for bilateral pitting oedema; NaN or None counts as
    none. Inputs broadcast against each other. ``decimals``: rounding of the returned
    z-scores (2 as WHO reports them; None for full precision). Flags and ``classify``
    always use the value rounded to 2 decimals.
    """
    arrays = np.broadcast_arrays(
        _floats(sex),
        _floats(age_days),
        _floats(weight_kg),
        _floats(length_cm),
        _floats(measured_lying),
        _floats(oedema),
    )
    shape = arrays[0].shape
    sx, age, weight, length, lying, oed = (np.array(a, dtype=np.float64).ravel() for a in arrays)

    with np.errstate(invalid="ignore"):
        sex_ok = (sx == 1) | (sx == 2)
        sex_i = np.where(sex_ok, sx, 0).astype(np.intp)
        weight[~(weight > 0)] = np.nan
        length[~(length > 0)] = np.nan
        has_age = np.isfinite(age) & (age >= 0)
        bad_age = np.isfinite(age) & (age < 0)
        day = np.where(has_age, round_half_up(np.where(has_age, age, 0)), np.nan)
        months = age / DAYS_PER_MONTH
        age_ok = has_age & (months < 60) & (day < AGE_DAYS) & sex_ok
        oedema_b = np.isfinite(oed) & (oed != 0)

        known = np.isfinite(lying)
        standing = known & (lying == 0)
        lying_b = known & (lying != 0)
        flag_position = standing & has_age & (months < STANDING_MIN_MONTHS)
        standing &= ~flag_position

        young = has_age & (day < LYING_UNTIL_DAYS)
        old = has_age & (day >= LYING_UNTIL_DAYS)
        clen = np.where(
            young & standing,
            length + POSITION_CHANGE_CM,
            np.where(old & lying_b, length - POSITION_CHANGE_CM, length),
        )
        clen[~(clen > 0)] = np.nan
        bmi = weight / ((clen / 100) ** 2)

    weight_ok = age_ok & ~oedema_b
    haz = _by_age(clen, "lhfa", sex_i, day, age_ok)
    waz = _by_age(weight, "wfa", sex_i, day, weight_ok)
    baz = _by_age(bmi, "bfa", sex_i, day, weight_ok)

    no_age = ~np.isfinite(age)
    no_position = ~(standing | lying_b)
    with np.errstate(invalid="ignore"):
        use_wfl = (
            young | (no_age & lying_b) | (no_age & no_position & (clen < WFL_WFH_UNKNOWN_AGE_CM))
        )
        use_wfh = (
            old | (no_age & standing) | (no_age & no_position & (clen >= WFL_WFH_UNKNOWN_AGE_CM))
        )
    whz_ok = sex_ok & ~oedema_b & ~bad_age & (no_age | age_ok)
    whz = _by_length(weight, clen, sex_i, whz_ok & use_wfl, whz_ok & use_wfh)

    result = {
        "haz": _round(haz, decimals),
        "waz": _round(waz, decimals),
        "whz": _round(whz, decimals),
        "baz": _round(baz, decimals),
        "length_cm": clen,
        "bmi": bmi,
        "flag_haz": _flag(haz, "haz"),
        "flag_waz": _flag(waz, "waz"),
        "flag_whz": _flag(whz, "whz"),
        "flag_baz": _flag(baz, "baz"),
        "flag_position": flag_position,
        "oedema": oedema_b,
        "age_days": day,
    }
    return ZScores(**{k: v.reshape(shape) for k, v in result.items()})
