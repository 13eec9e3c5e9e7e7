"""The probes of a careful attacker, each answered with a 400 and a Vietnamese message:
a non-numeric filter, a date in year 9999, a JSON body nested thousands deep, a negative
page size; and the unit search that used to be ignored."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from mch.core.parsers import json_depth
from mch.registers import services
from mch.registers.bundle.values import BadValue, parse_date
from mch.registers.models import Person, Pregnancy
from mch.registers.testing import TODAY, RegisterWorld, build_register_world
from mch.web.forms.fields import DayField

RANGE_VI = "Ngày phải nằm trong khoảng từ 01/01/1900 đến 31/12/2100."


@pytest.fixture
def rw(db) -> RegisterWorld:
    return build_register_world()


@pytest.fixture
def woman(rw: RegisterWorld) -> Person:
    return services.person_register(
        user=rw.staff,
        full_name="Hà Thị Sen",
        sex="F",
        birth_date=dt.date(1996, 1, 2),
        residence_unit=rw.commune,
        today=TODAY,
    )


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_non_numeric_commune_in_an_export_is_a_clear_400(rw: RegisterWorld) -> None:
    response = _client(rw.staff).get("/so/xuat/nguoi.csv", {"xa": "abc"})
    assert response.status_code == 400
    assert "Xã/phường (tham số xa) phải được ghi bằng mã số." in response.content.decode()


@pytest.mark.parametrize("field", ["lmp", "edd", "date"])
def test_a_pregnancy_dated_in_year_9999_is_refused(rw, woman, field) -> None:  # type: ignore[no-untyped-def]
    data = {"person": woman.pk, "date": "2026-11-01", "lmp": "2026-09-01", field: "9999-12-01"}
    response = _client(rw.staff).post(
        "/api/registers/pregnancies/", data, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"field": field, "code": "date_range", "message": RANGE_VI}]
    }
    assert not Pregnancy.objects.exists()


def test_a_day_outside_1900_to_2100_is_refused_by_forms_and_the_importer() -> None:
    field = DayField()
    with pytest.raises(Exception, match="01/01/1900"):
        field.clean("31/12/9999")
    assert field.clean("31/12/2100") == dt.date(2100, 12, 31)
    for text in ("31/12/9999", "0025-01-01", "01/01/1899"):
        with pytest.raises(BadValue, match="01/01/1900"):
            parse_date(text)
    assert parse_date("01/01/1900") == dt.date(1900, 1, 1)


@pytest.mark.parametrize(
    "body",
    ["[" * 5000 + "]" * 5000, '{"a":' * 2000 + "1" + "}" * 2000],
    ids=["arrays", "objects"],
)
def test_json_nested_thousands_deep_is_refused_before_parsing(rw, body) -> None:  # type: ignore[no-untyped-def]
    response = _client(rw.staff).post(
        "/api/registers/people/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "lồng nhau sâu hơn 32 cấp" in response.content.decode()
    assert not Person.objects.exists()


def test_a_json_body_over_a_megabyte_is_refused(rw: RegisterWorld) -> None:
    body = json.dumps({"full_name": "x" * (1024 * 1024)})
    response = _client(rw.staff).post(
        "/api/registers/people/", body, content_type="application/json"
    )
    assert response.status_code == 413  # Payload Too Large
    assert "lớn hơn 1024 KB" in response.content.decode()


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert json_depth(b'{"a": "[[[[{{{{", "b": [1, {"c": "\\"]]]"}]}') == 3
    assert json_depth(b"42") == 0


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/api/registers/people/", "page_size", "-5"),
        ("/api/registers/people/", "page_size", "501"),
        ("/api/registers/pregnancies/", "page", "abc"),
        ("/api/units/", "limit", "-5"),
        ("/api/units/", "offset", "x"),
    ],
)
def test_a_page_size_that_cannot_be_used_is_a_400_naming_it(rw, path, name, value) -> None:  # type: ignore[no-untyped-def]
    response = _client(rw.officer).get(path, {name: value})
    assert response.status_code == 400
    assert name in response.content.decode()
    assert "Phải là một số nguyên" in response.content.decode()


def test_units_are_found_by_name_without_diacritics_or_by_code(rw: RegisterWorld) -> None:
    client = _client(rw.officer)
    by_name = client.get("/api/units/", {"search": "hoa binh"}).json()["results"]
    by_code = client.get("/api/units/", {"search": "2275"}).json()["results"]
    assert [u["name"] for u in by_name] == ["Xã Hòa Bình"]
    assert [u["name"] for u in by_code] == ["Phường Đông Hải"]
