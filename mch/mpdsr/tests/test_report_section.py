"""The yearly report lists the actions taken on the review boards' recommendations
(issue 10 §4): read back from the generated .docx, de-identified, only the year's."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from mch.plans.models import Plan
from mch.reporting.annual.data import annual_report_data
from mch.reporting.annual.docx import annual_report_docx

from .. import services
from ..report_section import COLUMNS
from .conftest import TODAY


def _plan(province):  # type: ignore[no-untyped-def]
    return Plan.objects.create(
        slug="kh-mpdsr-2026",
        kind="ke_hoach",
        title="Kế hoạch giảm tử vong mẹ",
        issuer_name="UBND tỉnh",
        issuer_unit=province,
        scope_unit=province,
        period_start=2025,
        period_end=2027,
    )


def _section(docx: bytes) -> tuple[list[str], list[list[str]]]:
    """The paragraphs and the MPDSR table (the one whose header is COLUMNS)."""
    document = Document(io.BytesIO(docx))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        if header == COLUMNS:
            return texts, [[c.text for c in row.cells] for row in table.rows[1:]]
    return texts, []


def test_the_yearly_report_lists_the_years_actions_de_identified(mw) -> None:
    review = services.review_save(
        user=mw.board,
        death=mw.death,
        method="facility_review",
        meeting_date=dt.date(2026, 3, 10),
        underlying_cause="3",
        avoidability="avoidable",
        complete=True,
        today=TODAY,
    )
    hospital = mw.rw.hospital
    done = services.action_add(
        user=mw.board,
        review=review,
        recommendation="Dự trữ máu nhóm O tại khoa Sản (ca của Hà Thị Mơ)",
        action="Hợp đồng cung ứng máu với bệnh viện tuyến trên",
        owner_facility=hospital,
        deadline=dt.date(2026, 4, 30),
    )
    services.action_update(
        user=mw.board, action=done, status="done", done_on=dt.date(2026, 4, 20), today=TODAY
    )
    late = services.action_add(
        user=mw.board,
        review=review,
        recommendation="Tập huấn xử trí băng huyết sau đẻ",
        owner_facility=hospital,
        deadline=dt.date(2026, 6, 30),
    )
    services.action_update(user=mw.board, action=late, status="in_progress", today=TODAY)
    # Set and due in another year: not in 2026's list.
    other = services.action_add(
        user=mw.board,
        review=review,
        recommendation="Xây nhà chờ sinh",
        owner_facility=hospital,
        deadline=dt.date(2028, 12, 31),
    )
    type(other).objects.filter(pk=other.pk).update(
        created_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    )

    # Due in January but done the December before: the earlier year's action.
    early = services.action_add(
        user=mw.board,
        review=review,
        recommendation="Rà soát cơ số máu dự trữ",
        owner_facility=hospital,
        deadline=dt.date(2026, 1, 15),
    )
    type(early).objects.filter(pk=early.pk).update(status="done", done_on=dt.date(2025, 12, 20))

    plan = _plan(mw.rw.province)
    data = annual_report_data(user=mw.board, plan=plan, year=2026)
    texts, rows = _section(annual_report_docx(data, []))

    assert "III. HÀNH ĐỘNG SAU THẨM ĐỊNH TỬ VONG MẸ, CHU SINH" in texts
    by_recommendation = {r[2]: r for r in rows}
    assert set(by_recommendation) == {
        "Dự trữ máu nhóm O tại khoa Sản (ca của […])",
        "Tập huấn xử trí băng huyết sau đẻ",
    }
    blood = by_recommendation["Dự trữ máu nhóm O tại khoa Sản (ca của […])"]
    assert blood[1] == review.case_code
    assert blood[3:] == [
        "Hợp đồng cung ứng máu với bệnh viện tuyến trên",
        str(hospital),
        "30/04/2026",
        "Đã hoàn thành",
        "20/04/2026",
    ]
    training = by_recommendation["Tập huấn xử trí băng huyết sau đẻ"]
    overdue = dt.date(2026, 6, 30) < dt.date.today()
    assert training[5:] == [
        "30/06/2026",
        "Đang thực hiện" + (" (quá hạn)" if overdue else ""),
        "—",
    ]
    whole = "\n".join(texts) + "\n".join("|".join(r) for r in rows)
    assert "Hà Thị Mơ" not in whole
    summary = next(t for t in texts if t.startswith("Năm 2026 có "))
    assert summary.startswith("Năm 2026 có 2 hành động") and "1 đã hoàn thành" in summary


def test_a_reader_who_may_not_see_reviews_gets_no_list(mw) -> None:
    review = services.review_save(
        user=mw.board, death=mw.death, method="facility_review", today=TODAY
    )
    services.action_add(
        user=mw.board,
        review=review,
        recommendation="Tập huấn xử trí băng huyết sau đẻ",
        owner_facility=mw.rw.hospital,
        deadline=dt.date(2026, 6, 30),
    )
    data = annual_report_data(user=mw.rw.staff, plan=_plan(mw.rw.province), year=2026)
    texts, rows = _section(annual_report_docx(data, []))
    assert rows == []
    assert any("không có quyền xem thẩm định" in t for t in texts)
