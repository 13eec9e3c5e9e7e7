"""Parse and validate the schedule file (``mch-immunisation-schedule/1`` YAML).

No Django: the loader and the tests read the file through here, so a malformed schedule is
rejected in one place, before anything is written. Messages are in Vietnamese and name the
entry, because the people who edit the file are programme staff.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mch.immunisation.engine import TARGET_GROUPS, RuleError, ScheduleRule

FORMAT = "mch-immunisation-schedule/1"
SCHEDULE_FILE = Path(__file__).resolve().parent / "schedule.yaml"

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
CODE_MAX = 32
NAME_MAX = 200
ABBREVIATION_MAX = 40
LEGAL_BASIS_MAX = 300
CERTAINTIES = ("confirmed", "best_knowledge")

# The 11 diseases of Thông tư 10/2024/TT-BYT with their Vietnamese names.
DISEASES: dict[str, str] = {
    "hepatitis_b": "Viêm gan vi rút B",
    "tuberculosis": "Lao",
    "diphtheria": "Bạch hầu",
    "pertussis": "Ho gà",
    "tetanus": "Uốn ván",
    "polio": "Bại liệt",
    "hib": "Viêm phổi, viêm màng não do Haemophilus influenzae týp b",
    "measles": "Sởi",
    "rubella": "Rubella",
    "japanese_encephalitis": "Viêm não Nhật Bản",
    "rotavirus": "Tiêu chảy do vi rút Rota",
}

ANTIGEN_KEYS = frozenset(
    {"code", "abbreviation", "name_vi", "name_en", "diseases", "target", "is_epi", "order", "note"}
)
ENTRY_KEYS = frozenset(
    {
        "antigen",
        "dose",
        "min_age_days",
        "due_age_days",
        "min_interval_days",
        "interval_from",
        "timely_age_days",
        "latest_age_days",
        "counts_for_full_immunisation",
        "valid_from",
        "valid_to",
        "legal_basis",
        "certainty",
        "note",
    }
)
TOP_KEYS = frozenset({"format", "antigens", "schedule"})


class ScheduleFileError(ValueError):
    """One or more problems in a schedule file; ``errors`` lists each message."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class AntigenSpec:
    code: str
    abbreviation: str
    name_vi: str
    name_en: str
    diseases: tuple[str, ...]
    target: str
    is_epi: bool = True
    order: int = 0
    note: str = ""

    def model_fields(self) -> dict[str, Any]:
        """The values stored on an ``Antigen`` row, as the model holds them."""
        return {
            "abbreviation": self.abbreviation,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "diseases": list(self.diseases),
            "target_group": self.target,
            "is_epi": self.is_epi,
            "order": self.order,
            "note": self.note,
        }


@dataclass(frozen=True)
class EntrySpec:
    antigen: str
    dose: int
    min_age_days: int
    due_age_days: int
    valid_from: dt.date
    legal_basis: str
    certainty: str
    min_interval_days: int | None = None
    interval_from: tuple[str, int] | None = None
    timely_age_days: int | None = None
    latest_age_days: int | None = None
    counts_for_full_immunisation: bool = False
    valid_to: dt.date | None = None
    note: str = ""

    @property
    def key(self) -> tuple[str, int, dt.date]:
        return (self.antigen, self.dose, self.valid_from)

    def values(self) -> dict[str, Any]:
        """Comparable values (antigen codes, not rows): what the loader stores and checks."""
        return {
            "min_age_days": self.min_age_days,
            "due_age_days": self.due_age_days,
            "min_interval_days": self.min_interval_days,
            "interval_from_antigen": self.interval_from[0] if self.interval_from else None,
            "interval_from_dose": self.interval_from[1] if self.interval_from else None,
            "timely_age_days": self.timely_age_days,
            "latest_age_days": self.latest_age_days,
            "counts_for_full_immunisation": self.counts_for_full_immunisation,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "legal_basis": self.legal_basis,
            "certainty": self.certainty,
            "note": self.note,
        }


@dataclass(frozen=True)
class ScheduleFile:
    antigens: tuple[AntigenSpec, ...]
    entries: tuple[EntrySpec, ...] = field(default=())
    source: str = ""


def load_schedule_file(path: Path | str | None = None) -> ScheduleFile:
    """Read and validate ``path`` (default: the national ``schedule.yaml``)."""
    path = Path(path) if path is not None else SCHEDULE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScheduleFileError([f"Không đọc được tệp {path.name}: {exc}"]) from exc
    return parse_schedule(text, source=path.name)


