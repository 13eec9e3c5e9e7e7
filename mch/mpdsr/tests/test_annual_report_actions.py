"""The annual report's section on the actions after death reviews lists those of the plan's
territory only, even for a reader who sees other provinces' reviews."""

from __future__ import annotations

import datetime as dt

from mch.core.testing import make_unit
from mch.mpdsr import services
from mch.plans.models import Plan
from mch.reporting.annual.data import _mpdsr_actions

from .conftest import TODAY
from .test_extra import _stillbirth


def _plan(slug: str, unit) -> Plan:  # type: ignore[no-untyped-def]
    return Plan.objects.create(slug=slug, kind="ke_hoach", title="Kế hoạch thử",
                               issuer_name="UBND tỉnh", issuer_unit=unit, scope_unit=unit,
                               period_start=2026, period_end=2027)  # fmt: skip


def test_the_actions_of_the_plans_territory_only(mw) -> None:  # type: ignore[no-untyped-def]
    review = services.perinatal_review_save(
        user=mw.board, subject=_stillbirth(mw), method="facility_review", today=TODAY
    )
    action = services.action_add(user=mw.board, review=review, recommendation="Tập huấn",
                                 deadline=dt.date(2026, 6, 30), owner_facility=mw.rw.hospital)  # fmt: skip
    elsewhere = make_unit(
        code="99", name="Tỉnh Khác", level="province", parent=mw.rw.province.parent
    )
    mw.board.is_superuser = True  # sees every province's reviews
    mw.board.save(update_fields=["is_superuser"])

    own, _ = _mpdsr_actions(mw.board, _plan("p-own", mw.rw.province), 2026)
    other, visible = _mpdsr_actions(mw.board, _plan("p-other", elsewhere), 2026)

    assert [(a.case_code, a.recommendation) for a in own] == [
        (review.case_code, action.recommendation)
    ]
    assert visible and other == []
