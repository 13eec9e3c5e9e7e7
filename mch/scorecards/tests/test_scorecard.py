"""The plan scorecard on a generated province: each cell equals a plain count over the
records, its status follows the target, scope is respected, exports hold the same figures."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.test import Client
from django.urls import reverse

from mch.scorecards.assembly import plan_scorecard

from .builders import YEAR, Province, facility_births, neonatal_deaths, vi


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _url(province: Province, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"nam": str(YEAR), **params}.items())
    return reverse("plan-scorecard", args=[province.plan.slug]) + "?" + query


def test_cells_equal_the_plain_count_with_their_status(province: Province) -> None:
    card = plan_scorecard(user=province.officer, plan=province.plan, year=YEAR)
    rows = {row.indicator_code: row for row in card.rows}
    assert [u.unit_id for u in card.units] == [province.unit.pk] + [c.pk for c in province.communes]
    for unit in [province.unit, *province.communes]:
        ids = {unit.pk} if unit != province.unit else {c.pk for c in province.communes}
        num, den = facility_births(ids)
        cell = rows["facility_birth"].cells[unit.pk]
        assert (cell.numerator, cell.denominator) == (num, den)
        assert cell.value == 100 * num / den
        assert cell.status == ("met" if 100 * num / den >= 50 else "not_met")
        deaths, births = neonatal_deaths(ids)
        cell = rows["neonatal_mortality"].cells[unit.pk]
        assert (cell.numerator or 0, cell.denominator) == (deaths, births)
        assert cell.status == ("met" if 1000 * deaths / births <= 1 else "not_met")
    assert {c.status for c in rows["policy_goal_in_sep"].cells.values()} == {"not_computable"}
    assert [o.value_text for o in rows["facility_birth"].document_actuals] == ["12,3%"]


def test_page_shows_the_value_with_a_decimal_comma_and_the_status(province: Province) -> None:
    commune = province.communes[0]
    num, den = facility_births({commune.pk})
    page = _client(province.officer).get(_url(province))
    html = page.content.decode()
    assert page.status_code == 200
    status = "đạt" if 100 * num / den >= 50 else "không đạt"
    start = html.index(f'data-unit="{commune.pk}" data-status=', html.index("facility_birth"))
    cell = html[start : html.index("</td>", start)]
    assert f"{vi(100 * num / den)}%" in cell
    assert f">{status}</span>" in cell
    assert f"tử số {num} / mẫu số {den}" in cell
    assert "Số liệu đến" in html and "chưa tính được từ sổ" in html
    assert "12,3%" in html and "văn bản" in html


def test_commune_user_sees_only_their_commune(province: Province) -> None:
    own, other = province.communes[0], province.communes[1]
    card = plan_scorecard(user=province.commune_user, plan=province.plan, year=YEAR)
    assert [u.unit_id for u in card.units] == [own.pk]
    html = _client(province.commune_user).get(_url(province)).content.decode()
    assert own.name in html
    assert other.name not in html
    assert f'data-unit="{province.unit.pk}"' not in html


def test_plans_outside_scope_are_not_found(province: Province) -> None:
    client = _client(province.officer)
    url = reverse("plan-scorecard", args=[province.other_plan.slug])
    assert client.get(url).status_code == 404
    assert client.get(url + "?xuat=csv").status_code == 404
    assert client.get(_url(province, nam="abc")).status_code == 404


def test_exports_hold_the_same_figures(province: Province) -> None:
    client = _client(province.officer)
    commune = province.communes[0]
    num, den = facility_births({commune.pk})

    response = client.get(_url(province, xuat="xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    lines = list(book.active.iter_rows(values_only=True))
    header = lines[0]
    found = [
        dict(zip(header, line, strict=True))
        for line in lines[1:]
        if line[1] == "facility_birth" and line[3] == commune.name
    ]
    assert len(found) == 1
    assert found[0]["Tử số"] == num and found[0]["Mẫu số"] == den
    assert found[0]["Giá trị"] == round(100 * num / den, 1)
    assert found[0]["Tình trạng"] in {"đạt", "không đạt"}
    assert found[0]["Nguồn giá trị"] == "Sổ đăng ký"

    response = client.get(_url(province, xuat="csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    line = next(
        r for r in rows if r["Mã chỉ số"] == "facility_birth" and r["Đơn vị"] == commune.name
    )
    assert line["Giá trị"] == vi(100 * num / den)
    assert (line["Tử số"], line["Mẫu số"]) == (str(num), str(den))
    assert line["Tình trạng"] == found[0]["Tình trạng"]


def test_plan_page_fills_actual_from_the_registers_beside_the_document(
    province: Province,
) -> None:
    num, den = facility_births({c.pk for c in province.communes})
    page = _client(province.officer).get(reverse("plan-detail", args=[province.plan.slug]))
    html = page.content.decode()
    start = html.index('<tr data-indicator="facility_birth">')
    row = html[start : html.index("</tr>", start)]
    engine = row[row.index('class="engine-series"') : row.index('class="doc-series"')]
    document = row[row.index('class="doc-series"') :]
    assert f"<strong>{vi(100 * num / den)}%</strong>" in engine
    assert "12,3%" in document and "12,3%" not in engine
    assert "Từ sổ" in engine and "Theo văn bản" in document
    assert "Số liệu đến" in html
    assert reverse("plan-scorecard", args=[province.plan.slug]) in html


def test_home_page_counts_targets_by_status(province: Province) -> None:
    card = plan_scorecard(user=province.officer, plan=province.plan, year=YEAR)
    counts = card.status_counts(province.unit.pk)
    html = _client(province.officer).get(reverse("home")).content.decode()
    start = html.index(f'data-plan="{province.plan.slug}"')
    item = html[start : html.index("</li>\n", html.index("status-summary", start))]
    assert reverse("plan-scorecard", args=[province.plan.slug]) in item
    assert counts["not_computable"] == 1
    assert "chưa tính được từ sổ: 1" in item
    for status, label in [("met", "đạt"), ("not_met", "không đạt")]:
        if counts[status]:
            assert f">{label}: {counts[status]}<" in item


def test_commune_user_sees_their_commune_not_the_province(province: Province) -> None:
    client = _client(province.commune_user)
    html = client.get(reverse("plan-detail", args=[province.plan.slug])).content.decode()
    assert "ngoài phạm vi của bạn" in html
    home = client.get(reverse("home")).content.decode()
    start = home.index(f'data-plan="{province.plan.slug}"')
    item = home[start : home.index("</li>\n", home.index("status-summary", start))]
    assert province.communes[0].name in item
    assert province.unit.name not in item
