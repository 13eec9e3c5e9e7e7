from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mch.accounts.models import Role
from mch.accounts.services import user_create
from mch.aggregate_data import selectors, services
from mch.aggregate_data.models import (
    DataValue,
    DefinitionVersion,
    Holiday,
    PeriodicReport,
    ReportStatus,
)
from mch.aggregate_data.periods import period_from_token
from mch.core.testing import make_unit
from mch.registers.models import AuditEntry
from mch.registers.testing import PASSWORD

from .conftest import at

MARCH = period_from_token("2026-03")


def save(rw, user=None, values=None, **kw):  # type: ignore[no-untyped-def]
    return services.report_values_save(
        user=user or rw.staff,
        form_code="mch_month",
        unit=rw.commune,
        period=MARCH,
        values=values
        if values is not None
        else {("deliveries", "facility"): "12", ("deliveries", "other"): 1},
        **kw,
    )


def test_load_is_idempotent_and_keeps_holidays(rw) -> None:  # type: ignore[no-untyped-def]
    again = services.definitions_load()
    assert (again.version, again.version_created) == (1, False)
    assert DefinitionVersion.objects.count() == 1
    assert Holiday.objects.filter(working_saturday=False).count() == again.holidays >= 45


def test_draft_save_then_submit_audited(rw) -> None:  # type: ignore[no-untyped-def]
    report = save(rw)
    assert report.status == ReportStatus.DRAFT
    assert dict(report.values.values_list("cell", "value")) == {"facility": 12, "other": 1}
    report = save(rw, values={("deliveries", "other"): ""}, submit=True, now=at("2026-04-03"))
    assert report.status == ReportStatus.SUBMITTED
    assert list(report.values.values_list("cell", flat=True)) == ["facility"]
    notes = list(
        AuditEntry.objects.filter(model="periodicreport", object_id=report.pk).values_list(
            "note", flat=True
        )
    )
    assert "Nộp báo cáo định kỳ" in notes and "Mở báo cáo định kỳ" in notes
    change = AuditEntry.objects.filter(
        model="periodicreport", changes__has_key="deliveries/other"
    ).first()
    assert change is not None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-3", "không được âm"),
        ("2,5", "số nguyên"),
        ("abc", "không phải là số"),
        ("99999999", "quá lớn"),
    ],
)
def test_bad_values_refused_in_vietnamese_and_nothing_saved(rw, raw, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        save(rw, values={("deliveries", "facility"): "7", ("deliveries", "other"): raw})
    assert message in exc.value.message_dict["deliveries/other"][0]
    assert not DataValue.objects.exists()


def test_thousands_with_a_dot_accepted(rw) -> None:  # type: ignore[no-untyped-def]
    report = save(rw, values={("pregnant_women_managed", "total"): "1.250"})
    assert report.values.get().value == 1250


def test_scope_commune_only_its_own(rw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        save(rw, user=rw.other_staff)
    with pytest.raises(PermissionDenied):
        save(rw, user=rw.leader)
    assert save(rw, user=rw.officer).unit == rw.commune
    assert selectors.reports_visible(user=rw.other_staff).count() == 0
    assert selectors.reports_visible(user=rw.officer).count() == 1


def test_province_approves_and_approved_is_locked_until_reopened(rw) -> None:  # type: ignore[no-untyped-def]
    report = save(rw, submit=True)
    with pytest.raises(PermissionDenied):
        services.report_approve(user=rw.staff, report=report)
    report = services.report_approve(user=rw.officer, report=report)
    assert report.status == ReportStatus.APPROVED and report.approved_by == rw.officer
    with pytest.raises(ValidationError, match="không sửa được"):
        save(rw, values={("deliveries", "facility"): "13"})
    with pytest.raises(ValidationError):
        services.report_reopen(user=rw.officer, report=report, reason="")
    report = services.report_reopen(user=rw.officer, report=report, reason="Sai số ca đẻ tại nhà")
    assert report.status == ReportStatus.DRAFT and report.reopened_count == 1
    assert AuditEntry.objects.filter(note="Mở lại: Sai số ca đẻ tại nhà").exists()
    assert (
        save(rw, values={("deliveries", "facility"): "13"}).values.get(cell="facility").value == 13
    )


def test_district_step_for_periods_before_july_2025(rw) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    district = make_unit(
        code="593",
        name="Huyện Bác Ái",
        level="district",
        parent=rw.province,
        valid_to=dt.date(2025, 6, 30),
    )
    old = make_unit(
        code="22796",
        name="Xã Phước Bình",
        level="commune",
        parent=district,
        valid_to=dt.date(2025, 6, 30),
    )
    district_user = user_create(
        username="huyen",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        units=[district],
        validate=False,
    )
    report = services.report_values_save(
        user=rw.officer,
        form_code="mch_month",
        unit=old,
        period=period_from_token("2025-05"),
        values={("deliveries", "facility"): 4},
        submit=True,
    )
    report = services.report_approve(user=district_user, report=report)
    assert report.status == ReportStatus.DISTRICT_APPROVED
    with pytest.raises(PermissionDenied):
        services.report_approve(user=district_user, report=report)
    report = services.report_approve(user=rw.officer, report=report)
    assert report.status == ReportStatus.APPROVED


def test_timeliness_table_on_time_late_missing(rw) -> None:  # type: ignore[no-untyped-def]
    save(rw, submit=True, now=at("2026-04-07"))  # due 07/04/2026 (5 working days after 31/03)
    services.report_values_save(
        user=rw.other_staff,
        form_code="mch_month",
        unit=rw.other_commune,
        period=period_from_token("2026-02"),
        values={("deliveries", "facility"): 3},
        submit=True,
        now=at("2026-03-20"),
    )
    import datetime as dt

    table = selectors.timeliness_table(
        user=rw.officer,
        form_code="mch_month",
        periods=[MARCH, period_from_token("2026-02")],
        today=dt.date(2026, 5, 1),
    )
    states = {
        (row.unit.code, c.period.start.month): c.state for row in table.rows for c in row.cells
    }
    assert states == {
        ("22795", 3): "on_time",
        ("22795", 2): "missing",
        ("22759", 3): "missing",
        ("22759", 2): "late",
    }
    assert (table.expected, table.submitted, table.on_time) == (4, 2, 1)
    assert (
        selectors.timeliness_table(user=rw.staff, form_code="mch_month", periods=[MARCH])
        .rows[0]
        .unit
        == rw.commune
    )


def test_entry_page_prefills_from_registers_and_shows_difference(rw, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "unit_keeps_registers", lambda unit: True)
    monkeypatch.setattr(
        selectors,
        "register_values",
        lambda **kw: (
            {("deliveries", "facility"): 10, ("deliveries", "other"): 2},
            {"live_births": 11},
        ),
    )
    page = selectors.entry_page(user=rw.staff, form_code="mch_month", unit=rw.commune, period=MARCH)
    cells = {c.key: c for s in page.sections for e in s.elements for c in e.cells}
    assert page.prefilled and cells["deliveries/facility"].value == 10
    save(
        rw,
        values={("deliveries", "facility"): 12},
        register_values={("deliveries", "facility"): 10},
    )
    page = selectors.entry_page(user=rw.staff, form_code="mch_month", unit=rw.commune, period=MARCH)
    cells = {c.key: c for s in page.sections for e in s.elements for c in e.cells}
    assert not page.prefilled
    assert (cells["deliveries/facility"].value, cells["deliveries/facility"].difference) == (12, 2)
    assert cells["deliveries/other"].value is None  # saved report: never filled silently
    assert PeriodicReport.objects.get().values.get().register_value == 10


def test_approved_totals_only_approved_and_in_scope(rw) -> None:  # type: ignore[no-untyped-def]
    report = save(rw, submit=True)
    assert selectors.approved_totals(user=rw.officer, element="deliveries", period=MARCH) == {}
    services.report_approve(user=rw.officer, report=report)
    assert selectors.approved_totals(user=rw.officer, element="deliveries", period=MARCH) == {
        rw.commune.pk: 13
    }
    assert selectors.approved_totals(user=rw.other_staff, element="deliveries", period=MARCH) == {}
