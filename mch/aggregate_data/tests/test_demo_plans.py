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

    every = PeriodicReport.objects.all()
    reports = every.filter(form_code=demo_plans.FORM)
    # the old communes January 2024 – June 2025 (the last missing October 2024), the new
    # ones July – December 2025 (the last missing October 2025), the old province's 18 months
    assert reports.filter(unit__in=communes).count() == 3 * 18 - 1
    assert reports.filter(unit__in=[rw.commune, rw.other_commune]).count() == 2 * 6 - 1
    assert reports.filter(unit=old).count() == 18
    assert created == every.count()
    assert demo_plan_reports_load(today=TODAY) == 0
    # the last month waits for approval, and the third commune's November; the rest is
    # approved; some came late
    waiting = reports.exclude(status=ReportStatus.APPROVED)
    assert set(every.values_list("form_code", flat=True)) == {
        demo_plans.FORM,
        demo_plans.QUARTER_FORM,
        demo_plans.YEAR_FORM,
    }
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
    # (from its longest approved reports of the year: the year's)
    in_2024 = {"report__unit": old, "report__form_code": demo_plans.YEAR_FORM,
               "report__period_start__year": 2024, "element": "deliveries"}  # fmt: skip
    facility, every = _sum(cell="facility", **in_2024), _sum(**in_2024)
    assert point.complete and abs(point.value - 100 * facility / every) < 0.05


def test_quarters_and_years_sum_the_months_and_give_the_quarterly_only_rows(rw) -> None:  # type: ignore[no-untyped-def]
    """Each reporting commune sends the quarterly (an ended year's) report, its monthly
    elements the sums of its months, approved unless it holds the last ended month; the
    old province's are the sums of its communes' approved ones; the approved series then
    gives a row only the quarterly form holds (iron supplementation)."""
    old, communes = _world(rw)
    demo_plan_reports_load(today=TODAY)

    quarters = PeriodicReport.objects.filter(form_code=demo_plans.QUARTER_FORM)
    months = PeriodicReport.objects.filter(form_code=demo_plans.FORM)
    years = PeriodicReport.objects.filter(form_code=demo_plans.YEAR_FORM)
    new = [rw.commune, rw.other_commune]
    # every commune its quarters of 2024–2025 while it existed, the old ones their 2024
    assert quarters.filter(unit__in=communes).count() == 3 * 6
    assert quarters.filter(unit__in=new).count() == 2 * 2
    assert years.filter(unit__in=communes, period_start__year=2024).count() == 3
    assert not years.filter(unit__in=[*communes, *new], period_start__year=2025).exists()
    checked = 0
    for quarter in quarters.filter(unit__in=[*communes, *new]):
        in_it = months.filter(
            unit=quarter.unit,
            period_start__gte=quarter.period_start,
            period_start__lte=quarter.period_end,
        )
        waits = quarter.period_end >= dt.date(2025, 12, 1)  # holds the last ended month
        assert (quarter.status == ReportStatus.APPROVED) == (not waits)
        if in_it.count() < 3:
            continue  # a month the commune did not send
        checked += 1
        for element in ("deliveries", "live_births", "child_deaths"):
            assert _sum(report=quarter, element=element) == _sum(report__in=in_it, element=element)
    assert checked >= 3 * 6
    # the old province's quarter is the sum of its communes' approved quarters
    for start in (dt.date(2024, 4, 1), dt.date(2024, 10, 1)):
        counted = quarters.filter(
            unit__in=communes, period_start=start, status=ReportStatus.APPROVED
        )
        assert counted.count() == 3
        own = quarters.get(unit=old, period_start=start)
        assert own.status == ReportStatus.APPROVED
        assert (
            _sum(report=own, element="iron_full")
            == _sum(report__in=counted, element="iron_full")
            > 0
        )

    # iron supplementation, on the quarterly form only: the plan's unit's 2024 figure from
    # its longest approved reports of the year (the year's)
    from mch.indicators.models import IndicatorVersion
    from mch.indicators.services import catalogue_load
    from mch.reported_values import rules as rv
    from mch.reported_values.series import UnitSpec, other_series

    catalogue_load()
    version = IndicatorVersion.objects.filter(indicator__code="iron_supplement_full").latest(
        "version"
    )
    officer = rw.province.users.model.objects.get(username=demo_plans.OFFICER)
    points = other_series(user=officer, versions={"iron_supplement_full": version},
                          units=[UnitSpec(old.pk)], years=[2024])  # fmt: skip
    point = points[("iron_supplement_full", "all", old.pk, 2024)][rv.APPROVED_AGGREGATE]
    year = years.get(unit=old, period_start=dt.date(2024, 1, 1))
    assert year.status == ReportStatus.APPROVED
    iron = _sum(report=year, element="iron_full")
    deliveries = _sum(report=year, element="deliveries")
    assert deliveries > 0
    assert abs(point.value - version.multiplier * iron / deliveries) < 0.05


