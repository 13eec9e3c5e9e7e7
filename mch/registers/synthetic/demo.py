"""The demo's registers: a small generated set for a few communes of Khánh Hòa, loaded
through the bundle importer so the demo commune users see people and worklists at once."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from mch.registers.models import Person

from .generate import Options
from .services import synthetic_generate

DEMO_PROVINCE = "56"
# The demo commune users' communes (Phường Phan Rang, Xã Bác Ái) and four more: a ward of
# Nha Trang, wards of Cam Ranh and Ninh Chử, a rural commune.
DEMO_COMMUNES = ("22759", "22795", "22333", "22411", "22465", "22834")
DEMO_PREFIX = "DEMO"


def demo_registers_load(
    *, today: dt.date | None = None, progress: Callable[[str], None] | None = None
) -> int:
    """Generate and import about two years of births in the demo communes (a few hundred
    people), unless demo registers are already there. Returns the rows imported."""
    from mch.registers.bundle.importer import bundle_import

    if Person.objects.filter(external_id__startswith=f"{DEMO_PREFIX}-").exists():
        return 0
    today = today or timezone.localdate()
    options = Options(
        as_of=today,
        births_per_year=120,
        years=2,
        end_year=today.year,
        seed=2026,
        error_rate=0.0,
        id_prefix=DEMO_PREFIX,
    )
    with tempfile.TemporaryDirectory(prefix="mch-demo-") as folder:
        synthetic_generate(
            directory=Path(folder),
            options=options,
            province=DEMO_PROVINCE,
            only=DEMO_COMMUNES,
            weights=dict.fromkeys(DEMO_COMMUNES[:2], 3.0),
        )
        result = bundle_import(source=Path(folder), user=None, today=today)
    if result.rejected:
        raise RuntimeError(f"Demo registers refused: {result.errors[:3]}")
    if progress is not None:
        progress(result.summary())
    return result.count("created")