def parse_schedule(text: str, *, source: str = "schedule.yaml") -> ScheduleFile:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScheduleFileError([f"{source}: YAML không hợp lệ: {exc}"]) from exc
    if not isinstance(data, Mapping):
        raise ScheduleFileError([f"{source}: tệp phải là một bảng (mapping)"])
    errors: list[str] = []
    if data.get("format") != FORMAT:
        errors.append(f"{source}: 'format' phải là '{FORMAT}'")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        errors.append(f"{source}: khóa không biết: {', '.join(map(str, unknown))}")
    antigens = _antigens(data.get("antigens"), source, errors)
    entries = _entries(data.get("schedule"), source, {a.code: a for a in antigens}, errors)
    if errors:
        raise ScheduleFileError(errors)
    return ScheduleFile(antigens=tuple(antigens), entries=tuple(entries), source=source)


def _antigens(raw: Any, source: str, errors: list[str]) -> list[AntigenSpec]:
    if not isinstance(raw, list) or not raw:
        errors.append(f"{source}: 'antigens' phải là một danh sách không rỗng")
        return []
    specs: list[AntigenSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        label = f"{source}: vắc xin #{index}"
        if not isinstance(item, Mapping):
            errors.append(f"{label}: phải là một bảng")
            continue
        code: Any = item.get("code")
        if isinstance(code, str):
            label = f"{source}: vắc xin '{code}'"
        problems: list[str] = []
        problems += _unknown_keys(item, ANTIGEN_KEYS)
        if not isinstance(code, str) or not CODE_RE.match(code) or len(code) > CODE_MAX:
            problems.append(f"mã phải là chữ thường, số, '_' (tối đa {CODE_MAX} ký tự)")
        elif code in seen:
            problems.append("mã bị trùng")
        for key, limit in (("abbreviation", ABBREVIATION_MAX), ("name_vi", NAME_MAX)):
            problems += _text(item, key, limit, required=True)
        problems += _text(item, "name_en", NAME_MAX, required=True)
        problems += _text(item, "note", None, required=False)
        diseases: Any = item.get("diseases")
        if not isinstance(diseases, list) or not diseases:
            problems.append("'diseases' phải là danh sách bệnh không rỗng")
        else:
            bad = [str(d) for d in diseases if d not in DISEASES]
            if bad:
                problems.append(f"bệnh không biết: {', '.join(bad)}")
        if item.get("target") not in TARGET_GROUPS:
            problems.append(f"'target' phải là một trong {', '.join(TARGET_GROUPS)}")
        if not isinstance(item.get("is_epi", True), bool):
            problems.append("'is_epi' phải là true/false")
        order = item.get("order", 0)
        if not isinstance(order, int) or isinstance(order, bool) or order < 0:
            problems.append("'order' phải là số nguyên không âm")
        if problems:
            errors += [f"{label}: {p}" for p in problems]
            continue
        seen.add(code)
        specs.append(
            AntigenSpec(
                code=code,
                abbreviation=item["abbreviation"],
                name_vi=item["name_vi"],
                name_en=item["name_en"],
                diseases=tuple(diseases),
                target=item["target"],
                is_epi=item.get("is_epi", True),
                order=order,
                note=item.get("note") or "",
            )
        )
    return specs


def _entries(
    raw: Any, source: str, antigens: Mapping[str, AntigenSpec], errors: list[str]
) -> list[EntrySpec]:
    if not isinstance(raw, list) or not raw:
        errors.append(f"{source}: 'schedule' phải là một danh sách không rỗng")
        return []
    specs: list[EntrySpec] = []
    seen: set[tuple[str, int, dt.date]] = set()
    for index, item in enumerate(raw, start=1):
        label = f"{source}: dòng lịch #{index}"
        if not isinstance(item, Mapping):
            errors.append(f"{label}: phải là một bảng")
            continue
        antigen: Any = item.get("antigen")
        dose: Any = item.get("dose")
        if isinstance(antigen, str) and _is_int(dose):
            label = f"{source}: {antigen} mũi {dose}"
        problems = _unknown_keys(item, ENTRY_KEYS)
        if antigen not in antigens:
            problems.append(f"vắc xin '{antigen}' không có trong 'antigens'")
        if not _is_int(dose) or dose < 1:
            problems.append("'dose' phải là số nguyên từ 1")
        for key in ("min_age_days", "due_age_days"):
            if not _is_int(item.get(key)):
                problems.append(f"'{key}' phải là số ngày (số nguyên)")
        for key in ("min_interval_days", "timely_age_days", "latest_age_days"):
            if item.get(key) is not None and not _is_int(item.get(key)):
                problems.append(f"'{key}' phải là số ngày (số nguyên) hoặc bỏ trống")
        interval_from = _interval_from(item.get("interval_from"), antigens, problems)
        valid_from: Any = item.get("valid_from")
        valid_to: Any = item.get("valid_to")
        if not isinstance(valid_from, dt.date):
            problems.append("'valid_from' phải là ngày dạng YYYY-MM-DD")
        if valid_to is not None and not isinstance(valid_to, dt.date):
            problems.append("'valid_to' phải là ngày dạng YYYY-MM-DD hoặc bỏ trống")
        dates = isinstance(valid_from, dt.date) and isinstance(valid_to, dt.date)
        if dates and valid_to < valid_from:
            problems.append("'valid_to' trước 'valid_from'")
        problems += _text(item, "legal_basis", LEGAL_BASIS_MAX, required=True)
        problems += _text(item, "note", None, required=False)
        if item.get("certainty") not in CERTAINTIES:
            problems.append(f"'certainty' phải là một trong {', '.join(CERTAINTIES)}")
        if not isinstance(item.get("counts_for_full_immunisation", False), bool):
            problems.append("'counts_for_full_immunisation' phải là true/false")
        if problems:
            errors += [f"{label}: {p}" for p in problems]
            continue
        spec = EntrySpec(
            antigen=antigen,
            dose=dose,
            min_age_days=item["min_age_days"],
            due_age_days=item["due_age_days"],
            min_interval_days=item.get("min_interval_days"),
            interval_from=interval_from,
            timely_age_days=item.get("timely_age_days"),
            latest_age_days=item.get("latest_age_days"),
            counts_for_full_immunisation=item.get("counts_for_full_immunisation", False),
            valid_from=valid_from,
            valid_to=valid_to,
            legal_basis=item["legal_basis"].strip(),
            certainty=item["certainty"],
            note=(item.get("note") or "").strip(),
        )
        try:
            entry_rule(spec, antigens[antigen].target)
        except RuleError as exc:
            errors += [f"{label}: {p}" for p in exc.problems]
            continue
        if spec.key in seen:
            errors.append(f"{label}: trùng vắc xin, mũi và ngày hiệu lực")
            continue
        seen.add(spec.key)
        specs.append(spec)
    keys = {(s.antigen, s.dose) for s in specs}
    for spec in specs:
        if spec.interval_from and spec.interval_from not in keys:
            errors.append(
                f"{source}: {spec.antigen} mũi {spec.dose}: 'interval_from' trỏ tới "
                f"{spec.interval_from[0]} mũi {spec.interval_from[1]} không có trong lịch"
            )
    return specs


def entry_rule(spec: EntrySpec, target: str, antigen_name: str = "") -> ScheduleRule:
    """The engine rule for an entry; raises ``RuleError`` when the entry contradicts itself."""
    return ScheduleRule(
        antigen=spec.antigen,
        dose=spec.dose,
        min_age_days=spec.min_age_days,
        due_age_days=spec.due_age_days,
        min_interval_days=spec.min_interval_days,
        latest_age_days=spec.latest_age_days,
        timely_age_days=spec.timely_age_days,
        interval_from=spec.interval_from,
        counts_for_full_immunisation=spec.counts_for_full_immunisation,
        target=target,
        antigen_name=antigen_name,
    )


def _interval_from(
    raw: Any, antigens: Mapping[str, AntigenSpec], problems: list[str]
) -> tuple[str, int] | None:
    if raw is None:
        return None
    if (
        not isinstance(raw, Mapping)
        or set(raw) != {"antigen", "dose"}
        or raw["antigen"] not in antigens
        or not _is_int(raw["dose"])
        or raw["dose"] < 1
    ):
        problems.append("'interval_from' phải có dạng {antigen: <mã đã khai báo>, dose: <số>}")
        return None
    return (raw["antigen"], raw["dose"])


def _unknown_keys(item: Mapping[str, Any], allowed: frozenset[str]) -> list[str]:
    unknown = sorted(str(k) for k in set(item) - allowed)
    return [f"khóa không biết: {', '.join(unknown)}"] if unknown else []


def _text(item: Mapping[str, Any], key: str, limit: int | None, *, required: bool) -> list[str]:
    value = item.get(key)
    if value is None or value == "":
        return [f"thiếu '{key}'"] if required else []
    if not isinstance(value, str):
        return [f"'{key}' phải là văn bản"]
    if limit is not None and len(value) > limit:
        return [f"'{key}' dài quá {limit} ký tự"]
    return []


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
