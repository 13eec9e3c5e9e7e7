"""Injury mortality under 5 per 100,000 children aged 0-4: deaths from the registers over
the imported mid-year population, against the independent calculation; no population,
no number ("chưa có số liệu dân số")."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from mch.accounts.models import User
from mch.indicators.services import catalogue_load
from mch.indicators.tests import independent
from mch.indicators.values import NO_DENOMINATOR, POPULATION_MISSING, Period, indicator_values
from mch.orgunits.models import OrgUnit, Population
from mch.orgunits.population import demo_population_rows, population_import, rows_csv
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import Death
from mch.registers.synthetic import Options
from mch.registers.synthetic.services import synthetic_generate

AS_OF = dt.date(2026, 11, 22)
CODE = "under5_injury_mortality"


@pytest.fixture
def province(db, tmp_path: Path) -> tuple[OrgUnit, User]:
    options = Options(as_of=AS_OF, births_per_year=500, years=3, seed=7, error_rate=0.0)
    synthetic_generate(directory=tmp_path, options=options, synthetic=7, communes=5)
    bundle_import(source=tmp_path, user=None, today=AS_OF)
    catalogue_load()
    unit = OrgUnit.objects.get(code="S7")
    communes = list(OrgUnit.objects.in_subtree(unit).at_level("commune"))
    rows = demo_population_rows(communes, range(2023, 2026))
    population_import(file=io.StringIO(rows_csv(rows)), name="d.csv", synthetic=True)
    return unit, User.objects.create_superuser("pop-admin", password="x")


def test_injury_mortality_equals_the_independent_calculation(province) -> None:  # type: ignore[no-untyped-def]
    unit, admin = province
    communes = list(OrgUnit.objects.in_subtree(unit).at_level("commune"))
    everything = {c.pk for c in communes}
    for period in (Period.year(2025), Period.years(2023, 2025), Period.quarter(2025, 2)):
        whole = indicator_values(user=admin, indicators=[CODE], units=[unit], period=period)
        by_commune = indicator_values(
            user=admin, indicators=[CODE], units=[unit], period=period, by="commune"
        )
        expected = independent.injury_mortality_u5(everything, period.start, period.end)
        (value,) = whole
        assert (value.numerator, value.denominator) == expected, period
        assert value.value == pytest.approx(expected[0] / expected[1] * 100000)
        assert value.ci_method == "poisson_exact"
        for v in by_commune:
            assert (v.numerator, v.denominator) == independent.injury_mortality_u5(
                {v.unit_id}, period.start, period.end
            )
    # the synthetic province has injury deaths of children (or the test proves little)
    assert Death.objects.filter(cause_group="injury").exists()
    # computed from the records, the same
    (fresh,) = indicator_values(
        user=admin, indicators=[CODE], units=[unit], period=Period.year(2025), stored=False
    )
    assert (fresh.numerator, fresh.denominator) == independent.injury_mortality_u5(
        everything, dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    )


def test_a_missing_population_gives_no_number(province) -> None:  # type: ignore[no-untyped-def]
    unit, admin = province
    commune = OrgUnit.objects.in_subtree(unit).at_level("commune").order_by("code").first()
    Population.objects.filter(unit=commune, year=2024).delete()
    for period in (Period.year(2024), Period.years(2023, 2025)):
        (value,) = indicator_values(user=admin, indicators=[CODE], units=[unit], period=period)
        assert (value.numerator, value.denominator, value.value) == (None, None, None)
        assert POPULATION_MISSING in value.note
    (other,) = indicator_values(
        user=admin, indicators=[CODE], units=[unit], period=Period.year(2025)
    )
    assert other.denominator is not None and POPULATION_MISSING not in other.note
    # a group other than everyone has no population figure: no number either
    (group,) = indicator_values(
        user=admin,
        indicators=[CODE],
        units=[unit],
        period=Period.year(2025),
        groups=["ethnic_minority"],
    )
    assert (group.numerator, group.denominator, group.value) == (None, None, None)
    assert group.note == NO_DENOMINATOR
