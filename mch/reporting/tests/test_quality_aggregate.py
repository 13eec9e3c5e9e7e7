"""Data quality over the approved periodic reports: the same checks as the registers, plus
reports missing, not approved or late, each finding linked to the entry form to fix it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mch.aggregate_data import services
from mch.aggregate_data.periods import period_from_token
from mch.reporting import quality as q
from mch.reporting.quality_aggregate import aggregate_quality_page, fix_link

TODAY = dt.date(2026, 9, 30)  # January–August due (August's deadline is 07/09/2026)


def _report(officer, unit, month, deliveries=20, approve=True, late=False):  # type: ignore[no-untyped-def]
    period = period_from_token(f"2026-{month:02d}")
    due = services.calendar().add_working_days(period.end, 5)
    when = due + dt.timedelta(days=3) if late else due - dt.timedelta(days=1)
    report = services.report_values_save(
        user=officer,
        form_code="mch_month",
        unit=unit,
        period=period,
        values={
            ("anc1", "total"): 20,
            ("deliveries", "facility"): deliveries - 2,
            ("deliveries", "other"): 2,
            ("live_births", "male"): 10,
            ("live_births", "female"): 10,
            ("bcg_doses", "total"): 20,
        },
        submit=True,
        now=timezone.make_aware(dt.datetime.combine(when, dt.time(9))),
    )
    if approve:
        services.report_approve(user=officer, report=report)


@pytest.fixture
def reported(world):  # type: ignore[no-untyped-def]
    services.definitions_load()
    for month in range(1, 9):
        _report(world.officer, world.new_n, month, deliveries=80 if month == 5 else 20)
    for month in range(1, 4):
        _report(world.officer, world.new_m, month)
    _report(world.officer, world.new_m, 4, approve=False, late=True)
    return world


@pytest.mark.django_db
def test_findings_of_the_approved_reports_link_to_their_entry_form(reported) -> None:  # type: ignore[no-untyped-def]
    w = reported
    page = aggregate_quality_page(user=w.officer, unit=w.plan.scope_unit, year=2026, today=TODAY)
    n, m = page.review.for_unit(w.new_n.pk), page.review.for_unit(w.new_m.pk)
    outlier = [f for f in n if f.kind == q.OUTLIER_OWN]
    assert [(f.element, f.month, f.value) for f in outlier] == [(q.DELIVERIES, (2026, 5), 80)]
    assert fix_link(outlier[0], 2026, page.values) == reverse(
        "aggregate-entry", args=["mch_month", w.new_n.pk, "2026-05"]
    )
    missing = {f.month: f.message for f in m if f.kind == q.COMPLETENESS}
    assert sorted(missing) == [(2026, month) for month in range(4, 9)]
    assert "chưa được duyệt" in missing[(2026, 4)] and "Chưa nộp" in missing[(2026, 5)]
    assert [f.month for f in m if f.kind == q.TIMELINESS] == [(2026, 4)]
    assert page.review.completeness == {w.new_n.pk: 100.0, w.new_m.pk: 37.5}
    assert page.review.scores[w.new_m.pk].score < page.review.scores[w.new_n.pk].score
    for finding in page.review.findings:
        assert fix_link(finding, 2026, page.values).startswith("/bao-cao-dinh-ky/mch_month/")


@pytest.mark.django_db
def test_the_page_shows_the_reports_source(reported, as_user) -> None:  # type: ignore[no-untyped-def]
    w = reported
    url = reverse("reporting-quality", args=[w.plan.slug, 2026]) + "?nguon=bao-cao"
    body = as_user(w.officer).get(url).content.decode()
    assert "báo cáo định kỳ đã duyệt" in body and "Nộp muộn" in body
    entry = reverse("aggregate-entry", args=["mch_month", w.new_n.pk, "2026-05"])
    assert f'href="{entry}"' in body
    assert as_user(w.commune_n).get(url).status_code == 403


@pytest.mark.django_db
def test_a_quarter_of_the_approved_reports(reported) -> None:  # type: ignore[no-untyped-def]
    w = reported
    q2 = [(2026, 4), (2026, 5), (2026, 6)]
    page = aggregate_quality_page(
        user=w.officer, unit=w.plan.scope_unit, year=2026, today=TODAY, months=q2
    )
    m = page.review.for_unit(w.new_m.pk)
    # new_m: April submitted late and not approved, May and June never sent: 0 of 3
    assert sorted(f.month for f in m if f.kind == q.COMPLETENESS) == q2
    assert [f.month for f in m if f.kind == q.TIMELINESS] == [(2026, 4)]
    assert page.review.completeness == {w.new_n.pk: 100.0, w.new_m.pk: 0.0}
    # May's 80 deliveries, judged against new_n's January–June
    outlier = [f for f in page.review.for_unit(w.new_n.pk) if f.kind == q.OUTLIER_OWN]
    assert [(f.month, f.value) for f in outlier] == [((2026, 5), 80)]
    assert page.review.province_completeness == round(100 * 3 / 6, 1)


@pytest.mark.django_db
def test_the_header_counts_the_communes_something_was_due_from(world, as_user) -> None:  # type: ignore[no-untyped-def]
    w = world
    services.definitions_load()
    url = reverse("reporting-quality", args=[w.plan.slug, 2025]) + "?nguon=bao-cao"
    # the last quarter of 2025: only the two communes of the reform were due; the whole
    # year: the three dissolved communes (January–June) too
    for token, names in (
        ("2025-Q4", [w.new_n.name, w.new_m.name]),
        ("", [w.old_a.name, w.old_b.name, w.old_c.name, w.new_n.name, w.new_m.name]),
    ):
        body = as_user(w.officer).get(url + (f"&ky={token}" if token else "")).content.decode()
        assert f"· {len(names)} xã</p>" in body, token
        for unit in (w.old_a, w.old_b, w.old_c, w.new_n, w.new_m):
            assert (f">{unit.name}<" in body) == (unit.name in names), (token, unit.name)
