"""Parse and validate the MPDSR forms file (``mch-mpdsr/1`` YAML).

Pure Python, no Django, like ``mch.indicators.registry``: the loader, the pages and the
tests read the forms through here, so a malformed list is refused in one place with a
Vietnamese message naming the list and the entry.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FORMAT = "mch-mpdsr/1"
FORMS_FILE = Path(__file__).resolve().parent / "forms" / "mpdsr.yaml"

CODE_RE = re.compile(r"^[A-Za-z0-9_]{1,40}$")
FIELD_KINDS = ("text", "textarea", "date", "choice", "yesno")
MM_KINDS = ("direct", "indirect", "unspecified", "coincidental")
FORM_CODES = ("m1", "m2", "m5", "p2")
PM_TIMINGS = ("A", "I", "N")
# Lists of {code, name_vi, name_en}; extra keys per list.
LISTS: dict[str, frozenset[str]] = {
    "icd_mm_groups": frozenset({"kind"}),
    "icd_pm_timing": frozenset(),
    "icd_pm_groups": frozenset({"timing"}),
    "icd_pm_maternal": frozenset(),
    "child_causes": frozenset(),
    "delays": frozenset({"factors"}),
    "review_methods": frozenset(),
    "board_roles": frozenset(),
    "avoidability": frozenset(),
    "red_alert_levels": frozenset({"minutes"}),
    "red_alert_emergencies": frozenset(),
    "red_alert_outcomes": frozenset(),
}
TOP_KEYS = frozenset({"format", "forms", *LISTS})


class FormsError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class FormsSpec:
    """The validated content; ``data`` is the plain dict stored on a version."""

    data: dict[str, Any]

    @property
    def digest(self) -> str:
        text = json.dumps(self.data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def items(self, name: str) -> list[dict[str, Any]]:
        return list(self.data.get(name, []))

    def choices(self, name: str, lang: str = "vi") -> list[tuple[str, str]]:
        key = "name_en" if lang.startswith("en") else "name_vi"
        return [(item["code"], item[key]) for item in self.items(name)]

    def label(self, name: str, code: str, lang: str = "vi") -> str:
        return dict(self.choices(name, lang)).get(code, code)

    def codes(self, name: str) -> set[str]:
        return {item["code"] for item in self.items(name)}

    def mm_kind(self, code: str) -> str:
        for item in self.items("icd_mm_groups"):
            if item["code"] == code:
                return str(item["kind"])
        return ""

    def pm_choices(self, timings: str, lang: str = "vi") -> list[tuple[str, str]]:
        """ICD-PM cause groups of the given timings (``"AI"`` for stillbirths, ``"N"``)."""
        key = "name_en" if lang.startswith("en") else "name_vi"
        return [(i["code"], i[key]) for i in self.items("icd_pm_groups") if i["timing"] in timings]

    def pm_timing(self, code: str) -> str:
        for item in self.items("icd_pm_groups"):
            if item["code"] == code:
                return str(item["timing"])
        return ""

    def level_minutes(self, code: str) -> int | None:
        for item in self.items("red_alert_levels"):
            if item["code"] == code:
                return int(item["minutes"])
        return None

    def factor_choices(self, lang: str = "vi") -> list[tuple[str, str]]:
        """Every delay factor as ``"<delay>.<factor>"`` with its label."""
        key = "name_en" if lang.startswith("en") else "name_vi"
        return [
            (f"{delay['code']}.{factor['code']}", f"{delay['code']} · {factor[key]}")
            for delay in self.items("delays")
            for factor in delay["factors"]
        ]

    def form_fields(self, form: str) -> list[dict[str, Any]]:
        return list(self.data["forms"][form]["fields"])


def _named(raw: Any, where: str, errors: list[str], extra: frozenset[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        errors.append(f"{where}: phải là một mục có code, name_vi, name_en")
        return {}
    unknown = set(raw) - {"code", "name_vi", "name_en"} - extra
    if unknown:
        errors.append(f"{where}: khóa không hợp lệ {sorted(unknown)}")
    code = str(raw.get("code", ""))
    if not CODE_RE.match(code):
        errors.append(f"{where}: mã {code!r} không hợp lệ (chữ, số, _; tối đa 40 ký tự)")
    for key in ("name_vi", "name_en"):
        if not str(raw.get(key, "")).strip():
            errors.append(f"{where} ({code}): thiếu {key}")
    return {**raw, "code": code}


def _list(raw: Any, name: str, errors: list[str], extra: frozenset[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        errors.append(f"{name}: phải là danh sách không rỗng")
        return []
    items = [_named(item, f"{name}[{i + 1}]", errors, extra) for i, item in enumerate(raw)]
    seen: set[str] = set()
    for item in items:
        code = item.get("code")
        if code in seen:
            errors.append(f"{name}: mã {code!r} xuất hiện hai lần")
        seen.add(str(code))
    return items


def _check_list_extras(name: str, items: list[dict[str, Any]], errors: list[str]) -> None:
    for item in items:
        where = f"{name} ({item.get('code')})"
        if name == "icd_mm_groups" and item.get("kind") not in MM_KINDS:
            errors.append(f"{where}: kind phải là một trong {', '.join(MM_KINDS)}")
        if name == "icd_pm_groups" and item.get("timing") not in PM_TIMINGS:
            errors.append(f"{where}: timing phải là một trong {', '.join(PM_TIMINGS)}")
        if name == "red_alert_levels" and not (
            isinstance(item.get("minutes"), int) and item["minutes"] > 0
        ):
            errors.append(f"{where}: minutes phải là số phút dương")
        if name == "delays":
            item["factors"] = _list(item.get("factors"), f"{where}.factors", errors, frozenset())


def _check_forms(raw: Any, errors: list[str]) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != set(FORM_CODES):
        errors.append(f"forms: phải có đúng các mẫu {', '.join(FORM_CODES)}")
        return {}
    for form in FORM_CODES:
        entry = raw[form]
        if not isinstance(entry, dict) or not isinstance(entry.get("fields"), list):
            errors.append(f"forms.{form}: cần name_vi, name_en và fields (danh sách)")
            continue
        entry["fields"] = [
            _named(f, f"forms.{form}.fields[{i + 1}]", errors, frozenset({"kind", "options"}))
            for i, f in enumerate(entry["fields"])
        ]
        for f in entry["fields"]:
            if f.get("kind") not in FIELD_KINDS:
                errors.append(
                    f"forms.{form} ({f.get('code')}): kind phải là một trong {', '.join(FIELD_KINDS)}"
                )
            if f.get("kind") == "choice":
                f["options"] = _list(
                    f.get("options"), f"forms.{form}.{f.get('code')}.options", errors, frozenset()
                )
    return raw


def parse_forms(text: str, *, source: str = "mpdsr.yaml") -> FormsSpec:
    """Validate the YAML text; raise ``FormsError`` listing every problem."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FormsError([f"{source}: YAML không đọc được: {exc}"]) from exc
    if not isinstance(raw, dict):
        raise FormsError([f"{source}: tệp phải là một bảng khóa–giá trị"])
    errors: list[str] = []
    if raw.get("format") != FORMAT:
        errors.append(f"{source}: format phải là {FORMAT}")
    unknown = set(raw) - TOP_KEYS
    if unknown:
        errors.append(f"{source}: khóa không hợp lệ {sorted(unknown)}")
    data: dict[str, Any] = {"format": FORMAT, "forms": _check_forms(raw.get("forms"), errors)}
    for name, extra in LISTS.items():
        items = _list(raw.get(name), name, errors, extra)
        _check_list_extras(name, items, errors)
        data[name] = items
    if errors:
        raise FormsError([f"{source}: {e}" if not e.startswith(source) else e for e in errors])
    return FormsSpec(data)


def load_forms_file(path: Path | str | None = None) -> FormsSpec:
    target = Path(path) if path is not None else FORMS_FILE
    return parse_forms(target.read_text(encoding="utf-8"), source=target.name)
