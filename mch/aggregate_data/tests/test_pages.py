from __future__ import annotations

import json

import pytest
from django.urls import reverse

from mch.aggregate_data import services
from mch.aggregate_data.models import PeriodicReport, ReportStatus
from mch.aggregate_data.periods import period_from_token
from mch.registers.models import AuditEntry

ENTRY = "aggregate-entry"


def url(rw, period_text="2026-03"):  # type: ignore[no-untyped-def]
    return reverse(ENTRY, args=["mch_month", rw.commune.pk, period_text])


def test_commune_saves_submits_and_province_approves(rw, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rw.staff)
    page = client.get(url(rw))
    assert page.status_code == 200 and "Số bà mẹ đẻ" in page.content.decode()
    response = client.post(
        url(rw), {"deliveries/facility": "9", "deliveries/other": "x", "action": "save"}
    )
    assert "không phải là số" in response.content.decode()
    assert not PeriodicReport.objects.exists()
    client.post(url(rw), {"deliveries/facility": "9", "deliveries/other": "1", "action": "submit"})
    report = PeriodicReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    client.force_login(rw.officer)
    assert "ag-approve" in client.get(url(rw)).content.decode()
    client.post(url(rw), {"action": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    client.post(url(rw), {"action": "reopen", "reason": "Sửa số liệu"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_other_commune_cannot_open_the_report(rw, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rw.other_staff)
    assert client.get(url(rw)).status_code == 404
    assert client.post(url(rw), {"deliveries/facility": "1", "action": "save"}).status_code == 404


def test_overview_lists_communes_with_states(rw, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rw.officer)
    body = client.get(reverse("aggregate-overview")).content.decode()
    assert "Xã Hòa Bình" in body and "Phường Đông Hải" in body and "ag-table" in body


def _submit(rw, period_text="2026-03", facility=12):  # type: ignore[no-untyped-def]
    return services.report_values_save(
        user=rw.staff,
        form_code="mch_month",
        unit=rw.commune,
        period=period_from_token(period_text),
        values={
            ("deliveries", "facility"): facility,
            ("deliveries", "other"): 2,
            ("child_deaths", "d0_27"): 1,
            ("pregnant_women_managed", "total"): 40,
        },
        submit=True,
    )


@pytest.mark.parametrize("fmt", ["xml", "json", "csv"])
def test_export_then_import_round_trip(rw, client, fmt) -> None:  # type: ignore[no-untyped-def]
    report = _submit(rw)
    services.report_approve(user=rw.officer, report=report)
    client.force_login(rw.officer)
    body = client.get(reverse("aggregate-export", args=["mch_month", "2026-03", fmt])).content
    before = sorted(report.values.values_list("element", "cell", "value"))
    if fmt == "json":
        data = json.loads(body)
        assert data["dataSet"] == "MCH_MCH_MONTH"
        assert {
            "dataElement": "MCH_DELIVERIES",
            "period": "202603",
            "orgUnit": "22795",
            "categoryOptionCombo": "DELIVERY_PLACE_FACILITY",
            "value": "12",
        } in data["dataValues"]
    services.report_reopen(user=rw.officer, report=report, reason="Kiểm tra nhập lại")
    report.values.all().delete()
    upload = client.post(
        reverse("aggregate-import"),
        {"file": _file(f"x.{fmt}", body), "bieu": "mch_month", "ky": "2026-03"},
    )
    assert "ag-import-ok" in upload.content.decode(), upload.content.decode()
    assert sorted(report.values.values_list("element", "cell", "value")) == before
    assert AuditEntry.objects.filter(action="export").exists()


def _file(name: str, content: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_csv_import_row_errors_write_nothing(rw, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rw.officer)
    content = (
        b"don_vi,chi_tieu,phan_to,gia_tri\n"
        b"22795,deliveries,facility,5\n"
        b"22759,deliveries,home,3\n"
        b"99999,deliveries,facility,1\n"
        b"22759,live_births,male,-1\n"
    )
    body = client.post(
        reverse("aggregate-import"),
        {"file": _file("a.csv", content), "bieu": "mch_month", "ky": "2026-03"},
    ).content.decode()
    assert "Dòng 3" in body and "Phân tổ &#x27;home&#x27;" in body
    assert "Dòng 4" in body and "99999" in body and "Dòng 5" in body
    assert not PeriodicReport.objects.exists()


def test_xlsx_import(rw, client) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["don_vi", "chi_tieu", "phan_to", "gia_tri"])
    sheet.append(["22795", "deliveries", "facility", 7])
    sheet.append(["22795", "pregnant_women_managed", None, 30])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(rw.staff)
    body = client.post(
        reverse("aggregate-import"),
        {"file": _file("a.xlsx", buffer.getvalue()), "bieu": "mch_month", "ky": "2026-04"},
    ).content.decode()
    assert "ag-import-ok" in body
    assert dict(PeriodicReport.objects.get().values.values_list("element", "value")) == {
        "deliveries": 7,
        "pregnant_women_managed": 30,
    }


def test_adx_refuses_external_entities(rw) -> None:  # type: ignore[no-untyped-def]
    from mch.aggregate_data.imports import file_import

    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="22795" period="2026-03-01/P1M" dataSet="MCH_MCH_MONTH"><dataValue dataElement="MCH_PREGNANT_WOMEN_MANAGED" value="&e;"/></group></adx>'
    with pytest.raises(services.ImportRefused):
        file_import(user=rw.staff, name="a.xml", content=evil)
    assert not PeriodicReport.objects.exists()
