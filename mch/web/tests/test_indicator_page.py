"""The indicator page of a unit: communes exported as CSV, units outside scope refused, an
indicator the registers cannot compute shows its definition only."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client

from mch.indicators.models import Indicator, IndicatorVersion, PopulationGroup
from mch.indicators.tests.test_values_api import records_write
from mch.plans.models import Plan, Target
from mch.registers.testing import RegisterWorld, build_register_world
from mch.web.views.indicators import _plan_name


@pytest.fixture
def rw(db) -> RegisterWorld:
    world = build_register_world()
    records_write(world)
    return world


def _get(client: Client, user, path: str, **params: str):  # type: ignore[no-untyped-def]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(path, params)


def test_communes_export_as_csv(client: Client, rw) -> None:
    response = _get(
        client,
        rw.officer,
        "/chi-so/facility_birth/",
        **{"don-vi": str(rw.province.pk), "nam": "2025", "xuat": "csv"},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["ma_xa"], r["tu_so"], r["mau_so"], r["gia_tri"]) for r in rows] == [
        ("22795", "3", "4", "75"),
        ("22759", "2", "3", "66,67"),
    ]


def test_a_station_sees_its_own_commune_by_default(client: Client, rw) -> None:
    page = _get(client, rw.staff, "/chi-so/facility_birth/", nam="2025").content.decode()
    assert "Số liệu của Xã Hòa Bình" in page


def test_a_unit_outside_scope_is_not_found(client: Client, rw) -> None:
    response = _get(
        client, rw.staff, "/chi-so/facility_birth/", **{"don-vi": str(rw.other_commune.pk)}
    )
    assert response.status_code == 404


def test_an_indicator_not_from_the_registers_shows_no_figures(client: Client, rw) -> None:
    code = IndicatorVersion.objects.filter(compute={}).values_list("indicator__code", flat=True)[0]
    page = _get(client, rw.officer, f"/chi-so/{code}/").content.decode()
    assert "indicator-figures" not in page


def _plan_with_a_target(rw: RegisterWorld) -> None:
    """Facility births of the province: at least 90% in 2026 (written twice, body and annex)."""
    indicator = Indicator.objects.get(code="facility_birth")
    plan = Plan.objects.create(
        slug="khanh-hoa-thu",
        kind="ke_hoach",
        number="12/KH-UBND",
        title="Kế hoạch thử",
        issuer_name="UBND tỉnh",
        issuer_unit=rw.province,
        scope_unit=rw.province,
        period_start=2024,
        period_end=2026,
    )
    for value, part in (("90", "body"), ("90", "annex")):
        Target.objects.create(
            plan=plan,
            indicator=indicator,
            indicator_version=indicator.versions.get(),
            year=2026,
            population=PopulationGroup.objects.get(code="all"),
            comparator="dat",
            value=Decimal(value),
            value_text="90%",
            source_part=part,
        )


def test_the_units_plan_targets_are_drawn(client: Client, rw) -> None:
    _plan_with_a_target(rw)
    response = _get(client, rw.officer, "/chi-so/facility_birth/", nam="2025")

    assert [(t["plan"], t["year"], t["value"]) for t in response.context["chart"]["targets"]] == [
        ("12/KH-UBND", 2026, 90.0)
    ]
    assert "12/KH-UBND · 2026: " in response.content.decode()


def test_a_plan_without_a_number_is_named_by_its_slug(client: Client, rw) -> None:
    assert _plan_name(Plan(slug="ninh-thuan-kh", number="/KH-UBND")) == "ninh-thuan-kh"
    assert _plan_name(Plan(slug="x", number="45/KH-UBND")) == "45/KH-UBND"


def test_communes_holding_the_province_back_add_up_to_its_shortfall(client: Client, rw) -> None:
    _plan_with_a_target(rw)
    response = _get(client, rw.officer, "/chi-so/facility_birth/", nam="2025")
    back = response.context["holding_back"]
    # 2025: Xã Hòa Bình 3 of 4 in a facility, Phường Đông Hải 2 of 3; the target is 90%.
    # Women short of the target: 0.9 × 4 − 3 = 0.6 and 0.9 × 3 − 2 = 0.7.
    rows = [(r["unit"].code, round(r["c"].excess, 6), round(r["c"].share, 4)) for r in back["rows"]]
    assert rows == [("22759", 0.7, round(0.7 / 1.3, 4)), ("22795", 0.6, round(0.6 / 1.3, 4))]
    assert back["excess"] == pytest.approx(0.9 * 7 - 5)
    page = response.content.decode()
    assert "Các xã kéo Tỉnh Khánh Hòa lại, 2025" in page
    assert "Số người còn thiếu so với chỉ tiêu" in page
