"""Write scope (services.write_scope), driven through every write path.

The matrix: every write endpoint of the API and every form × every role × one thing
outside the role's units at a time (the event's commune of residence, its service unit,
its facility, the person, a related record) → refused, and nothing written: the row count
and the last change of every register table are the same before and after. Each path also
runs its ``control`` case, the same write inside the role's units, which a writer role
must get saved: a refusal is then the axis's doing, not a malformed request.

One world for the module (``write_scope_world``), each case in a savepoint of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test import Client, override_settings

from mch.accounts.models import User
from mch.registers import services
from mch.registers.bundle.importer import bundle_import
from mch.registers.bundle.spec import BY_KEY
from mch.registers.models import (
    CARE_EVENT_MODELS,
    AuditEntry,
    CheckUp,
    ImportBatch,
    Person,
    Pregnancy,
    Residence,
)

from .bundle_helpers import write_bundle
from .write_scope_world import ROLES, WRITERS, Place, World, build_world

D = dt.date
API = "/api/registers"
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]

TABLES: tuple[type[Any], ...] = (Person, *CARE_EVENT_MODELS)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=MD5):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def clients(world: World, django_db_blocker: Any) -> dict[str, Client]:
    """A logged-in client per role, for the whole module (sessions live in the world's
    transaction)."""
    with django_db_blocker.unblock():
        return {role: _client(user) for role, user in world.users.items()}


def fingerprint() -> tuple[Any, ...]:
    """Rows and last change of every register table, and the audit entries of changes to
    records (not of views, nor the entry an import writes about itself), in one query."""
    quote = connection.ops.quote_name
    parts = []
    for model in TABLES:
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 - table names
        parts.append(f"(SELECT MAX({quote('updated_at')}) FROM {table})")  # noqa: S608
    parts.append(f"(SELECT COUNT(*) FROM {quote(Residence._meta.db_table)})")  # noqa: S608
    audit = quote(AuditEntry._meta.db_table)
    action = quote("action")
    parts.append(f"(SELECT COUNT(*) FROM {audit} WHERE {action} NOT IN ('view', 'import'))")  # noqa: S608, E501
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


# ---------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Call:
    method: str  # get, post, patch
    url: str
    data: dict[str, Any] = field(default_factory=dict)


# A path builds its request from the world, the place inside the role's units, the place
# outside them, and the axis. Axes: control (all inside), residence, service, facility,
# person, related.
Build = Callable[[World, Place, Place, str], Call]


@dataclass(frozen=True)
class Path_:
    name: str
    kind: str  # api, form
    axes: tuple[str, ...]
    build: Build


UNIT_AXES = ("residence", "service", "facility")


def _units(axis: str, out: Place) -> dict[str, Any]:
    """The API fields naming a unit outside, for a unit axis."""
    return {
        "residence": {"residence_unit": out.commune.pk},
        "service": {"service_unit": out.commune.pk},
        "facility": {"facility": out.station.pk},
    }.get(axis, {})


def _api_post(register: str, body: Callable[[Place, Place, str], dict[str, Any]]) -> Build:
    def build(w: World, inside: Place, out: Place, axis: str) -> Call:
        return Call("post", f"{API}/{register}/", {**body(inside, out, axis), **_units(axis, out)})

    return build


def _api_patch(register: str, record: Callable[[Place], Any], changes: dict[str, Any]) -> Build:
    def build(w: World, inside: Place, out: Place, axis: str) -> Call:
        target = record(out if axis == "person" else inside)
        return Call("patch", f"{API}/{register}/{target.pk}/", {**changes, **_units(axis, out)})

    return build


def _who(inside: Place, out: Place, axis: str, name: str) -> Any:
    return getattr(out if axis == "person" else inside, name)


API_EVENTS: tuple[Path_, ...] = (
    Path_(
        "POST pregnancies",
        "api",
        ("control", *UNIT_AXES, "person"),
        _api_post(
            "pregnancies",
            lambda i, o, a: {
                "person": _who(i, o, a, "single").pk,
                "date": "2026-11-01",
                "lmp": "2026-09-20",
            },
        ),
    ),
    Path_(
        "POST antenatal-visits",
        "api",
        ("control", *UNIT_AXES, "related"),
        _api_post(
            "antenatal-visits",
            lambda i, o, a: {
                "pregnancy": (o if a == "related" else i).pregnancy.pk,
                "date": "2026-06-01",
            },
        ),
    ),
    Path_(
        "POST deliveries",
        "api",
        ("control", *UNIT_AXES, "person", "related"),
        _api_post(
            "deliveries",
            lambda i, o, a: {
                "person": _who(i, o, a, "woman").pk,
                "pregnancy": (o if a == "related" else i).pregnancy.pk,
                "date": "2026-11-15",
                "place": "facility",
                "facility": i.station.pk,
                "attendant": "midwife",
                "babies": [{"sex": "F", "birth_weight_g": 3000}],
            },
        ),
    ),
    Path_(
        "POST postnatal-contacts",
        "api",
        ("control", *UNIT_AXES, "person", "related"),
        _api_post(
            "postnatal-contacts",
            lambda i, o, a: {
                "delivery": (o if a == "related" else i).delivery.pk,
                "person": _who(i, o, a, "mother").pk,
                "date": "2026-10-05",
                "place": "home",
            },
        ),
    ),
    Path_(
        "POST checkups",
        "api",
        ("control", *UNIT_AXES, "person"),
        _api_post(
            "checkups", lambda i, o, a: {"person": _who(i, o, a, "child").pk, "date": "2026-11-10"}
        ),
    ),
    Path_(
        "POST growth",
        "api",
        ("control", *UNIT_AXES, "person"),
        _api_post(
            "growth",
            lambda i, o, a: {
                "person": _who(i, o, a, "child").pk,
                "date": "2026-11-10",
                "weight_kg": 4.5,
                "length_cm": 55,
            },
        ),
    ),
    Path_(
        "POST immunisations",
        "api",
        ("control", *UNIT_AXES, "person"),
        _api_post(
            "immunisations",
            lambda i, o, a: {
                "person": _who(i, o, a, "child").pk,
                "antigen": "opv",
                "dose": 1,
                "date": "2026-11-15",
            },
        ),
    ),
    Path_(
        "POST illnesses",
        "api",
        ("control", *UNIT_AXES, "person"),
        _api_post(
            "illnesses",
            lambda i, o, a: {
                "person": _who(i, o, a, "child").pk,
                "date": "2026-11-10",
                "kind": "pneumonia",
            },
        ),
    ),
    Path_(
        "POST deaths",
        "api",
        ("control", *UNIT_AXES, "person"),
        _api_post(
            "deaths",
            lambda i, o, a: {
                "person": _who(i, o, a, "single").pk,
                "date": "2026-11-01",
                "place": "home",
            },
        ),
    ),
    *(
        Path_(
            f"PATCH {register}",
            "api",
            ("control", *UNIT_AXES, "person"),
            _api_patch(register, record, changes),
        )
        for register, record, changes in (
            ("pregnancies", lambda p: p.pregnancy, {"gravida": 2}),
            ("antenatal-visits", lambda p: p.visit, {"iron_tablets": 30}),
            ("deliveries", lambda p: p.delivery, {"time": "08:30"}),
            ("postnatal-contacts", lambda p: p.contact, {"provider": "midwife"}),
            ("checkups", lambda p: p.checkup, {"note": "Khám lại"}),
            ("growth", lambda p: p.growth, {"muac_mm": 120}),
            ("immunisations", lambda p: p.dose, {"lot": "L-1"}),
            ("illnesses", lambda p: p.illness, {"note": "Đỡ"}),
            ("deaths", lambda p: p.death, {"cause_text": "Sốt"}),
        )
    ),
    Path_(
        "POST pregnancies/end",
        "api",
        ("control", "person"),
        lambda w, i, o, a: Call(
            "post",
            f"{API}/pregnancies/{_who(i, o, a, 'pregnancy').pk}/end/",
            {"outcome": "miscarriage", "outcome_date": "2026-05-15"},
        ),
    ),
)

API_PEOPLE: tuple[Path_, ...] = (
    Path_(
        "POST people",
        "api",
        ("control", "residence", "related"),
        lambda w, i, o, a: Call(
            "post",
            f"{API}/people/",
            {
                "full_name": "Đinh Thị Mới",
                "sex": "F",
                "birth_date": "2000-01-01",
                "residence_unit": (o if a == "residence" else i).commune.pk,
                **({"mother": o.single.pk} if a == "related" else {}),
            },
        ),
    ),
    Path_(
        "PATCH people",
        "api",
        ("control", "person"),
        lambda w, i, o, a: Call(
            "patch", f"{API}/people/{_who(i, o, a, 'single').pk}/", {"phone": "0912345678"}
        ),
    ),
    Path_(
        "POST people/move",
        "api",
        ("control", "residence", "person"),
        # Within the province a station hands a person over; another province is refused.
        lambda w, i, o, a: Call(
            "post",
            f"{API}/people/{_who(i, o, a, 'single').pk}/move/",
            {
                "residence_unit": (w.far if a == "residence" else w.near).commune.pk,
                "moved_on": "2026-11-01",
            },
        ),
    ),
    Path_(
        "POST people/merge",
        "api",
        ("control", "person", "related"),
        lambda w, i, o, a: Call(
            "post",
            f"{API}/people/{_who(i, o, a, 'keep').pk}/merge/",
            {"duplicate": (o if a == "related" else i).duplicate.pk},
        ),
    ),
)


# ---------------------------------------------------------------------- forms


def _form(
    url: Callable[[Place, Place, str], str], data: Callable[[Place, Place, str], dict[str, Any]]
) -> Build:
    def build(w: World, inside: Place, out: Place, axis: str) -> Call:
        values = data(inside, out, axis)
        if "facility" in values:
            values["facility"] = (out if axis == "facility" else inside).station.pk
        return Call("post", url(inside, out, axis), values)

    return build


def _delivery_form(i: Place, o: Place, a: str) -> dict[str, Any]:
    return {
        "date": "15/11/2026",
        "time": "08:30",
        "place": "facility",
        "facility": "",
        "attendant": "midwife",
        "mode": "vaginal",
        "mother_outcome": "well",
        "tre-TOTAL_FORMS": "1",
        "tre-INITIAL_FORMS": "0",
        "tre-MIN_NUM_FORMS": "1",
        "tre-MAX_NUM_FORMS": "3",
        "tre-0-outcome": "live",
        "tre-0-sex": "F",
        "tre-0-birth_weight_g": "3.100",
    }


def _delivery_edit(i: Place, o: Place, a: str) -> dict[str, Any]:
    return {
        **_delivery_form(i, o, a),
        "date": "01/10/2026",
        "tre-INITIAL_FORMS": "1",
        "tre-0-sex": "M",
    }


FORM_AXES = ("control", "facility", "person")

FORMS: tuple[Path_, ...] = (
    Path_(
        "form pregnancy add",
        "form",
        FORM_AXES,
        _form(
            lambda i, o, a: f"/so/thai-ky/them/?nguoi={_who(i, o, a, 'single').pk}",
            lambda i, o, a: {"date": "01/11/2026", "lmp": "20/09/2026", "facility": ""},
        ),
    ),
    Path_(
        "form pregnancy edit",
        "form",
        FORM_AXES,
        _form(
            lambda i, o, a: f"/so/thai-ky/{_who(i, o, a, 'pregnancy').pk}/sua/",
            lambda i, o, a: {
                "date": "01/04/2026",
                "lmp": "20/02/2026",
                "gravida": "2",
                "facility": "",
            },
        ),
    ),
    Path_(
        "form pregnancy end",
        "form",
        ("control", "person"),
        _form(
            lambda i, o, a: f"/so/thai-ky/{_who(i, o, a, 'pregnancy').pk}/ket-thuc/",
            lambda i, o, a: {"outcome": "miscarriage", "outcome_date": "15/05/2026"},
        ),
    ),
    Path_(
        "form antenatal add",
        "form",
        ("control", "facility", "related"),
        _form(
            lambda i, o, a: (
                f"/so/kham-thai/them/?thai_ky={(o if a == 'related' else i).pregnancy.pk}"
            ),
            lambda i, o, a: {"date": "01/06/2026", "iron_tablets": "30", "facility": ""},
        ),
    ),
    Path_(
        "form antenatal edit",
        "form",
        FORM_AXES,
        _form(
            lambda i, o, a: f"/so/kham-thai/{_who(i, o, a, 'visit').pk}/sua/",
            lambda i, o, a: {"date": "01/05/2026", "iron_tablets": "60", "facility": ""},
        ),
    ),
    Path_(
        "form delivery add",
        "form",
        (*FORM_AXES, "related"),
        _form(
            lambda i, o, a: (
                f"/so/de/them/?thai_ky={(o if a == 'related' else i).pregnancy.pk}"
                if a in ("related", "control", "facility")
                else f"/so/de/them/?nguoi={o.woman.pk}"
            ),
            _delivery_form,
        ),
    ),
    Path_(
        "form delivery edit",
        "form",
        FORM_AXES,
        _form(lambda i, o, a: f"/so/de/{_who(i, o, a, 'delivery').pk}/sua/", _delivery_edit),
    ),
    Path_(
        "form postnatal add",
        "form",
        ("control", "related"),
        _form(
            lambda i, o, a: f"/so/sau-sinh/them/?de={(o if a == 'related' else i).delivery.pk}",
            lambda i, o, a: {
                "people": [(o if a == "related" else i).mother.pk],
                "date": "05/10/2026",
                "place": "home",
            },
        ),
    ),
    Path_(
        "form postnatal edit",
        "form",
        ("control", "person"),
        _form(
            lambda i, o, a: f"/so/sau-sinh/{_who(i, o, a, 'contact').pk}/sua/",
            lambda i, o, a: {"date": "04/10/2026", "place": "home", "provider": "midwife"},
        ),
    ),
    *(
        Path_(
            f"form {slug} {verb}",
            "form",
            FORM_AXES,
            _form(
                (
                    lambda i, o, a, slug=slug, who=who: (
                        f"/so/{slug}/them/?nguoi={_who(i, o, a, who).pk}"
                    )
                )
                if verb == "add"
                else (
                    lambda i, o, a, slug=slug, who=who: f"/so/{slug}/{_who(i, o, a, who).pk}/sua/"
                ),
                lambda i, o, a, values=values: {**values, "facility": ""},
            ),
        )
        for slug, verb, who, values in (
            ("kham-dinh-ky", "add", "child", {"date": "10/11/2026"}),
            ("kham-dinh-ky", "edit", "checkup", {"date": "01/11/2026", "note": "Khám lại"}),
            (
                "can-do",
                "add",
                "child",
                {"date": "10/11/2026", "weight_kg": "4,5", "length_cm": "55"},
            ),
            (
                "can-do",
                "edit",
                "growth",
                {"date": "01/11/2026", "weight_kg": "4,3", "length_cm": "54"},
            ),
            (
                "tiem-chung",
                "add",
                "child",
                {"antigen": "opv", "dose": "1", "date": "15/11/2026", "is_epi": "on"},
            ),
            (
                "tiem-chung",
                "edit",
                "dose",
                {"antigen": "bcg", "dose": "1", "date": "02/10/2026", "lot": "L-1"},
            ),
            ("benh", "add", "child", {"date": "10/11/2026", "kind": "pneumonia"}),
            ("benh", "edit", "illness", {"date": "05/11/2026", "kind": "diarrhoea", "note": "Đỡ"}),
            ("tu-vong", "add", "single", {"date": "01/11/2026", "place": "home"}),
            (
                "tu-vong",
                "edit",
                "death",
                {"date": "01/03/2026", "place": "home", "cause_text": "Sốt"},
            ),
        )
    ),
    Path_(
        "form person register",
        "form",
        ("control", "residence"),
        lambda w, i, o, a: Call(
            "post",
            "/nguoi/them/",
            {
                "full_name": "Đinh Thị Mới",
                "sex": "F",
                "birth_date": "01/01/2000",
                "residence_unit": (o if a == "residence" else i).commune.pk,
            },
        ),
    ),
    Path_(
        "form person edit",
        "form",
        ("control", "person"),
        lambda w, i, o, a: Call(
            "post",
            f"/nguoi/{_who(i, o, a, 'single').pk}/sua/",
            {
                "full_name": "Lê Thị Đơn",
                "sex": "F",
                "birth_date": "01/01/1990",
                "phone": "0912345678",
            },
        ),
    ),
    Path_(
        "form person move",
        "form",
        ("control", "residence", "person"),
        lambda w, i, o, a: Call(
            "post",
            f"/nguoi/{_who(i, o, a, 'single').pk}/chuyen/",
            {
                "residence_unit": (w.far if a == "residence" else w.near).commune.pk,
                "moved_on": "01/11/2026",
            },
        ),
    ),
    Path_(
        "form person merge",
        "form",
        ("control", "person", "related"),
        lambda w, i, o, a: Call(
            "post",
            f"/nguoi/{_who(i, o, a, 'keep').pk}/gop/",
            {"trung": (o if a == "related" else i).duplicate.pk, "confirm": "1"},
        ),
    ),
)


def _expected(path: Path_, role: str, axis: str) -> int:
    """The status a user gets: saved (201/200 API, a redirect for a form), 403 for a role
    that may not write or a unit outside (API), the form again with its error (200) for a
    unit a form does not offer, 404 for a person or record outside the user's units."""
    if role not in WRITERS:
        return 403
    if axis == "control":
        if path.kind == "form":
            return 302
        return 201 if path.name.startswith("POST") and "/" not in path.name else 200
    if axis in UNIT_AXES:
        return 403 if path.kind == "api" else 200
    return 404


