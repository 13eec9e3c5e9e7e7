"""GET /api/indicators/values/ and ``mch indicators``: the values equal a count over the
records the test writes (not through the engine), bad input is refused naming the
parameter, a unit outside the caller's units is refused, the schema documents it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from mch.indicators.services import catalogue_load
from mch.registers import services
from mch.registers.testing import TODAY, RegisterWorld, build_register_world

URL = "/api/indicators/values/"
D = dt.date


@dataclass(frozen=True)
class Made:
    commune: str  # "commune" (Xã Hòa Bình, ethnic-minority area) or "other_commune"
    delivered: dt.date
    place: str
    weight_g: int


# What the test writes; the expected values are counted from this list alone.
MADE = [
    Made("commune", D(2025, 2, 3), "facility", 3100),
    Made("commune", D(2025, 5, 20), "facility", 2300),
    Made("commune", D(2025, 8, 9), "home", 2900),
    Made("commune", D(2025, 12, 31), "facility", 2450),
    Made("other_commune", D(2025, 3, 14), "facility", 3300),
    Made("other_commune", D(2025, 10, 1), "home", 3000),
    Made("other_commune", D(2025, 11, 30), "facility", 3500),
    Made("commune", D(2024, 12, 31), "home", 2000),  # the year before
    Made("other_commune", D(2026, 1, 1), "facility", 2100),  # the year after
]


def expected(commune: str | None, start: dt.date, end: dt.date, code: str) -> tuple[int, int]:
    rows = [m for m in MADE if start <= m.delivered <= end and commune in (None, m.commune)]
    if code == "facility_birth":
        return sum(m.place == "facility" for m in rows), len(rows)
    return sum(m.weight_g < 2500 for m in rows), len(rows)  # low_birth_weight


def records_write(world: RegisterWorld) -> None:
    """The catalogue and the deliveries of MADE (shared with the page tests)."""
    catalogue_load()
    for n, made in enumerate(MADE):
        unit = getattr(world, made.commune)
        user = world.staff if made.commune == "commune" else world.other_staff
        mother = services.person_register(
            user=user,
            full_name=f"Người Mẹ Số {n}",
            sex="F",
            birth_date=D(1995, 1, 1 + n),
            residence_unit=unit,
            today=TODAY,
        )
        station = world.station if made.commune == "commune" else world.other_station
        services.delivery_record(
            user=user,
            person=mother,
            date=made.delivered,
            place=made.place,
            **({"facility": station} if made.place == "facility" else {}),
            attendant="midwife",
            babies=[services.BirthInput(sex="F", birth_weight_g=made.weight_g)],
            today=TODAY,
        )


@pytest.fixture
def rw(db) -> RegisterWorld:
    world = build_register_world()
    records_write(world)
    return world


def _get(client: Client, user, **params: str):  # type: ignore[no-untyped-def]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE="vi")


def _pairs(rows: list[dict]) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (row["indicator"], row["unit_code"]): (row["numerator"] or 0, row["denominator"] or 0)
        for row in rows
    }


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        ("2025-Q4", D(2025, 10, 1), D(2025, 12, 31)),
        ("2025-05", D(2025, 5, 1), D(2025, 5, 31)),
        ("2025-6M", D(2025, 1, 1), D(2025, 6, 30)),
        ("2024..2026", D(2024, 1, 1), D(2026, 12, 31)),
        ("Q4/2025", D(2025, 10, 1), D(2025, 12, 31)),
    ],
)
def test_values_equal_a_count_of_the_records(client: Client, rw, period, start, end) -> None:
    response = _get(
        client, rw.officer, indicator="facility_birth,low_birth_weight", unit="56", period=period
    )
    assert response.status_code == 200, response.content
    rows = response.json()
    assert _pairs(rows) == {
        (code, "56"): expected(None, start, end, code)
        for code in ("facility_birth", "low_birth_weight")
    }
    assert {row["period_start"] for row in rows} == {start.isoformat()}


def test_by_unit_gives_each_commune(client: Client, rw) -> None:
    rows = _get(client, rw.officer, indicator="facility_birth", unit="56", period="2025", by="unit")
    start, end = D(2025, 1, 1), D(2025, 12, 31)
    assert _pairs(rows.json()) == {
        ("facility_birth", "22795"): expected("commune", start, end, "facility_birth"),
        ("facility_birth", "22759"): expected("other_commune", start, end, "facility_birth"),
    }
    row = next(r for r in rows.json() if r["unit_code"] == "22795")
    assert row["value"] == pytest.approx(100 * 3 / 4)
    assert row["ci_method"] == "wilson"
    assert row["ci_low"] < row["value"] < row["ci_high"]
    assert row["small_numbers"] is True
    assert row["unit_name"] == "Xã Hòa Bình"
    assert row["unit_symbol"] == "%"
    assert row["version"] == 1


def test_group_ethnic_minority_area_counts_the_communes_in_it(client: Client, rw) -> None:
    response = _get(
        client,
        rw.officer,
        indicator="facility_birth",
        unit="56",
        period="2025",
        group="all,ethnic_minority_area",
    )
    year = (D(2025, 1, 1), D(2025, 12, 31))
    assert {(r["group"], r["numerator"], r["denominator"]) for r in response.json()} == {
        ("all", *expected(None, *year, "facility_birth")),
        ("ethnic_minority_area", *expected("commune", *year, "facility_birth")),
    }


def test_by_group_lists_every_catalogue_group(client: Client, rw) -> None:
    response = _get(
        client, rw.officer, indicator="facility_birth", unit="56", period="2025", by="group"
    )
    groups = [row["group"] for row in response.json()]
    assert groups[0] == "all"
    assert {"ethnic_minority", "kinh", "ethnic_minority_area"} <= set(groups)


def test_a_unit_by_id_equals_the_unit_by_code(client: Client, rw) -> None:
    by_code = _get(client, rw.officer, indicator="facility_birth", unit="22795", period="2025")
    by_id = _get(
        client, rw.officer, indicator="facility_birth", unit=str(rw.commune.pk), period="2025"
    )
    assert by_code.json()[0]["numerator"] == by_id.json()[0]["numerator"] == 3


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"indicator": "nope", "period": "2025"},
            "indicator",
            "Không có chỉ số 'nope' trong danh mục.",
        ),
        ({"indicator": "facility_birth", "period": "2025-13"}, "period", "Không hiểu kỳ '2025-13'"),
        ({"indicator": "facility_birth", "period": "năm ngoái"}, "period", "2026-Q1"),
        ({"indicator": "facility_birth"}, "period", ""),
        ({"period": "2025"}, "indicator", ""),
        (
            {"indicator": "facility_birth", "period": "2025", "unit": "99999"},
            "unit",
            "Không có đơn vị '99999'.",
        ),
        (
            {"indicator": "facility_birth", "period": "2025", "group": "rich"},
            "group",
            "Không có nhóm dân số 'rich'.",
        ),
        (
            {"indicator": "facility_birth", "period": "2025", "attribution": "birthplace"},
            "attribution",
            "'birthplace'",
        ),
        ({"indicator": "facility_birth", "period": "2025", "by": "village"}, "by", "'village'"),
    ],
)
def test_bad_parameters_are_refused_naming_them(client: Client, rw, params, field, message) -> None:
    response = _get(client, rw.officer, **{"unit": "56", **params})
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert message in errors[field][0]


def test_every_bad_parameter_is_listed_at_once(client: Client, rw) -> None:
    response = _get(
        client, rw.officer, indicator="nope,facility_birth", unit="x", period="2025", group="rich"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"indicator", "unit", "group"}


def test_english_messages_when_english_is_chosen(client: Client, rw) -> None:
    client.force_login(rw.officer, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"indicator": "nope", "period": "2025"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"indicator": ["No indicator 'nope' in the catalogue."]}


def test_a_unit_outside_the_callers_units_is_refused(client: Client, rw) -> None:
    refused = _get(client, rw.staff, indicator="facility_birth", unit="22759", period="2025")
    province = _get(client, rw.staff, indicator="facility_birth", unit="56", period="2025")
    own = _get(client, rw.staff, indicator="facility_birth", period="2025")
    assert refused.status_code == province.status_code == 403
    assert "22759" in refused.json()["detail"]
    assert own.status_code == 200
    assert [(r["unit_code"], r["numerator"]) for r in own.json()] == [("22795", 3)]


def test_anonymous_is_refused(client: Client, rw) -> None:
    response = client.get(URL, {"indicator": "facility_birth", "period": "2025"})
    assert response.status_code in (401, 403)


def test_the_schema_documents_the_endpoint(client: Client, rw) -> None:
    client.force_login(rw.officer, backend="django.contrib.auth.backends.ModelBackend")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/indicators/values/" in schema
    operation = json.loads(schema)["paths"]["/api/indicators/values/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"indicator", "unit", "period", "group", "attribution", "by"} <= names
    assert {"200", "400", "403"} <= set(operation["responses"])


# ---------------------------------------------------------------- the command line


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_command_prints_the_rows_of_the_api_as_csv(client: Client, rw) -> None:
    text = _command(
        "--indicator",
        "facility_birth,low_birth_weight",
        "--unit",
        "56",
        "--period",
        "2025",
        "--by",
        "unit",
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    api = _get(
        client,
        rw.officer,
        indicator="facility_birth,low_birth_weight",
        unit="56",
        period="2025",
        by="unit",
    ).json()
    year = (D(2025, 1, 1), D(2025, 12, 31))
    assert {
        (r["indicator"], r["unit_code"]): (int(r["numerator"]), int(r["denominator"])) for r in rows
    } == {
        (code, unit.code): expected(name, *year, code)
        for code in ("facility_birth", "low_birth_weight")
        for name, unit in (("commune", rw.commune), ("other_commune", rw.other_commune))
    }
    drop = ("as_of",)
    assert [{k: v for k, v in r.items() if k not in drop} for r in rows] == [
        {k: "" if v is None else str(v) for k, v in r.items() if k not in drop} for r in api
    ]


def test_command_json_within_a_users_units(rw) -> None:
    rows = json.loads(
        _command(
            "--indicator",
            "facility_birth",
            "--period",
            "2025",
            "--format",
            "json",
            "--user",
            "tram",
        )
    )
    assert [(r["unit_code"], r["numerator"], r["denominator"]) for r in rows] == [
        ("22795", *expected("commune", D(2025, 1, 1), D(2025, 12, 31), "facility_birth"))
    ]


def test_command_refuses_bad_input_and_units_outside_scope(rw) -> None:
    with pytest.raises(CommandError, match="--period: Không hiểu kỳ '2025-13'"):
        _command("--indicator", "facility_birth", "--unit", "56", "--period", "2025-13")
    with pytest.raises(CommandError, match="22759"):
        _command(
            "--indicator", "facility_birth", "--unit", "22759", "--period", "2025", "--user", "tram"
        )
