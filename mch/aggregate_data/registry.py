"""The definitions file (data elements, categories, periodic forms) and the holidays file,
parsed and checked without Django. Every problem is listed, in Vietnamese, before anything
is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DEFINITIONS_FILE = HERE / "definitions" / "commune-mch.yaml"
HOLIDAYS_FILE = HERE / "data" / "holidays-vn.yaml"

PERIOD_KINDS = ("month", "quarter", "half", "9m", "year")
LEVELS = ("commune", "district", "province")
TOTAL = "total"  # the one cell of an element without categories
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_PARTS = ("numerator", "denominator")


class DefinitionsError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Option:
    code: str
    name_vi: str
    name_en: str
    dhis2: str


@dataclass(frozen=True)
class Category:
    code: str
    name_vi: str
    name_en: str
    dhis2: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Term:
    indicator: str
    part: str
    sign: int = 1


@dataclass(frozen=True)
class Gives:
    """An indicator part that an element (or the sum of some of its cells) equals, for the
    figures of the approved reports (``gives`` in the file; not used to pre-fill)."""

    indicator: str
    part: str
    cells: tuple[str, ...] = ()  # empty: the whole element


@dataclass(frozen=True)
class Cell:
    """One option combination of an element: ``total`` or option codes joined with "."."""

    code: str
    options: tuple[Option, ...]

    def name(self, lang: str = "vi") -> str:
        if not self.options:
            return "Tổng" if lang == "vi" else "Total"
        return ", ".join(o.name_vi if lang == "vi" else o.name_en for o in self.options)


@dataclass(frozen=True)
class Element:
    code: str
    section: str
    name_vi: str
    name_en: str
    dhis2: str
    categories: tuple[Category, ...]
    prefill_total: tuple[Term, ...]
    prefill_cells: Mapping[str, tuple[Term, ...]]
    gives: tuple[Gives, ...] = ()

    @property
    def cells(self) -> tuple[Cell, ...]:
        if not self.categories:
            return (Cell(TOTAL, ()),)
        combos = itertools.product(*(c.options for c in self.categories))
        return tuple(Cell(".".join(o.code for o in combo), combo) for combo in combos)

    def cell_dhis2(self, cell: Cell, default_coc: str) -> str:
        if not cell.options:
            return default_coc
        return "_".join([c.dhis2 for c in self.categories] + [o.dhis2 for o in cell.options])

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en

    @property
    def has_prefill(self) -> bool:
        return bool(self.prefill_total or self.prefill_cells)


@dataclass(frozen=True)
class Form:
    code: str
    name_vi: str
    name_en: str
    dhis2: str
    period: str
    elements: tuple[str, ...]

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en


@dataclass(frozen=True)
class Section:
    code: str
    name_vi: str
    name_en: str


def _head(
    entry: Mapping[str, Any],
    kind: str,
    i: int,
    seen: Mapping[str, Any],
    duplicate: str,
    problems: list[str],
) -> tuple[str, str]:
    """The entry's code ("" when invalid) and how messages name it (``forms #2 (mch_month)``)."""
    code = str(entry.get("code", ""))
    where = f"{kind} #{i} ({code or '?'})"
    if not _CODE.match(code):
        problems.append(f"{where}: mã không hợp lệ")
        return "", where
    if code in seen:
        problems.append(f"{where}: {duplicate}")
    return code, where