CASES = [
    pytest.param(path, role, axis, id=f"{path.name}|{role}|{axis}")
    for path in (*API_EVENTS, *API_PEOPLE, *FORMS)
    for role in ROLES
    for axis in path.axes
]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _send(client: Client, call: Call) -> Any:
    if call.url.startswith(API):
        send = getattr(client, call.method)
        return send(call.url, call.data, content_type="application/json")
    return client.post(call.url, call.data)


@pytest.mark.parametrize(("path", "role", "axis"), CASES)
def test_every_write_outside_the_users_units_is_refused(
    world: World, clients: dict[str, Client], db: Any, path: Path_, role: str, axis: str
) -> None:
    call = path.build(world, world.home, world.outside(role), axis)
    client = clients[role]
    before = fingerprint()
    response = _send(client, call)
    expected = _expected(path, role, axis)
    assert response.status_code == expected, response.content.decode()[:2000]
    written = fingerprint() != before
    assert written == (expected in (200, 201, 302) and axis == "control")


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, id=p.name)
        for p in API_EVENTS
        if p.name.startswith(("POST", "PATCH")) and "residence" in p.axes
    ],
)
def test_the_api_names_the_unit_it_refuses(world: World, db: Any, path: Path_) -> None:
    call = path.build(world, world.home, world.near, "service")
    response = _send(_client(world.users["staff"]), call)
    assert response.json() == {
        "errors": [
            {
                "field": "service_unit",
                "code": "out_of_scope",
                "message": f"Đơn vị cung cấp dịch vụ {world.near.commune.name} nằm ngoài "
                "phạm vi của tài khoản này.",
            }
        ]
    }


