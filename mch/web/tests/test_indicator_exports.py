"""The indicator page's tables export to XLSX (numbers as numbers) and the population-group
table to CSV; the charts get their PNG/SVG buttons from a local script."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.test import Client

from mch.indicators.tests.test_values_api import records_write
from mch.registers.testing import RegisterWorld, build_register_world


@pytest.fixture
def rw(db) -> RegisterWorld:
    world = build_register_world()
    records_write(world)
    return world


def _get(client: Client, user, **params: str):  # type: ignore[no-untyped-def]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get("/chi-so/facility_birth/", params)


def test_both_tables_export_as_xlsx_with_numbers(client: Client, rw) -> None:
    params = {"don-vi": str(rw.province.pk), "nam": "2025", "xuat": "xlsx"}
    response = _get(client, rw.officer, **params)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Xã", "Nhóm"]
    communes = list(book["Xã"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3], r[4], r[5]) for r in communes] == [
        ("22795", 3, 4, 75.0),
        ("22759", 2, 3, pytest.approx(66.6667, abs=1e-3)),
    ]
    groups = {r[0]: r for r in book["Nhóm"].iter_rows(min_row=2, values_only=True)}
    assert (groups["all"][3], groups["all"][4]) == (5, 7)


def test_groups_export_as_csv(client: Client, rw) -> None:
    params = {"don-vi": str(rw.province.pk), "nam": "2025", "xuat": "csv", "bang": "nhom"}
    response = _get(client, rw.officer, **params)
    rows = {
        r["ma_nhom"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    assert (rows["all"]["tu_so"], rows["all"]["mau_so"]) == ("5", "7")


def test_charts_load_the_local_export_script(client: Client, rw) -> None:
    html = _get(client, rw.officer, **{"don-vi": str(rw.province.pk)}).content.decode()
    assert "/static/web/chart-export.js" in html
    # every script comes from this server (a random CSRF token may contain "cdn")
    assert not re.findall(r"<script[^>]+src=\"(?:https?:)?//", html)
    assert "xuat=xlsx" in html and "bang=nhom" in html
