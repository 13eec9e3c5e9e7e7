from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mch.immunisation.models import Antigen, ScheduleEntry
from mch.immunisation.tests.conftest import day

pytestmark = pytest.mark.django_db


@pytest.fixture
def opv() -> Antigen:
    return Antigen.objects.create(
        code="opv",
        abbreviation="OPV",
        name_vi="Vắc xin bại liệt uống",
        name_en="Oral polio vaccine",
        diseases=["polio"],
        target_group="child",
    )


def entry(antigen: Antigen, **overrides: Any) -> ScheduleEntry:
    values: dict[str, Any] = {
        "antigen": antigen,
        "dose": 1,
        "min_age_days": 42,
        "due_age_days": 59,
        "latest_age_days": 364,
        "valid_from": day("01/08/2024"),
        "legal_basis": "Thông tư 10/2024/TT-BYT",
        "certainty": "confirmed",
    }
    values.update(overrides)
    return ScheduleEntry(**values)


@pytest.mark.parametrize(
    "overrides",
    [
        {"dose": 0},
        {"min_age_days": 60, "due_age_days": 59},
        {"latest_age_days": 30},
        {"timely_age_days": 10},
        {"timely_age_days": 400},
        {"min_interval_days": 28},  # dose 1 counting from nothing
        {"dose": 2, "interval_from_dose": 1},  # dose without antigen
        {"valid_to": day("31/07/2024")},
    ],
)
def test_the_database_refuses_an_inconsistent_row(opv: Antigen, overrides: dict) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(opv, **overrides).save()


def test_one_national_row_per_dose_and_start(opv: Antigen) -> None:
    entry(opv).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(opv).save()
    entry(opv, valid_from=day("01/01/2026")).save()
    assert ScheduleEntry.objects.count() == 2


def test_a_province_row_sits_beside_the_national_row_once(opv: Antigen, province) -> None:
    entry(opv).save()
    entry(opv, province=province).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(opv, province=province).save()
    assert ScheduleEntry.objects.national().count() == 1


def test_clean_reports_the_engine_problems_in_vietnamese(opv: Antigen) -> None:
    row = entry(opv, latest_age_days=30)
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert "tuổi muộn nhất nhỏ hơn tuổi nên tiêm" in caught.value.messages


def test_clean_refuses_a_unit_that_is_not_a_province(opv: Antigen, province) -> None:
    from mch.core.testing import make_unit

    commune = make_unit(code="22759", name="Phường Phan Rang", level="commune", parent=province)
    with pytest.raises(ValidationError) as caught:
        entry(opv, province=commune).full_clean()
    assert "province" in caught.value.message_dict


def test_antigen_clean_checks_the_diseases(opv: Antigen) -> None:
    opv.diseases = ["polio", "flu"]
    with pytest.raises(ValidationError) as caught:
        opv.full_clean()
    assert caught.value.message_dict["diseases"] == ["Bệnh không có trong danh mục: flu"]
    opv.diseases = []
    with pytest.raises(ValidationError):
        opv.full_clean()


def test_to_rule_carries_every_value(opv: Antigen) -> None:
    row = entry(opv, dose=2, min_age_days=70, due_age_days=89, min_interval_days=28)
    rule = row.to_rule()
    assert (rule.key, rule.min_age_days, rule.due_age_days, rule.min_interval_days) == (
        ("opv", 2),
        70,
        89,
        28,
    )
    assert (rule.latest_age_days, rule.previous, rule.target, rule.label) == (
        364,
        ("opv", 1),
        "child",
        "OPV mũi 2",
    )
