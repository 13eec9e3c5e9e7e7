"""Every register indicator on a generated province against the independent calculation
(independent.py): for the province, for each commune, computed from the records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mch.accounts.models import User
from mch.indicators.services import catalogue_load
from mch.indicators.tests import independent
from mch.indicators.values import Period, indicator_values
from mch.orgunits.models import OrgUnit
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import Delivery
from mch.registers.synthetic import Options
from mch.registers.synthetic.services import synthetic_generate

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture
def province(db, tmp_path: Path) -> tuple[OrgUnit, User]:
    """The generated province imported; its bundle stays in ``tmp_path``."""
    options = Options(as_of=AS_OF, births_per_year=400, years=3, seed=5, error_rate=0.0)
    synthetic_generate(directory=tmp_path, options=options, synthetic=9, communes=6)
    bundle_import(source=tmp_path, user=None, today=AS_OF)
    catalogue_load()
    admin = User.objects.create_superuser("engine-admin", password="x")
    return OrgUnit.objects.get(code="S9"), admin


def _mismatches(values, expected):  # type: ignore[no-untyped-def]
    return [
        (v.indicator, v.unit_id, (v.numerator, v.denominator), expected[(v.indicator, v.unit_id)])
        for v in values
        if (v.numerator or 0, v.denominator or 0) != expected[(v.indicator, v.unit_id)]
    ]


def test_every_indicator_equals_the_independent_calculation(province, tmp_path) -> None:  # type: ignore[no-untyped-def]
    unit, admin = province
    bundle = tmp_path  # the files the province was imported from
    period = Period.year(2025)
    communes = list(OrgUnit.objects.in_subtree(unit).at_level("commune"))
    everything = set(OrgUnit.objects.in_subtree(unit).values_list("pk", flat=True))
    # by residence on the event's date, as the generator says people lived and moved
    truth = independent.Residences(bundle)
    expected = {
        (code, unit.pk): independent.calculate(code, everything, period.start, period.end, truth)
        for code in independent.CODES
    }
    expected |= {
        (code, commune.pk): independent.calculate(
            code, {commune.pk}, period.start, period.end, truth
        )
        for code in independent.CODES
        for commune in communes
    }
    # The moves count: events of 2025 of people who moved, before and after their move,
    # fall in communes other than the one persons.csv gives as their residence now.
    moved = [
        (d.person_id, d.date)
        for d in Delivery.objects.filter(date__year=2025)
        if truth.moved(d.person_id)
    ]
    assert moved
    assert any(
        truth.code_on(truth.external[pk], day) != truth.current[truth.external[pk]]
        for pk, day in moved
    )

    whole = indicator_values(
        user=admin, indicators=list(independent.CODES), units=[unit], period=period
    )
    by_commune = indicator_values(
        user=admin, indicators=list(independent.CODES), units=[unit], period=period, by="commune"
    )

    assert _mismatches(whole, expected) == []
    assert _mismatches(by_commune, expected) == []
    assert len(by_commune) == len(independent.CODES) * len(communes)
    assert all(expected[(code, unit.pk)][1] > 0 for code in independent.CODES)
    assert sum(expected[(code, unit.pk)][0] > 0 for code in independent.CODES) >= 14
