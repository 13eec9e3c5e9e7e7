"""In headless Chromium as a province officer: the year selector swaps the scorecard in
place (HTMX, the address follows), a unit's targets × years page shows the engine's value
and status for each year, the indicator page's charts offer PNG and SVG. Screenshots at
desktop and 390 px width go to $MCH_SCREENS when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from mch.scorecards.assembly import unit_years

from .builders import PASSWORD, YEAR, Province, facility_births, vi
from .test_browser import live_province  # noqa: F401  (a fixture, used by name)


def _shot(tab, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("MCH_SCREENS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, label in ((1280, "desktop"), (390, "390")):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
    tab.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser
def test_officer_reads_years_and_switches_year_in_place(
    page,
    live_server,
    live_province: Province,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page.goto(base + reverse("login"))
    page.fill("#id_username", live_province.officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(base + reverse("home"))

    slug = live_province.plan.slug
    page.goto(base + reverse("plan-scorecard", args=[slug]) + "?nam=2024")
    page.evaluate("window.__kept = 1")  # survives only if the page is not reloaded
    page.select_option("#nam", str(YEAR))
    page.wait_for_url(f"**nam={YEAR}**")
    page.locator("#scorecard-part h1", has_text=str(YEAR)).wait_for()
    assert page.evaluate("window.__kept") == 1
    commune = live_province.communes[1]
    num, den = facility_births({commune.pk})
    cell = page.locator(f'tr[data-indicator="facility_birth"] td[data-unit="{commune.pk}"]')
    assert cell.locator(".val").inner_text().strip() == f"{vi(100 * num / den)}%"
    _shot(page, "scorecard")

    page.locator(f'th.unit[data-unit="{commune.pk}"] a').click()
    page.wait_for_url(f"**/bang-diem/don-vi/{commune.pk}/")
    card = unit_years(user=live_province.officer, plan=live_province.plan, unit_id=commune.pk)
    assert card is not None
    _, cells = next(r for r in card.rows if r[0].indicator_code == "facility_birth")
    row = page.locator('#unit-years tr[data-indicator="facility_birth"]')
    for year, engine in cells:
        shown = row.locator(f'td[data-year="{year}"]')
        if engine is not None and engine.value is not None:
            assert shown.locator(".val").inner_text().strip() == f"{vi(engine.value)}%"
        assert shown.get_attribute("data-status") == engine.status
    assert row.locator("td.verdict .st").inner_text().strip() in {
        "đạt",
        "không đạt",
        "có nguy cơ",
        "đúng tiến độ",
        "chưa có số liệu",
    }
    _shot(page, "unit-years")

    page.goto(
        base
        + reverse("indicator-detail", args=["facility_birth"])
        + f"?don-vi={live_province.unit.pk}&nam={YEAR}"
    )
    page.locator('button[data-export="svg"]').first.wait_for()
    assert page.locator('button[data-export="png"]').count() == 2
    svg = page.evaluate(
        "window.mchChartSvg(Chart.getChart(document.querySelector('canvas[data-indicator-chart=yearly]')))"
    )
    assert svg.startswith("<svg") and "<polyline" in svg
    _shot(page, "indicator")
