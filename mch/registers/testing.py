"""A small province for register tests: two communes, a station each, a user per role,
and the default immunisation schedule. Shared by the tests of registers, web and API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mch.accounts.models import Role, User
from mch.accounts.services import user_create
from mch.core.testing import make_unit
from mch.orgunits.models import Facility, OrgUnit, UnitAttribute

PASSWORD = "Mat-khau-thu-2025!"  # noqa: S105 - test fixtures only
TODAY = dt.date(2026, 11, 20)


@dataclass
class RegisterWorld:
    province: OrgUnit
    commune: OrgUnit  # Xã Hòa Bình: ethnic-minority area, zone III
    other_commune: OrgUnit  # Phường Đông Hải
    station: Facility
    other_station: Facility
    hospital: Facility
    officer: User
    staff: User
    other_staff: User
    leader: User


def build_register_world() -> RegisterWorld:
    country = make_unit(code="VN", name="Việt Nam", level="country")
    province = make_unit(
        code="56",
        name="Tỉnh Khánh Hòa",
        level="province",
        parent=country,
        valid_from=dt.date(2025, 7, 1),
    )
    commune = make_unit(
        code="22795",
        name="Xã Hòa Bình",
        level="commune",
        parent=province,
        valid_from=dt.date(2025, 7, 1),
    )
    other = make_unit(
        code="22759",
        name="Phường Đông Hải",
        level="commune",
        parent=province,
        valid_from=dt.date(2025, 7, 1),
    )
    UnitAttribute.objects.create(unit=commune, key="ethnic_minority_area", value="true")
    UnitAttribute.objects.create(unit=commune, key="zone", value="III")
    station = Facility.objects.create(
        code="TYT-22795",
        name="Trạm Y tế xã Hòa Bình",
        kind="commune_health_station",
        care_level="commune",
        unit=commune,
        provides_delivery=True,
    )
    other_station = Facility.objects.create(
        code="TYT-22759",
        name="Trạm Y tế phường Đông Hải",
        kind="commune_health_station",
        care_level="commune",
        unit=other,
        provides_delivery=True,
    )
    hospital = Facility.objects.create(
        code="BV-56",
        name="Bệnh viện Đa khoa tỉnh",
        kind="provincial_hospital",
        care_level="province",
        unit=province,
        provides_delivery=True,
    )

    def user(name: str, role: str, unit: OrgUnit) -> User:
        return user_create(
            username=name,
            password=PASSWORD,
            role=role,
            units=[unit],
            full_name=name,
            validate=False,
        )

    world = RegisterWorld(
        province=province,
        commune=commune,
        other_commune=other,
        station=station,
        other_station=other_station,
        hospital=hospital,
        officer=user("so", Role.PROVINCE_OFFICER, province),
        staff=user("tram", Role.COMMUNE_STAFF, commune),
        other_staff=user("tram2", Role.COMMUNE_STAFF, other),
        leader=user("lanhdao", Role.LEADER, province),
    )
    _schedule_load()
    return world


def _schedule_load() -> None:
    try:
        from mch.immunisation.services import schedule_load
    except ImportError:  # the schedule app is optional for tests that need no doses
        return
    schedule_load()
