from __future__ import annotations

import datetime as dt

import pytest

from mch.aggregate_data import registry
from mch.aggregate_data.deadlines import Calendar, deadline, timeliness
from mch.aggregate_data.periods import period_from_token, period_token, periods_ended
from mch.indicators.registry import load_catalogue


def test_shipped_definitions_parse_and_name_catalogue_indicators() -> None:
    defs = registry.load_definitions_file()
    assert set(defs.forms) == {"mch_month", "mch_quarter", "mch_6m", "mch_9m", "mch_year"}
    assert [c.code for c in defs.elements["deliveries"].cells] == ["facility", "other"]
    assert defs.deadline_days == {"commune": 5, "district": 15, "province": 25}
    catalogue = {spec.code for spec in load_catalogue().indicators}
    assert defs.indicator_codes() <= catalogue


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "x"}, "format"),
        ({"forms": [{"code": "f", "period": "week", "elements": ["live_births"]}]}, "'period'"),
        (
            {"forms": [{"code": "f", "period": "month", "elements": ["nope"]}]},
            "không có chỉ tiêu 'nope'",
        ),
    ],
)
def test_malformed_definitions_are_refused_with_the_problem(change, message) -> None:  # type: ignore[no-untyped-def]
    data = dict(registry.load_definitions_file().data) | change
    with pytest.raises(registry.DefinitionsError) as exc:
        registry.Definitions(data)
    assert message in str(exc.value)


def test_cells_of_a_disaggregated_element_and_dhis2_codes() -> None:
    defs = registry.load_definitions_file()
    deaths = defs.elements["child_deaths"]
    assert [c.code for c in deaths.cells] == ["d0_27", "d28_m11", "y1_4"]
    assert deaths.cell_dhis2(deaths.cells[0], "default") == "CHILD_AGE_D0_27"
    total = defs.elements["pregnant_women_managed"].cells[0]
    assert defs.elements["pregnant_women_managed"].cell_dhis2(total, "default") == "default"


def test_holidays_file_has_every_year_and_the_named_days() -> None:
    source, days = registry.load_holidays_file()
    assert "Điều 112" in source
    dates = {d.date for d in days if not d.working_saturday}
    for year in (2024, 2025, 2026, 2027):
        assert dt.date(year, 1, 1) in dates or dt.date(year, 1, 1).weekday() >= 5
        assert any(d.year == year and d.month in (1, 2) and d.day != 1 for d in dates)  # Tết
    for day in ("2024-04-30", "2024-05-01", "2024-09-02", "2025-04-07", "2024-04-18", "2026-02-17"):
        assert dt.date.fromisoformat(day) in dates


CAL = Calendar.of(
    [dt.date(2026, 2, d) for d in (16, 17, 18, 19, 20)]
    + [dt.date(2026, 4, 30), dt.date(2026, 5, 1), dt.date(2026, 4, 27)],
    [dt.date(2025, 4, 26)],
)


@pytest.mark.parametrize(
    ("end", "days", "due"),
    [
        ("2026-10-31", 5, "2026-11-06"),  # Saturday end: Mon 2 .. Fri 6
        ("2026-01-31", 5, "2026-02-06"),
        ("2026-02-13", 5, "2026-02-27"),  # Tết week skipped
        ("2026-04-30", 5, "2026-05-08"),  # 30/4 and 1/5 skipped
        ("2026-03-31", 25, "2026-05-08"),  # province: 27/4, 30/4, 1/5 skipped
        ("2025-04-25", 1, "2025-04-26"),  # a Saturday worked in exchange counts
    ],
)
def test_deadline_in_working_days(end: str, days: int, due: str) -> None:
    assert deadline(
        period_end=dt.date.fromisoformat(end), working_days=days, calendar=CAL
    ) == dt.date.fromisoformat(due)


@pytest.mark.parametrize(
    ("submitted", "today", "state"),
    [
        ("2026-11-06", "2026-12-01", "on_time"),
        ("2026-11-07", "2026-12-01", "late"),
        (None, "2026-11-07", "missing"),
        (None, "2026-11-06", "pending"),
    ],
)
def test_timeliness(submitted, today, state) -> None:  # type: ignore[no-untyped-def]
    got = timeliness(
        submitted_on=dt.date.fromisoformat(submitted) if submitted else None,
        due=dt.date(2026, 11, 6),
        today=dt.date.fromisoformat(today),
    )
    assert got == state


@pytest.mark.parametrize("token", ["2026-03", "2026-Q1", "2026-6T", "2026-9T", "2026"])
def test_period_tokens_round_trip(token: str) -> None:
    assert period_token(period_from_token(token)) == token


def test_periods_ended_newest_first() -> None:
    got = [period_token(p) for p in periods_ended("month", dt.date(2026, 12, 7), 3)]
    assert got == ["2026-11", "2026-10", "2026-09"]
    assert [period_token(p) for p in periods_ended("half", dt.date(2026, 12, 7), 2)] == [
        "2026-6T",
        "2025-6T",
    ]
