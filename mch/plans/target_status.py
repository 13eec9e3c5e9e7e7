"""Where a target stands: status, projection to the milestone year, and which units hold
the province back. Plain data in, plain data out (no Django), so the rules can be checked
from worked examples (tests/test_target_status.py) and read in docs/target-status.md.

A target is read as the document writes it (comparator and value of
``mch.plans.models.Target``); "tăng/giảm x% so với năm N" is resolved against the value
of year N *of the same series* (the documents' figures or the registers' values: the two
series are evaluated apart and never mixed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MET = "met"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
NOT_MET = "not_met"
NO_DATA = "no_data"
STATUSES = (MET, ON_TRACK, AT_RISK, NOT_MET, NO_DATA)
# Worst first: what a home page lists when it names "the targets to look at".
SEVERITY = {NOT_MET: 0, AT_RISK: 1, NO_DATA: 2, ON_TRACK: 3, MET: 4}

_Z95 = 1.959964
# Two-sided 95% quantiles of Student's t for the trend of a few yearly values.
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306}


@dataclass(frozen=True)
class TargetSpec:
    comparator: str  # a mch.plans.models.Comparator code: dat, tren, duoi, xuong, ...
    value: float | None
    year: int  # the milestone year
    direction: str  # "lower" | "higher" (the indicator's)
    baseline_year: int | None = None
    change_unit: str = ""  # "percent" (of the baseline, the default) | "points"
    lowest: float | None = 0.0  # bounds a projection cannot cross (rates are never < 0)
    highest: float | None = None  # 100 for a percentage

    @property
    def relative(self) -> bool:
        return self.comparator in {"tang", "giam"}


@dataclass(frozen=True)
class Point:
    """One year of one series: a value with its 95% interval (None when unknown)."""

    year: int
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    complete: bool = True  # False: the year so far ("số liệu đến" before 31/12)


@dataclass(frozen=True)
class Projection:
    year: int
    value: float
    low: float | None  # 95% interval of the trend at ``year`` (None: two years, no intervals)
    high: float | None
    years: tuple[int, ...]  # the complete years the trend was fitted on


@dataclass(frozen=True)
class TargetStatus:
    status: str
    threshold: float | None  # the value to reach, after resolving a relative target
    operator: str  # ">=", ">", "<=", "<"
    latest: Point | None
    projection: Projection | None
    reason: str  # one Vietnamese sentence saying why
    # The latest interval lies entirely on one side of the threshold (the status does not
    # depend on chance variation); False when the interval straddles it or is unknown.
    clear: bool = False


def operator_of(spec: TargetSpec) -> str:
    """How a value is compared with the threshold. A bare figure or "duy trì" reaches it
    in the indicator's good direction."""
    fixed = {"dat": ">=", "tren": ">", "duoi": "<", "xuong": "<=", "tang": ">=", "giam": "<="}
    if spec.comparator in fixed:
        return fixed[spec.comparator]
    return "<=" if spec.direction == "lower" else ">="


def threshold_of(spec: TargetSpec, baseline: float | None) -> float | None:
    """The value to reach: the written value, or baseline ± change for tăng/giảm."""
    if spec.value is None:
        return baseline if spec.comparator == "duy_tri" else None
    if not spec.relative:
        return spec.value
    if baseline is None:
        return None
    sign = 1.0 if spec.comparator == "tang" else -1.0
    if spec.change_unit == "points":
        return baseline + sign * spec.value
    return baseline * (1.0 + sign * spec.value / 100.0)


