"""The executable part of an indicator definition: the ``compute:`` block of a catalogue
entry, parsed and checked (no Django).

Two forms (docs/indicators.md, "Executable definitions"):

    compute:                          # a proportion of one kind of fact
      facts: delivery                 # what is counted (see FACTS)
      date: delivery_date             # which date places a fact in a period
      where: {}                       # which facts are in the denominator
      select: all                     # or latest_per_subject: one fact per person
      numerator: {anc_visits: {ge: 4}, anc_trimesters: "123"}
      ci: wilson

    compute:                          # a ratio of two kinds of fact
      numerator: {fact: death, date: death_date, where: {live_born: true, age_days: {le: 27}}}
      denominator: {fact: live_birth}
      ci: poisson_exact

A fact's unit is its commune of residence on the event date or the unit of service
(``attribution``, chosen when values are read; both are stored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import problems as filter_problems

# Columns every fact carries (besides the unit, period and person columns).
PROFILE_ATTRIBUTES = (
    "ethnicity",  # official code, Kinh = "01"
    "ethnic_minority",  # person of an ethnic minority (from the ethnicity)
    "ethnic_minority_area",  # commune classification on the event date
    "especially_difficult",
    "zone",  # "I" | "II" | "III" | ""
    "sex",  # of the child ("M"/"F"); of the woman for her own events
    "mother_age_group",  # "<20" | "20-34" | "35+" (mother's age at the delivery)
    "place_of_delivery",  # facility | home | on_the_way | other
    "poverty",  # "" | poor | near_poor
    "education",  # mother's (or the woman's) education
)

# Fact kind -> (dates that may place it in a period, first is the default; own columns)
FACTS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "live_birth": (
        ("birth_date",),
        frozenset(
            {
                "weight_g",
                "weighed",
                "in_facility",
                "eenc_dried",
                "eenc_skin_to_skin",
                "eenc_cord_delayed",
                "eenc_breastfed_1h",
                "gestational_weeks",
                "babies",
            }
        ),
    ),
    "delivery": (
        ("delivery_date",),
        frozenset(
            {
                "in_facility",
                "skilled",
                "attendant",
                "anc_visits",
                "anc_trimesters",
                "iron_tablets",
                "pnc_home_week1",
                "pnc_42days",
                "live_births",
                "stillbirths",
                "mode",
            }
        ),
    ),
    "death": (
        ("death_date", "recorded_date"),
        frozenset(
            {
                "age_days",
                "age_years",
                "live_born",
                "cause_group",
                "injury_type",
                "pregnancy_relation",
                "review_status",
                "place_of_death",
                "days_to_record",
            }
        ),
    ),
    "immunisation_complete": (("completion_date",), frozenset({"age_days"})),
    "measurement": (
        ("measurement_date",),
        frozenset({"age_days", "haz", "waz", "whz", "baz", "oedema", "position"}),
    ),
    "illness": (("illness_date",), frozenset({"kind", "age_days", "antibiotic", "severe"})),
}
CI_METHODS = ("wilson", "poisson_exact", "none")
POPULATION_GROUPS = ("0", "1-4", "0-4", "15-49")  # orgunits.Population.AgeGroup
SELECTS = ("all", "latest_per_subject")
PARAMS = {"immunisation_complete": frozenset({"doses", "before_birthday"})}
_PROPORTION_KEYS = frozenset({"facts", "date", "where", "select", "numerator", "ci", "params"})
_RATIO_KEYS = frozenset({"numerator", "denominator", "ci"})
_SIDE_KEYS = frozenset({"fact", "date", "where", "params"})


@dataclass(frozen=True)
class Count:
    """Facts of one kind, placed by one of their dates, passing a filter."""

    fact: str
    date: str
    where: Mapping[str, Any] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ComputeSpec:
    denominator: Count | None
    numerator: Count
    ci: str
    select: str = "all"
    # Proportion form: the numerator is the denominator's facts passing ``numerator.where``.
    within_denominator: bool = False
    # Per-population rate: the denominator is the mid-year population of this age group
    # (orgunits.Population), not facts; ``denominator`` is then None.
    population: str | None = None

    @property
    def latest(self) -> bool:
        return self.select == "latest_per_subject"

    @property
    def fact_kinds(self) -> set[str]:
        kinds = {self.numerator.fact}
        if self.denominator is not None:
            kinds.add(self.denominator.fact)
        return kinds


def columns_of(fact: str) -> frozenset[str]:
    return FACTS[fact][1] | frozenset(PROFILE_ATTRIBUTES)


def _side(raw: Any, label: str, errors: list[str], *, fact: str | None = None) -> Count | None:
    if not isinstance(raw, dict):
        errors.append(f"{label}: phải là một bảng (mapping)")
        return None
    keys = _SIDE_KEYS if fact is None else frozenset({"where"})
    unknown = sorted(set(map(str, raw)) - keys) if fact is None else []
    if unknown:
        errors.append(f"{label}: khóa không hợp lệ: {', '.join(unknown)}")
    kind = raw.get("fact") if fact is None else fact
    if kind not in FACTS:
        errors.append(f"{label}: 'fact' = {kind!r} không hợp lệ; cho phép: {', '.join(FACTS)}")
        return None
    dates = FACTS[kind][0]
    date = raw.get("date", dates[0]) if fact is None else dates[0]
    if date not in dates:
        errors.append(
            f"{label}: 'date' = {date!r} không hợp lệ cho {kind}; cho phép: {', '.join(dates)}"
        )
    where = raw.get("where", {}) if fact is None else raw
    errors += [f"{label}: {p}" for p in filter_problems(where, allowed=columns_of(kind))]
    params = raw.get("params", {}) if fact is None else {}
    errors += _params_problems(kind, params, label)
    return Count(kind, str(date), where if isinstance(where, dict) else {}, params or {})


def _params_problems(kind: str, params: Any, label: str) -> list[str]:
    if not params:
        if kind in PARAMS:
            return [f"{label}: {kind} cần 'params': {', '.join(sorted(PARAMS[kind]))}"]
        return []
    if not isinstance(params, dict) or not set(params) <= PARAMS.get(kind, frozenset()):
        return [f"{label}: 'params' không hợp lệ cho {kind}"]
    found = []
    if kind == "immunisation_complete":
        doses = params.get("doses")
        if (
            not isinstance(doses, dict)
            or not doses
            or not all(
                isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 1
                for k, v in doses.items()
            )
        ):
            found.append(f"{label}: 'params.doses' phải là bảng mã vắc xin -> số mũi (>= 1)")
        years = params.get("before_birthday")
        if isinstance(years, bool) or not isinstance(years, int) or years < 1:
            found.append(f"{label}: 'params.before_birthday' phải là số năm tuổi (>= 1)")
    return found


def parse_compute(raw: Any, label: str) -> tuple[ComputeSpec | None, list[str]]:
    """Check a ``compute:`` block; return the spec or the list of problems."""
    errors: list[str] = []
    label = f"{label}, compute"
    if not isinstance(raw, dict):
        return None, [f"{label}: phải là một bảng (mapping)"]
    ci = raw.get("ci")
    if ci not in CI_METHODS:
        errors.append(f"{label}: 'ci' = {ci!r} không hợp lệ; cho phép: {', '.join(CI_METHODS)}")
    if "facts" in raw:
        unknown = sorted(set(map(str, raw)) - _PROPORTION_KEYS)
        if unknown:
            errors.append(f"{label}: khóa không hợp lệ: {', '.join(unknown)}")
        select = raw.get("select", "all")
        if select not in SELECTS:
            errors.append(
                f"{label}: 'select' = {select!r} không hợp lệ; cho phép: {', '.join(SELECTS)}"
            )
        side = {k: raw[k] for k in ("date", "where", "params") if k in raw}
        denominator = _side({"fact": raw["facts"], **side}, label, errors)
        if "numerator" not in raw:
            errors.append(f"{label}: thiếu 'numerator' (bộ lọc của tử số)")
        numerator = (
            _side(raw.get("numerator") or {}, f"{label}, numerator", errors, fact=raw["facts"])
            if denominator is not None
            else None
        )
        if errors or denominator is None or numerator is None:
            return None, errors
        numerator = Count(denominator.fact, denominator.date, numerator.where, denominator.params)
        return ComputeSpec(denominator, numerator, str(ci), str(select), True), []
    unknown = sorted(set(map(str, raw)) - _RATIO_KEYS)
    if unknown:
        errors.append(f"{label}: khóa không hợp lệ: {', '.join(unknown)} (thiếu 'facts'?)")
    if "numerator" not in raw or "denominator" not in raw:
        errors.append(
            f"{label}: cần 'facts' (một loại dữ kiện) hoặc cả 'numerator' và 'denominator'"
        )
        return None, errors
    num = _side(raw["numerator"], f"{label}, numerator", errors)
    if isinstance(raw["denominator"], dict) and "population" in raw["denominator"]:
        group = raw["denominator"]["population"]
        if set(raw["denominator"]) != {"population"} or group not in POPULATION_GROUPS:
            errors.append(
                f"{label}, denominator: 'population' phải là một trong "
                f"{', '.join(POPULATION_GROUPS)} và không kèm khóa khác"
            )
        if errors or num is None:
            return None, errors
        return ComputeSpec(None, num, str(ci), population=str(group)), []
    den = _side(raw["denominator"], f"{label}, denominator", errors)
    if errors or num is None or den is None:
        return None, errors
    return ComputeSpec(den, num, str(ci)), []


def batch_key(count: Count) -> str:
    """Which batch of facts a count reads: its kind, with its parameters if any."""
    if not count.params:
        return count.fact
    values = ";".join(f"{k}={count.params[k]!r}" for k in sorted(count.params))
    return f"{count.fact}[{values}]"