LAO_CAI_TODAY = dt.date(2026, 12, 8)  # the 2026 annual report is due on 10 December
LAO_CAI_ROWS = ("neonatal_mortality", "infant_mortality", "under5_mortality",
                "skilled_birth_attendance", "low_birth_weight", "eenc", "full_immunisation_u1",
                "checkup_health_record_u5", "under5_injury_mortality", "early_breastfeeding")  # fmt: skip


def test_lao_cai_communes_report_2026_and_its_annual_report_has_figures(rw) -> None:  # type: ignore[no-untyped-def]
    """A province of today's map (no lineage): its own communes report January–November
    2026 (November waiting, one commune missing it), the province's months January–October
    and its quarters sum theirs; the approved series gives the 2026 figure of every plan
    row a commune report can give, equal to the sums of the province's quarterly reports."""
    from mch.aggregate_data.services import definitions_current
    from mch.indicators.models import IndicatorVersion
    from mch.indicators.services import catalogue_load
    from mch.reported_values import rules as rv
    from mch.reported_values.series import UnitSpec, element_parts, other_series

    officer = user_create(username=demo_plans.LAO_CAI_OFFICER, password=PASSWORD,
                          role=Role.PROVINCE_OFFICER, units=[rw.province], validate=False)  # fmt: skip
    admin = user_create(username=demo_plans.APPROVER, password=PASSWORD,
                        role=Role.PROVINCE_OFFICER, units=[rw.province], validate=False)  # fmt: skip
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    Plan.objects.create(slug=demo_plans.LAO_CAI, kind="ke_hoach", title="Kế hoạch thử",
                        issuer_name="UBND tỉnh", issuer_unit=rw.province,
                        scope_unit=rw.province, period_start=2026, period_end=2030)  # fmt: skip

    demo_plan_reports_load(today=LAO_CAI_TODAY)

    months = PeriodicReport.objects.filter(form_code=demo_plans.FORM)
    communes = sorted({r.unit for r in months.exclude(unit=rw.province)}, key=lambda u: u.code)
    assert rw.commune in communes and rw.other_commune in communes
    assert {r.period_start.year for r in months} == {2026}
    before_november = months.filter(period_start__lt=dt.date(2026, 11, 1))
    assert not before_november.exclude(status=ReportStatus.APPROVED).exists()
    assert before_november.filter(unit=rw.province).count() == 10
    november = months.filter(period_start=dt.date(2026, 11, 1))
    assert set(november.values_list("status", flat=True)) == {ReportStatus.SUBMITTED}
    assert 0 < november.count() < len(communes)  # one commune has not sent it
    quarters = PeriodicReport.objects.filter(form_code=demo_plans.QUARTER_FORM, unit=rw.province)
    assert sorted(quarters.values_list("period_start__month", flat=True)) == [1, 4, 7]
    assert set(quarters.values_list("status", flat=True)) == {ReportStatus.APPROVED}
    assert not PeriodicReport.objects.filter(form_code=demo_plans.YEAR_FORM).exists()

    catalogue_load()
    versions = {
        v.indicator.code: v
        for v in IndicatorVersion.objects.filter(indicator__code__in=LAO_CAI_ROWS)
        .select_related("indicator")
        .order_by("indicator_id", "version")
    }
    _, defs = definitions_current()
    parts = element_parts(defs)
    can_give = {
        code: (parts[(code, "numerator")], parts.get((code, "denominator")))
        for code, version in versions.items()
        if (code, "numerator") in parts
        and ((code, "denominator") in parts or version.multiplier == 1)
    }
    # the mortality rates, skilled birth attendance, low birth weight (newborns weighed on
    # the quarterly form only) and early breastfeeding at least
    assert {"neonatal_mortality", "skilled_birth_attendance", "low_birth_weight"} <= set(can_give)
    points = other_series(user=officer, versions=versions,
                          units=[UnitSpec(rw.province.pk)], years=[2026])  # fmt: skip

    def total(part) -> int:  # type: ignore[no-untyped-def]
        element, cells = part
        filters = {"report__in": quarters, "element": element}
        return _sum(**filters, **({"cell__in": cells} if cells else {}))

    for code, (num, den) in can_give.items():
        point = points[(code, "all", rw.province.pk, 2026)][rv.APPROVED_AGGREGATE]
        multiplier = versions[code].multiplier
        expected = total(num) if den is None else multiplier * total(num) / total(den)
        assert abs(point.value - expected) < 0.05, code
        assert not point.complete  # three quarters of four
    # at a mountainous province's levels: most births in a facility, not all
    births = points[("skilled_birth_attendance", "all", rw.province.pk, 2026)]
    assert 80 < births[rv.APPROVED_AGGREGATE].value < 97