def meets(value: float, threshold: float, operator: str) -> bool:
    return {
        ">=": value >= threshold,
        ">": value > threshold,
        "<=": value <= threshold,
        "<": value < threshold,
    }[operator]


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def evaluate(
    spec: TargetSpec,
    points: Sequence[Point],
    *,
    current_year: int,
    baseline: float | None = None,
) -> TargetStatus:
    """The status of ``spec`` from one series of yearly ``points``.

    - Milestone year complete: met / not met on its value (no data if it has none).
    - Before: the latest value meets the threshold -> met, unless the trend says it will
      not at the milestone (at risk); it does not -> on track if the trend reaches the
      threshold by the milestone, not met if even the favourable end of the trend's
      interval misses it, at risk otherwise (including when there are too few years to
      draw a trend).
    """
    operator = operator_of(spec)
    by_year = {p.year: p for p in points if p.value is not None}
    if spec.relative and baseline is None:
        base_point = by_year.get(spec.baseline_year) if spec.baseline_year else None
        baseline = base_point.value if base_point is not None and base_point.complete else None
        if baseline is None:
            reason = f"Chưa có giá trị năm gốc {spec.baseline_year or '?'} để tính chỉ tiêu."
            return TargetStatus(NO_DATA, None, operator, None, None, reason)
    threshold = threshold_of(spec, baseline)
    if threshold is None:
        return TargetStatus(NO_DATA, None, operator, None, None, "Chỉ tiêu không có giá trị số.")
    valued = sorted(by_year.values(), key=lambda p: p.year)
    if not valued:
        return TargetStatus(NO_DATA, threshold, operator, None, None, "Chưa có số liệu.")
    milestone = by_year.get(spec.year)
    if milestone is not None and milestone.complete:
        return _judged(milestone, threshold, operator)
    if current_year > spec.year:
        reason = f"Không có số liệu cả năm {spec.year}."
        return TargetStatus(NO_DATA, threshold, operator, valued[-1], None, reason)
    latest = [p for p in valued if p.year <= spec.year][-1:] or valued[-1:]
    point = latest[0]
    projection = project(
        [p for p in valued if p.complete],
        spec.year,
        lowest=spec.lowest,
        highest=spec.highest,
    )
    clear = _clear(point, threshold)
    if meets(point.value or 0.0, threshold, operator):
        if projection is not None and not meets(projection.value, threshold, operator):
            reason = (
                f"Đang đạt nhưng theo xu hướng sẽ là {_fmt(projection.value)} vào năm {spec.year}."
            )
            return TargetStatus(AT_RISK, threshold, operator, point, projection, reason, clear)
        reason = f"Đang đạt ({_fmt(point.value or 0.0)}, năm {point.year})."
        return TargetStatus(MET, threshold, operator, point, projection, reason, clear)
    if projection is None:
        reason = "Chưa đạt; chưa đủ số năm để ước tính xu hướng."
        return TargetStatus(AT_RISK, threshold, operator, point, None, reason, clear)
    if meets(projection.value, threshold, operator):
        reason = f"Theo xu hướng sẽ đạt {_fmt(projection.value)} vào năm {spec.year}."
        return TargetStatus(ON_TRACK, threshold, operator, point, projection, reason, clear)
    favourable = projection.high if operator.startswith(">") else projection.low
    if favourable is not None and not meets(favourable, threshold, operator):
        reason = (
            f"Theo xu hướng chỉ đạt {_fmt(projection.value)} vào năm {spec.year}, "
            "cả khoảng tin cậy đều không đạt."
        )
        return TargetStatus(NOT_MET, threshold, operator, point, projection, reason, clear)
    reason = f"Theo xu hướng là {_fmt(projection.value)} vào năm {spec.year}: chưa chắc đạt."
    return TargetStatus(AT_RISK, threshold, operator, point, projection, reason, clear)


def _clear(point: Point, threshold: float) -> bool:
    if point.ci_low is None or point.ci_high is None:
        return False
    return point.ci_high < threshold or point.ci_low > threshold


def _judged(point: Point, threshold: float, operator: str) -> TargetStatus:
    ok = meets(point.value or 0.0, threshold, operator)
    status = MET if ok else NOT_MET
    reason = f"Năm {point.year}: {'đạt' if ok else 'không đạt'} ({_fmt(point.value or 0.0)})."
    return TargetStatus(status, threshold, operator, point, None, reason, _clear(point, threshold))


