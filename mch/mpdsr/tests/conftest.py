from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from mch.accounts.models import Role, User
from mch.accounts.services import user_create
from mch.registers import services as reg
from mch.registers.models import Death, Person
from mch.registers.testing import PASSWORD, RegisterWorld, build_register_world

from ..models import BoardMember

TODAY = dt.date(2026, 11, 20)


@dataclass
class MpdsrWorld:
    rw: RegisterWorld
    board: User  # province officer on the board
    officer: User  # province officer not on the board
    hospital_user: User
    woman: Person
    death: Death | None  # None: a pregnant woman whose death the test records


def woman(rw: RegisterWorld, name: str, born: dt.date, unit=None) -> Person:
    return reg.person_register(
        user=rw.officer,
        full_name=name,
        sex="F",
        birth_date=born,
        residence_unit=unit or rw.commune,
        today=TODAY,
    )


def pregnant(rw: RegisterWorld, person: Person, day: dt.date) -> None:
    """An ongoing pregnancy of about 28 weeks on ``day``."""
    reg.pregnancy_register(
        user=rw.officer,
        person=person,
        date=day - dt.timedelta(days=150),
        lmp=day - dt.timedelta(days=200),
        today=TODAY,
    )


def maternal_death(rw: RegisterWorld, person: Person, day: dt.date, facility=None) -> Death:
    pregnant(rw, person, day)
    return reg.death_record(
        user=rw.officer,
        person=person,
        date=day,
        place="facility",
        cause_group="haemorrhage",
        maternal_cause="direct",
        pregnancy_related=True,
        facility=facility or rw.hospital,
        service_unit=(facility or rw.hospital).unit,
        today=TODAY,
    )


@pytest.fixture(autouse=True)
def _fast_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mw(db) -> MpdsrWorld:
    return build_mpdsr_world()


def build_mpdsr_world(*, death: bool = True) -> MpdsrWorld:
    rw = build_register_world()
    board = user_create(
        username="hoidong",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        units=[rw.province],
        full_name="Bác sĩ Trần Hội",
        validate=False,
    )
    BoardMember.objects.create(province=rw.province, user=board, role="lead_obstetrician")
    hospital_user = user_create(
        username="benhvien",
        password=PASSWORD,
        role=Role.HOSPITAL_STAFF,
        units=[rw.province],
        full_name="Bệnh viện",
        facility=rw.hospital,
        validate=False,
    )
    person = woman(rw, "Hà Thị Mơ", dt.date(1996, 3, 2))
    if not death:
        pregnant(rw, person, dt.date(2026, 2, 14))
        return MpdsrWorld(rw, board, rw.officer, hospital_user, person, None)
    recorded = maternal_death(rw, person, dt.date(2026, 2, 14))
    return MpdsrWorld(rw, board, rw.officer, hospital_user, person, recorded)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
