"""Text helpers shared by search and matching: Vietnamese without diacritics."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics, "Nguyễn Thị Đào" -> "nguyen thi dao"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(full_name: str) -> str:
    """The form of a name used to find likely duplicates: folded, single spaces."""
    return " ".join(fold(full_name).split())
