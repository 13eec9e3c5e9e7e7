"""Malformed query strings and form values on the main pages: never a server error.

Each page is asked with every parameter it reads set, one at a time, to a non-numeric id,
a huge number, a negative one, an impossible or far-away date, empty text and unicode."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from mch.indicators.tests.test_values_api import records_write
from mch.plans.models import Plan
from mch.registers import services
from mch.registers.models import Person, Pregnancy
from mch.registers.testing import TODAY, RegisterWorld, build_register_world

BAD_VALUES = [
    "abc",
    "99999999999999999999999",
    "-5",
    "",
    "9999-12-31",
    "31/12/9999",
    "0001-01-01",
    "32/13/2026",
    "Hòa Bình ✓",
    "\u0000",
]


@pytest.fixture
def world(db) -> RegisterWorld:
    rw = build_register_world()
    records_write(rw)
    mother = Person.objects.filter(residence_unit=rw.commune, birth_date__year=1995).first()
    assert mother is not None
    services.pregnancy_register(
        user=rw.staff,
        person=mother,
        date=TODAY - dt.timedelta(days=30),
        lmp=TODAY - dt.timedelta(days=90),
        today=TODAY,
    )
    Plan.objects.create(
        slug="khanh-hoa-thu",
        kind="ke_hoach",
        number="12/KH-UBND",
        title="Kế hoạch thử",
        issuer_name="UBND tỉnh",
        issuer_unit=rw.province,
        scope_unit=rw.province,
        period_start=2024,
        period_end=2030,
    )
    return rw


def _pages(rw: RegisterWorld) -> list[tuple[str, list[str]]]:
    person = Person.objects.filter(residence_unit=rw.commune).first()
    assert person is not None
    return [
        ("/don-vi/", ["on"]),
        (f"/don-vi/{rw.commune.pk}/", ["on"]),
        (f"/don-vi/{rw.province.pk}/con/", ["on"]),
        ("/ke-hoach/", ["page", "trang"]),
        ("/ke-hoach/khanh-hoa-thu/", ["nam"]),
        ("/ke-hoach/khanh-hoa-thu/bang-diem/", ["nam", "xuat", "don-vi"]),
        ("/chi-so/", ["domain", "q", "page"]),
        ("/chi-so/facility_birth/", ["don-vi", "nam"]),
        ("/nguoi/", ["q", "nhom", "thon", "xa", "trang"]),
        ("/nguoi/them/", ["me"]),
        (f"/nguoi/{person.pk}/", ["tab"]),
        ("/so/viec-can-lam/", ["on", "unit"]),
        ("/so/viec-can-lam/tiem-chung/", ["on", "unit", "village", "horizon", "status", "page"]),
        ("/so/viec-can-lam/kham-thai/in/", ["on", "unit", "horizon"]),
        ("/so/viec-can-lam/tiem-chung/xuat.csv", ["on", "unit", "horizon", "status"]),
        ("/so/xuat/nguoi.csv", ["xa", "tu", "den"]),
        ("/so/xuat/tat-ca.xlsx", ["xa", "tu", "den"]),
        ("/so/thai-ky/", ["xa", "tu", "den", "trang"]),
        ("/so/tre-sinh/", ["xa", "tu"]),
        ("/so/tuoi-thai/", ["lmp", "edd", "date", "thai_ky"]),
        ("/so/thai-ky/them/", ["nguoi"]),
        ("/so/kham-thai/them/", ["nguoi", "thai_ky"]),
        ("/so/de/them/", ["nguoi", "thai_ky"]),
        ("/so/de/them-tre/", ["n"]),
        ("/so/tiem-chung/them/", ["nguoi", "vac", "mui"]),
        ("/so/can-do/them/", ["nguoi"]),
    ]


def test_no_page_answers_a_malformed_parameter_with_a_server_error(world: RegisterWorld) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.staff, backend="django.contrib.auth.backends.ModelBackend")
    failures = [
        (path, name, value, response.status_code)
        for path, names in _pages(world)
        for name in names
        for value in BAD_VALUES
        if (response := client.get(path, {name: value})).status_code >= 500
    ]
    assert failures == []


def test_no_form_answers_malformed_values_with_a_server_error(world: RegisterWorld) -> None:
    """Every field of each form set to the same malformed value, one value at a time."""
    client = Client(raise_request_exception=False)
    client.force_login(world.staff, backend="django.contrib.auth.backends.ModelBackend")
    woman = Person.objects.filter(residence_unit=world.commune, birth_date__year=1995).first()
    assert woman is not None
    pregnancy = Pregnancy.objects.get(person=woman)
    child = Person.objects.filter(residence_unit=world.commune, birth_date__year__gte=2024).first()
    assert child is not None
    forms = [
        "/nguoi/them/",
        f"/nguoi/{woman.pk}/sua/",
        f"/nguoi/{woman.pk}/chuyen/",
        f"/so/thai-ky/them/?nguoi={woman.pk}",
        f"/so/kham-thai/them/?nguoi={woman.pk}&thai_ky={pregnancy.pk}",
        f"/so/de/them/?nguoi={woman.pk}",
        f"/so/can-do/them/?nguoi={child.pk}",
        f"/so/tiem-chung/them/?nguoi={child.pk}",
        f"/so/benh/them/?nguoi={child.pk}",
    ]
    failures = []
    for url in forms:
        page = client.get(url)
        assert page.status_code == 200, url
        names = list(page.context["form"].fields)
        for value in BAD_VALUES:
            response = client.post(url, dict.fromkeys(names, value))
            if response.status_code >= 500:
                failures.append((url, value, response.status_code))
    assert failures == []
