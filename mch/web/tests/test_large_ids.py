"""Ids above 999 must not get a thousands separator in links and form values (the
interface formats numbers the Vietnamese way, 1.234)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from mch.registers import services
from mch.registers.models import Person, Pregnancy
from mch.registers.testing import TODAY, build_register_world


@pytest.fixture
def rw(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_register_world()


def _start_ids_at(model, first: int) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {first})")
        else:
            # sqlite_sequence has no key on name: update the row, or add it when the
            # table never had one.
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [first, table])
            if cursor.rowcount == 0:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first]
                )


def test_links_carry_plain_ids(rw, client) -> None:
    _start_ids_at(Person, 12344)
    _start_ids_at(Pregnancy, 4566)
    woman = services.person_register(
        user=rw.staff,
        full_name="Hà Thị Sen",
        sex="F",
        birth_date=dt.date(1996, 1, 2),
        residence_unit=rw.commune,
        today=TODAY,
    )
    pregnancy = services.pregnancy_register(
        user=rw.staff, person=woman, date=dt.date(2026, 9, 1), lmp=dt.date(2026, 7, 1), today=TODAY
    )
    assert (woman.pk, pregnancy.pk) == (12345, 4567)
    client.force_login(rw.staff)
    page = client.get(reverse("person-detail", args=[woman.pk])).content.decode()
    assert "thai_ky=4567" in page and "#12345" in page
    assert "12.345" not in page and "4.567" not in page
