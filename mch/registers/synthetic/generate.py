"""The generator's entry point: a province, options and a directory in; a bundle and its
manifest out."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import children as child_events
from .context import Context, Geo
from .errors import MANIFEST_NAME, Errors, Manifest
from .geography import Province
from .output import BundleWriter, Ids, Text, day_number
from .pregnancy import chunk
from .rates import DEFAULT, Rates

Progress = Callable[[str], None]
CHUNK_BIRTHS = 60_000


@dataclass(frozen=True)
class Options:
    as_of: dt.date  # nothing is dated later (pass it explicitly for reproducible files)
    births_per_year: int = 25_000
    years: int = 10
    end_year: int = 2026
    seed: int = 1
    error_rate: float = 0.005
    id_prefix: str = ""  # default "S<seed>-<province code>"
    rates: Rates = field(default=DEFAULT)

    def prefix(self, province: Province) -> str:
        return self.id_prefix or f"S{self.seed}-{province.code}"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _stream(seed: int, code: str, purpose: int) -> np.random.Generator:
    return np.random.default_rng([seed, int.from_bytes(code.encode(), "big") % 2**63, purpose])


def _periods(options: Options, as_of: dt.date) -> list[tuple[dt.date, dt.date, int]]:
    """Calendar years of deliveries, then the deliveries after ``as_of`` of the pregnancies
    under way on that day; a big province's year in parts, to bound the memory used."""
    first_year = options.end_year - options.years + 1
    spans = [
        (dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in range(first_year, options.end_year + 1)
    ]
    spans.append((dt.date(options.end_year + 1, 1, 1), as_of + dt.timedelta(days=300)))
    parts = max(1, -(-options.births_per_year // CHUNK_BIRTHS))
    periods = []
    for start, end in spans:
        days = (end - start).days + 1
        if days <= 0:
            continue
        year_days = (dt.date(start.year + 1, 1, 1) - dt.date(start.year, 1, 1)).days
        births = round(options.births_per_year * days / year_days)
        cuts = [k * days // parts for k in range(parts + 1)]
        for k in range(parts):
            if cuts[k + 1] > cuts[k]:
                periods.append(
                    (
                        start + dt.timedelta(days=cuts[k]),
                        start + dt.timedelta(days=cuts[k + 1] - 1),
                        births * (k + 1) // parts - births * k // parts,
                    )
                )
    return periods


def generate(
    province: Province, directory: Path, options: Options, *, progress: Progress | None = None
) -> Manifest:
    """Write a bundle for ``province`` into ``directory``: births of ``years`` calendar
    years ending with ``end_year``, the women and children's records up to ``as_of``, and
    pregnancies still ongoing then. Same province, options and seed: same bytes."""
    say = progress or (lambda message: None)
    started = time.perf_counter()
    as_of = min(options.as_of, dt.date(options.end_year, 12, 31))
    rng = _stream(options.seed, province.code, 0)
    manifest = Manifest(
        parameters={
            "province": province.code,
            "province_name": province.name,
            "communes": len(province.communes),
            "births_per_year": options.births_per_year,
            "years": options.years,
            "end_year": options.end_year,
            "as_of": f"{as_of:%d/%m/%Y}",
            "seed": options.seed,
            "error_rate": options.error_rate,
            "id_prefix": options.prefix(province),
        }
    )
    out = BundleWriter(directory)
    ctx = Context(
        rng=rng,
        errors=Errors(_stream(options.seed, province.code, 1), options.error_rate, manifest),
        manifest=manifest,
        text=Text(),
        ids=Ids(options.prefix(province)),
        out=out,
        geo=Geo(province, rng, options.rates),
        rates=options.rates.arrays(),
        as_of=day_number(as_of),
        moves=_stream(options.seed, province.code, 2),
    )
    first_year = options.end_year - options.years + 1
    try:
        for start, end, n in _periods(options, as_of):
            children = chunk(ctx, day_number(start), day_number(end), n, start.year - first_year)
            child_events.events(ctx, children)
            rows = _number(sum(out.counts.values()))
            say(f"{start:%d/%m/%Y}–{end:%d/%m/%Y}: {_number(n)} ca đẻ, {rows} dòng")
    finally:
        out.close()
    manifest.rows = dict(out.counts)
    manifest.seconds = round(time.perf_counter() - started, 2)
    manifest.save(directory / MANIFEST_NAME)
    return manifest
