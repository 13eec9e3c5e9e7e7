"""Names sorted as a station numbers and spells them."""

from __future__ import annotations

import pytest

from mch.core.text import natural_key


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            ["Thôn 10", "Thôn 2", "Thôn 11", "Thôn 1", "Thôn 3"],
            ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 10", "Thôn 11"],
        ),
        (["Thôn 2A", "Thôn 2", "Thôn 12", "Thôn 02"], ["Thôn 02", "Thôn 2", "Thôn 2A", "Thôn 12"]),
        (["thôn  3", "Thôn 2", "THÔN 1"], ["THÔN 1", "Thôn 2", "thôn  3"]),
        # Vietnamese letters: a ă â … d đ … o ô ơ … u ư; tones only break ties.
        (
            ["Đồng Tâm", "Dốc Đỏ", "Bản Nà", "Ấp Mới", "An Bình"],
            ["An Bình", "Ấp Mới", "Bản Nà", "Dốc Đỏ", "Đồng Tâm"],
        ),
        (["Ơ", "Ô", "O"], ["O", "Ô", "Ơ"]),
        (["Mạ", "Má", "Ma", "Mà"], ["Ma", "Mà", "Má", "Mạ"]),
        (["Tổ dân phố 10", "Tổ dân phố 9", "Thôn 1"], ["Thôn 1", "Tổ dân phố 9", "Tổ dân phố 10"]),
    ],
)
def test_natural_order(names: list[str], expected: list[str]) -> None:
    assert sorted(names, key=natural_key) == expected
