"""A unit's targets across the plan's years, the HTMX year selector, and the projection
in words where the milestone is ahead."""

from __future__ import annotations

from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

from mch.indicators.models import Indicator
from mch.plans import target_status as ts
from mch.plans.models import Target
from mch.scorecards.assembly import unit_years
from mch.scorecards.templatetags.scorecards import projection_words

from .builders import YEAR, Province, facility_births, vi


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _url(province: Province, unit_id: int) -> str:
    return reverse("plan-scorecard-unit", args=[province.plan.slug, unit_id])


def test_each_year_holds_the_plain_count_of_that_year(province: Province) -> None:
    commune = province.communes[1]
    card = unit_years(user=province.officer, plan=province.plan, unit_id=commune.pk)
    assert card is not None and card.years == [2024, 2025]
    row, cells = next(r for r in card.rows if r[0].indicator_code == "facility_birth")
    by_year = dict(cells)
    num, den = facility_births({commune.pk})  # the builders count YEAR
    assert (by_year[YEAR].numerator, by_year[YEAR].denominator) == (num, den)
    html = _client(province.officer).get(_url(province, commune.pk)).content.decode()
    start = html.index(
        f'data-year="{YEAR}" data-status=', html.index('data-indicator="facility_birth"')
    )
    assert f"{vi(100 * num / den)}%" in html[start : html.index("</td>", start)]
    assert "Số liệu đến" in html


def test_a_unit_outside_scope_or_the_plan_is_not_found(province: Province) -> None:
    commune_user = _client(province.commune_user)
    assert commune_user.get(_url(province, province.communes[1].pk)).status_code == 404
    assert commune_user.get(_url(province, province.communes[0].pk)).status_code == 200
    assert _client(province.officer).get(_url(province, province.other.pk)).status_code == 404


def test_projection_to_a_milestone_ahead_is_said_in_words(province: Province) -> None:
    plan = province.plan
    plan.period_end = 2030
    plan.save(update_fields=["period_end"])
    indicator = Indicator.objects.get(code="facility_birth")
    Target.objects.filter(plan=plan, indicator=indicator).update(year=2030)
    assert Target.objects.filter(plan=plan, indicator=indicator).count() == 1
    html = _client(province.officer).get(_url(province, province.unit.pk)).content.decode()
    row = html[html.index('data-indicator="facility_birth"') :]
    row = row[: row.index("</tr>")]
    # The generated registers hold one complete year (2025): no trend yet, and it says so.
    assert "Chưa đủ số năm trọn vẹn trong sổ để vẽ xu hướng" in row
    assert 'data-status="met"' in row


def test_projection_words_read_as_a_sentence() -> None:
    cell = SimpleNamespace(projection=ts.Projection(2030, 12.34, 10.1, 14.56, (2022, 2025)))
    text = projection_words(cell, "‰", "xuống 10‰")
    assert text == (
        "Nếu những năm tới thay đổi như giai đoạn 2022–2025, năm 2030 giá trị sẽ vào khoảng "
        "12,3‰ (nhiều khả năng từ 10,1 đến 14,6‰). Chỉ tiêu: xuống 10‰."
    )


def test_year_selector_answers_htmx_with_the_table_only(province: Province) -> None:
    url = reverse("plan-scorecard", args=[province.plan.slug]) + f"?nam={YEAR}"
    client = _client(province.officer)
    full = client.get(url).content.decode()
    part = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-get="' in full and 'id="scorecard-part"' in full and "<html" in full
    assert part.lstrip().startswith('<div id="scorecard-part">') and "<html" not in part
    assert f"{YEAR}" in part