def _date(value: Any) -> dt.date | None:
    """A YAML date or an ISO string; None otherwise."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, dt.date) else None


def _names(entry: Mapping[str, Any], code: str, dhis2: str) -> tuple[str, str, str]:
    """(name_vi, name_en, dhis2), each defaulting as the file format says."""
    return (
        str(entry.get("name_vi", code)),
        str(entry.get("name_en", code)),
        str(entry.get("dhis2", dhis2)),
    )


class Definitions:
    """The parsed definitions (from the file or a stored version's ``data``)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        problems: list[str] = []
        self.data = dict(data)
        self.digest = hashlib.sha256(
            json.dumps(self.data, sort_keys=True, ensure_ascii=False, default=str).encode()
        ).hexdigest()
        self.categories: dict[str, Category] = {}
        self.elements: dict[str, Element] = {}
        self.forms: dict[str, Form] = {}
        self.sections: dict[str, Section] = {}
        if data.get("format") != "mch-aggregate/1":
            problems.append("Thiếu hoặc sai 'format' (phải là mch-aggregate/1)")
        for entry in data.get("sections") or []:
            code = str(entry.get("code", ""))
            self.sections[code] = Section(
                code, entry.get("name_vi", code), entry.get("name_en", code)
            )
        for i, entry in enumerate(data.get("categories") or [], 1):
            self._category(entry, i, problems)
        for i, entry in enumerate(data.get("elements") or [], 1):
            self._element(entry, i, problems)
        for i, entry in enumerate(data.get("forms") or [], 1):
            self._form(entry, i, problems)
        if not self.forms:
            problems.append("Không có biểu mẫu nào ('forms')")
        days = data.get("deadlines_working_days") or {}
        self.deadline_days: dict[str, int] = {}
        for level in LEVELS:
            value = days.get(level)
            if not isinstance(value, int) or value < 0:
                problems.append(f"'deadlines_working_days.{level}' phải là số ngày làm việc")
            else:
                self.deadline_days[level] = value
        until = _date(data.get("district_step_until"))
        if until is None:
            problems.append("'district_step_until' phải là một ngày (YYYY-MM-DD)")
            until = dt.date(2025, 7, 1)
        self.district_step_until: dt.date = until
        self.dhis2_default_coc = str(data.get("dhis2_default_coc", "default"))
        if problems:
            raise DefinitionsError(problems)

    def _category(self, entry: Mapping[str, Any], i: int, problems: list[str]) -> None:
        code, where = _head(entry, "categories", i, self.categories, "mã bị trùng", problems)
        if not code:
            return
        options = []
        seen: set[str] = set()
        for option in entry.get("options") or []:
            ocode = str(option.get("code", ""))
            if not _CODE.match(ocode) or ocode in seen or ocode == TOTAL:
                problems.append(f"{where}: mã lựa chọn '{ocode}' không hợp lệ hoặc bị trùng")
                continue
            seen.add(ocode)
            options.append(Option(ocode, *_names(option, ocode, ocode.upper())))
        if not options:
            problems.append(f"{where}: không có lựa chọn nào")
        self.categories[code] = Category(code, *_names(entry, code, code.upper()), tuple(options))

    def _terms(self, raw: Any, where: str, problems: list[str]) -> tuple[Term, ...]:
        if not isinstance(raw, list) or not raw:
            problems.append(f"{where}: 'prefill' phải là danh sách các số hạng")
            return ()
        terms = []
        for term in raw:
            if not isinstance(term, Mapping) or not term.get("indicator"):
                problems.append(f"{where}: số hạng thiếu 'indicator'")
                continue
            part = term.get("part", "numerator")
            sign = term.get("sign", 1)
            if part not in _PARTS:
                problems.append(f"{where}: 'part' phải là numerator hoặc denominator")
            if sign not in (1, -1):
                problems.append(f"{where}: 'sign' phải là 1 hoặc -1")
            terms.append(Term(str(term["indicator"]), str(part), int(sign)))
        return tuple(terms)

    def _element(self, entry: Mapping[str, Any], i: int, problems: list[str]) -> None:
        code, where = _head(entry, "elements", i, self.elements, "mã chỉ tiêu bị trùng", problems)
        if not code:
            return
        unknown = set(entry) - {
            "code",
            "section",
            "name_vi",
            "name_en",
            "dhis2",
            "categories",
            "prefill",
            "gives",
        }
        if unknown:
            problems.append(f"{where}: khóa không biết {sorted(unknown)}")
        if not entry.get("name_vi"):
            problems.append(f"{where}: thiếu 'name_vi'")
        section = str(entry.get("section", ""))
        if self.sections and section not in self.sections:
            problems.append(f"{where}: không có phần '{section}'")
        categories = []
        for cat in entry.get("categories") or []:
            if cat not in self.categories:
                problems.append(f"{where}: không có nhóm phân tổ '{cat}'")
            else:
                categories.append(self.categories[cat])
        names = _names(entry, code, "MCH_" + code.upper())
        cells_of = Element(code, section, *names, tuple(categories), (), {}).cells
        prefill = entry.get("prefill") or {}
        total: tuple[Term, ...] = ()
        cells: dict[str, tuple[Term, ...]] = {}
        if prefill:
            if set(prefill) - {"total", "cells"}:
                problems.append(f"{where}: 'prefill' chỉ có 'total' hoặc 'cells'")
            if "total" in prefill:
                total = self._terms(prefill["total"], where, problems)
            known = {cell.code for cell in cells_of}
            for cell_code, raw in (prefill.get("cells") or {}).items():
                if cell_code not in known:
                    problems.append(
                        f"{where}: ô '{cell_code}' không thuộc các phân tổ của chỉ tiêu"
                    )
                cells[str(cell_code)] = self._terms(raw, where, problems)
        gives = self._gives(entry.get("gives"), where, {c.code for c in cells_of}, problems)
        self.elements[code] = Element(code, section, *names, tuple(categories), total, cells, gives)

    def _gives(
        self, raw: Any, where: str, known: set[str], problems: list[str]
    ) -> tuple[Gives, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            problems.append(f"{where}: 'gives' phải là danh sách")
            return ()
        out = []
        for item in raw:
            if not isinstance(item, Mapping) or not item.get("indicator"):
                problems.append(f"{where}: 'gives' thiếu 'indicator'")
                continue
            part = item.get("part", "numerator")
            if part not in _PARTS:
                problems.append(f"{where}: 'part' phải là numerator hoặc denominator")
            cells = tuple(str(c) for c in item.get("cells") or ())
            for cell in cells:
                if cell not in known:
                    problems.append(f"{where}: ô '{cell}' không thuộc các phân tổ của chỉ tiêu")
            out.append(Gives(str(item["indicator"]), str(part), cells))
        return tuple(out)

    def _form(self, entry: Mapping[str, Any], i: int, problems: list[str]) -> None:
        code, where = _head(entry, "forms", i, self.forms, "mã biểu mẫu bị trùng", problems)
        if not code:
            return
        period = entry.get("period")
        if period not in PERIOD_KINDS:
            problems.append(f"{where}: 'period' phải là một trong {', '.join(PERIOD_KINDS)}")
        names = list(entry.get("elements") or [])
        if names == ["*"]:
            names = list(self.elements)
        for name in names:
            if name not in self.elements:
                problems.append(f"{where}: không có chỉ tiêu '{name}'")
        if not names:
            problems.append(f"{where}: không có chỉ tiêu nào")
        self.forms[code] = Form(
            code,
            *_names(entry, code, "MCH_" + code.upper()),
            str(period),
            tuple(n for n in names if n in self.elements),
        )

    def form(self, code: str) -> Form:
        try:
            return self.forms[code]
        except KeyError:
            raise KeyError(f"Không có biểu mẫu '{code}'") from None

    def form_elements(self, form: Form) -> list[Element]:
        return [self.elements[code] for code in form.elements]

    def indicator_codes(self) -> set[str]:
        codes: set[str] = set()
        for element in self.elements.values():
            for term in element.prefill_total:
                codes.add(term.indicator)
            for terms in element.prefill_cells.values():
                codes.update(term.indicator for term in terms)
            codes.update(g.indicator for g in element.gives)
        return codes


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DefinitionsError([f"Không đọc được tệp {path.name}: {exc}"]) from exc
    except yaml.YAMLError as exc:
        raise DefinitionsError([f"Tệp {path.name} không phải YAML hợp lệ: {exc}"]) from exc


def _plain(value: Any) -> Any:
    """YAML dates to ISO strings, so the stored JSON equals the file."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_definitions_file(path: Path | str | None = None) -> Definitions:
    raw = _read_yaml(Path(path) if path else DEFINITIONS_FILE)
    if not isinstance(raw, Mapping):
        raise DefinitionsError(["Tệp định nghĩa phải là một bảng YAML"])
    return Definitions(_plain(raw))


@dataclass(frozen=True)
class HolidaySpec:
    date: dt.date
    name: str
    status: str
    working_saturday: bool = False


def load_holidays_file(path: Path | str | None = None) -> tuple[str, list[HolidaySpec]]:
    """(source, days) of the holidays file; raises ``DefinitionsError`` listing problems."""
    file = Path(path) if path else HOLIDAYS_FILE
    raw = _read_yaml(file)
    problems: list[str] = []
    if not isinstance(raw, Mapping) or raw.get("format") != "mch-holidays/1":
        raise DefinitionsError([f"{file.name}: thiếu hoặc sai 'format' (phải là mch-holidays/1)"])
    days: list[HolidaySpec] = []
    seen: set[dt.date] = set()
    for key, saturday in (("holidays", False), ("working_saturdays", True)):
        for i, entry in enumerate(raw.get(key) or [], 1):
            day = _date(entry.get("date") if isinstance(entry, Mapping) else None)
            if day is None:
                problems.append(f"{file.name}: {key} #{i}: ngày không hợp lệ")
                continue
            if day in seen:
                problems.append(f"{file.name}: ngày {day:%d/%m/%Y} bị trùng")
            seen.add(day)
            weekend = day.weekday() >= 5
            if saturday and day.weekday() != 5:
                problems.append(f"{file.name}: {day:%d/%m/%Y} không phải thứ Bảy")
            if not saturday and weekend:
                problems.append(f"{file.name}: {day:%d/%m/%Y} là ngày cuối tuần (đã nghỉ sẵn)")
            days.append(
                HolidaySpec(day, str(entry.get("name", "")), str(entry.get("status", "")), saturday)
            )
    if problems:
        raise DefinitionsError(problems)
    return str(raw.get("source", "")), days