def project(
    points: Sequence[Point],
    year: int,
    *,
    lowest: float | None = 0.0,
    highest: float | None = None,
) -> Projection | None:
    """Linear trend of the yearly values extrapolated to ``year`` with a 95% interval.

    Weighted least squares with weights 1/se² when every point has an interval (se from
    its 95% interval), the covariance scaled up by the residual dispersion when it exceeds
    what the intervals explain; otherwise ordinary least squares with Student's t (three
    years or more; two years give the line without an interval). None with fewer than two
    years. The result is kept inside [lowest, highest]."""
    used = sorted((p for p in points if p.value is not None), key=lambda p: p.year)
    if len({p.year for p in used}) < 2:
        return None
    xs = [float(p.year) for p in used]
    ys = [float(p.value) for p in used]  # type: ignore[arg-type]
    ses = [_se(p) for p in used]
    weighted = all(se is not None and se > 0 for se in ses)
    ws = [1.0 / (se * se) for se in ses] if weighted else [1.0] * len(used)  # type: ignore[operator]
    sw = sum(ws)
    x_mean = sum(w * x for w, x in zip(ws, xs, strict=True)) / sw
    y_mean = sum(w * y for w, y in zip(ws, ys, strict=True)) / sw
    sxx = sum(w * (x - x_mean) ** 2 for w, x in zip(ws, xs, strict=True))
    sxy = sum(w * (x - x_mean) * (y - y_mean) for w, x, y in zip(ws, xs, ys, strict=True))
    slope = sxy / sxx
    value = y_mean + slope * (year - x_mean)
    n = len(used)
    rss = sum(
        w * (y - (y_mean + slope * (x - x_mean))) ** 2 for w, x, y in zip(ws, xs, ys, strict=True)
    )
    low = high = None
    if weighted:
        dispersion = max(1.0, rss / (n - 2)) if n > 2 else 1.0
        variance = dispersion * (1.0 / sw + (year - x_mean) ** 2 / sxx)
        half = _Z95 * math.sqrt(variance)
        low, high = value - half, value + half
    elif n > 2:
        variance = rss / (n - 2) * (1.0 / n + (year - x_mean) ** 2 / sxx)
        half = _T975.get(n - 2, _Z95) * math.sqrt(variance)
        low, high = value - half, value + half
    value, low, high = (_bounded(v, lowest, highest) for v in (value, low, high))
    return Projection(year, value, low, high, tuple(p.year for p in used))  # type: ignore[arg-type]


def _se(point: Point) -> float | None:
    if point.ci_low is None or point.ci_high is None:
        return None
    return (point.ci_high - point.ci_low) / (2 * _Z95)


def _bounded(value: float | None, lowest: float | None, highest: float | None) -> float | None:
    if value is None:
        return None
    if lowest is not None:
        value = max(lowest, value)
    if highest is not None:
        value = min(highest, value)
    return value


# ---------------------------------------------------------------- who holds the province back


@dataclass(frozen=True)
class UnitCount:
    unit_id: int
    numerator: float | None
    denominator: float | None


@dataclass(frozen=True)
class Contribution:
    unit_id: int
    value: float | None
    numerator: float
    denominator: float
    # Events beyond what the target allows (deaths above the target rate, women not reached
    # below a coverage target): positive holds the province back, negative pulls it forward.
    excess: float
    share: float | None  # part of the shortfall of all units that hold it back


@dataclass(frozen=True)
class GapBreakdown:
    excess: float  # the province's own excess = the sum over its units
    contributions: tuple[Contribution, ...]  # largest excess first


def gap_contributions(
    units: Sequence[UnitCount], *, threshold: float, direction: str, multiplier: int
) -> GapBreakdown:
    """Each unit's part of the province's gap to ``threshold``: for "lower is better",
    numerator − threshold × denominator / multiplier (e.g. deaths beyond the target rate
    among its live births); for "higher is better" the opposite sign (people not reached).
    Because rates are ratios of sums, the units' excesses add up exactly to the
    province's, so a large commune slightly off target can weigh more than a small one far
    off it."""
    sign = 1.0 if direction == "lower" else -1.0
    rows: list[tuple[UnitCount, float]] = []
    for unit in units:
        num, den = unit.numerator or 0.0, unit.denominator or 0.0
        rows.append((unit, sign * (num - threshold * den / multiplier)))
    behind = sum(excess for _, excess in rows if excess > 0)
    contributions = tuple(
        Contribution(
            unit_id=unit.unit_id,
            value=(unit.numerator or 0.0) / unit.denominator * multiplier
            if unit.denominator
            else None,
            numerator=unit.numerator or 0.0,
            denominator=unit.denominator or 0.0,
            excess=excess,
            share=excess / behind if behind > 0 and excess > 0 else None,
        )
        for unit, excess in sorted(rows, key=lambda row: (-row[1], row[0].unit_id))
    )
    return GapBreakdown(sum(excess for _, excess in rows), contributions)
