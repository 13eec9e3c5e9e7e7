from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from mch.accounts.models import Role, User
from mch.accounts.services import user_create
from mch.indicators.models import Indicator, PopulationGroup
from mch.indicators.services import catalogue_load
from mch.plans.models import Plan, Target
from mch.registers.testing import PASSWORD, RegisterWorld, build_register_world

YEAR = 2025
AS_OF = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)


@dataclass
class World:
    rw: RegisterWorld
    plan: Plan
    hospital_user: User


@pytest.fixture(autouse=True)
def _fast_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def target(plan: Plan, code: str, value: str, order: int, year: int = YEAR) -> Target:
    indicator = Indicator.objects.get(code=code)
    return Target.objects.create(
        plan=plan,
        indicator=indicator,
        indicator_version=indicator.versions.order_by("-version").first(),
        year=year,
        population=PopulationGroup.objects.get(code="all"),
        comparator="dat",
        value=Decimal(value),
        value_text=f"{value}%",
        source_part="body",
        order=order,
    )


def build_world() -> World:
    rw = build_register_world()
    catalogue_load()
    plan = Plan.objects.create(
        slug="kh-nguon-khac",
        kind="ke_hoach",
        title="Kế hoạch thử số liệu điều tra và báo cáo",
        issuer_name="UBND tỉnh",
        issuer_unit=rw.province,
        scope_unit=rw.province,
        period_start=2024,
        period_end=2026,
    )
    target(plan, "policy_goal_in_sep", "100", 1)
    target(plan, "caregiver_newborn_danger_signs", "70", 2)
    target(plan, "hospital_obgyn_paed_staffing_standard", "100", 3)
    hospital_user = user_create(
        username="benhvien",
        password=PASSWORD,
        role=Role.HOSPITAL_STAFF,
        units=[rw.province],
        full_name="Bác sĩ bệnh viện",
        facility=rw.hospital,
        validate=False,
    )
    return World(rw, plan, hospital_user)


@pytest.fixture
def world(db) -> World:
    return build_world()
