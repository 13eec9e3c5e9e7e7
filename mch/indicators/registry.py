"""Parse and validate the indicator catalogue (``mch-catalogue/1`` YAML files).

Pure Python, no Django: the indicator engine, the loader and the docs generator all read
definitions through here, so a malformed or duplicate definition is rejected in one place.
Every error names the file and the entry, in Vietnamese, because the people who edit the
catalogue files are provincial staff.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mch.indicators.engine.definitions import ComputeSpec, parse_compute

FORMAT = "mch-catalogue/1"
CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"

DOMAINS = ("mortality", "coverage", "nutrition", "behaviour", "policy", "workforce")
DIRECTIONS = ("lower", "higher")
DATA_SOURCES = ("registers", "aggregate", "survey", "policy", "census")
MULTIPLIERS = (1, 100, 1000, 100000)
# A rate's unit follows from its multiplier; a count (multiplier 1) may name its own unit.
UNIT_FOR_MULTIPLIER = {100: "%", 1000: "‰", 100000: "/100.000"}
DISAGGREGATIONS = (
    "unit",
    "sex",
    "age_group",
    "ethnicity",
    "ethnic_minority_area",
    "zone",
    "especially_difficult",
    "border",
    "urban_rural",
    "education",
    "wealth",
    "facility_level",
    "place_of_delivery",
)

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
CODE_MAX = 64
NAME_MAX = 300
GROUP_NAME_MAX = 200
UNIT_SYMBOL_MAX = 32

# Fields of a definition that make up a version: a change to any of them is a new version.
VERSION_FIELDS = (
    "name_vi",
    "name_en",
    "definition_vi",
    "definition_en",
    "numerator",
    "denominator",
    "multiplier",
    "unit_symbol",
    "direction",
    "data_source",
    "disaggregations",
    "notes",
    "compute",
)
INDICATOR_KEYS = frozenset({"code", "domain", *VERSION_FIELDS})
GROUP_KEYS = frozenset({"code", "name_vi", "name_en", "definition", "order"})
TOP_KEYS = frozenset({"format", "population_groups", "indicators"})
FILTER_OPERATORS = frozenset({"in", "not_in"})


class CatalogueError(ValueError):
    """One or more catalogue problems; ``errors`` lists each message."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    domain: str
    name_vi: str
    name_en: str
    numerator: str
    multiplier: int
    unit_symbol: str
    direction: str
    data_source: str
    definition_vi: str = ""
    definition_en: str = ""
    denominator: str = ""
    disaggregations: tuple[str, ...] = ()
    notes: str = ""
    # The executable definition (engine/definitions.py), as written; {} when the indicator
    # is not computed from the registers.
    compute: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # file name the spec came from, for messages

    @property
    def computation(self) -> ComputeSpec | None:
        if not self.compute:
            return None
        spec, _ = parse_compute(self.compute, self.code)
        return spec

    def version_fields(self) -> dict[str, Any]:
        """The fields stored on an ``IndicatorVersion``, as the model holds them."""
        values = {name: getattr(self, name) for name in VERSION_FIELDS}
        values["disaggregations"] = list(self.disaggregations)
        return values


@dataclass(frozen=True)
class PopulationGroupSpec:
    code: str
    name_vi: str
    name_en: str
    definition: dict[str, Any] = field(default_factory=dict)
    order: int = 0
    source: str = ""

    def model_fields(self) -> dict[str, Any]:
        values = asdict(self)
        del values["code"], values["source"]
        return values


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[IndicatorSpec, ...]
    population_groups: tuple[PopulationGroupSpec, ...]
    files: tuple[str, ...] = ()

    def indicator(self, code: str) -> IndicatorSpec:
        for spec in self.indicators:
            if spec.code == code:
                return spec
        raise KeyError(code)

    @property
    def codes(self) -> list[str]:
        return [spec.code for spec in self.indicators]