# ---------------------------------------------------------------------- the probes


def test_a_station_cannot_move_another_communes_numbers(world: World, db: Any) -> None:
    """Issue 8: an immunisation with another commune as the residence, a growth record
    with another commune as the service unit."""
    client = _client(world.users["staff"])
    child = world.home.child
    dose = {"person": child.pk, "antigen": "ipv", "dose": 1, "date": "2026-11-20"}
    refused = _send(
        client,
        Call("post", f"{API}/immunisations/", {**dose, "residence_unit": world.near.commune.pk}),
    )
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "out_of_scope"
    growth = {"person": child.pk, "date": "2026-11-20", "weight_kg": 4.6, "length_cm": 55}
    refused = _send(
        client, Call("post", f"{API}/growth/", {**growth, "service_unit": world.near.commune.pk})
    )
    assert refused.status_code == 403
    saved = _send(client, Call("post", f"{API}/growth/", growth)).json()
    assert (saved["residence_unit"], saved["service_unit"]) == (
        world.home.commune.pk,
        world.home.commune.pk,
    )


# ---------------------------------------------------------------------- what is derived


def test_the_residence_is_where_the_person_lived_on_the_event_date(world: World, db: Any) -> None:
    """A child who moved in: a dose given before the move counts for the old commune
    (derived, not chosen), one after it for the new."""
    officer = world.users["officer"]
    child = world.near.child
    services.person_move(
        user=officer, person=child, residence_unit=world.home.commune, moved_on=D(2026, 11, 1)
    )
    staff = world.users["staff"]
    child.refresh_from_db()
    before = services.dose_record(
        user=staff, person=child, antigen="hepb_birth", dose=1, date=D(2026, 10, 2)
    )
    after = services.checkup_record(user=staff, person=child, date=D(2026, 11, 10))
    assert before.residence_unit == world.near.commune
    assert after.residence_unit == world.home.commune
    assert before.service_unit == after.service_unit == world.home.commune


