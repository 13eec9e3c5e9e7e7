"""The rules of values that come from outside the registers, without Django: the Wilson
interval of a survey proportion, a unit's policy value from its own answer or its
sub-units', the plans' staffing standards, and which series a target is judged on.

Read with docs/reported-values.md, which states the same rules for users.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Z95 = 1.959964

# The series, in the words the pages print (never mixed in one number or status).
REGISTERS = "registers"
SURVEY = "survey"
REPORTED = "reported"
APPROVED_AGGREGATE = "approved_aggregate"
SOURCE_LABELS = {
    REGISTERS: "sổ đăng ký",
    SURVEY: "điều tra",
    REPORTED: "báo cáo",
    APPROVED_AGGREGATE: "kỳ báo cáo đã duyệt",
}

# The catalogue's ``data_source`` says which series a target is judged on first; the
# next one is used only for a unit whose first series has no value in any year looked at.
PRECEDENCE = {
    "registers": (REGISTERS, APPROVED_AGGREGATE),
    "aggregate": (APPROVED_AGGREGATE, REPORTED, REGISTERS),
    "survey": (SURVEY, REGISTERS),
    "policy": (REPORTED,),
}


def precedence(data_source: str) -> tuple[str, ...]:
    return PRECEDENCE.get(data_source, (REGISTERS, SURVEY, REPORTED, APPROVED_AGGREGATE))


def choose_series(data_source: str, available: Iterable[str]) -> str | None:
    """The series a unit's target is judged on: the first of the indicator's precedence
    that holds a value; None when none does."""
    have = set(available)
    return next((s for s in precedence(data_source) if s in have), None)


# ---------------------------------------------------------------- survey intervals


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    computed: bool  # True: Wilson interval computed here from n and the value


def wilson(value: float, n: int, *, multiplier: int = 100) -> tuple[float, float]:
    """95% Wilson score interval of a proportion ``value`` (on the indicator's scale,
    e.g. 62.5 for 62.5%) observed in a simple random sample of ``n``. No design effect:
    a cluster survey's own interval is wider and should be entered when known."""
    if n <= 0:
        raise ValueError("Cỡ mẫu phải lớn hơn 0")
    p = value / multiplier
    if not 0.0 <= p <= 1.0:
        raise ValueError("Giá trị phải nằm trong khoảng 0–100%")
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half) * multiplier, min(1.0, centre + half) * multiplier


def survey_interval(
    value: float,
    n: int,
    low: float | None,
    high: float | None,
    *,
    multiplier: int = 100,
) -> Interval:
    """The survey's own interval when both ends are given (checked to hold the value),
    else the Wilson interval from ``n`` and the value. One end alone is refused."""
    if (low is None) != (high is None):
        raise ValueError("Nhập cả hai đầu của khoảng tin cậy, hoặc để trống cả hai")
    if low is not None and high is not None:
        if not low <= value <= high:
            raise ValueError("Khoảng tin cậy phải chứa giá trị (cận dưới ≤ giá trị ≤ cận trên)")
        return Interval(low, high, False)
    w_low, w_high = wilson(value, n, multiplier=multiplier)
    return Interval(w_low, w_high, True)


# ---------------------------------------------------------------- policy values


@dataclass(frozen=True)
class PolicyEntry:
    """One unit's entry for one item and year: a yes/no answer, a fraction
    (numerator of denominator, e.g. 8 of 10 districts) or a bare number."""

    unit_id: int
    answer: bool | None = None
    numerator: float | None = None
    denominator: float | None = None
    number: float | None = None

    def parts(self) -> tuple[float, float] | None:
        if self.answer is not None:
            return (1.0 if self.answer else 0.0), 1.0
        if self.numerator is not None and self.denominator:
            return self.numerator, self.denominator
        return None


@dataclass(frozen=True)
class Value:
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    detail: str = ""


def policy_value(
    own: PolicyEntry | None, below: Sequence[PolicyEntry], *, multiplier: int
) -> Value | None:
    """A unit's value of a policy item: its own entry when it has one; otherwise, from
    the entries of the units below it, Σ numerator / Σ denominator (a yes is 1 of 1, a
    no 0 of 1), or for a count (multiplier 1) Σ numbers. Units below that gave a bare
    percentage cannot be added up and are left out (the detail says how many)."""
    if own is not None:
        if multiplier == 1:
            count = own.number if own.number is not None else own.numerator
            return Value(count, count, None, "") if count is not None else None
        parts = own.parts()
        if parts is not None:
            num, den = parts
            return Value(num / den * multiplier, num, den, _answer_detail(own))
        if own.number is not None:
            return Value(own.number, None, None, "")
        return None
    if not below:
        return None
    if multiplier == 1:
        numbers = [
            e.number if e.number is not None else e.numerator
            for e in below
            if e.number is not None or e.numerator is not None
        ]
        if not numbers:
            return None
        total = float(sum(n for n in numbers if n is not None))
        return Value(total, total, None, f"tổng của {len(numbers)} đơn vị")
    fractions = [p for p in (e.parts() for e in below) if p is not None]
    if not fractions:
        return None
    num = sum(p[0] for p in fractions)
    den = sum(p[1] for p in fractions)
    left_out = len(below) - len(fractions)
    detail = f"{_n(num)}/{_n(den)} đơn vị cấp dưới đã báo cáo"
    if left_out:
        detail += f"; {left_out} đơn vị chỉ ghi tỷ lệ, không cộng được"
    return Value(num / den * multiplier, num, den, detail)


