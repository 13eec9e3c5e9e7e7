"""Generating a bundle for a province of the database (the command, the demo and the
benchmarks call this)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .errors import Manifest
from .generate import Options, Progress, generate
from .places import province_load, synthetic_province_ensure


def synthetic_generate(
    *,
    directory: Path,
    options: Options,
    province: str = "",
    synthetic: int | None = None,
    communes: int = 200,
    only: Sequence[str] = (),
    weights: dict[str, float] | None = None,
    progress: Progress | None = None,
) -> Manifest:
    """Write a bundle for the real province with code ``province`` as it is on
    ``options.as_of``, or for synthetic province ``S<synthetic>`` (created with
    ``communes`` communes when missing). ``only``: limit births to these commune codes;
    ``weights``: more (or fewer) births in some communes."""
    if synthetic is not None:
        province = synthetic_province_ensure(number=synthetic, communes=communes).code
    if not province:
        raise ValueError("Cần mã tỉnh hoặc số của tỉnh tổng hợp.")
    place = province_load(province, on=options.as_of)
    if only:
        wanted = set(only)
        missing = wanted - {c.code for c in place.communes}
        if missing:
            raise ValueError(f"Không có xã {', '.join(sorted(missing))} trong {place.name}.")
        place = replace(place, communes=tuple(c for c in place.communes if c.code in wanted))
    if weights:
        place = replace(
            place,
            communes=tuple(
                replace(c, weight=weights.get(c.code, c.weight)) for c in place.communes
            ),
        )
    return generate(place, directory, options, progress=progress)