@pytest.mark.parametrize(
    ("role", "facility", "service"),
    [
        ("staff", None, "home"),
        ("staff", "station", "home"),
        ("staff", "hospital", "province"),
        ("hospital", None, "province"),
        ("officer", None, "province"),
    ],
)
def test_the_service_unit_is_the_facilitys_or_the_users(
    world: World, db: Any, role: str, facility: str | None, service: str
) -> None:
    chosen = {
        None: None,
        "station": world.home.station,
        "hospital": world.hospital,
    }[facility]
    record = services.checkup_record(
        user=world.users[role], person=world.home.child, date=D(2026, 11, 12), facility=chosen
    )
    expected = {"home": world.home.commune, "province": world.hospital.unit}[service]
    assert record.service_unit == expected
    assert record.facility == chosen


def test_a_facility_outside_the_service_unit_named_is_refused(world: World, db: Any) -> None:
    with pytest.raises(services.OutOfScope) as refused:
        services.checkup_record(
            user=world.users["officer"],
            person=world.home.child,
            date=D(2026, 11, 12),
            facility=world.hospital,
            service_unit=world.home.commune,
        )
    assert refused.value.code == "facility_not_in_service_unit"


def test_forms_derive_the_units_whatever_is_posted(world: World, db: Any) -> None:
    client = _client(world.users["staff"])
    child = world.home.child
    response = client.post(
        f"/so/kham-dinh-ky/them/?nguoi={child.pk}",
        {
            "date": "12/11/2026",
            "facility": "",
            "residence_unit": world.near.commune.pk,
            "service_unit": world.near.commune.pk,
        },
    )
    assert response.status_code == 302
    record = CheckUp.objects.get(person=child, date=D(2026, 11, 12))
    assert (record.residence_unit, record.service_unit) == (world.home.commune,) * 2


