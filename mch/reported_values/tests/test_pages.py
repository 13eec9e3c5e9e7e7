"""The "Số liệu khác" pages: lists by unit and year in the user's scope, entry and edit
through the services, delete with confirmation, who sees the link and the forms."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from mch.accounts.models import User
from mch.registers.models import AuditEntry
from mch.reported_values import services
from mch.reported_values.models import PolicyValue, SurveyResult, WorkforceReport

from .conftest import YEAR, World

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _survey(world: World, **changes: object) -> SurveyResult:
    args: dict[str, object] = {
        "user": world.rw.officer,
        "indicator_code": "caregiver_newborn_danger_signs",
        "unit": world.rw.province,
        "survey_name": "MICS 2025",
        "survey_date": "15/06/2025",
        "sample_size": "400",
        "value": "62,5",
    }
    return services.survey_result_save(**(args | changes))


def _rows(html: str) -> list[str]:
    """The data-pk of each row of the page's table."""
    return re.findall(r'<tr data-pk="(\d+)"', html)


def test_survey_list_filters_by_unit_and_year(world: World) -> None:
    rw = world.rw
    this = _survey(world)
    older = _survey(world, survey_name="KAP 2023", survey_date="10/10/2023", value="48")
    client = _client(rw.officer)
    page = client.get("/so-lieu-khac/khao-sat/")
    assert page.status_code == 200
    assert {str(this.pk), str(older.pk)} <= set(_rows(page.content.decode()))
    html = client.get(f"/so-lieu-khac/khao-sat/?nam={YEAR}").content.decode()
    assert str(this.pk) in _rows(html) and str(older.pk) not in _rows(html)
    assert "62,5%" in html and "57,7–67,1%" in html and "Wilson" in html
    html = client.get(f"/so-lieu-khac/khao-sat/?don-vi={rw.commune.pk}").content.decode()
    assert _rows(html) == []  # the province's survey is not the commune's


def test_a_commune_sees_and_edits_only_its_own(world: World) -> None:
    rw = world.rw
    own = services.policy_value_save(
        user=rw.staff, indicator_code="policy_goal_in_sep", unit=rw.commune, year=YEAR, answer=True
    )
    other = services.policy_value_save(
        user=rw.officer, indicator_code="policy_goal_in_sep", unit=rw.other_commune, year=YEAR,
        answer=False,
    )  # fmt: skip
    assert own is not None and other is not None
    client = _client(rw.staff)
    rows = _rows(client.get("/so-lieu-khac/chinh-sach/").content.decode())
    assert str(own.pk) in rows and str(other.pk) not in rows
    assert client.get(f"/so-lieu-khac/chinh-sach/{other.pk}/sua/").status_code == 404
    assert client.get(f"/so-lieu-khac/chinh-sach/{other.pk}/xoa/").status_code == 404
    # Surveys are the province's: no form for a commune.
    assert client.get("/so-lieu-khac/khao-sat/them/").status_code == 403


