"""The filter grammar of the catalogue, evaluated two ways from one definition.

``{}`` everyone; ``{attr: value}`` equality; ``{attr: {op: operand, ...}}`` with ``in``,
``not_in`` (lists), ``lt``, ``le``, ``gt``, ``ge`` (numbers), ``eq``, ``ne`` (several
operators all hold); several attributes all hold; ``{"any": [filter, ...]}`` one holds.
An attribute that is missing, unknown (``None``) or not a number for a comparison never
matches, whatever the operator (so ``not_in`` does not match an unknown ethnicity).

``mask`` evaluates over columns (NumPy arrays of one fact kind), ``holds`` over one
record (a group profile).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

COMPARISONS = ("lt", "le", "gt", "ge")
OPERATORS = frozenset({"in", "not_in", "eq", "ne", *COMPARISONS})

BoolArray = npt.NDArray[np.bool_]


def _known(column: npt.NDArray[Any]) -> BoolArray:
    if column.dtype.kind == "f":
        return ~np.isnan(column)
    if column.dtype.kind == "O":
        return np.array([value is not None for value in column], dtype=bool)
    return np.ones(column.shape, dtype=bool)


def _numeric(column: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    if column.dtype.kind in "fiub":
        return column.astype(np.float64)
    out = np.full(column.shape, np.nan)
    for i, value in enumerate(column):
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[i] = value
    return out


def _compare(column: npt.NDArray[Any], op: str, operand: Any) -> BoolArray:
    if op in COMPARISONS:
        values = _numeric(column)
        with np.errstate(invalid="ignore"):
            result = {
                "lt": values < operand,
                "le": values <= operand,
                "gt": values > operand,
                "ge": values >= operand,
            }[op]
        return np.asarray(result & ~np.isnan(values), dtype=bool)
    known = _known(column)
    if op in ("eq", "ne"):
        equal = np.asarray(column == operand, dtype=bool)
        return known & (equal if op == "eq" else ~equal)
    members = np.isin(column, list(operand))
    return known & (members if op == "in" else ~members)


def mask(where: Mapping[str, Any], columns: Mapping[str, npt.NDArray[Any]], n: int) -> BoolArray:
    result = np.ones(n, dtype=bool)
    for key, condition in where.items():
        if key == "any":
            alternative = np.zeros(n, dtype=bool)
            for sub in condition:
                alternative |= mask(sub, columns, n)
            result &= alternative
            continue
        column = columns.get(key)
        if column is None:
            return np.zeros(n, dtype=bool)
        if isinstance(condition, Mapping):
            for op, operand in condition.items():
                result &= _compare(column, op, operand)
        else:
            result &= _compare(column, "eq", condition)
    return result


def _holds_one(value: Any, op: str, operand: Any) -> bool:
    if value is None:
        return False
    if op in COMPARISONS:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return False
        return bool(
            {"lt": value < operand, "le": value <= operand, "gt": value > operand}.get(
                op, value >= operand
            )
        )
    if op == "eq":
        return bool(value == operand)
    if op == "ne":
        return bool(value != operand)
    return (value in operand) if op == "in" else (value not in operand)


def holds(where: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    for key, condition in where.items():
        if key == "any":
            if not any(holds(sub, record) for sub in condition):
                return False
            continue
        if key not in record:
            return False
        value = record[key]
        pairs = condition.items() if isinstance(condition, Mapping) else [("eq", condition)]
        if not all(_holds_one(value, op, operand) for op, operand in pairs):
            return False
    return True


def problems(where: Any, *, allowed: frozenset[str] | None = None) -> list[str]:
    """Shape problems of a filter (Vietnamese); ``allowed`` limits the attribute names."""
    if not isinstance(where, dict):
        return ["phải là một bảng (mapping), {} nghĩa là không lọc"]
    found: list[str] = []
    for key, condition in where.items():
        if key == "any":
            if not isinstance(condition, list) or not condition:
                found.append("'any' phải là danh sách bộ lọc không rỗng")
            else:
                for sub in condition:
                    found += problems(sub, allowed=allowed)
            continue
        if not isinstance(key, str):
            found.append(f"tên thuộc tính {key!r} không hợp lệ")
            continue
        if allowed is not None and key not in allowed:
            found.append(f"thuộc tính '{key}' không có; dùng được: {', '.join(sorted(allowed))}")
            continue
        if isinstance(condition, dict):
            if not condition or not set(condition) <= OPERATORS:
                found.append(f"điều kiện của '{key}' chỉ dùng: {', '.join(sorted(OPERATORS))}")
                continue
            for op, operand in condition.items():
                if op in ("in", "not_in") and not (
                    isinstance(operand, list) and operand and all(_scalar(v) for v in operand)
                ):
                    found.append(f"'{key}': '{op}' cần một danh sách giá trị đơn")
                elif op in COMPARISONS and (
                    isinstance(operand, bool) or not isinstance(operand, int | float)
                ):
                    found.append(f"'{key}': '{op}' cần một số")
                elif op in ("eq", "ne") and not _scalar(operand):
                    found.append(f"'{key}': '{op}' cần một giá trị đơn")
        elif not _scalar(condition):
            found.append(f"'{key}': giá trị phải là chuỗi, số hoặc true/false")
    return found


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)