def _answer_detail(entry: PolicyEntry) -> str:
    if entry.answer is None:
        return f"{_n(entry.numerator or 0)}/{_n(entry.denominator or 0)}"
    return "có" if entry.answer else "không"


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


# ---------------------------------------------------------------- staffing standards


@dataclass(frozen=True)
class Doctors:
    """A specialty's doctors of one hospital: specialist level II and above (CKII, thạc
    sĩ, tiến sĩ), specialist level I, and general doctors with orientation training."""

    level2: int = 0
    level1: int = 0
    oriented: int = 0

    @property
    def oriented_or_above(self) -> int:
        return self.level2 + self.level1 + self.oriented

    @property
    def level1_or_above(self) -> int:
        return self.level2 + self.level1


@dataclass(frozen=True)
class StaffingStandard:
    """At least ``minimum`` doctors from orientation level up in each of obstetrics and
    paediatrics, of whom at least ``minimum_level1`` hold specialist level I or above, in
    every facility of the listed kinds (the kinds are a provincial setting)."""

    minimum: int
    minimum_level1: int
    facility_kinds: tuple[str, ...]
    source: str

    def meets(self, obstetrics: Doctors, paediatrics: Doctors) -> bool:
        return all(
            d.oriented_or_above >= self.minimum and d.level1_or_above >= self.minimum_level1
            for d in (obstetrics, paediatrics)
        )


_HOSPITALS = (
    "provincial_hospital",
    "specialised_hospital",
    "regional_health_centre",
    "district_health_centre",
)
STAFFING_STANDARDS = {
    # Bắc Giang 2024, section III.3: every hospital, 2 + 2 doctors, one of each CKI.
    "hospital_obgyn_paed_staffing_standard": StaffingStandard(
        2, 1, _HOSPITALS, "Kế hoạch Bắc Giang 2024, mục III.3"
    ),
    # Ninh Thuận 2022, section III.4.a: district health centres, 1 + 1 (the lower bound
    # of "01 - 02"), specialist or general doctor with orientation training.
    "district_hospital_obgyn_paed_min_staffing": StaffingStandard(
        1,
        0,
        ("district_health_centre", "regional_health_centre"),
        "Kế hoạch Ninh Thuận 2022, III.4.a",
    ),
}


@dataclass(frozen=True)
class FacilityStaff:
    facility_id: int
    kind: str
    obstetrics: Doctors
    paediatrics: Doctors
    child_doctors: int | None = None
    child_doctors_trained: int | None = None
    village_midwives: int | None = None


# What each workforce indicator is over the facilities of a unit.
WORKFORCE_INDICATORS = (
    *STAFFING_STANDARDS,
    "child_doctors_trained_sick_newborn",
    "village_midwives_active",
)


def workforce_value(code: str, staff: Sequence[FacilityStaff]) -> Value | None:
    """A unit's workforce indicator from the reports of its facilities for the year:
    facilities meeting a staffing standard over the facilities of its kinds that
    reported; trained child-health doctors over all child-health doctors; the sum of
    active village midwives."""
    if code in STAFFING_STANDARDS:
        standard = STAFFING_STANDARDS[code]
        eligible = [s for s in staff if s.kind in standard.facility_kinds]
        if not eligible:
            return None
        met = sum(1 for s in eligible if standard.meets(s.obstetrics, s.paediatrics))
        return Value(
            100.0 * met / len(eligible),
            float(met),
            float(len(eligible)),
            f"{met}/{len(eligible)} cơ sở đạt chuẩn ({standard.source})",
        )
    if code == "child_doctors_trained_sick_newborn":
        rows = [s for s in staff if s.child_doctors]
        if not rows:
            return None
        den = sum(s.child_doctors or 0 for s in rows)
        num = sum(min(s.child_doctors_trained or 0, s.child_doctors or 0) for s in rows)
        return Value(100.0 * num / den, float(num), float(den), f"{len(rows)} cơ sở báo cáo")
    if code == "village_midwives_active":
        rows = [s for s in staff if s.village_midwives is not None]
        if not rows:
            return None
        total = float(sum(s.village_midwives or 0 for s in rows))
        return Value(total, total, None, f"{len(rows)} cơ sở báo cáo")
    return None
