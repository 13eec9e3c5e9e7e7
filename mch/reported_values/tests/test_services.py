"""Writes of reported values (scope, validation, audit) and the scorecard reading them
as their own labelled series."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mch.registers.models import AuditEntry
from mch.reported_values import services
from mch.reported_values.models import PolicyValue, SurveyResult
from mch.scorecards.assembly import plan_scorecard

from .conftest import AS_OF, YEAR, World


def _survey(world: World, **changes: object) -> SurveyResult:
    args: dict[str, object] = {
        "user": world.rw.officer,
        "indicator_code": "caregiver_newborn_danger_signs",
        "unit": world.rw.province,
        "survey_name": "Điều tra KAP người chăm sóc trẻ",
        "survey_date": "15/06/2025",
        "sample_size": "400",
        "value": "62,5",
        "document_ref": "Báo cáo điều tra số 12/BC-CDC",
    }
    return services.survey_result_save(**(args | changes))


def test_survey_interval_is_computed_and_audited(world: World) -> None:
    result = _survey(world)
    assert result.ci_computed and (
        round(float(result.ci_low), 1),
        round(float(result.ci_high), 1),
    ) == (57.7, 67.1)
    assert result.year == YEAR and result.entered_by == world.rw.officer
    entry = AuditEntry.objects.get(model="surveyresult", object_id=result.pk)
    assert entry.action == "create" and entry.changes["sample_size"] == 400
    again = _survey(world, instance=result, ci_low="55", ci_high="70")
    assert not again.ci_computed and float(again.ci_low) == 55.0
    change = AuditEntry.objects.filter(model="surveyresult", action="update").get()
    assert change.changes["ci_computed"] == [True, False]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"sample_size": "0"}, "sample_size", "lớn hơn 0"),
        ({"value": "120"}, "value", "0–100%"),
        ({"value": "abc"}, "value", "phải là số"),
        ({"survey_date": "2025-13-40"}, "survey_date", "ngày/tháng/năm"),
        ({"ci_low": "70", "ci_high": "80"}, "ci_low", "chứa giá trị"),
        ({"indicator_code": "policy_goal_in_sep"}, "indicator", "không nhận kết quả điều tra"),
    ],
)
def test_survey_refuses_bad_input_in_vietnamese(world: World, changes, field, words) -> None:
    with pytest.raises(ValidationError) as caught:
        _survey(world, **changes)
    assert words in " ".join(caught.value.message_dict[field])
    assert not SurveyResult.objects.exists()


def test_who_may_enter_what(world: World) -> None:
    rw = world.rw
    with pytest.raises(PermissionDenied):
        _survey(world, user=rw.staff, unit=rw.commune)  # surveys: province officers
    with pytest.raises(PermissionDenied):
        _survey(world, user=rw.leader)
    services.policy_value_save(
        user=rw.staff, indicator_code="policy_goal_in_sep", unit=rw.commune, year=YEAR, answer=True
    )
    with pytest.raises(PermissionDenied):  # not their own commune
        services.policy_value_save(
            user=rw.staff, indicator_code="policy_goal_in_sep", unit=rw.other_commune,
            year=YEAR, answer=True,
        )  # fmt: skip
    counts = {"obstetric_level1": 1, "obstetric_oriented": 1, "paediatric_level1": 2}
    services.workforce_report_save(
        user=world.hospital_user, facility=rw.hospital, year=YEAR, as_of="31/12/2025",
        counts=counts,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):  # another facility
        services.workforce_report_save(
            user=world.hospital_user, facility=rw.station, year=YEAR, as_of="31/12/2025",
            counts=counts,
        )  # fmt: skip


def test_policy_entry_kinds_and_removal(world: World) -> None:
    rw = world.rw
    with pytest.raises(ValidationError) as caught:
        services.policy_value_save(
            user=rw.officer, indicator_code="policy_goal_in_sep", unit=rw.province, year=YEAR,
            answer=True, numerator="3", denominator="4",
        )  # fmt: skip
    assert "Chỉ nhập một loại" in caught.value.message_dict["answer"][0]
    with pytest.raises(ValidationError) as caught:
        services.policy_value_save(
            user=rw.officer, indicator_code="policy_goal_in_sep", unit=rw.province, year=YEAR,
            numerator="5", denominator="4",
        )  # fmt: skip
    assert "không được lớn hơn" in caught.value.message_dict["numerator"][0]
    services.policy_value_save(
        user=rw.officer, indicator_code="policy_goal_in_sep", unit=rw.commune, year=YEAR,
        answer=False,
    )  # fmt: skip
    assert (
        services.policy_value_save(
            user=rw.officer, indicator_code="policy_goal_in_sep", unit=rw.commune, year=YEAR
        )
        is None
    )
    assert not PolicyValue.objects.exists()
    assert AuditEntry.objects.filter(model="policyvalue", action="delete").count() == 1


def test_scorecard_judges_each_target_on_its_own_series(world: World) -> None:
    rw = world.rw
    _survey(world)
    for unit, answer in ((rw.commune, True), (rw.other_commune, False)):
        services.policy_value_save(
            user=rw.officer, indicator_code="policy_goal_in_sep", unit=unit, year=YEAR,
            answer=answer, document_ref="NQ HĐND xã",
        )  # fmt: skip
    services.workforce_report_save(
        user=world.hospital_user, facility=rw.hospital, year=YEAR, as_of="31/12/2025",
        counts={"obstetric_level1": 1, "obstetric_oriented": 1, "paediatric_level1": 2},
    )  # fmt: skip
    card = plan_scorecard(user=rw.officer, plan=world.plan, year=YEAR, as_of=AS_OF)
    rows = {r.indicator_code: r for r in card.rows}
    province = rw.province.pk

    survey = rows["caregiver_newborn_danger_signs"].cells[province]
    assert (survey.source, survey.value, survey.status) == ("survey", 62.5, "not_met")
    assert "n = 400" in survey.detail and "Wilson" in survey.detail
    assert round(survey.ci_low, 1) == 57.7

    policy = rows["policy_goal_in_sep"].cells
    assert (policy[province].source, policy[province].value) == ("reported", 50.0)
    assert (policy[province].numerator, policy[province].denominator) == (1.0, 2.0)
    assert policy[province].status == "not_met"
    assert (policy[rw.commune.pk].value, policy[rw.commune.pk].status) == (100.0, "met")

    staffing = rows["hospital_obgyn_paed_staffing_standard"].cells[province]
    assert (staffing.source, staffing.value, staffing.status) == ("reported", 100.0, "met")
    # A commune has no hospital: no value, and no survey either (the province's survey
    # is not the commune's).
    assert rows["caregiver_newborn_danger_signs"].cells[rw.commune.pk].source == ""

    commune_card = plan_scorecard(user=rw.staff, plan=world.plan, year=YEAR, as_of=AS_OF)
    assert [u.unit_id for u in commune_card.units] == [rw.commune.pk]


def test_a_status_judged_on_an_earlier_survey_says_its_year(world: World) -> None:
    # the only survey is of 2024 (75% against the 2025 target of 70%): the 2025 cell has
    # no value, its status is judged on 2024's, and the annual report says so
    from mch.reporting.annual.data import annual_report_data

    _survey(world, survey_date="15/06/2024", value="75")
    rw = world.rw
    card = plan_scorecard(user=rw.officer, plan=world.plan, year=YEAR, as_of=AS_OF)
    cell = next(r for r in card.rows if r.indicator_code == "caregiver_newborn_danger_signs").cells[
        rw.province.pk
    ]
    assert (cell.value, cell.status, cell.judged_year) == (None, "met", 2024)
    data = annual_report_data(user=rw.officer, plan=world.plan, year=YEAR, as_of=AS_OF)
    row = next(r for r in data.rows if r.indicator_code == "caregiver_newborn_danger_signs")
    assert (row.actual.text, row.previous.text) == ("—", "75,0")
    assert row.status_text == "Đạt (theo số liệu năm 2024)"
    # a survey of the year itself: judged on it, nothing added
    _survey(world, survey_date="15/06/2025", value="72")
    data = annual_report_data(user=rw.officer, plan=world.plan, year=YEAR, as_of=AS_OF)
    row = next(r for r in data.rows if r.indicator_code == "caregiver_newborn_danger_signs")
    assert (row.actual.text, row.status_text) == ("72,0", "Đạt")
