"""The indicator page of a unit in a real browser: the figures a province officer reads
(communes ranked with their counts, groups, "số liệu đến") and the drawn trend charts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mch.indicators.tests.test_values_api import expected, records_write
from mch.registers.testing import build_register_world
from tests.browser.test_registers import log_in


@pytest.mark.browser
def test_officer_reads_the_communes_of_an_indicator(page, live_server, transactional_db) -> None:
    world = build_register_world()
    records_write(world)
    log_in(page, live_server.url, "so")
    page.goto(f"{live_server.url}/chi-so/facility_birth/?don-vi={world.province.pk}&nam=2025")

    figures = page.locator("section.indicator-figures")
    assert "Số liệu của Tỉnh Khánh Hòa" in figures.locator("h2").inner_text()
    today = timezone.localdate()
    assert f"Số liệu đến {today:%d/%m/%Y}" in figures.inner_text()

    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    first = expected("commune", *year, "facility_birth")  # 3 of 4: 75 %
    second = expected("other_commune", *year, "facility_birth")  # 2 of 3: 66,7 %
    rows = figures.locator("table.ranked tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").all_inner_texts()[:5] == [
        "1",
        "Xã Hòa Bình",
        str(first[0]),
        str(first[1]),
        "75",
    ]
    assert rows.nth(1).locator("td").all_inner_texts()[1:5] == [
        "Phường Đông Hải",
        str(second[0]),
        str(second[1]),
        "66,7",
    ]
    assert "ít số liệu" in rows.nth(0).inner_text()

    area = figures.locator("table.by-group tr", has_text="Vùng đồng bào dân tộc thiểu số")
    assert area.locator("td").all_inner_texts()[1:4] == [str(first[0]), str(first[1]), "75"]

    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-indicator-chart=yearly]'))"
    )
    labels = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-indicator-chart=yearly]')).data.labels"
    )
    assert labels[-1] == str(today.year)
    assert page.locator("canvas[data-indicator-chart=monthly]").count() == 1
