"""Data quality checks in the spirit of WHO's Data Quality Review (DQR) toolkit, over plain
values: ``{(unit_id, month, element): value}`` where ``month`` is ``(year, month)``.

No Django here: the register adapter (``quality_data``) counts events into this shape, and
aggregate forms can feed the same shape later (one value per unit × period × element).

Checks and their thresholds (all in ``Thresholds``, documented in the README):

- **Completeness**: a commune with no record at all in a month (every element absent or 0,
  any element of the values counting, not only the checked ones)
  is a missing report. WHO DQR counts reports received / expected; for registers, a month
  with nothing entered is the nearest equivalent.
- **Outliers against the unit's own history**: modified z-score (Iglewicz & Hoaglin 1993)
  ``M = 0.6745 (x − median) / MAD`` over the unit's months of the period; ``|M| > 3.5``
  and at least ``min_count`` events from the median is flagged. Months with nothing recorded are left to the completeness check. When MAD is 0
  (most months equal) a value differing from the median by more than ``flat_jump`` (and by
  at least ``min_count``) is flagged instead. Series shorter than ``min_months`` are skipped.
- **Outliers against the province**: each commune's yearly total per element divided by its
  deliveries (the size measure every commune has) compared with the same ratio of the
  province: the modified z-score of the unit's ratio among all units, ``|M| > 3.5`` (when
  the units are all alike, MAD 0: more than ``ratio_tolerance`` from their median).
- **Internal consistency** (DQR dimension 2, "consistency between related indicators"): the
  unit's ratio compared with the province's ratio, flagged when it differs by more than
  ``ratio_tolerance`` (33 %): first antenatal visits vs deliveries, BCG doses vs live
  births; plus rules that hold everywhere: live births per delivery within 0.9–1.1
  (twins are one delivery), deaths under 1 fewer than live births.
- **Timeliness** (aggregate reports only): each month a unit reported, whether its first
  submission came by the deadline (``timeliness``, computed by the caller from the days off).
- **Comparison with surveys** (DQR dimension 3, "external consistency"): a routine
  coverage (register or approved-report value of an indicator for a unit and year) against
  a survey's value of the same indicator, unit and year. Flagged when the routine value
  differs from the survey's by more than ``survey_tolerance`` (33 %) of the survey's value,
  |routine / survey − 1| > 0.33, the DQR's usual band for routine vs survey coverage
  (``survey_comparison``).
- **Score** per unit: 100 × passed checks / checks run, every check counted once.

A review for part of a year (a month, a quarter: ``months``) judges each month of that part
against the unit's months of the whole year so far (``history``), and the ratios over the
part's totals.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Month = tuple[int, int]
Key = tuple[int, Month, str]

ANC1 = "anc1"
DELIVERIES = "deliveries"
LIVE_BIRTHS = "live_births"
BCG = "bcg"
DEATHS_UNDER_1 = "deaths_under_1"
ELEMENTS = (ANC1, DELIVERIES, LIVE_BIRTHS, BCG, DEATHS_UNDER_1)
# Any other element in the values (every antenatal visit, say) only tells that the unit
# recorded something that month.
ELEMENT_NAMES = {
    ANC1: "Khám thai lần đầu",
    DELIVERIES: "Số ca đẻ",
    LIVE_BIRTHS: "Trẻ đẻ sống",
    BCG: "Liều BCG",
    DEATHS_UNDER_1: "Tử vong dưới 1 tuổi",
}

COMPLETENESS = "completeness"
TIMELINESS = "timeliness"
OUTLIER_OWN = "outlier_own"
OUTLIER_PROVINCE = "outlier_province"
CONSISTENCY = "consistency"
SURVEY = "survey"
KIND_NAMES = {
    COMPLETENESS: "Thiếu số liệu",
    TIMELINESS: "Nộp muộn",
    OUTLIER_OWN: "Giá trị bất thường so với chính đơn vị",
    OUTLIER_PROVINCE: "Giá trị bất thường so với cả tỉnh",
    CONSISTENCY: "Không nhất quán",
    SURVEY: "Lệch so với điều tra",
}


@dataclass(frozen=True)
class Thresholds:
    modified_z: float = 3.5
    min_months: int = 6
    flat_jump: float = 1.0  # MAD 0: flag a month more than 100 % away from the median
    min_count: float = 5  # … and at least this many events away (small numbers are noise)
    ratio_tolerance: float = 0.33
    min_denominator: float = 10  # ratios of smaller counts are not judged
    births_per_delivery: tuple[float, float] = (0.9, 1.1)
    survey_tolerance: float = 0.33  # routine vs survey: relative to the survey's value


@dataclass(frozen=True)
class Finding:
    kind: str
    unit_id: int
    element: str
    message: str
    month: Month | None = None  # None: about the whole period
    value: float | None = None
    expected: float | None = None

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


@dataclass
class UnitScore:
    unit_id: int
    checks: int = 0
    passed: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        return round(100 * self.passed / self.checks, 1) if self.checks else None


@dataclass(frozen=True)
class QualityReview:
    months: list[Month]
    units: list[int]
    findings: list[Finding]
    scores: dict[int, UnitScore]
    completeness: dict[int, float]  # unit → % of months with records
    province_completeness: float | None

    def for_unit(self, unit_id: int) -> list[Finding]:
        return [f for f in self.findings if f.unit_id == unit_id]


def modified_z(value: float, series: list[float]) -> float | None:
    """0.6745 (x − median) / MAD; None when MAD is 0."""
    median = statistics.median(series)
    mad = statistics.median(abs(x - median) for x in series)
    if mad == 0:
        return None
    return 0.6745 * (value - median) / mad


def _month_text(month: Month) -> str:
    return f"{month[1]:02d}/{month[0]}"


def _num(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def review(
    values: Mapping[Key, float],
    *,
    units: Iterable[int],
    months: Iterable[Month],
    thresholds: Thresholds | None = None,
    expected: Mapping[int, Iterable[Month]] | None = None,
    timeliness: Mapping[tuple[int, Month], bool] | None = None,
    missing_text: Mapping[tuple[int, Month], str] | None = None,
    history: Iterable[Month] | None = None,
) -> QualityReview:
    """Every check over ``values`` for ``units`` and ``months`` (the period reviewed).
    ``expected``: the months each unit must report (a commune created or merged during the
    period reports only while it exists); default every month. ``timeliness``: for a unit's
    month reported, whether it came by the deadline (True) or late (False).
    ``missing_text``: what a completeness finding says for a unit's month (default: no
    record in the registers). ``history``: the months each month is judged against for
    outliers (default ``months``; a quarter's page passes the year's months up to its end)."""
    t = thresholds or Thresholds()
    unit_ids, month_list = list(units), sorted(months)
    history_list = sorted(set(history or ()) | set(month_list))
    due_all = {
        u: set(expected[u]) if expected and u in expected else set(history_list) for u in unit_ids
    }
    due = {u: due_all[u] & set(month_list) for u in unit_ids}
    scores = {u: UnitScore(u) for u in unit_ids}
    findings: list[Finding] = []

    def check(unit: int, finding: Finding | None) -> None:
        score = scores[unit]
        score.checks += 1
        if finding is None:
            score.passed += 1
        else:
            score.findings.append(finding)
            findings.append(finding)

    def get(unit: int, month: Month, element: str) -> float:
        return float(values.get((unit, month, element), 0) or 0)

    # completeness
    active = {(unit, month) for (unit, month, _), value in values.items() if value}
    reported: dict[int, set[Month]] = defaultdict(set)
    for unit in unit_ids:
        for month in month_list:
            if month not in due[unit]:
                continue
            if (unit, month) in active:
                reported[unit].add(month)
                check(unit, None)
            else:
                check(
                    unit,
                    Finding(
                        COMPLETENESS,
                        unit,
                        "",
                        (missing_text or {}).get(
                            (unit, month),
                            f"Không có bản ghi nào trong sổ tháng {_month_text(month)}.",
                        ),
                        month=month,
                    ),
                )
    for (unit, month), on_time in sorted((timeliness or {}).items()):
        if unit in scores and month in due[unit]:
            check(
                unit,
                None
                if on_time
                else Finding(
                    TIMELINESS,
                    unit,
                    "",
                    f"Báo cáo tháng {_month_text(month)} nộp sau hạn.",
                    month=month,
                ),
            )

    # outliers against the unit's own history
    for unit in unit_ids:
        months_in = [m for m in history_list if m in due_all[unit] and (unit, m) in active]
        if len(months_in) < t.min_months:
            continue
        for element in ELEMENTS:
            series = [get(unit, m, element) for m in months_in]
            if not any(series):
                continue
            median = statistics.median(series)
            for month, value in zip(months_in, series, strict=True):
                if month not in reported[unit]:
                    continue  # history only: judged on its own page
                z = modified_z(value, series)
                gap = abs(value - median)
                if z is not None:  # small counts are noise: at least min_count events away
                    flagged = abs(z) > t.modified_z and gap >= t.min_count
                    why = f"điểm z hiệu chỉnh {_num(z)}"
                else:
                    flagged = gap >= t.min_count and gap > t.flat_jump * max(median, 1)
                    why = "các tháng khác gần như bằng nhau"
                check(
                    unit,
                    Finding(
                        OUTLIER_OWN,
                        unit,
                        element,
                        f"{ELEMENT_NAMES[element]} tháng {_month_text(month)}: {_num(value)}, "
                        f"trung vị các tháng {_num(median)} ({why}).",
                        month=month,
                        value=value,
                        expected=median,
                    )
                    if flagged
                    else None,
                )

    totals = {(u, e): sum(get(u, m, e) for m in month_list) for u in unit_ids for e in ELEMENTS}
    province = {e: sum(totals[(u, e)] for u in unit_ids) for e in ELEMENTS}

    # outliers against the province: events per delivery, among units
    sized = [u for u in unit_ids if totals[(u, DELIVERIES)] >= t.min_denominator]
    for element in (ANC1, LIVE_BIRTHS, BCG):
        ratios = {u: totals[(u, element)] / totals[(u, DELIVERIES)] for u in sized}
        if len(ratios) < 5:
            continue
        series = list(ratios.values())
        middle = statistics.median(series)
        for unit, ratio in ratios.items():
            z = modified_z(ratio, series)
            if z is not None:
                flagged = abs(z) > t.modified_z
            else:  # the other units all alike: judge the distance itself
                flagged = middle > 0 and abs(ratio / middle - 1) > t.ratio_tolerance
            check(
                unit,
                Finding(
                    OUTLIER_PROVINCE,
                    unit,
                    element,
                    f"{ELEMENT_NAMES[element]} trên mỗi ca đẻ: {_num(ratio)}, trung vị các xã "
                    f"{_num(middle)}"
                    + (f" (điểm z hiệu chỉnh {_num(z)})." if z is not None else "."),
                    value=ratio,
                    expected=middle,
                )
                if flagged
                else None,
            )

    # internal consistency
    pairs = ((ANC1, DELIVERIES), (BCG, LIVE_BIRTHS))
    for numerator, denominator in pairs:
        if not province[denominator]:
            continue
        ratio_all = province[numerator] / province[denominator]
        for unit in unit_ids:
            below = totals[(unit, denominator)]
            if below < t.min_denominator or ratio_all == 0:
                continue
            ratio = totals[(unit, numerator)] / below
            off = abs(ratio / ratio_all - 1)
            check(
                unit,
                Finding(
                    CONSISTENCY,
                    unit,
                    numerator,
                    f"{ELEMENT_NAMES[numerator]} / {ELEMENT_NAMES[denominator].lower()} = "
                    f"{_num(ratio)}, cả tỉnh {_num(ratio_all)}: lệch {_num(100 * off)}% "
                    f"(ngưỡng {_num(100 * t.ratio_tolerance)}%).",
                    value=ratio,
                    expected=ratio_all,
                )
                if off > t.ratio_tolerance
                else None,
            )
    low, high = t.births_per_delivery
    for unit in unit_ids:
        deliveries, births = totals[(unit, DELIVERIES)], totals[(unit, LIVE_BIRTHS)]
        if deliveries >= t.min_denominator:
            ratio = births / deliveries
            check(
                unit,
                Finding(
                    CONSISTENCY,
                    unit,
                    LIVE_BIRTHS,
                    f"Trẻ đẻ sống / số ca đẻ = {_num(ratio)} ({_num(births)} / "
                    f"{_num(deliveries)}), ngoài khoảng {_num(low)}–{_num(high)}.",
                    value=ratio,
                    expected=1.0,
                )
                if not low <= ratio <= high
                else None,
            )
        deaths = totals[(unit, DEATHS_UNDER_1)]
        if deaths or births:
            check(
                unit,
                Finding(
                    CONSISTENCY,
                    unit,
                    DEATHS_UNDER_1,
                    f"Tử vong dưới 1 tuổi ({_num(deaths)}) không ít hơn trẻ đẻ sống "
                    f"({_num(births)}).",
                    value=deaths,
                    expected=births,
                )
                if deaths >= births and deaths > 0
                else None,
            )

    completeness = {
        u: round(100 * len(reported[u] & due[u]) / len(due[u]), 1) if due[u] else 0.0
        for u in unit_ids
    }
    expected_reports = sum(len(due[u]) for u in unit_ids)
    return QualityReview(
        months=month_list,
        units=unit_ids,
        findings=findings,
        scores=scores,
        completeness=completeness,
        province_completeness=(
            round(100 * sum(len(reported[u] & due[u]) for u in unit_ids) / expected_reports, 1)
            if expected_reports
            else None
        ),
    )


def year_months(year: int) -> list[Month]:
    return [(year, m) for m in range(1, 13)]


@dataclass(frozen=True)
class SurveyComparison:
    """One routine value against a survey's value of the same indicator, unit and year."""

    unit_id: int
    indicator: str
    name: str
    routine: float
    survey: float
    survey_text: str  # the survey's name, date and sample size
    difference: float  # routine / survey − 1
    finding: Finding | None  # None: within the tolerance

    @property
    def difference_text(self) -> str:
        return f"{'+' if self.difference > 0 else '−' if self.difference < 0 else ''}" + (
            f"{_num(abs(100 * self.difference))}%"
        )


def survey_comparison(
    routine: Mapping[tuple[int, str], float],
    surveys: Mapping[tuple[int, str], tuple[float, str]],
    *,
    names: Mapping[str, str] | None = None,
    thresholds: Thresholds | None = None,
) -> list[SurveyComparison]:
    """Each (unit, indicator) with both a routine value and a survey value (> 0): the
    relative difference routine / survey − 1, flagged beyond ±``survey_tolerance``."""
    t = thresholds or Thresholds()
    out = []
    for key in sorted(set(routine) & set(surveys)):
        unit, code = key
        value, (survey, text) = routine[key], surveys[key]
        if not survey:
            continue
        off = value / survey - 1
        name = (names or {}).get(code, code)
        finding = None
        if abs(off) > t.survey_tolerance:
            finding = Finding(
                SURVEY,
                unit,
                code,
                f"{name}: số liệu thường quy {_num(value)}, điều tra {_num(survey)} ({text}): "
                f"lệch {'+' if off > 0 else '−'}{_num(abs(100 * off))}% so với điều tra "
                f"(ngưỡng ±{_num(100 * t.survey_tolerance)}%).",
                value=value,
                expected=survey,
            )
        out.append(SurveyComparison(unit, code, name, value, survey, text, off, finding))
    return out
