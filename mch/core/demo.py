"""Set-up of a working system: reference data, the five plans and demo users.

Everything here is idempotent: running the set-up again on the same database changes
nothing and creates no duplicates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from mch.accounts.models import Role, User
from mch.accounts.services import user_create
from mch.orgunits.models import Agency, Facility, OrgUnit

Progress = Callable[[str], None]

DEMO_PASSWORD = "demo-MCH-2026"  # noqa: S105 - published demo password, demo data only
REFORM_DAY = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    level: str
    code: str
    agency: str = ""
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "quantri", "Quản trị hệ thống", Role.PROVINCE_OFFICER, "country", "VN", superuser=True
    ),
    DemoUser("sokhanhhoa", "Nguyễn Thị Hoa", Role.PROVINCE_OFFICER, "province", "56"),
    DemoUser("sobacninh", "Trần Văn Bắc", Role.PROVINCE_OFFICER, "province", "24"),
    DemoUser("solaocai", "Lò Thị Mai", Role.PROVINCE_OFFICER, "province", "15"),
    DemoUser("solamdong", "Phạm Minh Đức", Role.PROVINCE_OFFICER, "province", "68"),
    DemoUser("tram.phanrang", "Lê Thị Lan", Role.COMMUNE_STAFF, "commune", "22759"),
    DemoUser("tram.bacai", "Pi Năng Thị Hường", Role.COMMUNE_STAFF, "commune", "22795"),
    DemoUser("benhvien.khanhhoa", "Võ Văn Sơn", Role.HOSPITAL_STAFF, "province", "56"),
    DemoUser(
        "taichinh.bacgiang",
        "Hoàng Thị Thu",
        Role.DEPARTMENT,
        "province",
        "24",
        agency="bac-giang-so-tai-chinh",
    ),
    DemoUser("lanhdao.khanhhoa", "Đỗ Quang Vinh", Role.LEADER, "province", "56"),
)


def _unit(level: str, code: str) -> OrgUnit:
    return OrgUnit.objects.filter(level=level, code=code).valid_on(REFORM_DAY).get()


@transaction.atomic
def demo_users_create(*, password: str = DEMO_PASSWORD) -> list[User]:
    users = []
    for spec in DEMO_USERS:
        existing = User.objects.filter(username=spec.username).first()
        if existing is not None:
            users.append(existing)
            continue
        unit = _unit(spec.level, spec.code)
        agency = Agency.objects.filter(code=spec.agency).first() if spec.agency else None
        facility = (
            Facility.objects.filter(unit__path__startswith=unit.path, kind="provincial_hospital")
            .order_by("code")
            .first()
            if spec.role == Role.HOSPITAL_STAFF
            else None
        )
        user = user_create(
            username=spec.username,
            password=password,
            role=spec.role,
            units=[unit],
            full_name=spec.full_name,
            agency=agency,
            facility=facility,
            validate=False,
        )
        if spec.superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        users.append(user)
    return users


def demo_setup(*, progress: Progress | None = None) -> None:
    """Reference units, demo facilities and classifications, catalogue, immunisation
    schedule, plans, users and a small generated set of registers."""
    from mch.immunisation.services import schedule_load
    from mch.indicators.adapter.aggregates import aggregates_rebuild
    from mch.indicators.services import catalogue_load
    from mch.orgunits.demo import load_demo_facilities_and_attributes
    from mch.orgunits.reference import load_reference_units
    from mch.plans.services import plans_load_sources
    from mch.registers.synthetic.demo import demo_registers_load

    say = progress or (lambda message: None)
    say("Đơn vị hành chính (trước và sau 01/07/2025)…")
    load_reference_units(progress=say)
    say("Cơ sở y tế và phân loại xã (dữ liệu minh họa)…")
    load_demo_facilities_and_attributes()
    say("Danh mục chỉ số…")
    catalogue_load()
    say("Lịch tiêm chủng mở rộng…")
    schedule_load()
    say("Năm kế hoạch nguồn…")
    plans_load_sources(progress=say)
    say("Người dùng minh họa…")
    demo_users_create()
    say("Sổ đăng ký minh họa (dữ liệu tổng hợp, vài xã của Khánh Hòa)…")
    demo_registers_load(progress=say)
    say("Ô tổng hợp chỉ số (tính từ sổ)…")
    aggregates_rebuild()
    # After the cells: Lào Cai's mortality layer has no antenatal or postnatal care, its
    # coverage cells would read 0% (mch/registers/synthetic/mpdsr.py).
    from mch.registers.synthetic.mpdsr import mpdsr_demo_load

    say("Giám sát tử vong mẹ, chu sinh và báo động đỏ (dữ liệu tổng hợp)…")
    mpdsr_demo_load(progress=say)
    say("Báo cáo định kỳ minh họa…")
    from mch.aggregate_data.demo import demo_reports_load
    from mch.aggregate_data.services import definitions_load

    definitions_load()
    demo_reports_load()
    from mch.aggregate_data.demo_plans import demo_plan_reports_load  # the seed plans

    say(
        "Báo cáo định kỳ của các kế hoạch Bắc Giang, Bình Thuận, Lào Cai: "
        f"{demo_plan_reports_load()} báo cáo mới."
    )
    from mch.reported_values.demo import demo_reported_values_load

    demo_reported_values_load(progress=say)
