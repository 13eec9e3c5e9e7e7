"""Reading and checking a plan file (``mch-plan/1``, see docs/plan-format.md).

This module knows nothing of the database: it turns YAML text into plain dataclasses
and a list of problems, each with the line it was found on and a Vietnamese message.
Checks that need the database (does the indicator exist, which unit is "58" on that
date) are done by ``importer.py`` against these dataclasses.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import yaml

from .budget import budget_overruns

FORMAT = "mch-plan/1"

COMPARATORS: dict[str, str] = {
    "đạt": "dat",
    "trên": "tren",
    "dưới": "duoi",
    "xuống": "xuong",
    "duy trì": "duy_tri",
    "tăng": "tang",
    "giảm": "giam",
    "=": "bare",
}
# The file may also use the stored codes (an export writes the Vietnamese words).
COMPARATORS.update({code: code for code in list(COMPARATORS.values())})
COMPARATOR_WORDS = {code: word for word, code in COMPARATORS.items() if word != code}
RELATIVE = {"tang", "giam"}
KINDS = {"ke_hoach", "chi_thi", "quyet_dinh", "other"}
SOURCES = {"body", "annex"}
ROLES = {"lead", "support"}
OBJECTIVE_KINDS = {"general", "specific"}
OBSERVATION_KINDS = {"baseline", "actual"}
AGENCY_KINDS = {
    "peoples_committee",
    "department",
    "health_facility",
    "mass_organisation",
    "media",
    "other",
}
CHANGE_UNITS = {"percent", "points"}
LEVELS = {"country", "province", "district", "commune"}


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.line}: {self.message}" if self.line else self.message


class PlanFileError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class UnitRef:
    level: str
    code: str
    on: dt.date
    line: int | None


@dataclass(frozen=True)
class ValueSpec:
    indicator: str
    year: int
    population: str
    value: Decimal | None
    value_text: str
    quote: str
    source: str
    ref: str
    note: str
    objective: str | None
    line: int | None
    order: int
    # targets only
    comparator: str = ""
    baseline_year: int | None = None
    change_unit: str = ""
    # observations only
    kind: str = ""


@dataclass(frozen=True)
class BudgetSpec:
    year: int | None
    amount_vnd: int
    funding_source: str
    item: str
    quote: str
    line: int | None


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str
    line: int | None


@dataclass(frozen=True)
class TaskSpec:
    agency: str
    role: str
    ref: str
    description: str
    line: int | None


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    kind: str
    title: str
    line: int | None


@dataclass
class PlanSpec:
    slug: str = ""
    kind: str = ""
    number: str = ""
    title: str = ""
    issuer_name: str = ""
    issuer_unit: UnitRef | None = None
    scope_unit: UnitRef | None = None
    issued_on: dt.date | None = None
    issued_text: str = ""
    signer_name: str = ""
    signer_title: str = ""
    period_start: int = 0
    period_end: int = 0
    legal_basis: list[str] = field(default_factory=list)
    summary: str = ""
    deadline_month: int | None = None
    deadline_day: int | None = None
    deadline_text: str = ""
    recipient: str = ""
    objectives: list[ObjectiveSpec] = field(default_factory=list)
    targets: list[ValueSpec] = field(default_factory=list)
    observations: list[ValueSpec] = field(default_factory=list)
    budget: list[BudgetSpec] = field(default_factory=list)
    agencies: list[AgencySpec] = field(default_factory=list)
    tasks: list[TaskSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Map(dict[str, Any]):
    line: int | None = None


class _List(list[Any]):
    line: int | None = None


class _Loader(yaml.SafeLoader):
    """A safe loader that remembers the line each mapping and sequence starts on, and reads
    booleans as YAML 1.2 does (only true/false), so that the key ``on`` stays a string."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    result = _Map(cast(dict[str, Any], loader.construct_mapping(node, deep=True)))
    result.line = node.start_mark.line + 1
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _List:
    result = _List(loader.construct_sequence(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


class _Reader:
    """Pulls typed fields out of the YAML tree, recording every problem with its line."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, node: Any, message: str) -> None:
        self.problems.append(Problem(getattr(node, "line", None), message))

    def text(
        self, node: dict[str, Any], key: str, *, required: bool = False, where: str = ""
    ) -> str:
        value = node.get(key)
        if value is None or value == "":
            if required:
                self.problem(node, f"Thiếu trường bắt buộc '{key}'{where}.")
            return ""
        if isinstance(value, dict | list):
            self.problem(node, f"Trường '{key}'{where} phải là một chuỗi văn bản.")
            return ""
        return str(value).strip()

    def integer(
        self, node: dict[str, Any], key: str, *, required: bool = False, where: str = ""
    ) -> int | None:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(node, f"Thiếu trường bắt buộc '{key}'{where}.")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(node, f"Trường '{key}'{where} phải là số nguyên, không phải '{value}'.")
            return None
        return value

    def number(self, node: dict[str, Any], key: str, *, where: str = "") -> Decimal | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            self.problem(node, f"Giá trị '{key}'{where} không phải là số: '{value}'.")
            return None
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            self.problem(
                node,
                f"Giá trị '{key}'{where} không phải là số: '{value}' "
                "(dùng dấu chấm cho phần thập phân trong tệp, ví dụ 9.5).",
            )
            return None

    def choice(
        self,
        node: dict[str, Any],
        key: str,
        allowed: set[str],
        *,
        default: str = "",
        where: str = "",
    ) -> str:
        value = self.text(node, key, where=where) or default
        if value not in allowed:
            listed = ", ".join(sorted(allowed))
            self.problem(
                node, f"Giá trị '{value}' của trường '{key}'{where} không hợp lệ (chọn: {listed})."
            )
        return value

    def date(self, node: dict[str, Any], key: str, *, where: str = "") -> dt.date | None:
        value = node.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(node, f"Ngày '{value}' ở trường '{key}'{where} phải viết dạng YYYY-MM-DD.")
            return None

    def mapping(self, node: Any, key: str, *, required: bool = False) -> _Map | None:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            if required:
                self.problem(node, f"Thiếu mục bắt buộc '{key}'.")
            return None
        if not isinstance(value, dict):
            self.problem(node, f"Mục '{key}' phải là một bảng khóa: giá trị.")
            return None
        return value  # type: ignore[return-value]

    def items(self, node: Any, key: str) -> list[_Map]:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(node, f"Mục '{key}' phải là một danh sách.")
            return []
        good: list[_Map] = []
        for item in value:
            if isinstance(item, dict):
                good.append(item)  # type: ignore[arg-type]
            else:
                self.problem(value, f"Mỗi phần tử của '{key}' phải là một bảng khóa: giá trị.")
        return good

    def unit_ref(self, node: dict[str, Any] | None, what: str) -> UnitRef | None:
        if node is None:
            return None
        level = self.choice(node, "level", LEVELS, where=f" của {what}")
        code = self.text(node, "code", required=True, where=f" của {what}")
        on = self.date(node, "on", where=f" của {what}")
        if on is None:
            self.problem(
                node, f"Thiếu ngày 'on' của {what} (mã đơn vị có hiệu lực theo thời gian)."
            )
            return None
        return UnitRef(level=level, code=code, on=on, line=getattr(node, "line", None))


def parse(text: str | bytes) -> PlanSpec:
    """Read a plan file. Raises PlanFileError listing every problem found."""
    try:
        tree = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise PlanFileError([Problem(line, f"Tệp YAML không đọc được: {reason}.")]) from exc
    if not isinstance(tree, dict):
        raise PlanFileError([Problem(None, "Tệp kế hoạch phải là một bảng YAML (khóa: giá trị).")])

    r = _Reader()
    spec = PlanSpec()
    if tree.get("format") != FORMAT:
        r.problem(tree, f"Định dạng tệp phải là '{FORMAT}', không phải '{tree.get('format')}'.")
    spec.slug = r.text(tree, "slug", required=True)
    spec.kind = r.choice(tree, "kind", KINDS)
    spec.number = r.text(tree, "number")
    spec.title = r.text(tree, "title", required=True)
    issuer = r.mapping(tree, "issuer", required=True)
    if issuer is not None:
        spec.issuer_name = r.text(issuer, "name", required=True, where=" của cơ quan ban hành")
        spec.issuer_unit = r.unit_ref(r.mapping(issuer, "unit", required=True), "đơn vị ban hành")
    spec.scope_unit = r.unit_ref(r.mapping(tree, "scope_unit", required=True), "phạm vi")
    issued = r.mapping(tree, "issued")
    if issued is not None:
        spec.issued_on = r.date(issued, "date")
        spec.issued_text = r.text(issued, "text")
    signer = r.mapping(tree, "signer")
    if signer is not None:
        spec.signer_name = r.text(signer, "name")
        spec.signer_title = r.text(signer, "title")
    period = r.mapping(tree, "period", required=True)
    if period is not None:
        spec.period_start = r.integer(period, "start", required=True, where=" của thời kỳ") or 0
        spec.period_end = r.integer(period, "end", required=True, where=" của thời kỳ") or 0
        if spec.period_start and spec.period_end and spec.period_end < spec.period_start:
            r.problem(period, "Năm kết thúc thời kỳ trước năm bắt đầu.")
    basis = tree.get("legal_basis") or []
    spec.legal_basis = [str(item).strip() for item in basis] if isinstance(basis, list) else []
    spec.summary = r.text(tree, "summary")
    reporting = r.mapping(tree, "reporting")
    if reporting is not None:
        deadline = r.mapping(reporting, "deadline")
        if deadline is not None:
            spec.deadline_month = r.integer(
                deadline, "month", required=True, where=" của hạn báo cáo"
            )
            spec.deadline_day = r.integer(deadline, "day", required=True, where=" của hạn báo cáo")
            try:
                dt.date(2024, spec.deadline_month or 1, spec.deadline_day or 1)
            except ValueError:
                r.problem(deadline, "Hạn báo cáo không phải là một ngày hợp lệ trong năm.")
        spec.deadline_text = r.text(reporting, "text")
        spec.recipient = r.text(reporting, "recipient")

    order = 0
    objective_codes: set[str] = set()
    for objective in r.items(tree, "objectives"):
        code = r.text(objective, "code", required=True, where=" của mục tiêu")
        if code in objective_codes:
            r.problem(objective, f"Mã mục tiêu '{code}' bị trùng.")
        objective_codes.add(code)
        spec.objectives.append(
            ObjectiveSpec(
                code=code,
                kind=r.choice(objective, "kind", OBJECTIVE_KINDS, default="specific"),
                title=r.text(objective, "title", required=True, where=f" của mục tiêu {code}"),
                line=objective.line,
            )
        )
        for target in r.items(objective, "targets"):
            order += 1
            spec.targets.append(_target(r, target, objective=code, order=order))
    for target in r.items(tree, "targets"):
        order += 1
        spec.targets.append(_target(r, target, objective=None, order=order))
    for item in r.items(tree, "observations"):
        order += 1
        objective_code = r.text(item, "objective") or None
        if objective_code and objective_code not in objective_codes:
            r.problem(item, f"Mục tiêu '{objective_code}' không có trong kế hoạch.")
        spec.observations.append(
            _value(r, item, objective=objective_code, order=order, kind=_obs_kind(r, item))
        )
    for item in r.items(tree, "budget"):
        amount = r.integer(item, "amount_vnd", required=True, where=" của dòng kinh phí")
        if amount is not None and amount < 0:
            r.problem(item, "Số tiền kinh phí không được âm.")
        spec.budget.append(
            BudgetSpec(
                year=r.integer(item, "year"),
                amount_vnd=amount or 0,
                funding_source=r.text(item, "funding_source"),
                item=r.text(item, "item"),
                quote=r.text(item, "quote"),
                line=item.line,
            )
        )
    for item in r.items(tree, "agencies"):
        spec.agencies.append(
            AgencySpec(
                code=r.text(item, "code", required=True, where=" của cơ quan"),
                name=r.text(item, "name", required=True, where=" của cơ quan"),
                kind=r.choice(item, "kind", AGENCY_KINDS, default="department"),
                line=item.line,
            )
        )
    agency_codes = [a.code for a in spec.agencies]
    for duplicate in sorted({c for c in agency_codes if agency_codes.count(c) > 1}):
        r.problem(tree.get("agencies"), f"Mã cơ quan '{duplicate}' bị trùng.")
    for item in r.items(tree, "tasks"):
        spec.tasks.append(
            TaskSpec(
                agency=r.text(item, "agency", required=True, where=" của nhiệm vụ"),
                role=r.choice(item, "role", ROLES, default="lead"),
                ref=r.text(item, "ref"),
                description=r.text(item, "description", required=True, where=" của nhiệm vụ"),
                line=item.line,
            )
        )
    spec.notes = [str(n).strip() for n in (tree.get("notes") or []) if str(n).strip()]

    _check_years_and_duplicates(r, spec)
    if r.problems:
        raise PlanFileError(r.problems)
    return spec


def _obs_kind(r: _Reader, node: _Map) -> str:
    return r.choice(node, "kind", OBSERVATION_KINDS, where=" của giá trị thực hiện/cơ sở")


def _target(r: _Reader, node: _Map, *, objective: str | None, order: int) -> ValueSpec:
    written = r.text(node, "comparator", required=True, where=" của chỉ tiêu")
    comparator = COMPARATORS.get(written, "")
    if written and not comparator:
        allowed = ", ".join(w for w in COMPARATORS if w not in COMPARATORS.values() or w == "=")
        r.problem(node, f"Từ so sánh '{written}' không hợp lệ (chọn: {allowed}).")
    spec = _value(r, node, objective=objective, order=order, comparator=comparator)
    if comparator in RELATIVE:
        if spec.baseline_year is None:
            r.problem(node, f"Chỉ tiêu '{written}' so với năm gốc cần 'baseline_year'.")
        if spec.change_unit not in CHANGE_UNITS:
            r.problem(node, "Chỉ tiêu tương đối cần 'change_unit': percent hoặc points.")
    if spec.value is None:
        r.problem(node, f"Chỉ tiêu {spec.indicator} năm {spec.year} thiếu giá trị 'value'.")
    return spec


def _value(
    r: _Reader,
    node: _Map,
    *,
    objective: str | None,
    order: int,
    comparator: str = "",
    kind: str = "",
) -> ValueSpec:
    return ValueSpec(
        indicator=r.text(node, "indicator", required=True, where=" của chỉ tiêu"),
        year=r.integer(node, "year", required=True, where=" của chỉ tiêu") or 0,
        population=r.text(node, "population") or "all",
        value=r.number(node, "value"),
        value_text=r.text(node, "value_text"),
        quote=r.text(node, "quote"),
        source=r.choice(node, "source", SOURCES, default="body"),
        ref=r.text(node, "ref"),
        note=r.text(node, "note"),
        objective=objective,
        line=node.line,
        order=order,
        comparator=comparator,
        baseline_year=r.integer(node, "baseline_year"),
        change_unit=r.text(node, "change_unit"),
        kind=kind,
    )


def _check_years_and_duplicates(r: _Reader, spec: PlanSpec) -> None:
    start, end = spec.period_start, spec.period_end
    seen: dict[tuple[Any, ...], int | None] = {}
    key: tuple[Any, ...]
    for target in spec.targets:
        if start and end and target.year and not start <= target.year <= end:
            r.problems.append(
                Problem(
                    target.line,
                    f"Năm {target.year} của chỉ tiêu {target.indicator} nằm ngoài thời kỳ "
                    f"kế hoạch {start}–{end}.",
                )
            )
        key = ("target", target.indicator, target.year, target.population, target.source)
        if key in seen:
            r.problems.append(
                Problem(
                    target.line,
                    f"Chỉ tiêu {target.indicator} năm {target.year} ({target.population}, "
                    f"{target.source}) bị trùng với dòng {seen[key]}.",
                )
            )
        seen.setdefault(key, target.line)
    for item in spec.observations:
        if end and item.year and item.year > end:
            r.problems.append(
                Problem(
                    item.line,
                    f"Năm {item.year} của giá trị {item.indicator} sau thời kỳ kế hoạch {start}–{end}.",
                )
            )
        key = ("obs", item.indicator, item.year, item.population, item.kind, item.source)
        if key in seen:
            r.problems.append(
                Problem(
                    item.line,
                    f"Giá trị {item.kind} của {item.indicator} năm {item.year} "
                    f"({item.population}, {item.source}) bị trùng với dòng {seen[key]}.",
                )
            )
        seen.setdefault(key, item.line)
    for note in spec.notes:
        if re.search(r"\bnull\b", note):
            r.problems.append(
                Problem(
                    None, f"Ghi chú viết “null” (từ của tệp, người đọc không hiểu): {note[:80]}"
                )
            )
    overruns = budget_overruns([(b.year, b.funding_source, b.amount_vnd) for b in spec.budget])
    for index, whole, parts in overruns:
        r.problems.append(
            Problem(
                spec.budget[index].line,
                f"Các dòng kinh phí theo năm cộng lại {parts:,} VNĐ, vượt dòng cả giai đoạn "
                f"{whole:,} VNĐ mà chúng thuộc về.".replace(",", "."),
            )
        )
    for budget in spec.budget:
        if budget.year is not None and start and end and not start <= budget.year <= end:
            r.problems.append(
                Problem(budget.line, f"Năm kinh phí {budget.year} nằm ngoài thời kỳ {start}–{end}.")
            )
