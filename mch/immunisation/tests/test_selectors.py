from __future__ import annotations

import pytest

from mch.core.testing import make_unit
from mch.immunisation.models import ScheduleEntry
from mch.immunisation.selectors import (
    province_of,
    rules_from_rows,
    schedule_entries,
    schedule_rules,
)
from mch.immunisation.services import schedule_load
from mch.immunisation.tests.conftest import day, national_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    schedule_load()


def copy_to(province, antigen: str, dose: int, **changes) -> ScheduleEntry:
    row = ScheduleEntry.objects.national().get(
        antigen__code=antigen, dose=dose, valid_from__lte=day("01/08/2024")
    )
    row.pk = None
    row.province = province
    row.loaded_values = None
    for key, value in changes.items():
        setattr(row, key, value)
    row.save()
    return row


def test_national_rules_from_the_database_equal_the_file(loaded) -> None:
    rules = schedule_rules(on=day("01/01/2026"), target=None)
    assert rules == national_rules()


def test_children_only_by_default_and_nothing_before_the_schedule_starts(loaded) -> None:
    assert len(schedule_rules(on=day("01/01/2026"))) == 18
    assert schedule_rules(on=day("31/12/2017")) == []
    # From 2018 the doses Thông tư 10/2024 kept from Thông tư 38/2017; rotavirus and IPV 2
    # join on 01/08/2024.
    assert len(schedule_rules(on=day("31/07/2024"))) == 15


def test_a_province_row_replaces_the_national_row_and_can_withdraw_one(loaded, province) -> None:
    copy_to(province, "je", 1, due_age_days=400, latest_age_days=1000)
    copy_to(province, "rota", 1, active=False)
    copy_to(province, "rota", 2, active=False)
    on = day("01/01/2026")
    local = {r.key: r for r in schedule_rules(on=on, province=province)}
    national = {r.key: r for r in schedule_rules(on=on)}
    assert (local[("je", 1)].due_age_days, national[("je", 1)].due_age_days) == (400, 365)
    assert ("rota", 1) not in local
    assert ("rota", 1) in national
    assert len(local) == 16
    other = make_unit(code="24", name="Bắc Ninh", level="province", parent=province.parent)
    assert schedule_rules(on=on, province=other) == list(national.values())


def test_the_later_start_wins_and_a_row_ends_with_valid_to(loaded, province) -> None:
    national = ScheduleEntry.objects.get(antigen__code="measles", province__isnull=True)
    newer = ScheduleEntry.objects.get(pk=national.pk)
    newer.pk = None
    newer.valid_from = day("01/01/2026")
    newer.due_age_days = 280
    newer.latest_age_days = 400
    newer.save()

    def measles(on: str, unit=None) -> int:
        rules = {r.key: r for r in schedule_rules(on=day(on), province=unit)}
        return rules[("measles", 1)].due_age_days

    assert (measles("31/12/2025"), measles("01/01/2026")) == (273, 280)
    # A province row that starts earlier still beats a later national row.
    copy_to(province, "measles", 1, due_age_days=300, latest_age_days=400)
    assert measles("01/06/2026", province) == 300
    newer.valid_to = day("30/06/2026")
    newer.save()
    assert measles("01/07/2026") == 273


def test_schedule_entries_is_one_query(loaded, province, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        rows = schedule_entries(on=day("01/01/2026"), province=province, target=None)
        rules_from_rows(rows)
    assert [(r.antigen.code, r.dose) for r in rows][:3] == [
        ("hepb_birth", 1),
        ("bcg", 1),
        ("dpt_hepb_hib", 1),
    ]


def test_rules_from_rows_refuses_two_rows_for_one_dose(loaded, province) -> None:
    copy_to(province, "bcg", 1)
    rows = list(ScheduleEntry.objects.filter(antigen__code="bcg").select_related("antigen"))
    with pytest.raises(ValueError, match="Hai dòng"):
        rules_from_rows(rows)


def test_province_of(province) -> None:
    commune = make_unit(code="22759", name="Phường Phan Rang", level="commune", parent=province)
    assert province_of(commune) == province
    assert province_of(province) == province
    assert province_of(province.parent) is None
