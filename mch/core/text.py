"""Text helpers shared by search and matching: Vietnamese without diacritics."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics, "Nguyễn Thị Đào" -> "nguyen thi dao"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(full_name: str) -> str:
    """The form of a name used to find likely duplicates: folded, single spaces."""
    return " ".join(fold(full_name).split())


# Vietnamese alphabetical order (TCVN 5712, CLDR "vi"): letters with a breve, circumflex
# or horn and "đ" are letters of their own; tone marks only break ties, in the order
# none, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: 100 + rank for rank, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_NUMBER = re.compile(r"(\d+)")


def _word_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters: list[int] = []
    tones: list[int] = []
    letter, tone = "", 0
    for char in unicodedata.normalize("NFD", text.casefold()) + " ":
        if letter and char in _LETTER_MARKS:
            letter = unicodedata.normalize("NFC", letter + char)
        elif letter and char in _TONE_RANK:
            tone = _TONE_RANK[char]
        else:
            if letter:
                letters.append(_LETTER_RANK.get(letter, ord(letter) if letter < "a" else 1000))
                tones.append(tone)
            letter, tone = char, 0
    return tuple(letters), tuple(tones)


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key for names people number and spell in Vietnamese: numbers by value
    ("Thôn 2" before "Thôn 10"), letters in Vietnamese order ("Dốc" before "Đồng"),
    case and repeated spaces ignored. Keys of any two texts compare: the parts alternate
    text, number, text, ...; ties keep a stable order by the text itself."""
    parts = _NUMBER.split(" ".join(text.split()))
    key: list[object] = [
        int(part) if index % 2 else _word_key(part) for index, part in enumerate(parts)
    ]
    key.append(text)
    return tuple(key)
