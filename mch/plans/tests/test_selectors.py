import datetime as dt

import pytest
from django.http import Http404

from mch.accounts.models import Role
from mch.accounts.services import user_create
from mch.core.testing import make_unit
from mch.orgunits.models import Agency
from mch.plans.selectors import plan_get, plan_list, plan_tasks
from mch.plans.services import plan_import

from .test_services import GOOD


@pytest.fixture
def world(plan_world):
    commune = make_unit(
        code="22900", name="Xã Phước Hà", level="commune", parent=plan_world["province"]
    )
    other_province = make_unit(
        code="56",
        name="Tỉnh Khánh Hòa",
        level="province",
        parent=plan_world["country"],
        valid_to=dt.date(2025, 6, 30),
    )
    plan = plan_import(content=GOOD)
    return {**plan_world, "commune": commune, "other": other_province, "plan": plan}


def _user(name, role, unit, **kw):
    return user_create(username=name, password="x", role=role, units=[unit], validate=False, **kw)


def test_commune_staff_read_their_province_plan(world) -> None:
    user = _user("xa", Role.COMMUNE_STAFF, world["commune"])

    assert list(plan_list(user=user)) == [world["plan"]]


def test_another_province_cannot_open_the_plan(world) -> None:
    user = _user("kh", Role.PROVINCE_OFFICER, world["other"])

    assert not plan_list(user=user).exists()
    with pytest.raises(Http404):
        plan_get(user=user, slug="test-plan")


def test_department_user_sees_only_their_agency_tasks(world) -> None:
    finance = Agency.objects.create(
        code="nt-so-tai-chinh", name="Sở Tài chính", unit=world["province"]
    )
    health = Agency.objects.get(code="nt-so-y-te")
    world["plan"].tasks.create(agency=finance, description="Bố trí kinh phí.")
    user = _user("tc", Role.DEPARTMENT, world["province"], agency=finance)
    officer = _user("yt", Role.PROVINCE_OFFICER, world["province"])

    assert [t.agency for t in plan_tasks(user=user, plan=world["plan"])] == [finance]
    assert {t.agency for t in plan_tasks(user=officer, plan=world["plan"])} == {finance, health}
