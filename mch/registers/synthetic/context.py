"""What every step of the generator shares: the random streams, the province as arrays, the
women drawn so far, the ID counters and the open bundle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .errors import Errors, Manifest
from .geography import Province
from .names import NameMaker
from .output import NEVER, BundleWriter, Ids, Text, day_number
from .rates import DIFFICULT, ETHNIC, URBAN, Rates


def _day(day: dt.date | None, default: int) -> int:
    return default if day is None else day_number(day)


class Geo:
    """The province as arrays. A history ``h`` is one line of eras of one commune; a
    household keeps its history, and an event on day ``d`` takes the era in force then."""

    def __init__(self, province: Province, rng: np.random.Generator, rates: Rates) -> None:
        communes = province.communes
        if not communes:
            raise ValueError(f"{province.name}: no communes to generate for")
        r = rates.arrays()
        self.province = province
        n = len(communes)
        self.codes = np.array([c.code for c in communes], dtype=object)
        self.group = np.array([c.group for c in communes], dtype=np.int64)
        urban = self.group == URBAN
        minority = self.group >= ETHNIC
        weight = (
            rng.lognormal(0.0, 0.45, n) * np.where(urban, 1.6, 1.0) * np.where(minority, 0.8, 1.0)
        )
        weight *= np.array([c.weight for c in communes])
        self.p = weight / weight.sum()
        width = max(len(h) for c in communes for h in c.histories)
        rows = [(i, h) for i, c in enumerate(communes) for h in c.histories]
        self.hist_commune = np.array([i for i, _ in rows], dtype=np.int64)
        self.hist_first = np.searchsorted(self.hist_commune, np.arange(n))
        self.hist_count = np.bincount(self.hist_commune, minlength=n)
        shape = (len(rows), width)
        self.starts = np.full(shape, NEVER, dtype=np.int64)
        self.era_code = np.full(shape, "", dtype=object)
        self.era_station = np.full(shape, "", dtype=object)
        self.era_centre = np.full(shape, "", dtype=object)
        fallback = f"0{int(province.code[-2:]) if province.code[-2:].isdigit() else 1:02d}"
        self.cccd = np.full(len(rows), fallback, dtype=object)
        for k, (_, history) in enumerate(rows):
            for j, era in enumerate(history):
                self.starts[k, j] = -NEVER if j == 0 else _day(era.start, -NEVER)
                self.era_code[k, j] = era.code
                self.era_station[k, j] = era.station
                self.era_centre[k, j] = era.centre
            if history[0].cccd:
                self.cccd[k] = history[0].cccd
        self.hospitals = np.array([h.code for h in province.hospitals], dtype=object)
        self.hospital_start = np.array(
            [_day(h.start, -NEVER) for h in province.hospitals], dtype=np.int64
        )
        self.hospital_end = np.array(
            [_day(h.end, NEVER) for h in province.hospitals], dtype=np.int64
        )
        self.villages = rng.integers(4, 16, n)
        self.monthly = rng.random(n) < r["monthly_weighing_commune"][self.group]
        self.session_offset = rng.integers(0, 15, n)  # weighing days from 1 June / 1 December
        self.epi_day = rng.integers(5, 26, n)  # the commune's monthly immunisation day
        self.minorities = [c.minority_groups or ("02",) for c in communes]
        self.difficult = self.group == DIFFICULT

    def moved(self, old: np.ndarray, new: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Histories of their own for households that move on ``day`` from histories
        ``old`` to ``new``: the eras of ``old`` before that day, then those of ``new`` in
        force from it. An event keeps taking the era of its date, so it falls in the
        commune the household lived in then. Returns the new histories' indices."""
        lines = []
        now = self.era(np.asarray(new), np.asarray(day))
        for o, n, d, e in zip(
            np.asarray(old).tolist(),
            np.asarray(new).tolist(),
            np.asarray(day).tolist(),
            now.tolist(),
            strict=True,
        ):
            eras = [
                (self.starts[o, j], o, j)
                for j in range(self.starts.shape[1])
                if self.starts[o, j] < d
            ]
            eras.append((d, n, e))
            eras += [
                (self.starts[n, j], n, j)
                for j in range(e + 1, self.starts.shape[1])
                if self.starts[n, j] < NEVER
            ]
            lines.append(eras)
        k, m = len(self.starts), len(lines)
        width = max([self.starts.shape[1], *(len(eras) for eras in lines)])
        grown = {}
        for name, blank in (
            ("starts", NEVER),
            ("era_code", ""),
            ("era_station", ""),
            ("era_centre", ""),
        ):
            table = getattr(self, name)
            bigger = np.full((k + m, width), blank, dtype=table.dtype)
            bigger[:k, : table.shape[1]] = table
            grown[name] = bigger
        for i, eras in enumerate(lines):
            for j, (start, h, e) in enumerate(eras):
                grown["starts"][k + i, j] = -NEVER if j == 0 else start
                grown["era_code"][k + i, j] = self.era_code[h, e]
                grown["era_station"][k + i, j] = self.era_station[h, e]
                grown["era_centre"][k + i, j] = self.era_centre[h, e]
        for name, table in grown.items():
            setattr(self, name, table)
        self.cccd = np.concatenate([self.cccd, self.cccd[np.asarray(old)]])
        return np.arange(k, k + m)

    def era(self, hist: np.ndarray, day: np.ndarray) -> np.ndarray:
        return (np.asarray(day)[:, None] >= self.starts[hist]).sum(axis=1) - 1

    def code(self, hist: np.ndarray, day: np.ndarray) -> np.ndarray:
        return self.era_code[hist, self.era(hist, day)]

    def station(self, hist: np.ndarray, day: np.ndarray) -> np.ndarray:
        return self.era_station[hist, self.era(hist, day)]

    def centre(self, hist: np.ndarray, day: np.ndarray) -> np.ndarray:
        return self.era_centre[hist, self.era(hist, day)]

    def hospital(self, rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
        """A provincial hospital in force on each day ("" when there is none)."""
        out = np.full(len(day), "", dtype=object)
        if not len(self.hospitals) or not len(day):
            return out
        valid = (day[:, None] >= self.hospital_start) & (day[:, None] <= self.hospital_end)
        score = rng.random(valid.shape) * valid
        best = score.argmax(axis=1)
        found = valid[np.arange(len(day)), best]
        out[found] = self.hospitals[best[found]]
        return out

    def village(self, rng: np.random.Generator, commune: np.ndarray) -> np.ndarray:
        number = 1 + (rng.random(len(commune)) * self.villages[commune]).astype(np.int64)
        word = np.where(self.group[commune] == URBAN, "Tổ dân phố", "Thôn")
        return np.array(
            [f"{w} {k}" for w, k in zip(word.tolist(), number.tolist(), strict=True)], dtype=object
        )

    def minority(self, rng: np.random.Generator, commune: np.ndarray) -> np.ndarray:
        pick = rng.random(len(commune))
        return np.array(
            [
                groups[0] if p < 0.75 or len(groups) == 1 else groups[1]
                for groups, p in zip(
                    (self.minorities[c] for c in commune.tolist()), pick.tolist(), strict=True
                )
            ],
            dtype=object,
        )


class Pool:
    """Growing columns of NumPy arrays (the women drawn so far)."""

    def __init__(self, **dtypes: object) -> None:
        self.size = 0
        self.columns = {name: np.empty(1024, dtype=dtype) for name, dtype in dtypes.items()}

    def __getattr__(self, name: str) -> np.ndarray:
        columns = self.__dict__.get("columns", {})
        if name not in columns:
            raise AttributeError(name)
        return columns[name][: self.size]

    def append(self, **values: np.ndarray) -> np.ndarray:
        n = len(next(iter(values.values())))
        if set(values) != set(self.columns):
            raise KeyError(sorted(set(self.columns) ^ set(values)))
        need = self.size + n
        for name, column in self.columns.items():
            if need > len(column):
                grown = np.empty(max(need, 2 * len(column)), dtype=column.dtype)
                grown[: self.size] = column[: self.size]
                self.columns[name] = column = grown
            column[self.size : need] = values[name]
        start, self.size = self.size, need
        return np.arange(start, need)


def women_pool() -> Pool:
    return Pool(
        commune=np.int64,
        hist=np.int64,
        birth=np.int64,
        last_delivery=np.int64,
        parity=np.int64,
        gravida=np.int64,
        caesareans=np.int64,
        tetanus=np.int64,
        death=np.int64,
        ethnicity=object,
        name=object,
        village=object,
        father_family=object,
        poverty=object,
        weight=np.float64,
        id=object,
        moved_on=np.int64,  # the day she moved commune (NEVER: she did not)
    )


@dataclass
class Context:
    rng: np.random.Generator
    errors: Errors
    manifest: Manifest
    text: Text
    ids: Ids
    out: BundleWriter
    geo: Geo
    rates: dict[str, np.ndarray]
    as_of: int
    names: NameMaker = field(default_factory=NameMaker)
    women: Pool = field(default_factory=women_pool)
    national_ids: dict[str, int] = field(default_factory=dict)
    # Moves of residence: a random stream of their own, so that the other records of a
    # province are the same whether or not moves are drawn.
    moves: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))