def test_officer_enters_a_survey_through_the_form(world: World) -> None:
    rw = world.rw
    client = _client(rw.officer)
    form = client.get("/so-lieu-khac/khao-sat/them/").content.decode()
    assert 'value="caregiver_newborn_danger_signs"' in form
    assert 'value="policy_goal_in_sep"' not in form  # not a survey indicator
    response = client.post(
        "/so-lieu-khac/khao-sat/them/",
        {
            "indicator": "caregiver_newborn_danger_signs",
            "unit": rw.province.pk,
            "survey_name": "MICS 2025",
            "survey_date": "15/06/2025",
            "sample_size": "400",
            "value": "62,5",
            "document_ref": "BC 12/BC-CDC",
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/so-lieu-khac/khao-sat/"
    assert "Đã lưu kết quả khảo sát: 62,5%" in html and "57,7–67,1" in html
    saved = SurveyResult.objects.get(survey_name="MICS 2025")
    assert (saved.entered_via, saved.year, saved.ci_computed) == ("form", YEAR, True)
    assert AuditEntry.objects.filter(model="surveyresult", object_id=saved.pk).exists()


def test_bad_input_is_refused_in_vietnamese_and_nothing_saved(world: World) -> None:
    rw = world.rw
    response = _client(rw.officer).post(
        "/so-lieu-khac/khao-sat/them/",
        {
            "indicator": "caregiver_newborn_danger_signs",
            "unit": rw.province.pk,
            "survey_name": "MICS 2025",
            "survey_date": "31/02/2025",
            "sample_size": "0",
            "value": "62,5",
            "ci_low": "70",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chưa lưu" in html
    assert "ngày/tháng/năm" in html and "Cỡ mẫu phải lớn hơn 0" in html
    assert not SurveyResult.objects.exists()


def test_edit_and_delete_a_survey(world: World) -> None:
    result = _survey(world)
    client = _client(world.rw.officer)
    edit = client.get(f"/so-lieu-khac/khao-sat/{result.pk}/sua/").content.decode()
    assert 'value="62,5"' in edit and 'value="15/06/2025"' in edit
    data = {
        "indicator": "caregiver_newborn_danger_signs",
        "unit": world.rw.province.pk,
        "survey_name": "MICS 2025",
        "survey_date": "15/06/2025",
        "sample_size": "400",
        "value": "64",
        "ci_low": "59",
        "ci_high": "69",
    }
    assert client.post(f"/so-lieu-khac/khao-sat/{result.pk}/sua/", data).status_code == 302
    result.refresh_from_db()
    assert (float(result.value), result.ci_computed, float(result.ci_low)) == (64.0, False, 59.0)
    confirm = client.get(f"/so-lieu-khac/khao-sat/{result.pk}/xoa/").content.decode()
    assert "Xóa số liệu này?" in confirm and "MICS 2025" in confirm
    assert SurveyResult.objects.filter(pk=result.pk).exists()  # a GET deletes nothing
    assert client.post(f"/so-lieu-khac/khao-sat/{result.pk}/xoa/").status_code == 302
    assert not SurveyResult.objects.filter(pk=result.pk).exists()
    assert AuditEntry.objects.filter(model="surveyresult", action="delete").count() == 1


def test_policy_form_kinds_edit_and_delete(world: World) -> None:
    rw = world.rw
    client = _client(rw.staff)
    base = {"indicator": "policy_goal_in_sep", "unit": rw.commune.pk, "year": str(YEAR)}
    refused = client.post("/so-lieu-khac/chinh-sach/them/", base)
    assert "Nhập có/không" in refused.content.decode()
    both = client.post("/so-lieu-khac/chinh-sach/them/", base | {"answer": "yes", "numerator": "1"})
    assert "Chỉ nhập một loại" in both.content.decode()
    outside = client.post(
        "/so-lieu-khac/chinh-sach/them/", base | {"unit": rw.other_commune.pk, "answer": "yes"}
    )
    assert "Chọn đơn vị" in outside.content.decode()
    assert not PolicyValue.objects.exists()
    assert (
        client.post("/so-lieu-khac/chinh-sach/them/", base | {"answer": "yes"}).status_code == 302
    )
    row = PolicyValue.objects.get()
    assert (row.unit, row.answer, row.entered_by) == (rw.commune, True, rw.staff)
    # The entry's item, unit and year stay whatever is posted; the value changes.
    changed = base | {
        "unit": rw.other_commune.pk,
        "answer": "",
        "numerator": "3",
        "denominator": "4",
    }
    assert client.post(f"/so-lieu-khac/chinh-sach/{row.pk}/sua/", changed).status_code == 302
    row.refresh_from_db()
    assert (row.unit, row.answer, float(row.numerator)) == (rw.commune, None, 3.0)
    assert client.post(f"/so-lieu-khac/chinh-sach/{row.pk}/xoa/").status_code == 302
    assert not PolicyValue.objects.exists()


def test_workforce_form_for_the_hospital(world: World) -> None:
    rw = world.rw
    client = _client(world.hospital_user)
    form = client.get("/so-lieu-khac/nhan-luc/them/").content.decode()
    assert f'value="{rw.hospital.pk}"' in form and f'value="{rw.station.pk}"' not in form
    assert "EENC" in form and "kangaroo" in form
    data = {
        "facility": rw.hospital.pk,
        "year": str(YEAR),
        "as_of": "31/12/2025",
        "obstetric_level1": "2",
        "paediatric_level1": "2",
        "midwives": "14",
        "trained_eenc": "12",
        "child_doctors": "3",
        "child_doctors_trained": "5",
    }
    refused = client.post("/so-lieu-khac/nhan-luc/them/", data).content.decode()
    assert "không được lớn hơn số bác sỹ" in refused
    assert not WorkforceReport.objects.exists()
    assert (
        client.post(
            "/so-lieu-khac/nhan-luc/them/", data | {"child_doctors_trained": "2"}
        ).status_code
        == 302
    )
    report = WorkforceReport.objects.get()
    assert (report.midwives, report.trained_eenc, report.obstetric_oriented) == (14, 12, 0)
    html = client.get("/so-lieu-khac/nhan-luc/").content.decode()
    assert str(report.pk) in _rows(html)
    assert client.get(f"/so-lieu-khac/nhan-luc/{report.pk}/sua/").status_code == 200
    assert _client(rw.staff).get(f"/so-lieu-khac/nhan-luc/{report.pk}/sua/").status_code == 404


def test_leaders_read_but_do_not_enter(world: World) -> None:
    rw = world.rw
    result = _survey(world)
    client = _client(rw.leader)
    page = client.get("/so-lieu-khac/khao-sat/").content.decode()
    assert str(result.pk) in _rows(page)
    assert 'href="/so-lieu-khac/khao-sat/"' not in client.get("/").content.decode()  # no link
    assert 'id="rv-add"' not in page and "/sua/" not in page
    for url in ("khao-sat/them/", "chinh-sach/them/", "nhan-luc/them/", "nhap/"):
        assert client.get(f"/so-lieu-khac/{url}").status_code == 403, url
    assert client.post(f"/so-lieu-khac/khao-sat/{result.pk}/xoa/").status_code == 403
    assert SurveyResult.objects.filter(pk=result.pk).exists()
    assert 'href="/so-lieu-khac/khao-sat/"' in _client(rw.officer).get("/").content.decode()
