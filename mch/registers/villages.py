"""Village names as people write them on a person's record (free text: "Thôn 3",
"Bản Nà"): one list per commune, in the order a station numbers them."""

from __future__ import annotations

from collections.abc import Iterable

from mch.core.text import natural_key


def village_names(names: Iterable[str]) -> list[str]:
    """Distinct village names, spaces tidied, spelled as first seen whatever the case,
    in natural order: Thôn 1, Thôn 2, …, Thôn 10 (never as text: 1, 10, 11, 2)."""
    unique: dict[str, str] = {}
    for name in names:
        tidy = " ".join(name.split())
        if tidy:
            unique.setdefault(tidy.casefold(), tidy)
    return sorted(unique.values(), key=natural_key)
