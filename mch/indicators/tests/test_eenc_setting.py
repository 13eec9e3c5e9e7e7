"""The EENC steps are catalogue data: a province that counts other steps writes a new
version of the definition, and the values follow it (checked against a plain count)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mch.accounts.models import User
from mch.indicators.models import Indicator
from mch.indicators.services import catalogue_load, indicator_version_create
from mch.indicators.values import Period, indicator_values
from mch.orgunits.models import OrgUnit
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import Birth
from mch.registers.synthetic import Options
from mch.registers.synthetic.services import synthetic_generate

AS_OF = dt.date(2026, 11, 22)
FOUR = ("eenc_dried", "eenc_skin_to_skin", "eenc_cord_delayed", "eenc_breastfed_1h")


@pytest.fixture
def province(db, tmp_path: Path) -> tuple[OrgUnit, User]:
    options = Options(as_of=AS_OF, births_per_year=300, years=2, seed=11, error_rate=0.0)
    synthetic_generate(directory=tmp_path, options=options, synthetic=8, communes=4)
    bundle_import(source=tmp_path, user=None, today=AS_OF)
    catalogue_load()
    return OrgUnit.objects.get(code="S8"), User.objects.create_superuser("eenc", password="x")


def _plain(steps: tuple[str, ...], period: Period) -> tuple[int, int]:
    """Live births in a facility in the period, and those with every step done."""
    num = den = 0
    for b in Birth.objects.select_related("delivery"):
        if b.outcome != "live" or b.delivery.place != "facility":
            continue
        if not period.start <= b.date <= period.end:
            continue
        den += 1
        num += all(getattr(b, step) is True for step in steps)
    return num, den


def _value(user, unit, period):  # type: ignore[no-untyped-def]
    (value,) = indicator_values(
        user=user, indicators=["eenc"], units=[unit], period=period, stored=False
    )
    return value


def test_the_steps_that_count_are_a_new_version_of_the_definition(province) -> None:  # type: ignore[no-untyped-def]
    unit, admin = province
    period = Period.year(2025)
    eenc = Indicator.objects.get(code="eenc")
    first = eenc.versions.get(version=1)
    assert sorted(first.compute["numerator"]) == sorted(FOUR)  # the catalogue's four steps

    before = _value(admin, unit, period)
    assert (before.version, before.numerator, before.denominator) == (1, *_plain(FOUR, period))
    assert before.denominator > 50

    # The province drops delayed cord clamping: a new version, version 1 stays as it was.
    three = tuple(s for s in FOUR if s != "eenc_cord_delayed")
    compute = dict(first.compute)
    compute["numerator"] = dict.fromkeys(three, True)
    second = indicator_version_create(
        indicator=eenc,
        changes={"compute": compute},
        reason="Tỉnh tính EENC trên 3 bước (không tính kẹp dây rốn muộn)",
        user=admin,
    )
    assert second.version == 2
    first.refresh_from_db()
    assert sorted(first.compute["numerator"]) == sorted(FOUR)

    after = _value(admin, unit, period)
    assert (after.version, after.numerator, after.denominator) == (2, *_plain(three, period))
    assert after.numerator > before.numerator and after.denominator == before.denominator