def catalogue_files(directory: Path | str | None = None) -> list[Path]:
    """``core.yaml`` first, then every other ``*.yaml`` file in name order."""
    root = Path(directory) if directory is not None else CATALOGUE_DIR
    files = sorted(root.glob("*.yaml"), key=lambda p: (p.name != "core.yaml", p.name))
    return files


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Read every catalogue file of ``directory``; raise ``CatalogueError`` listing all problems."""
    files = catalogue_files(directory)
    if not files:
        raise CatalogueError([f"Không tìm thấy tệp danh mục chỉ số (*.yaml) trong {directory}"])
    return parse_documents((path.name, path.read_text(encoding="utf-8")) for path in files)


def parse_documents(documents: Iterable[tuple[str, str]]) -> Catalogue:
    """Parse ``(file name, YAML text)`` pairs into one catalogue, checking codes across files."""
    errors: list[str] = []
    indicators: list[IndicatorSpec] = []
    groups: list[PopulationGroupSpec] = []
    names: list[str] = []
    for name, text in documents:
        names.append(name)
        file_indicators, file_groups, file_errors = _parse_document(name, text)
        indicators += file_indicators
        groups += file_groups
        errors += file_errors
    errors += _duplicates("Mã chỉ số", indicators)
    errors += _duplicates("Mã nhóm dân số", groups)
    if errors:
        raise CatalogueError(errors)
    return Catalogue(tuple(indicators), tuple(groups), tuple(names))


def parse_indicator(raw: Any, *, source: str, label: str | None = None) -> IndicatorSpec:
    """Validate one indicator entry (also used for edits made in the admin site)."""
    errors: list[str] = []
    spec = _indicator(raw, source, label or source, errors)
    if errors or spec is None:
        raise CatalogueError(errors)
    return spec


def _duplicates(what: str, specs: Iterable[IndicatorSpec | PopulationGroupSpec]) -> list[str]:
    seen: dict[str, str] = {}
    errors = []
    for spec in specs:
        if spec.code in seen:
            first = seen[spec.code]
            where = (
                f"hai lần trong {first}"
                if first == spec.source
                else f"trong {first} và {spec.source}"
            )
            errors.append(f"{what} '{spec.code}' bị trùng {where}")
        else:
            seen[spec.code] = spec.source
    return errors


def _parse_document(
    name: str, text: str
) -> tuple[list[IndicatorSpec], list[PopulationGroupSpec], list[str]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return [], [], [f"{name}: không đọc được YAML ({exc})"]
    if not isinstance(data, dict):
        return [], [], [f"{name}: tệp phải là một bảng (mapping) có khóa 'format'"]
    errors: list[str] = []
    if data.get("format") != FORMAT:
        errors.append(f"{name}: 'format' phải là '{FORMAT}' (đang là {data.get('format')!r})")
    unknown = sorted(set(map(str, data)) - TOP_KEYS)
    if unknown:
        errors.append(f"{name}: khóa không hợp lệ ở cấp đầu: {', '.join(unknown)}")
    indicators: list[IndicatorSpec] = []
    for i, raw in enumerate(_list(data, "indicators", name, errors), start=1):
        spec = _indicator(raw, name, _entry_label(name, "indicators", i, raw), errors)
        if spec is not None:
            indicators.append(spec)
    groups: list[PopulationGroupSpec] = []
    for i, raw in enumerate(_list(data, "population_groups", name, errors), start=1):
        group = _group(raw, name, _entry_label(name, "population_groups", i, raw), errors)
        if group is not None:
            groups.append(group)
    return indicators, groups, errors


def _list(data: Mapping[str, Any], key: str, name: str, errors: list[str]) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(f"{name}: '{key}' phải là một danh sách")
        return []
    return value


def _entry_label(name: str, key: str, position: int, raw: Any) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return f"{name}, {key} mục {position}" + (f" ('{code}')" if code else "")


def _text(
    raw: Mapping[str, Any],
    key: str,
    label: str,
    errors: list[str],
    *,
    required: bool = False,
    max_length: int | None = None,
) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            errors.append(f"{label}: thiếu trường bắt buộc '{key}'")
        return ""
    if not isinstance(value, str):
        errors.append(f"{label}: '{key}' phải là chuỗi văn bản")
        return ""
    value = value.strip()
    if required and not value:
        errors.append(f"{label}: trường '{key}' không được để trống")
    if max_length is not None and len(value) > max_length:
        errors.append(f"{label}: '{key}' dài quá {max_length} ký tự")
    return value


def _choice(
    raw: Mapping[str, Any], key: str, allowed: tuple[str, ...], label: str, errors: list[str]
) -> str:
    value = raw.get(key)
    if value is None:
        errors.append(f"{label}: thiếu trường bắt buộc '{key}'")
        return ""
    if value not in allowed:
        errors.append(
            f"{label}: '{key}' = {value!r} không hợp lệ; giá trị cho phép: {', '.join(allowed)}"
        )
        return ""
    return str(value)


def _code(raw: Mapping[str, Any], label: str, errors: list[str]) -> str:
    code = raw.get("code")
    if not isinstance(code, str) or not code:
        errors.append(f"{label}: thiếu mã 'code'")
        return ""
    if not CODE_RE.match(code) or len(code) > CODE_MAX:
        errors.append(
            f"{label}: mã '{code}' không hợp lệ (chữ thường không dấu, số và '_', "
            f"bắt đầu bằng chữ, tối đa {CODE_MAX} ký tự)"
        )
        return ""
    return code


def _indicator(raw: Any, source: str, label: str, errors: list[str]) -> IndicatorSpec | None:
    if not isinstance(raw, dict):
        errors.append(f"{label}: mỗi chỉ số phải là một bảng (mapping)")
        return None
    start = len(errors)
    unknown = sorted(set(map(str, raw)) - INDICATOR_KEYS)
    if unknown:
        errors.append(f"{label}: trường không hợp lệ: {', '.join(unknown)}")
    code = _code(raw, label, errors)
    domain = _choice(raw, "domain", DOMAINS, label, errors)
    direction = _choice(raw, "direction", DIRECTIONS, label, errors)
    data_source = _choice(raw, "data_source", DATA_SOURCES, label, errors)
    texts = {
        key: _text(raw, key, label, errors, required=True, max_length=NAME_MAX)
        for key in ("name_vi", "name_en")
    }
    texts["numerator"] = _text(raw, "numerator", label, errors, required=True)
    for key in ("definition_vi", "definition_en", "denominator", "notes"):
        texts[key] = _text(raw, key, label, errors)

    multiplier = raw.get("multiplier")
    if multiplier is None:
        errors.append(f"{label}: thiếu trường bắt buộc 'multiplier'")
    elif isinstance(multiplier, bool) or multiplier not in MULTIPLIERS:
        allowed = ", ".join(map(str, MULTIPLIERS))
        errors.append(f"{label}: 'multiplier' = {multiplier!r} không hợp lệ; cho phép: {allowed}")
        multiplier = None

    unit_symbol = raw.get("unit_symbol")
    if unit_symbol is None:
        errors.append(f"{label}: thiếu trường bắt buộc 'unit_symbol' (\"\" cho số đếm)")
    elif not isinstance(unit_symbol, str) or len(unit_symbol) > UNIT_SYMBOL_MAX:
        errors.append(f"{label}: 'unit_symbol' phải là chuỗi tối đa {UNIT_SYMBOL_MAX} ký tự")
    elif multiplier in UNIT_FOR_MULTIPLIER and unit_symbol != UNIT_FOR_MULTIPLIER[multiplier]:
        errors.append(
            f"{label}: 'unit_symbol' {unit_symbol!r} không khớp với multiplier {multiplier} "
            f"(phải là {UNIT_FOR_MULTIPLIER[multiplier]!r})"
        )
    if multiplier not in (None, 1) and not texts["denominator"]:
        errors.append(f"{label}: chỉ số dạng tỷ lệ (multiplier {multiplier}) phải có 'denominator'")

    disaggregations = raw.get("disaggregations", [])
    if not isinstance(disaggregations, list) or not all(
        isinstance(d, str) for d in disaggregations
    ):
        errors.append(f"{label}: 'disaggregations' phải là danh sách tên chiều phân tổ")
        disaggregations = []
    bad = [d for d in disaggregations if d not in DISAGGREGATIONS]
    if bad:
        errors.append(
            f"{label}: chiều phân tổ không hợp lệ: {', '.join(bad)}; "
            f"cho phép: {', '.join(DISAGGREGATIONS)}"
        )
    if len(set(disaggregations)) != len(disaggregations):
        errors.append(f"{label}: 'disaggregations' có giá trị lặp lại")

    compute = raw.get("compute") or {}
    if compute:
        # A survey or aggregate indicator may also have a routine series from the
        # registers (kept apart from the survey values); a policy checklist has none.
        if data_source == "policy":
            errors.append(f"{label}: chỉ số chính sách (data_source: policy) không có 'compute'")
        _, problems = parse_compute(compute, label)
        errors += problems

    if len(errors) > start:
        return None
    return IndicatorSpec(
        code=code,
        compute=compute if isinstance(compute, dict) else {},
        domain=domain,
        multiplier=int(multiplier),  # type: ignore[arg-type]
        unit_symbol=str(unit_symbol),
        direction=direction,
        data_source=data_source,
        disaggregations=tuple(disaggregations),
        source=source,
        **texts,
    )


def _group(raw: Any, source: str, label: str, errors: list[str]) -> PopulationGroupSpec | None:
    if not isinstance(raw, dict):
        errors.append(f"{label}: mỗi nhóm dân số phải là một bảng (mapping)")
        return None
    start = len(errors)
    unknown = sorted(set(map(str, raw)) - GROUP_KEYS)
    if unknown:
        errors.append(f"{label}: trường không hợp lệ: {', '.join(unknown)}")
    code = _code(raw, label, errors)
    name_vi = _text(raw, "name_vi", label, errors, required=True, max_length=GROUP_NAME_MAX)
    name_en = _text(raw, "name_en", label, errors, required=True, max_length=GROUP_NAME_MAX)
    definition = raw.get("definition", {})
    if definition is None:
        definition = {}
    errors += [f"{label}: 'definition' {problem}" for problem in filter_problems(definition)]
    order = raw.get("order", 0)
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 32767:
        errors.append(f"{label}: 'order' phải là số nguyên từ 0 đến 32767")
    if len(errors) > start:
        return None
    return PopulationGroupSpec(code, name_vi, name_en, definition, order, source)


def filter_problems(definition: Any) -> list[str]:
    """Check a population filter; see docs/indicators.md for the (deliberately small) grammar.

    ``{}`` is everyone; ``{attr: value}`` equality, ``{attr: {"in": [...]}}`` or
    ``{attr: {"not_in": [...]}}`` membership; several attributes must all hold;
    ``{"any": [filter, ...]}`` holds when one of the filters holds.
    """
    if not isinstance(definition, dict):
        return ["phải là một bảng (mapping), {} nghĩa là toàn bộ dân số"]
    problems: list[str] = []
    for key, condition in definition.items():
        if key == "any":
            if not isinstance(condition, list) or not condition:
                problems.append("'any' phải là danh sách bộ lọc không rỗng")
            else:
                for sub in condition:
                    problems += filter_problems(sub)
            continue
        if not isinstance(key, str) or not CODE_RE.match(key):
            problems.append(f"tên thuộc tính {key!r} không hợp lệ")
            continue
        if isinstance(condition, dict):
            if len(condition) != 1 or not set(condition) <= FILTER_OPERATORS:
                problems.append(f"điều kiện của '{key}' chỉ được dùng 'in' hoặc 'not_in'")
            elif not _is_scalar_list(next(iter(condition.values()))):
                problems.append(f"'{key}': 'in'/'not_in' cần một danh sách giá trị đơn")
        elif not _is_scalar(condition):
            problems.append(f"'{key}': giá trị phải là chuỗi, số hoặc true/false")
    return problems


def _is_scalar_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_scalar(v) for v in value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)