# ---------------------------------------------------------------------- bulk import


def _bundle_rows(
    w: World, inside: Place, out: Place, axis: str
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """One row per event file naming something outside for ``axis`` (or all inside for
    ``control``), and the column each row's error must be in."""
    who = out if axis == "person" else inside
    units = {
        "residence": {"ma_xa": out.commune.code},
        "service": {"ma_xa_dich_vu": out.commune.code},
        "facility": {"ma_co_so": out.station.code},
    }.get(axis, {})
    tag = f"X-{axis}"

    def event(file: str, person: str, day: str, **values: Any) -> dict[str, Any]:
        return {
            "ma": f"{tag}-{file}",
            "ma_nguoi": f"{who.tag}-{person}",
            "ngay": day,
            **values,
            **units,
        }

    files: dict[str, list[dict[str, Any]]] = {
        "pregnancies": [event("tk", "single", "01/11/2026", ngay_kinh_cuoi="20/09/2026")],
        "antenatal_visits": [event("kt", "woman", "01/06/2026", ma_thai_ky=f"{who.tag}-pregnancy")],
        "deliveries": [
            event(
                "de",
                "woman",
                "15/11/2026",
                ma_thai_ky=f"{who.tag}-pregnancy",
                noi_de="facility",
                nguoi_do="midwife",
                **({} if axis == "facility" else {"ma_co_so": inside.station.code}),
            )
        ],
        "births": [{"ma": f"{tag}-ts", "ma_de": f"{tag}-de", "ket_qua": "live", "gioi_tinh": "F"}],
        "postnatal_contacts": [
            event(
                "ss",
                "mother",
                "05/10/2026",
                ma_de=f"{who.tag}-delivery",
                doi_tuong="mother",
                noi_cham_soc="home",
            )
        ],
        "checkups": [event("kdk", "child", "10/11/2026")],
        "growth": [event("cd", "child", "10/11/2026", can_nang_kg="4,5", chieu_cao_cm="55")],
        "immunisations": [event("tc", "child", "15/11/2026", vac_xin="opv", mui="1")],
        "illnesses": [event("b", "child", "10/11/2026", loai="pneumonia")],
        "deaths": [event("tv", "single", "20/11/2026", noi_tu_vong="home")],
    }
    column = {"residence": "ma_xa", "service": "ma_xa_dich_vu", "facility": "ma_co_so"}
    errors = {key: column.get(axis, "ma_nguoi") for key in files if key != "births"}
    if axis == "related":
        # A child whose mother lives outside, a birth of a delivery outside.
        files = {
            "persons": [
                {
                    "ma": f"{tag}-nd",
                    "ho_ten": "Đinh Văn Con",
                    "gioi_tinh": "M",
                    "ngay_sinh": "01/11/2026",
                    "ma_xa": inside.commune.code,
                    "ma_me": f"{out.tag}-single",
                }
            ],
            "births": [
                {
                    "ma": f"{tag}-ts",
                    "ma_de": f"{out.tag}-delivery",
                    "ket_qua": "stillbirth",
                    "thu_tu": "2",
                }
            ],
        }
        errors = {"persons": "ma_me", "births": "ma_de"}
    return files, errors


BUNDLE_AXES = (*UNIT_AXES, "person", "related")


@pytest.mark.parametrize("role", WRITERS)
def test_an_import_inside_the_users_units_is_saved(
    world: World, db: Any, tmp_path: Path, role: str
) -> None:
    files, _errors = _bundle_rows(world, world.home, world.outside(role), "control")
    result = bundle_import(source=write_bundle(tmp_path / "bundle", files), user=world.users[role])
    assert result.status == ImportBatch.Status.DONE, [str(e) for e in result.errors]
    assert result.count("created") == sum(len(rows) for rows in files.values())
    pregnancy = Pregnancy.objects.get(external_id="X-control-tk")
    assert pregnancy.residence_unit == world.home.commune


@pytest.mark.parametrize(
    ("role", "axis"),
    [pytest.param(r, a, id=f"{r}|{a}") for r in WRITERS for a in BUNDLE_AXES],
)
def test_an_import_naming_anything_outside_is_refused_row_by_row(
    world: World, db: Any, tmp_path: Path, role: str, axis: str
) -> None:
    files, errors = _bundle_rows(world, world.home, world.outside(role), axis)
    before = fingerprint()
    result = bundle_import(source=write_bundle(tmp_path / "bundle", files), user=world.users[role])
    assert result.status == ImportBatch.Status.REJECTED
    refused = {(e.file, e.column) for e in result.errors}
    assert {(f"{BY_KEY[key].name_vi}.csv", column) for key, column in errors.items()} <= refused
    assert fingerprint() == before


@pytest.mark.parametrize("role", [r for r in ROLES if r not in WRITERS])
def test_roles_that_may_not_write_import_nothing(
    world: World, db: Any, tmp_path: Path, role: str
) -> None:
    files, _errors = _bundle_rows(world, world.home, world.far, "control")
    before = fingerprint()
    with pytest.raises(PermissionDenied):
        bundle_import(source=write_bundle(tmp_path / "bundle", files), user=world.users[role])
    assert fingerprint() == before


def test_the_matrix_size_is_reported() -> None:
    """Every write path is tried outside the user's units on at least one axis besides the
    control, by every role; the size is printed for the record (``pytest -s``)."""
    paths = (*API_EVENTS, *API_PEOPLE, *FORMS)
    assert all(set(path.axes) - {"control"} for path in paths)
    assert len(CASES) == len(ROLES) * sum(len(path.axes) for path in paths)
    imports = len(WRITERS) * len(BUNDLE_AXES) + len(WRITERS) + len(ROLES) - len(WRITERS)
    print(
        f"write-scope matrix: {len(CASES)} cases = {len(paths)} write paths "
        f"({len(API_EVENTS) + len(API_PEOPLE)} API, {len(FORMS)} forms) x {len(ROLES)} roles "
        f"x their axes; import: {imports} cases ({len(WRITERS)} writing roles x "
        f"{len(BUNDLE_AXES)} axes, plus the controls and the roles that may not write)"
    )
