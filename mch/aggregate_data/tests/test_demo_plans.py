"""The seed plan's demo reports: monthly commune reports of the old province until the 2025
reform and of the new communes after it, the old province's own reports summing its
communes' approved ones, statuses mixed (late, missing, waiting), idempotent; the approved
series gives the plan's unit a yearly figure equal to the sums computed here."""

from __future__ import annotations

import datetime as dt

from mch.accounts.models import Role
from mch.accounts.services import user_create
from mch.aggregate_data import demo_plans
from mch.aggregate_data.demo_plans import demo_plan_reports_load
from mch.aggregate_data.models import DataValue, PeriodicReport, ReportStatus
from mch.core.testing import make_unit
from mch.orgunits.models import UnitChange, UnitLineage
from mch.plans.models import Plan
from mch.registers.testing import PASSWORD

TODAY = dt.date(2026, 1, 20)  # months ended: January 2024 – December 2025
END = dt.date(2025, 6, 30)


def _world(rw):  # type: ignore[no-untyped-def]
    old = make_unit(code="24", name="Tỉnh Cũ", level="province", parent=rw.province.parent,
                    valid_to=END)  # fmt: skip
    communes = [
        make_unit(code=f"0{n}", name=f"Xã Cũ {n}", level="commune", parent=old, valid_to=END)
        for n in (1, 2, 3)
    ]
    change = UnitChange.objects.create(kind="merge", effective_on=END + dt.timedelta(days=1))
    for commune, new in zip(communes, (rw.commune, rw.commune, rw.other_commune), strict=True):
        UnitLineage.objects.create(change=change, source=commune, target=new)
    UnitLineage.objects.create(change=change, source=old, target=rw.province)

    def officer(name: str):  # type: ignore[no-untyped-def]
        return user_create(username=name, password=PASSWORD, role=Role.PROVINCE_OFFICER,
                           units=[rw.province, old], validate=False)  # fmt: skip

    officer(demo_plans.OFFICER)
    admin = officer(demo_plans.APPROVER)
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    Plan.objects.create(slug=demo_plans.PLAN, kind="ke_hoach", title="Kế hoạch thử",
                        issuer_name="UBND tỉnh", issuer_unit=old, scope_unit=old,
                        period_start=2024, period_end=2025)  # fmt: skip
    return old, communes


def _sum(**filters) -> int:  # type: ignore[no-untyped-def]
    return sum(DataValue.objects.filter(**filters).values_list("value", flat=True))


def test_the_plans_province_gets_its_months_reported(rw) -> None:  # type: ignore[no-untyped-def]
    old, communes = _world(rw)

    created = demo_plan_reports_load(today=TODAY)

    reports = PeriodicReport.objects.all()
    # the old communes January 2024 – June 2025 (the last missing October 2024), the new
    # ones July – December 2025 (the last missing October 2025), the old province's 18 months
    assert reports.filter(unit__in=communes).count() == 3 * 18 - 1
    assert reports.filter(unit__in=[rw.commune, rw.other_commune]).count() == 2 * 6 - 1
    assert reports.filter(unit=old).count() == 18
    assert created == reports.count()
    assert demo_plan_reports_load(today=TODAY) == 0
    # the last month waits for approval, and the third commune's November; the rest is
    # approved; some came late
    waiting = reports.exclude(status=ReportStatus.APPROVED)
    assert sorted(waiting.values_list("unit__code", "period_start")) == [
        ("03", dt.date(2024, 11, 1)),
        (rw.other_commune.code, dt.date(2025, 12, 1)),
        (rw.commune.code, dt.date(2025, 12, 1)),
    ]
    assert set(waiting.values_list("status", flat=True)) == {ReportStatus.SUBMITTED}
    late = [r for r in reports if r.first_submitted_at.date() > r.period_end + dt.timedelta(days=9)]
    assert late
    # the old province's report of a month is the sum of its communes'
    for start in (dt.date(2024, 10, 1), dt.date(2025, 3, 1)):
        province = _sum(element="deliveries", report__period_start=start, report__unit=old)
        assert (
            province
            == _sum(element="deliveries", report__period_start=start, report__unit__in=communes)
            > 0
        )
    # the approved series gives the plan's unit its 2024 facility births from those months
    from mch.indicators.services import catalogue_load
    from mch.reported_values import rules as rv
    from mch.reported_values.series import UnitSpec, other_series

    catalogue_load()
    from mch.indicators.models import IndicatorVersion

    version = IndicatorVersion.objects.filter(indicator__code="facility_birth").latest("version")
    officer = rw.province.users.model.objects.get(username=demo_plans.OFFICER)
    points = other_series(user=officer, versions={"facility_birth": version},
                          units=[UnitSpec(old.pk)], years=[2024])  # fmt: skip
    point = points[("facility_birth", "all", old.pk, 2024)][rv.APPROVED_AGGREGATE]
    in_2024 = {"report__unit": old, "report__period_start__year": 2024, "element": "deliveries"}
    facility, every = _sum(cell="facility", **in_2024), _sum(**in_2024)
    assert point.complete and abs(point.value - 100 * facility / every) < 0.05
