"""The approved series from the demo plan's reports, checked against sums made here from the
stored reports: every plan indicator a commune report gives (denominators included, through
the definitions' ``gives``), and a dissolved province's year covered through the lineage
(its own months, then the months of the communes that now hold its territory)."""

from __future__ import annotations

from mch.aggregate_data import demo_plans
from mch.aggregate_data.demo_plans import demo_plan_reports_load
from mch.aggregate_data.models import DataValue, ReportStatus
from mch.indicators.models import IndicatorVersion
from mch.indicators.services import catalogue_load
from mch.reported_values import rules as rv
from mch.reported_values.series import UnitSpec, other_series

from .test_demo_plans import TODAY, _world

CODES = ("neonatal_mortality", "infant_mortality", "anc4_3trimesters", "pnc_home_week1",
         "facility_birth", "maternal_mortality")  # fmt: skip


def _versions() -> dict[str, IndicatorVersion]:
    catalogue_load()
    return {c: IndicatorVersion.objects.filter(indicator__code=c).latest("version") for c in CODES}


def _officer(rw):  # type: ignore[no-untyped-def]
    return rw.province.users.model.objects.get(username="sobacninh")


def _approved(**filters) -> int:  # type: ignore[no-untyped-def]
    rows = DataValue.objects.filter(report__status=ReportStatus.APPROVED, **filters)
    return sum(rows.values_list("value", flat=True))


def test_every_indicator_a_commune_report_gives(rw) -> None:  # type: ignore[no-untyped-def]
    old, _ = _world(rw)
    demo_plan_reports_load(today=TODAY)

    points = other_series(user=_officer(rw), versions=_versions(), units=[UnitSpec(old.pk)],
                          years=[2024])  # fmt: skip

    # the series reads a unit's longest approved reports of the year: here the year's
    y = {"report__unit": old, "report__period_start__year": 2024,
         "report__form_code": demo_plans.YEAR_FORM}  # fmt: skip
    births = _approved(element="live_births", **y)
    deliveries = _approved(element="deliveries", **y)
    d0_27 = _approved(element="child_deaths", cell="d0_27", **y)
    d28 = _approved(element="child_deaths", cell="d28_m11", **y)
    assert births > 0 and deliveries > 0
    expected = {
        "neonatal_mortality": (1000 * d0_27 / births, births),
        "infant_mortality": (1000 * (d0_27 + d28) / births, births),
        "maternal_mortality": (
            100000 * _approved(element="maternal_deaths", **y) / births,
            births,
        ),
        "anc4_3trimesters": (100 * _approved(element="anc4_3t", **y) / deliveries, deliveries),
        "pnc_home_week1": (100 * _approved(element="pnc_week1", **y) / deliveries, deliveries),
    }
    for code, (value, denominator) in expected.items():
        point = points[(code, "all", old.pk, 2024)][rv.APPROVED_AGGREGATE]
        assert point.denominator == denominator, code
        assert abs(point.value - value) < 0.05, code
        assert point.complete, code


def test_a_dissolved_province_covers_its_year_through_the_lineage(rw) -> None:  # type: ignore[no-untyped-def]
    old, communes = _world(rw)
    demo_plan_reports_load(today=TODAY)
    parts = (rw.commune.pk, rw.other_commune.pk)

    points = other_series(user=_officer(rw), versions=_versions(),
                          units=[UnitSpec(old.pk, parts)], years=[2025])  # fmt: skip

    point = points[("facility_birth", "all", old.pk, 2025)][rv.APPROVED_AGGREGATE]
    # through the lineage: the monthly reports
    month = {"report__form_code": demo_plans.FORM}
    first_half = {"report__unit": old, "report__period_start__year": 2025, **month}
    second_half = {
        **month,
        "report__unit__in": parts,
        "report__period_start__year": 2025,
        "report__period_start__month__gte": 7,
    }
    facility = _approved(element="deliveries", cell="facility", **first_half) + _approved(
        element="deliveries", cell="facility", **second_half
    )
    every = _approved(element="deliveries", **first_half) + _approved(
        element="deliveries", **second_half
    )
    assert _approved(element="deliveries", **second_half) > 0
    assert point.denominator == every
    assert abs(point.value - 100 * facility / every) < 0.05
    # the new communes' December waits for approval and one October is missing
    assert not point.complete
    assert "01/2025–06/2025" in point.detail and "07/2025–12/2025" in point.detail
    assert old.name in point.detail
    assert rw.commune.name in point.detail and rw.other_commune.name in point.detail
    # without the lineage the year is the old province's six months only (its two quarters)
    alone = other_series(user=_officer(rw), versions=_versions(), units=[UnitSpec(old.pk)],
                         years=[2025])  # fmt: skip
    own = alone[("facility_birth", "all", old.pk, 2025)][rv.APPROVED_AGGREGATE]
    quarters = {**first_half, "report__form_code": demo_plans.QUARTER_FORM}
    assert own.denominator == _approved(element="deliveries", **quarters) < every
    assert own.denominator == _approved(element="deliveries", **first_half)
