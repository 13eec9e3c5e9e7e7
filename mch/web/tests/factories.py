"""A small province for page and API tests: two districts' communes merged on 01/07/2025,
an indicator catalogue, one province plan with a body/annex conflict, and a user per role.

The real loaders (``mch.core.demo``) load the whole reference data; these tests only need a
few rows they can name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from mch.accounts.models import Role, User
from mch.accounts.services import user_create
from mch.core.testing import make_unit
from mch.indicators.models import Indicator, IndicatorVersion, PopulationGroup
from mch.orgunits.models import (
    Agency,
    Facility,
    OrgUnit,
    UnitAttribute,
    UnitChange,
    UnitLineage,
)
from mch.plans.models import BudgetLine, Objective, Observation, Plan, Target, Task

PASSWORD = "Mat-khau-thu-2025!"
REFORM_DAY = dt.date(2025, 7, 1)
LAST_OLD_DAY = dt.date(2025, 6, 30)


def make_indicator(
    *,
    code: str,
    domain: str,
    name_vi: str,
    name_en: str,
    unit_symbol: str,
    multiplier: int,
    direction: str,
    versions: int = 1,
) -> tuple[Indicator, IndicatorVersion]:
    indicator = Indicator.objects.create(code=code, domain=domain)
    version = None
    for number in range(1, versions + 1):
        version = IndicatorVersion.objects.create(
            indicator=indicator,
            version=number,
            name_vi=name_vi,
            name_en=name_en,
            definition_vi=f"Định nghĩa {name_vi} (phiên bản {number}).",
            definition_en=f"Definition of {name_en} (version {number}).",
            numerator="deaths where age_days < 28"
            if number == 1
            else "deaths where age_days <= 27",
            denominator="live_births",
            multiplier=multiplier,
            unit_symbol=unit_symbol,
            direction=direction,
            data_source="registers",
            change_reason="" if number == 1 else "Làm rõ cách tính tuổi",
        )
    assert version is not None
    return indicator, version


@dataclass
class World:
    province: OrgUnit
    other_province: OrgUnit
    district: OrgUnit
    old_a: OrgUnit
    old_b: OrgUnit
    old_c: OrgUnit
    new_n: OrgUnit
    new_m: OrgUnit
    facility: Facility
    health_dept: Agency
    education_dept: Agency
    plan: Plan
    other_plan: Plan
    officer: User
    leader: User
    department: User
    commune_n: User
    commune_m: User


def build_world() -> World:
    province = make_unit(name="Tỉnh Ninh Thuận", level="province", code="58", kind="Tỉnh")
    other_province = make_unit(name="Tỉnh Khánh Hòa", level="province", code="56", kind="Tỉnh")
    district = make_unit(
        name="Huyện Ninh Phước",
        level="district",
        code="588",
        parent=province,
        kind="Huyện",
        valid_to=LAST_OLD_DAY,
    )
    old_a = make_unit(
        name="Xã Phước Hà",
        level="commune",
        code="22945",
        parent=district,
        kind="Xã",
        valid_to=LAST_OLD_DAY,
    )
    old_b = make_unit(
        name="Xã Nhị Hà",
        level="commune",
        code="22946",
        parent=district,
        kind="Xã",
        valid_to=LAST_OLD_DAY,
    )
    old_c = make_unit(
        name="Xã Phước Nam",
        level="commune",
        code="22947",
        parent=district,
        kind="Xã",
        valid_to=LAST_OLD_DAY,
    )
    new_n = make_unit(
        name="Xã Phước Hà",
        level="commune",
        code="22945",
        parent=province,
        kind="Xã",
        valid_from=REFORM_DAY,
    )
    new_m = make_unit(
        name="Xã Thuận Nam",
        level="commune",
        code="22947",
        parent=province,
        kind="Xã",
        valid_from=REFORM_DAY,
    )
    merge = UnitChange.objects.create(
        kind=UnitChange.Kind.MERGE,
        effective_on=REFORM_DAY,
        legal_basis="Nghị quyết số 1676/NQ-UBTVQH15 ngày 16/6/2025",
    )
    UnitLineage.objects.create(change=merge, source=old_a, target=new_n, share=Decimal("1"))
    UnitLineage.objects.create(change=merge, source=old_b, target=new_n, share=Decimal("1"))
    UnitLineage.objects.create(change=merge, source=old_c, target=new_m, share=Decimal("0.6"))
    UnitAttribute.objects.create(
        unit=old_a,
        key="ethnic_minority_area",
        value="true",
        valid_from=dt.date(2021, 6, 4),
        valid_to=LAST_OLD_DAY,
        legal_basis="Quyết định số 861/QĐ-TTg",
    )
    UnitAttribute.objects.create(
        unit=new_n, key="zone", value="III", valid_from=REFORM_DAY, legal_basis="Tạm xác định"
    )
    facility = Facility.objects.create(
        code="TYT-PHUOCHA",
        name="Trạm Y tế xã Phước Hà",
        kind=Facility.Kind.COMMUNE_HEALTH_STATION,
        care_level=Facility.CareLevel.COMMUNE,
        unit=new_n,
        provides_delivery=True,
    )
    health_dept = Agency.objects.create(code="ninh-thuan-so-y-te", name="Sở Y tế", unit=province)
    education_dept = Agency.objects.create(
        code="ninh-thuan-so-gd-dt", name="Sở Giáo dục và Đào tạo", unit=province
    )

    everyone = PopulationGroup.objects.create(
        code="all", name_vi="Toàn bộ", name_en="Everyone", order=0
    )
    minority = PopulationGroup.objects.create(
        code="ethnic_minority",
        name_vi="Trẻ em dân tộc thiểu số",
        name_en="Ethnic-minority children",
        order=1,
    )
    neonatal, neonatal_v = make_indicator(
        code="neonatal_mortality",
        domain="mortality",
        name_vi="Tỷ suất tử vong trẻ sơ sinh",
        name_en="Neonatal mortality rate",
        unit_symbol="‰",
        multiplier=1000,
        direction="lower",
        versions=2,
    )
    u5, u5_v = make_indicator(
        code="u5_mortality",
        domain="mortality",
        name_vi="Tỷ suất tử vong trẻ em dưới 5 tuổi",
        name_en="Under-five mortality rate",
        unit_symbol="‰",
        multiplier=1000,
        direction="lower",
    )
    breastfeeding, breastfeeding_v = make_indicator(
        code="exclusive_breastfeeding_u6m",
        domain="nutrition",
        name_vi="Tỷ lệ trẻ được bú mẹ hoàn toàn trong 6 tháng đầu",
        name_en="Exclusive breastfeeding under 6 months",
        unit_symbol="%",
        multiplier=100,
        direction="higher",
    )

    plan = Plan.objects.create(
        slug="ninh-thuan-kh-1493-2022",
        kind="ke_hoach",
        number="45/KH-UBND",
        title="Triển khai Chương trình “Can thiệp giảm tử vong trẻ em dưới 5 tuổi đến năm 2030”",
        issuer_name="Ủy ban nhân dân tỉnh Ninh Thuận",
        issuer_unit=province,
        scope_unit=province,
        issued_on=dt.date(2022, 1, 14),
        issued_text="Ninh Thuận, ngày 14 tháng 01 năm 2022",
        signer_name="Trần Quốc Nam",
        signer_title="KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        period_start=2022,
        period_end=2030,
        legal_basis=["Quyết định số 1493/QĐ-TTg ngày 10/9/2021 của Thủ tướng Chính phủ"],
        summary="Giảm tử vong trẻ em dưới 5 tuổi trên địa bàn tỉnh.",
        report_deadline_month=12,
        report_deadline_day=10,
        report_deadline_text="Định kỳ hằng năm báo cáo trước ngày 10/12",
        report_recipient="UBND tỉnh (qua Sở Y tế)",
        notes=["Phụ lục không ghi rõ năm cơ sở của chỉ tiêu bú mẹ."],
    )
    objective = Objective.objects.create(
        plan=plan, code="MT1", title="Giảm tử vong trẻ sơ sinh và trẻ em", order=1
    )
    nutrition = Objective.objects.create(
        plan=plan, code="MT2", title="Cải thiện dinh dưỡng trẻ em", order=2
    )

    def target(indicator, version, year, comparator, value, text, part="body", order=0, **extra):
        return Target.objects.create(
            plan=plan,
            objective=extra.pop("objective", objective),
            indicator=indicator,
            indicator_version=version,
            year=year,
            population=extra.pop("population", everyone),
            comparator=comparator,
            value=Decimal(value),
            value_text=text,
            quote=f"… {text} …",
            source_part=part,
            source_ref="I.2.1" if part == "body" else "Phụ lục 1",
            order=order,
            **extra,
        )

    target(neonatal, neonatal_v, 2025, "xuong", "10", "10‰", order=1)
    target(neonatal, neonatal_v, 2030, "xuong", "9", "9‰", order=2)
    target(neonatal, neonatal_v, 2030, "duoi", "9.5", "<9,5", part="annex", order=3)
    target(u5, u5_v, 2025, "duoi", "18.5", "18,5‰", order=4)
    target(u5, u5_v, 2030, "duoi", "22", "22‰", population=minority, order=5)
    target(
        breastfeeding,
        breastfeeding_v,
        2025,
        "tang",
        "15",
        "tăng 15%",
        objective=nutrition,
        order=6,
        baseline_year=2020,
        change_unit="percent",
    )
    Observation.objects.create(
        plan=plan,
        objective=objective,
        indicator=neonatal,
        indicator_version=neonatal_v,
        year=2020,
        population=everyone,
        value=Decimal("11.2"),
        value_text="11,2‰",
        source_part="body",
        kind="baseline",
    )
    Observation.objects.create(
        plan=plan,
        objective=objective,
        indicator=neonatal,
        indicator_version=neonatal_v,
        year=2023,
        population=everyone,
        value=Decimal("10.4"),
        value_text="10,4‰",
        source_part="annex",
        kind="actual",
    )
    BudgetLine.objects.create(
        plan=plan,
        year=2024,
        amount_vnd=378_940_000,
        funding_source="Ngân sách nhà nước",
        item="Kinh phí thực hiện năm 2024",
        order=1,
    )
    Task.objects.create(
        plan=plan,
        agency=health_dept,
        role="lead",
        description="Chủ trì, hướng dẫn các đơn vị triển khai kế hoạch.",
        source_ref="IV.1",
        order=1,
    )
    Task.objects.create(
        plan=plan,
        agency=education_dept,
        role="support",
        description="Lồng ghép giáo dục dinh dưỡng trong trường học.",
        source_ref="IV.2",
        order=2,
    )

    other_plan = Plan.objects.create(
        slug="khanh-hoa-kh-dinh-duong-2023",
        kind="ke_hoach",
        number="12/KH-UBND",
        title="Kế hoạch dinh dưỡng tỉnh Khánh Hòa",
        issuer_name="Ủy ban nhân dân tỉnh Khánh Hòa",
        issuer_unit=other_province,
        scope_unit=other_province,
        period_start=2023,
        period_end=2030,
    )

    def user(username: str, role: str, units: list[OrgUnit], **extra) -> User:
        return user_create(
            username=username,
            password=PASSWORD,
            role=role,
            units=units,
            full_name=extra.pop("full_name", "Nguyễn Thị Lan"),
            validate=False,
            **extra,
        )

    return World(
        province=province,
        other_province=other_province,
        district=district,
        old_a=old_a,
        old_b=old_b,
        old_c=old_c,
        new_n=new_n,
        new_m=new_m,
        facility=facility,
        health_dept=health_dept,
        education_dept=education_dept,
        plan=plan,
        other_plan=other_plan,
        officer=user("canbo.tinh", Role.PROVINCE_OFFICER, [province]),
        leader=user("lanhdao", Role.LEADER, [province]),
        department=user("so.gddt", Role.DEPARTMENT, [province], agency=education_dept),
        commune_n=user("tram.phuocha", Role.COMMUNE_STAFF, [new_n], facility=facility),
        commune_m=user("tram.thuannam", Role.COMMUNE_STAFF, [new_m]),
    )
