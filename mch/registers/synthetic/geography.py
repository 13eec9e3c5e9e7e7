"""The province a data set is drawn for, as plain data (no Django): its communes, what each
commune was called before the map changed, their health facilities and classification.

``mch.registers.synthetic.places`` builds a ``Province`` from the database; tests may
build one by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    """A commune code in force from ``start`` (None: from always) until the next era."""

    start: dt.date | None
    code: str
    station: str = ""  # the commune health station's facility code
    centre: str = ""  # the district or regional health centre where births go
    cccd: str = ""  # the 3-digit province code of national IDs issued there


@dataclass(frozen=True)
class Commune:
    code: str  # today's code
    name: str
    group: int  # rates.URBAN, RURAL, ETHNIC or DIFFICULT
    # Each history is one way back in time (one per predecessor merged into the commune),
    # oldest era first, today's era last. A household keeps one history.
    histories: tuple[tuple[Era, ...], ...]
    minority_groups: tuple[str, ...] = ()  # ethnic codes of the local minorities
    weight: float = 1.0  # multiplies the commune's drawn share of births


@dataclass(frozen=True)
class Hospital:
    """A provincial facility where births take place, with its validity."""

    code: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    communes: tuple[Commune, ...]
    hospitals: tuple[Hospital, ...]
