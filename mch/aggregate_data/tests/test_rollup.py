"""The province's (district's) periodic report as the sum of its approved communes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mch.accounts.models import Role
from mch.accounts.services import user_create
from mch.aggregate_data import selectors, services
from mch.aggregate_data.models import ReportStatus
from mch.aggregate_data.periods import period_from_token
from mch.core.testing import make_unit
from mch.registers.testing import PASSWORD

MARCH = period_from_token("2026-03")


def _commune_report(rw, unit, user, facility, other, approve=True):  # type: ignore[no-untyped-def]
    report = services.report_values_save(
        user=user,
        form_code="mch_month",
        unit=unit,
        period=MARCH,
        values={("deliveries", "facility"): facility, ("deliveries", "other"): other},
        submit=True,
    )
    return services.report_approve(user=rw.officer, report=report) if approve else report


def _second_officer(rw):  # type: ignore[no-untyped-def]
    return user_create(
        username="so2",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        units=[rw.province],
        validate=False,
    )


def test_province_form_sums_approved_communes_and_needs_a_second_officer(rw, client) -> None:  # type: ignore[no-untyped-def]
    _commune_report(rw, rw.commune, rw.staff, 12, 2)
    _commune_report(rw, rw.other_commune, rw.other_staff, 30, 1, approve=False)
    url = reverse("aggregate-entry", args=["mch_month", rw.province.pk, "2026-03"])
    client.force_login(rw.officer)
    body = client.get(url).content.decode()
    # only the approved commune counts; the submitted one is listed as not counted yet
    assert 'name="deliveries/facility" value="12"' in body
    assert 'name="deliveries/other" value="2"' in body
    assert "1/2" in body and "Phường Đông Hải" in body.split('id="ag-communes"')[1]
    # Thông tư 37: the province's deadline is 25 working days after 31/03/2026
    page = selectors.entry_page(
        user=rw.officer, form_code="mch_month", unit=rw.province, period=MARCH
    )
    assert page.due == services.calendar().add_working_days(MARCH.end, 25)
    assert page.due > dt.date(2026, 5, 4)
    client.post(url, {"deliveries/facility": "12", "deliveries/other": "2", "action": "submit"})
    report = selectors.report_find(
        user=rw.officer, form_code="mch_month", unit=rw.province, period=MARCH
    )
    assert report is not None and report.status == ReportStatus.SUBMITTED
    assert "ag-approve" not in client.get(url).content.decode()
    assert client.post(url, {"action": "approve"}).status_code == 403
    client.force_login(_second_officer(rw))
    client.post(url, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    export = reverse("aggregate-export", args=["mch_month", "2026-03", "json"])
    data = json.loads(client.get(export + f"?don-vi={rw.province.pk}").content)
    assert {v["orgUnit"] for v in data["dataValues"]} == {"56"}
    assert sorted(int(v["value"]) for v in data["dataValues"]) == [2, 12]


def test_refill_from_communes_replaces_a_draft(rw) -> None:  # type: ignore[no-untyped-def]
    services.report_values_save(
        user=rw.officer,
        form_code="mch_month",
        unit=rw.province,
        period=MARCH,
        values={("deliveries", "facility"): 5, ("bcg_doses", "total"): 7},
    )
    _commune_report(rw, rw.commune, rw.staff, 12, 2)
    _commune_report(rw, rw.other_commune, rw.other_staff, 30, 1)
    report = services.report_values_from_communes(
        user=rw.officer, form_code="mch_month", unit=rw.province, period=MARCH
    )
    assert dict(report.values.values_list("cell", "value")) == {"facility": 42, "other": 3}


def test_district_step_counts_checked_communes_for_the_district_only(rw) -> None:  # type: ignore[no-untyped-def]
    may = period_from_token("2025-05")
    old_province = make_unit(
        code="58", name="Tỉnh Ninh Thuận", level="province", valid_to=dt.date(2025, 6, 30)
    )
    district = make_unit(
        code="593",
        name="Huyện Bác Ái",
        level="district",
        parent=old_province,
        valid_to=dt.date(2025, 6, 30),
    )
    a, b = (
        make_unit(
            code=code, name=name, level="commune", parent=district, valid_to=dt.date(2025, 6, 30)
        )
        for code, name in (("22796", "Xã Phước Bình"), ("22799", "Xã Phước Hòa"))
    )
    officer = user_create(
        username="so-nt",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        units=[old_province],
        validate=False,
    )
    for unit, value, steps in ((a, 4, 1), (b, 6, 2)):
        report = services.report_values_save(
            user=officer,
            form_code="mch_month",
            unit=unit,
            period=may,
            values={("deliveries", "facility"): value},
            submit=True,
        )
        for _ in range(steps):
            report = services.report_approve(user=officer, report=report)
    district_page = selectors.entry_page(
        user=officer, form_code="mch_month", unit=district, period=may
    )
    province_page = selectors.entry_page(
        user=officer, form_code="mch_month", unit=old_province, period=may
    )
    assert district_page.rollup is not None and province_page.rollup is not None
    assert district_page.rollup.sums[("deliveries", "facility")] == 10
    assert province_page.rollup.sums[("deliveries", "facility")] == 6
    assert [x.unit.name for x in province_page.rollup.not_counted] == ["Xã Phước Bình"]
    # the district's own report is approved by the province in one step
    report = services.report_values_from_communes(
        user=officer, form_code="mch_month", unit=district, period=may
    )
    services.report_submit(user=officer, report=report)
    assert services.report_approve(user=officer, report=report).status == ReportStatus.APPROVED
    with pytest.raises(PermissionDenied):
        services.report_reopen(user=rw.officer, report=report, reason="Không thuộc tỉnh")
