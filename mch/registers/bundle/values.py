"""Cell values of a bundle, read and written per ``spec`` type.

Reading accepts what people type and what spreadsheets store: dates as dd/mm/yyyy,
yyyy-mm-dd or spreadsheet dates; decimal comma or point; có/không, x, 1/0, yes/no;
choices by code or by Vietnamese label, with or without diacritics. A bad value raises
``BadValue`` with a Vietnamese message naming what was expected. Writing gives what the
reader reads back: dd/mm/yyyy, decimal comma and Vietnamese labels (or ISO dates, decimal
point and codes for English files).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from mch.core.dates import dmy
from mch.core.day_range import day_in_range
from mch.core.text import fold
from mch.registers.ethnicities import ETHNICITIES

from .spec import CHOICES, Column

Parser = Callable[[Any], Any]


class BadValue(ValueError):
    """A cell that cannot be read as its column's type; the message is Vietnamese."""


_TRUE = {"1", "co", "x", "yes", "y", "true", "dung", "c"}
_FALSE = {"0", "khong", "no", "n", "false", "sai", "k"}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([.,\s]\d{3})+$")
_DATE_PARTS = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})?(?::(\d{2}))?$")


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text_of(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return f"{dmy(raw)}"
    return str(raw).strip()


def parse_text(raw: Any) -> str:
    if type(raw) is str:
        return raw.strip()
    return "" if _blank(raw) else _text_of(raw)


def parse_int(raw: Any) -> int | None:
    if raw == "" or raw is None:
        return None
    if type(raw) is str and raw.isdigit():
        return int(raw)
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise BadValue(f"'{raw}' không phải số nguyên")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise BadValue(f"'{_show_float(raw)}' không phải số nguyên")
    text = str(raw).strip()
    if _THOUSANDS.match(text):
        text = re.sub(r"[.,\s]", "", text)
    try:
        return int(text)
    except ValueError:
        raise BadValue(f"'{text}' không phải số nguyên") from None


def parse_decimal(raw: Any) -> float | None:
    if raw == "" or raw is None:
        return None
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise BadValue(f"'{raw}' không phải số")
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip().replace(" ", "")
    if "," in text and "." in text:
        # The later separator is the decimal one: 1.234,5 and 1,234.5 are both 1234.5.
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise BadValue(f"'{raw}' không phải số (dùng dấu phẩy thập phân, ví dụ 3,5)") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BadValue(f"'{raw}' không phải số")
    return value


def parse_bool(raw: Any) -> bool | None:
    if raw == "" or raw is None:
        return None
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    key = fold(str(raw).strip())
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BadValue(f"'{raw}' không phải có/không (có, không, x, 1, 0)")


def parse_date(raw: Any) -> dt.date | None:
    """A day in 1900–2100 (``mch.core.day_range``), or None for a blank cell."""
    day = _parse_date(raw)
    if day is not None and not day_in_range(day):
        raise BadValue(f"'{_text_of(raw)}' ngoài khoảng ngày 01/01/1900 – 31/12/2100")
    return day


def _parse_date(raw: Any) -> dt.date | None:
    if type(raw) is str and len(raw) == 10 and raw[2] == "/" and raw[5] == "/":
        try:
            return dt.date(int(raw[6:]), int(raw[3:5]), int(raw[:2]))
        except ValueError:
            pass
    if _blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    try:
        if len(text) == 10 and text[4] == "-":
            return dt.date.fromisoformat(text)
        if len(text) == 10 and text[2] == "/" and text[5] == "/":
            return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        if len(text) == 19 and text[4] == "-" and text[10] in "T ":
            return dt.datetime.fromisoformat(text).date()
        match = _DATE_PARTS.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise BadValue(f"'{text}' không phải ngày hợp lệ (dd/mm/yyyy)")


def parse_time(raw: Any) -> dt.time | None:
    if raw == "" or raw is None:
        return None
    if _blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.time().replace(microsecond=0)
    if isinstance(raw, dt.time):
        return raw.replace(microsecond=0)
    if isinstance(raw, float) and 0 <= raw < 1:  # a spreadsheet time as a fraction of a day
        minutes = round(raw * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    text = str(raw).strip()
    match = _TIME.match(text)
    if match:
        hour, minute, second = (int(part) if part else 0 for part in match.groups())
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute, second)
    raise BadValue(f"'{text}' không phải giờ hợp lệ (hh:mm)")


def _lookup(choices: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, label in choices.items():
        found[" ".join(fold(label).split())] = code
    for code in choices:  # a code wins over a label that folds to the same text
        found[code.lower()] = code
    for code, label in choices.items():  # exact text, the common case, without folding
        found.setdefault(label, code)
        found.setdefault(code, code)
    return found


def _choice_parser(name: str, column: Column) -> Parser:
    choices = CHOICES[name]
    lookup = _lookup(choices)
    allowed = ", ".join(code for code in choices if code)

    def parse(raw: Any) -> str | None:
        if type(raw) is str:
            code = lookup.get(raw)
            if code is not None:
                return code
        if _blank(raw):
            return None
        text = _text_of(raw)
        code = lookup.get(text.lower())
        if code is None:
            code = lookup.get(" ".join(fold(text).split()))
        if code is None:
            raise BadValue(f"'{text}' không có trong danh mục (mã: {allowed})")
        return code

    return parse


def _list_parser(name: str, column: Column) -> Parser:
    one = _choice_parser(name, column)

    def parse(raw: Any) -> list[str]:
        if _blank(raw):
            return []
        codes: list[str] = []
        for part in str(raw).split(";"):
            code = one(part)
            if code and code not in codes:
                codes.append(code)
        return codes

    return parse


_ETHNICITY = {code: code for code, _ in ETHNICITIES}
_ETHNICITY.update({name: code for code, name in ETHNICITIES})
_ETHNICITY.update({" ".join(fold(name).split()): code for code, name in ETHNICITIES})
_ETHNICITY.update({fold(name).replace(" ", ""): code for code, name in ETHNICITIES})


def parse_ethnicity(raw: Any) -> str | None:
    if type(raw) is str and raw in _ETHNICITY:
        return _ETHNICITY[raw]
    if _blank(raw):
        return None
    text = _text_of(raw)
    if text.isdigit() and len(text) <= 2:
        text = text.zfill(2)
    code = _ETHNICITY.get(text) or _ETHNICITY.get(" ".join(fold(text).split()))
    code = code or _ETHNICITY.get(fold(text).replace(" ", ""))
    if code is None:
        raise BadValue(f"'{text}' không phải dân tộc trong danh mục 54 dân tộc (mã 01–55)")
    return code


def parse_commune(raw: Any) -> str | None:
    if type(raw) is str and len(raw) == 5 and raw.isdigit():
        return raw
    if _blank(raw):
        return None
    text = _text_of(raw)
    if not text.isdigit() or len(text) > 5:
        raise BadValue(f"'{text}' không phải mã xã (5 chữ số)")
    return text.zfill(5)


def parse_code(raw: Any) -> str | None:
    if type(raw) is str:
        return raw.strip() or None
    return None if _blank(raw) else _text_of(raw)


def parser(column: Column) -> Parser:
    """The function that reads one cell of ``column``."""
    kind = column.type
    if kind == "choice":
        return _choice_parser(column.choices, column)
    if kind == "list":
        return _list_parser(column.choices, column)
    if kind.startswith("ref:") or kind == "facility":
        return parse_code
    return {
        "text": parse_text,
        "int": parse_int,
        "decimal": parse_decimal,
        "bool": parse_bool,
        "date": parse_date,
        "time": parse_time,
        "commune": parse_commune,
        "ethnicity": parse_ethnicity,
    }[kind]


# ---------------------------------------------------------------------- writing


def _show_float(value: float, decimal: str = ",") -> str:
    text = repr(round(value, 6))
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", decimal)


def formatter(column: Column, *, language: str = "vi") -> Callable[[Any], str]:
    """Cell text for a stored value, which ``parser(column)`` reads back to the same value."""
    vi = not language.startswith("en")
    kind = column.type
    if kind in ("choice", "list"):
        labels = CHOICES[column.choices]

        def one(code: str) -> str:
            return labels.get(code, code) if vi and code else code

        if kind == "list":
            return lambda value: "; ".join(one(code) for code in value or ())
        return lambda value: one(value or "")
    if kind == "date":
        pattern = "%d/%m/%Y" if vi else "%Y-%m-%d"
        return lambda value: value.strftime(pattern) if value else ""
    if kind == "time":
        return lambda value: value.strftime("%H:%M") if value else ""
    if kind == "bool":
        yes, no = ("có", "không") if vi else ("yes", "no")
        return lambda value: "" if value is None else (yes if value else no)
    if kind == "decimal":
        decimal = "," if vi else "."
        return lambda value: "" if value is None else _show_float(float(value), decimal)
    if kind == "int":
        return lambda value: "" if value is None else str(value)
    return lambda value: "" if value is None else str(value)
