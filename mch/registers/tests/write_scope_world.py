"""One shared world for the write-scope tests: two communes of a province, one commune of
another province, the same records in each, and a user of every role.

Built once per test module (``world`` fixture in test_write_scope.py) inside a transaction
that is rolled back at the end; each test runs in a savepoint of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mch.accounts.models import Role, User
from mch.accounts.services import user_create
from mch.core.testing import make_unit
from mch.orgunits.models import Facility, OrgUnit
from mch.registers import services
from mch.registers.models import (
    CheckUp,
    Death,
    Delivery,
    GrowthMeasurement,
    Illness,
    Immunisation,
    Person,
    PostnatalContact,
    Pregnancy,
)
from mch.registers.testing import PASSWORD, TODAY, build_register_world

D = dt.date


@dataclass
class Place:
    """The same records in one commune (external ids start with ``tag``)."""

    tag: str
    commune: OrgUnit
    station: Facility
    woman: Person  # an open pregnancy with a visit
    pregnancy: Pregnancy
    visit: object
    mother: Person  # delivered, with a postnatal contact
    delivery: Delivery
    contact: PostnatalContact
    child: Person  # the mother's baby, with a check-up, growth, a dose, an illness
    checkup: CheckUp
    growth: GrowthMeasurement
    dose: Immunisation
    illness: Illness
    single: Person  # a woman with no pregnancy
    dead: Person
    death: Death
    keep: Person  # two registrations of one woman (to merge)
    duplicate: Person


@dataclass
class World:
    users: dict[str, User]
    home: Place  # the commune of the station user (in every writer's units)
    near: Place  # another commune of the same province
    far: Place  # a commune of another province
    hospital: Facility

    def outside(self, role: str) -> Place:
        """A commune outside the role's units: the next commune for a station, another
        province for province-wide roles."""
        return self.near if role == "staff" else self.far


ROLES = ("officer", "staff", "hospital", "department", "leader")
WRITERS = ("officer", "staff", "hospital")


def _external_ids(tag: str, **records: object) -> None:
    for name, record in records.items():
        type(record).objects.filter(pk=record.pk).update(external_id=f"{tag}-{name}")  # type: ignore[attr-defined]
        record.external_id = f"{tag}-{name}"  # type: ignore[attr-defined]


def _place(tag: str, commune: OrgUnit, station: Facility) -> Place:
    def person(name: str, sex: str, born: dt.date) -> Person:
        return services.person_register(
            user=None,
            full_name=name,
            sex=sex,
            birth_date=born,
            residence_unit=commune,
            village="Thôn 1",
            allow_likely_duplicate=True,
            today=TODAY,
        )

    at = {"facility": station, "today": TODAY}
    woman = person("Nguyễn Thị Mang", "F", D(1995, 5, 5))
    pregnancy = services.pregnancy_register(
        user=None, person=woman, date=D(2026, 4, 1), lmp=D(2026, 2, 20), **at
    )
    visit = services.antenatal_visit_record(
        user=None, pregnancy=pregnancy, date=D(2026, 5, 1), **at
    )
    mother = person("Trần Thị Sinh", "F", D(1996, 6, 6))
    services.pregnancy_register(
        user=None, person=mother, date=D(2026, 2, 10), lmp=D(2026, 1, 5), **at
    )
    delivery = services.delivery_record(
        user=None,
        person=mother,
        date=D(2026, 10, 1),
        place="facility",
        attendant="midwife",
        babies=[services.BirthInput(sex="M", birth_weight_g=3100)],
        **at,
    )
    contact = services.postnatal_contact_record(
        user=None, delivery=delivery, person=mother, date=D(2026, 10, 3), place="home", **at
    )
    child = delivery.births.get().person
    assert child is not None
    checkup = services.checkup_record(user=None, person=child, date=D(2026, 11, 1), **at)
    growth = services.measurement_record(
        user=None, person=child, date=D(2026, 11, 1), weight_kg=4.2, length_cm=54, **at
    )
    dose = services.dose_record(
        user=None, person=child, antigen="bcg", dose=1, date=D(2026, 10, 2), **at
    )
    illness = services.illness_record(
        user=None, person=child, date=D(2026, 11, 5), kind="diarrhoea", **at
    )
    single = person("Lê Thị Đơn", "F", D(1990, 1, 1))
    dead = person("Phạm Văn Mất", "M", D(2025, 1, 1))
    death = services.death_record(
        user=None, person=dead, date=D(2026, 3, 1), place="home", today=TODAY
    )
    keep = person("Võ Thị Trùng", "F", D(1992, 2, 2))
    duplicate = person("Võ Thị Trùng", "F", D(1992, 2, 2))
    _external_ids(
        tag,
        woman=woman,
        mother=mother,
        child=child,
        single=single,
        dead=dead,
        pregnancy=pregnancy,
        delivery=delivery,
    )
    return Place(
        tag,
        commune,
        station,
        woman,
        pregnancy,
        visit,
        mother,
        delivery,
        contact,
        child,
        checkup,
        growth,
        dose,
        illness,
        single,
        dead,
        death,
        keep,
        duplicate,
    )


def _station(code: str, commune: OrgUnit) -> Facility:
    return Facility.objects.create(
        code=code,
        name=f"Trạm Y tế {commune.name}",
        kind="commune_health_station",
        care_level="commune",
        unit=commune,
        provides_delivery=True,
    )


def build_world() -> World:
    rw = build_register_world()
    other_province = make_unit(
        code="58",
        name="Tỉnh Gia Lai",
        level="province",
        parent=rw.province.parent,
        valid_from=D(2025, 7, 1),
    )
    far = make_unit(
        code="23500",
        name="Xã Ia Grai",
        level="commune",
        parent=other_province,
        valid_from=D(2025, 7, 1),
    )

    def user(name: str, role: str, **extra: object) -> User:
        return user_create(
            username=name,
            password=PASSWORD,
            role=role,
            units=[rw.province],
            full_name=name,
            validate=False,
            **extra,  # type: ignore[arg-type]
        )

    users = {
        "officer": rw.officer,
        "staff": rw.staff,
        "hospital": user("benhvien", Role.HOSPITAL_STAFF, facility=rw.hospital),
        "department": user("taichinh", Role.DEPARTMENT),
        "leader": rw.leader,
    }
    return World(
        users=users,
        home=_place("A1", rw.commune, rw.station),
        near=_place("A2", rw.other_commune, rw.other_station),
        far=_place("B1", far, _station("TYT-23500", far)),
        hospital=rw.hospital,
    )
