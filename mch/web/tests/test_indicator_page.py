"""The indicator page of a unit: communes exported as CSV, units outside scope refused, an
indicator the registers cannot compute shows its definition only."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from mch.indicators.models import IndicatorVersion
from mch.indicators.tests.test_values_api import records_write
from mch.registers.testing import RegisterWorld, build_register_world


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
