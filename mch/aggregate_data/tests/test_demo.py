from __future__ import annotations

import datetime as dt

from mch.accounts.models import Role
from mch.accounts.services import user_create
from mch.aggregate_data.demo import demo_reports_load
from mch.aggregate_data.models import PeriodicReport, ReportStatus
from mch.registers.testing import PASSWORD


def test_demo_reports_are_idempotent_and_mixed(rw) -> None:  # type: ignore[no-untyped-def]
    user_create(
        username="sokhanhhoa",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        units=[rw.province],
        validate=False,
    )
    today = dt.date(2026, 12, 7)
    created = demo_reports_load(today=today)
    assert created == PeriodicReport.objects.count() == 6  # 4 months + 2 (last commune misses two)
    assert demo_reports_load(today=today) == 0
    statuses = set(PeriodicReport.objects.values_list("status", flat=True))
    assert statuses == {ReportStatus.SUBMITTED, ReportStatus.APPROVED}
    assert all(r.first_submitted_at.date() <= today for r in PeriodicReport.objects.all())
