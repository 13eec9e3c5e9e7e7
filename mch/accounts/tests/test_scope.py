import datetime as dt

import pytest

from mch.accounts.models import Role
from mch.accounts.scope import Scope
from mch.accounts.services import user_create
from mch.core.testing import make_unit
from mch.orgunits.models import OrgUnit, UnitChange, UnitLineage

REFORM = dt.date(2025, 7, 1)
BEFORE = dt.date(2025, 6, 30)


@pytest.fixture
def units(db):
    vn = make_unit(code="VN", name="Việt Nam", level="country")
    old_bg = make_unit(
        code="24", name="Tỉnh Bắc Giang", level="province", parent=vn, valid_to=BEFORE
    )
    old_bn = make_unit(
        code="27", name="Tỉnh Bắc Ninh", level="province", parent=vn, valid_to=BEFORE
    )
    new_bn = make_unit(
        code="24", name="Tỉnh Bắc Ninh", level="province", parent=vn, valid_from=REFORM
    )
    district = make_unit(
        code="213", name="Huyện Lục Ngạn", level="district", parent=old_bg, valid_to=BEFORE
    )
    old_a = make_unit(
        code="07300", name="Xã A cũ", level="commune", parent=district, valid_to=BEFORE
    )
    old_b = make_unit(
        code="07301", name="Xã B cũ", level="commune", parent=district, valid_to=BEFORE
    )
    new_a = make_unit(code="07300", name="Xã A", level="commune", parent=new_bn, valid_from=REFORM)
    new_c = make_unit(code="07400", name="Xã C", level="commune", parent=new_bn, valid_from=REFORM)
    change = UnitChange.objects.create(kind="merge", effective_on=REFORM)
    for source, target in [(old_bg, new_bn), (old_bn, new_bn), (old_a, new_a), (old_b, new_a)]:
        UnitLineage.objects.create(change=change, source=source, target=target, share=1)
    return {k: v for k, v in locals().items() if isinstance(v, OrgUnit)}


def _user(name: str, role: str, *assigned: OrgUnit):
    return user_create(username=name, password="x", role=role, units=assigned, validate=False)


def test_commune_user_sees_own_commune_and_the_old_communes_merged_into_it(units) -> None:
    user = _user("xa.a", Role.COMMUNE_STAFF, units["new_a"])

    visible = set(Scope.for_user(user).filter(OrgUnit.objects.all()))

    assert visible == {units["new_a"], units["old_a"], units["old_b"]}


def test_commune_user_never_sees_a_neighbouring_commune(units) -> None:
    scope = Scope.for_user(_user("xa.a", Role.COMMUNE_STAFF, units["new_a"]))

    assert not scope.contains(units["new_c"])
    assert not scope.contains(units["new_bn"])


def test_province_user_of_a_merged_province_sees_both_old_provinces(units) -> None:
    scope = Scope.for_user(_user("tinh", Role.PROVINCE_OFFICER, units["new_bn"]))

    visible = set(scope.filter(OrgUnit.objects.all()))

    assert {units["old_bg"], units["old_bn"], units["district"], units["new_c"]} <= visible
    assert units["vn"] not in visible


def test_units_above_are_context_not_content(units) -> None:
    scope = Scope.for_user(_user("xa.a", Role.COMMUNE_STAFF, units["new_a"]))

    assert scope.sees_context_of(units["new_bn"])
    assert scope.sees_context_of(units["old_bg"])
    assert not scope.sees_context_of(units["new_c"])


def test_user_without_units_sees_nothing_and_superuser_everything(units) -> None:
    nobody = _user("nobody", Role.LEADER)
    root = _user("root", Role.LEADER)
    root.is_superuser = True

    assert not Scope.for_user(nobody).filter(OrgUnit.objects.all()).exists()
    assert Scope.for_user(root).filter(OrgUnit.objects.all()).count() == OrgUnit.objects.count()


def test_nested_assignments_collapse_to_the_outer_unit(units) -> None:
    scope = Scope.for_user(_user("two", Role.PROVINCE_OFFICER, units["new_bn"], units["new_a"]))

    assert units["new_a"].path not in scope.paths
    assert units["new_bn"].path in scope.paths
