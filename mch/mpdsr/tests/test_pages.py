"""The pages as each user sees them."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from mch.mpdsr import services
from mch.mpdsr.models import RedAlert
from mch.registers.models import AuditEntry

from .conftest import TODAY


def _review(mw):
    return services.review_save(
        user=mw.board,
        death=mw.death,
        method="confidential_enquiry",
        meeting_date=dt.date(2026, 3, 10),
        underlying_cause="2",
        factors=["2.transport"],
        avoidability="possibly",
        case_summary="Nhà ở thôn Suối Cát, chồng là Hà Văn Tư",
        complete=True,
        today=TODAY,
    )


def test_province_home_alerts_and_surveillance_lists_the_death(mw, as_user) -> None:
    client = as_user(mw.officer)
    home = client.get(reverse("home")).content.decode()
    assert 'id="mpdsr-alert"' in home and reverse("mpdsr-case", args=[mw.death.pk]) in home
    page = client.get(reverse("mpdsr-surveillance") + "?nam=2026&thang=3").content.decode()
    assert "Hà Thị Mơ" in page and "Tử vong mẹ, trực tiếp" in page and 'id="to-notify"' in page


def test_hospital_notifies_from_the_case_page(mw, as_user) -> None:
    client = as_user(mw.hospital_user)
    url = reverse("mpdsr-case", args=[mw.death.pk])
    response = client.post(
        url,
        {
            "notified_at": "2026-02-14T22:00",
            "died_at": "2026-02-14T20:30",
            "reporter_name": "BS. Nam",
            "place": "Khoa Sản",
            "circumstances": "Băng huyết",
            "x_transferred": "yes",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "1,5 giờ sau khi tử vong" in page and "Có chuyển tuyến trước khi tử vong" in page
    assert 'id="mpdsr-alert"' not in client.get(reverse("home")).content.decode()


def test_review_identifiable_parts_are_for_the_board_only(mw, as_user, client) -> None:
    review = _review(mw)
    url = reverse("mpdsr-review", args=[review.pk])
    board_page = as_user(mw.board).get(url).content.decode()
    assert "Hà Thị Mơ" in board_page and "Suối Cát" in board_page
    assert AuditEntry.objects.filter(user=mw.board, action="view", model="review").exists()
    officer_page = as_user(mw.officer).get(url).content.decode()
    assert (
        'id="deidentified"' in officer_page
        and "Hà Thị Mơ" not in officer_page
        and "Suối Cát" not in officer_page
    )
    assert "Tăng huyết áp, tiền sản giật, sản giật" in officer_page
    commune = as_user(mw.rw.staff)
    assert commune.get(url).status_code == 403
    case_page = commune.get(reverse("mpdsr-case", args=[mw.death.pk])).content.decode()
    assert review.case_code not in case_page and 'id="m2"' not in case_page
    assert (
        as_user(mw.officer).get(reverse("mpdsr-review-edit", args=[mw.death.pk])).status_code == 403
    )


def test_board_writes_review_and_actions_through_the_pages(mw, as_user) -> None:
    client = as_user(mw.board)
    response = client.post(
        reverse("mpdsr-review-edit", args=[mw.death.pk]),
        {
            "method": "facility_review",
            "meeting_date": "2026-03-01",
            "underlying_cause": "3",
            "factors": ["3.blood"],
            "avoidability": "avoidable",
            "complete": "on",
        },
    )
    assert response.status_code == 302
    review = mw.death.review
    client.post(
        reverse("mpdsr-action-add", args=[review.pk]),
        {
            "recommendation": "Dự trữ máu O",
            "owner_facility": mw.rw.hospital.pk,
            "deadline": "2026-04-01",
        },
    )
    action = review.actions.get()
    client.post(reverse("mpdsr-action-update", args=[action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done" and action.done_on is not None


def test_m5_page_and_exports_are_de_identified(mw, as_user) -> None:
    review = _review(mw)
    # A board that names the woman in a recommendation: the exports blank her name out.
    action = services.action_add(
        user=mw.board,
        review=review,
        recommendation="Rút kinh nghiệm ca Hà Thị Mơ tại khoa Sản",
        owner_facility=mw.rw.hospital,
        deadline=dt.date(2026, 3, 31),
    )
    services.action_update(
        user=mw.board, action=action, status="done", done_on=dt.date(2026, 3, 20), today=TODAY
    )
    client = as_user(mw.officer)
    page = client.get(reverse("mpdsr-m5") + "?ky=Q1/2026").content.decode()
    assert review.case_code in page and "Hà Thị Mơ" not in page
    docx = client.get(reverse("mpdsr-m5-export", args=["docx"]) + "?ky=Q1/2026")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    tables = " ".join(
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    )
    assert (
        "BÁO CÁO" in text
        and "./." in text
        and review.case_code in tables
        and "Hà Thị Mơ" not in text + tables
    )
    book = load_workbook(
        io.BytesIO(client.get(reverse("mpdsr-m5-export", args=["xlsx"]) + "?ky=Q1/2026").content)
    )
    cells = [str(c.value) for row in book["M5"].iter_rows() for c in row if c.value is not None]
    assert review.case_code in cells and "Hà Thị Mơ" not in cells
    [done] = [
        [c.value for c in row]
        for ws in book.worksheets
        for row in ws.iter_rows()
        if row[0].value == review.case_code and "khoa Sản" in str(row[1].value)
    ]
    # The same status label as the pages and the yearly report.
    assert done[1] == "Rút kinh nghiệm ca […] tại khoa Sản"
    assert done[5:7] == ["Đã hoàn thành", "20/03/2026"]
    assert "Đã hoàn thành (20/03/2026)" in tables
    leader = as_user(mw.rw.leader).get(reverse("mpdsr-m5") + "?ky=Q1/2026").content.decode()
    assert 'id="m5-maternal">1<' in leader


def test_hospital_logs_a_red_alert(mw, as_user) -> None:
    client = as_user(mw.hospital_user)
    response = client.post(
        reverse("mpdsr-red-alerts") + "?nam=2026",
        {
            "facility": mw.rw.hospital.pk,
            "called_at": "2026-02-14T08:00",
            "team_arrived_at": "2026-02-14T08:07",
            "level": "hospital",
            "emergency": "pph",
            "mother_outcome": "died",
            "baby_outcome": "alive",
            "person_id": mw.woman.pk,
        },
    )
    assert response.status_code == 302
    alert = RedAlert.objects.get()
    assert (float(alert.response_minutes), alert.standard_minutes, alert.death) == (
        7.0,
        10,
        mw.death,
    )
    page = as_user(mw.officer).get(reverse("mpdsr-red-alerts") + "?nam=2026").content.decode()
    assert "Bệnh viện Đa khoa tỉnh" in page and "7,0" in page
