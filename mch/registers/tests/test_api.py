"""The registers API as a client program (an offline app, another system) uses it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from mch.registers.api.events import RecordOutput
from mch.registers.api.fields import CodeChoiceField, choice_labels
from mch.registers.models import (
    AntenatalVisit,
    AuditEntry,
    Birth,
    Death,
    Delivery,
    GrowthMeasurement,
    Immunisation,
    Person,
    Pregnancy,
)

pytestmark = pytest.mark.django_db

API = "/api/registers"


def login(user, language: str = "") -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def post(client: Client, path: str, data: dict):
    return client.post(f"{API}/{path}", data, content_type="application/json")


def patch(client: Client, path: str, data: dict):
    return client.patch(f"{API}/{path}", data, content_type="application/json")


def created(response) -> dict:
    assert response.status_code == 201, response.content.decode()
    return response.json()


def woman(client: Client, commune_code: str = "22795", **extra) -> dict:
    data = {
        "full_name": "Pi Năng Thị Lan",
        "sex": "F",
        "birth_date": "1998-03-04",
        "commune_code": commune_code,
        "village": "Thôn Suối Đá",
        "ethnicity": "21",
        **extra,
    }
    return created(post(client, "people/", data))


def pregnancy(client: Client, person_id: int, **extra) -> dict:
    data = {"person": person_id, "date": "2026-02-10", "lmp": "2026-01-05", **extra}
    return created(post(client, "pregnancies/", data))


def test_a_mother_and_her_twins_through_the_api(rw) -> None:
    client = login(rw.staff)
    mother = woman(client)
    assert mother["residence_unit"] == rw.commune.pk
    assert mother["commune_name"] == "Xã Hòa Bình"
    assert Person.objects.get(pk=mother["id"]).source == "api"

    preg = pregnancy(client, mother["id"], risk_factors=["anaemia"])
    assert preg["edd"] == "2026-10-12"
    assert preg["area_zone"] == "III"

    visit = created(
        post(
            client,
            "antenatal-visits/",
            {
                "pregnancy": preg["id"],
                "date": "2026-05-05",
                "iron_tablets": 60,
                "hiv_test": "negative",
                "facility_code": "TYT-22795",
            },
        )
    )
    assert (visit["person"], visit["gestational_weeks"], visit["trimester"]) == (
        mother["id"],
        17,
        2,
    )
    assert AntenatalVisit.objects.get(pk=visit["id"]).facility == rw.station
    assert Pregnancy.objects.get(pk=preg["id"]).iron_tablets == 60

    delivery = created(
        post(
            client,
            "deliveries/",
            {
                "person": mother["id"],
                "date": "2026-10-01",
                "place": "facility",
                "facility": rw.station.pk,
                "attendant": "midwife",
                "babies": [
                    {"sex": "M", "birth_weight_g": 2500, "eenc_dried": True},
                    {"sex": "F", "birth_weight_g": 2350, "full_name": "Pi Năng Thị Hoa"},
                ],
            },
        )
    )
    stored = Delivery.objects.get(pk=delivery["id"])
    assert (stored.live_births, stored.skilled, stored.pregnancy_id) == (2, True, preg["id"])
    assert [b["birth_order"] for b in delivery["births"]] == [1, 2]
    births = Birth.objects.filter(delivery=stored).order_by("birth_order")
    assert [b.birth_weight_g for b in births] == [2500, 2350]
    assert births[0].eenc_dried is True
    children = Person.objects.filter(mother_id=mother["id"]).order_by("pk")
    assert [c.sex for c in children] == ["M", "F"]
    assert children[1].full_name == "Pi Năng Thị Hoa"
    assert Pregnancy.objects.get(pk=preg["id"]).outcome == "live_birth"
    son, daughter = children

    dose = created(
        post(
            client,
            "immunisations/",
            {"person": son.pk, "antigen": "bcg", "dose": 1, "date": "2026-10-02"},
        )
    )
    assert Immunisation.objects.get(pk=dose["id"]).antigen == "bcg"
    early = created(
        post(
            client,
            "immunisations/",
            {"person": son.pk, "antigen": "dpt_hepb_hib", "dose": 1, "date": "2026-10-20"},
        )
    )
    # Kept, flagged by the immunisation engine, whose codes come back as they are.
    assert {"code": "dose_before_min_age", "message": "dose_before_min_age"} in early["flags"]

    growth = created(
        post(
            client,
            "growth/",
            {
                "person": son.pk,
                "date": "2026-11-01",
                "weight_kg": 3.9,
                "length_cm": 53.0,
                "position": "lying",
                "waz": 9.9,  # computed: ignored on input
            },
        )
    )
    measurement = GrowthMeasurement.objects.get(pk=growth["id"])
    assert growth["age_days"] == 31
    assert growth["waz"] == measurement.waz
    assert measurement.waz is not None and measurement.waz < 5

    death = created(
        post(client, "deaths/", {"person": daughter.pk, "date": "2026-10-20", "place": "home"})
    )
    assert (death["age_days"], death["age_group"]) == (19, "neonatal")
    assert Death.objects.get(pk=death["id"]).person_id == daughter.pk
    daughter.refresh_from_db()
    assert daughter.deceased_on == dt.date(2026, 10, 20)

    book = client.get(f"{API}/people/{mother['id']}/handbook/").json()
    assert [v["id"] for v in book["pregnancies"][0]["visits"]] == [visit["id"]]
    assert len(book["deliveries"][0]["births"]) == 2
    assert {c["full_name"] for c in book["children"]} >= {"Pi Năng Thị Hoa"}
    son_book = client.get(f"{API}/people/{son.pk}/handbook/").json()
    assert son_book["birth"]["delivery"] == delivery["id"]
    assert [g["id"] for g in son_book["growth"]] == [growth["id"]]
    assert [i["antigen"] for i in son_book["immunisations"]] == ["bcg", "dpt_hepb_hib"]


def test_a_visit_before_the_last_period_is_refused_in_vietnamese_or_english(rw) -> None:
    client = login(rw.staff)
    preg = pregnancy(client, woman(client)["id"])
    body = {"pregnancy": preg["id"], "date": "2025-12-30"}
    response = post(client, "antenatal-visits/", body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("date", "lmp_after")
    assert error["message"] == "Ngày khám thai (30/12/2025) trước ngày kinh cuối."
    english = post(login(rw.staff, "en"), "antenatal-visits/", body).json()["errors"][0]
    assert "is before the last menstrual period" in english["message"]
    assert not AntenatalVisit.objects.exists()


def test_a_birth_weight_of_32_grams_is_refused_and_nothing_is_saved(rw) -> None:
    client = login(rw.staff)
    mother = woman(client)
    preg = pregnancy(client, mother["id"])
    response = post(
        client,
        "deliveries/",
        {
            "person": mother["id"],
            "date": "2026-10-01",
            "place": "home",
            "attendant": "other",
            "babies": [{"sex": "F", "birth_weight_g": 32}],
        },
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("birth_weight_g", "birth_weight_range")
    assert error["message"] == "Cân nặng sơ sinh 32 g nằm ngoài khoảng 300–7.000 g."
    assert not Delivery.objects.exists() and not Birth.objects.exists()
    assert Pregnancy.objects.get(pk=preg["id"]).outcome == ""
    assert Person.objects.count() == 1


def test_shape_errors_come_in_the_same_form(rw) -> None:
    client = login(rw.staff)
    mother = woman(client)
    response = post(
        client,
        "deliveries/",
        {
            "person": mother["id"],
            "date": "01/10/2026",
            "place": "ruong",
            "attendant": "midwife",
            "babies": [{"sex": "X"}],
        },
    )
    assert response.status_code == 400
    fields = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert fields == {
        "date": "invalid",
        "place": "invalid_choice",
        "babies.0.sex": "invalid_choice",
    }
    unknown = post(
        client,
        "pregnancies/",
        {
            "person": mother["id"],
            "date": "2026-02-10",
            "lmp": "2026-01-05",
            "commune_code": "99999",
        },
    )
    assert unknown.json()["errors"][0]["code"] == "unknown_unit"


def test_another_communes_person_and_pregnancy_are_not_found(rw) -> None:
    theirs = login(rw.other_staff)
    person = woman(theirs, commune_code="22759", full_name="Trần Thị Mai")
    preg = pregnancy(theirs, person["id"])
    client = login(rw.staff)
    assert client.get(f"{API}/people/{person['id']}/").status_code == 404
    assert client.get(f"{API}/people/{person['id']}/handbook/").status_code == 404
    assert client.get(f"{API}/pregnancies/{preg['id']}/").status_code == 404
    visit = post(client, "antenatal-visits/", {"pregnancy": preg["id"], "date": "2026-05-05"})
    assert visit.status_code == 404
    again = post(
        client, "pregnancies/", {"person": person["id"], "date": "2026-03-01", "lmp": "2026-01-05"}
    )
    assert again.status_code == 404
    assert not AntenatalVisit.objects.exists()
    assert patch(client, f"pregnancies/{preg['id']}/", {"gravida": 2}).status_code == 404


def test_lists_hold_only_the_callers_units(rw) -> None:
    mine = pregnancy(login(rw.staff), woman(login(rw.staff))["id"])
    theirs_client = login(rw.other_staff)
    theirs = pregnancy(
        theirs_client, woman(theirs_client, commune_code="22759", full_name="Trần Thị Mai")["id"]
    )
    listed = login(rw.staff).get(f"{API}/pregnancies/").json()
    assert [p["id"] for p in listed["results"]] == [mine["id"]]
    assert [p["full_name"] for p in login(rw.staff).get(f"{API}/people/").json()["results"]] == [
        "Pi Năng Thị Lan"
    ]
    officer = login(rw.officer)
    assert {p["id"] for p in officer.get(f"{API}/pregnancies/").json()["results"]} == {
        mine["id"],
        theirs["id"],
    }
    by_code = officer.get(f"{API}/pregnancies/", {"commune_code": "22759"}).json()["results"]
    assert [p["id"] for p in by_code] == [theirs["id"]]
    by_unit = officer.get(f"{API}/pregnancies/", {"commune": rw.commune.pk}).json()["results"]
    assert [p["id"] for p in by_unit] == [mine["id"]]
    page = officer.get(f"{API}/pregnancies/", {"page_size": 1}).json()
    assert (page["count"], len(page["results"])) == (2, 1)


def test_leaders_get_403_everywhere(rw) -> None:
    person = woman(login(rw.staff))
    client = login(rw.leader)
    for path in (
        "people/",
        f"people/{person['id']}/",
        f"people/{person['id']}/handbook/",
        "people/duplicates/?full_name=Lan",
        "pregnancies/",
        "antenatal-visits/",
        "deliveries/",
        "births/",
        "postnatal-contacts/",
        "checkups/",
        "growth/",
        "immunisations/",
        "illnesses/",
        "deaths/",
        "choices/",
    ):
        assert client.get(f"{API}/{path}").status_code == 403, path
    response = post(
        client, "pregnancies/", {"person": person["id"], "date": "2026-02-10", "lmp": "2026-01-05"}
    )
    assert response.status_code == 403
    assert not Pregnancy.objects.exists()
    assert Client().get(f"{API}/people/").status_code == 401


def test_posting_an_external_id_twice_returns_the_stored_record(rw) -> None:
    client = login(rw.staff)
    person = woman(client, external_id="app-7f3a-woman")
    again = post(
        client,
        "people/",
        {
            "full_name": "Pi Năng Thị Lan",
            "sex": "F",
            "birth_date": "1998-03-04",
            "commune_code": "22795",
            "external_id": "app-7f3a-woman",
        },
    )
    assert again.status_code == 200
    assert again.json()["id"] == person["id"]
    body = {
        "person": person["id"],
        "date": "2026-02-10",
        "lmp": "2026-01-05",
        "external_id": "app-7f3a-preg",
    }
    first = post(client, "pregnancies/", body)
    second = post(client, "pregnancies/", body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Pregnancy.objects.filter(external_id="app-7f3a-preg").count() == 1
    assert Person.objects.filter(external_id="app-7f3a-woman").count() == 1
    # The same id from a station that cannot see the record is refused, not revealed.
    other = login(rw.other_staff)
    theirs = woman(other, commune_code="22759", full_name="Trần Thị Mai")
    taken = post(other, "pregnancies/", {**body, "person": theirs["id"]})
    assert taken.status_code == 400
    assert taken.json()["errors"][0]["code"] == "external_id_taken"


def test_updated_since_and_dates_select_rows_for_sync(rw) -> None:
    client = login(rw.staff)
    first = woman(client)
    second = woman(client, full_name="Hoàng Thị Nga", birth_date="1995-05-05")
    old_preg = pregnancy(client, first["id"])
    new_preg = pregnancy(client, second["id"], date="2026-04-01", lmp="2026-03-01")
    long_ago = timezone.now() - dt.timedelta(days=30)
    Pregnancy.objects.filter(pk=old_preg["id"]).update(updated_at=long_ago)
    Person.objects.filter(pk=first["id"]).update(updated_at=long_ago)
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    rows = client.get(f"{API}/pregnancies/", {"updated_since": since}).json()["results"]
    assert [r["id"] for r in rows] == [new_preg["id"]]
    people = client.get(f"{API}/people/", {"updated_since": since}).json()["results"]
    assert [p["id"] for p in people] == [second["id"]]
    dated = client.get(f"{API}/pregnancies/", {"date_from": "2026-03-01", "date_to": "2026-04-30"})
    assert [r["id"] for r in dated.json()["results"]] == [new_preg["id"]]
    bad = client.get(f"{API}/pregnancies/", {"date_from": "01/03/2026"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "date_from"


def test_reads_are_audited(rw) -> None:
    client = login(rw.staff)
    person = woman(client)
    preg = pregnancy(client, person["id"])
    views = AuditEntry.objects.filter(action="view")
    client.get(f"{API}/people/{person['id']}/")
    client.get(f"{API}/people/{person['id']}/handbook/")
    client.get(f"{API}/pregnancies/{preg['id']}/")
    assert views.filter(person_id=person["id"], user=rw.staff).count() == 3
    client.get(f"{API}/pregnancies/")
    [listed] = views.filter(person_id__isnull=True)
    assert (listed.changes["api"], listed.changes["count"]) == ("pregnancies", 1)


def test_warnings_come_back_as_flags_with_their_messages(rw) -> None:
    client = login(rw.staff)
    person = woman(client)
    preg = pregnancy(client, person["id"], lmp="2026-01-05", edd="2026-12-01")
    assert preg["flags"] == [
        {
            "code": "lmp_edd_mismatch",
            "message": "Ngày dự sinh lệch … ngày so với ngày kinh cuối + 280 ngày.",
        }
    ]


def test_corrections_moves_merges_and_duplicates(rw) -> None:
    client = login(rw.staff)
    person = woman(client)
    preg = pregnancy(client, person["id"])
    visit = created(
        post(client, "antenatal-visits/", {"pregnancy": preg["id"], "date": "2026-05-05"})
    )
    fixed = patch(client, f"antenatal-visits/{visit['id']}/", {"weight_kg": 52.5})
    assert fixed.status_code == 200, fixed.content
    assert AntenatalVisit.objects.get(pk=visit["id"]).weight_kg == 52.5
    moved_lmp = patch(client, f"pregnancies/{preg['id']}/", {"lmp": "2026-01-12"}).json()
    assert moved_lmp["edd"] == "2026-10-19"
    phone = patch(client, f"people/{person['id']}/", {"phone": "0912345678"})
    assert phone.json()["phone"] == "0912345678"

    refused = post(
        client,
        "people/",
        {
            "full_name": "PI NANG THI LAN",
            "sex": "F",
            "birth_date": "1998-03-04",
            "commune_code": "22795",
        },
    )
    assert refused.json()["errors"][0]["code"] == "duplicate_person"
    found = client.get(
        f"{API}/people/duplicates/", {"full_name": "pi nang thi lan", "birth_date": "1998-03-04"}
    ).json()
    assert [m["person"]["id"] for m in found["matches"]] == [person["id"]]
    duplicate = created(
        post(
            client,
            "people/",
            {
                "full_name": "Pi Năng Thị Lan",
                "sex": "F",
                "birth_date": "1998-03-04",
                "commune_code": "22795",
                "allow_likely_duplicate": True,
            },
        )
    )
    merged = post(client, f"people/{person['id']}/merge/", {"duplicate": duplicate["id"]})
    assert merged.status_code == 200
    assert Person.objects.get(pk=duplicate["id"]).merged_into_id == person["id"]

    moved = post(
        client, f"people/{person['id']}/move/", {"commune_code": "22759", "moved_on": "2026-11-01"}
    )
    assert moved.json()["residence_unit"] == rw.other_commune.pk
    # She now lives outside this station's commune, but was registered by it.
    assert client.get(f"{API}/people/{person['id']}/").status_code == 200


def test_choice_fields_match_the_models(rw) -> None:
    from mch.registers.api import child, maternal, persons

    outputs = [
        s
        for module in (child, maternal, persons)
        for s in vars(module).values()
        if isinstance(s, type) and issubclass(s, RecordOutput) and hasattr(s, "Meta")
    ]
    checked = 0
    for serializer in outputs:
        model = serializer.Meta.model
        for name, field in serializer().fields.items():
            if not isinstance(field, CodeChoiceField) or name == "ethnicity":
                continue
            model_codes = {code for code, _ in model._meta.get_field(name).choices}
            assert model_codes - {""} == set(choice_labels(field.choice_set)) - {""}, (model, name)
            checked += 1
    assert checked >= 20


def test_schema_documents_the_registers(tmp_path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/registers/people/{id}/handbook/",
        "/api/registers/people/duplicates/",
        "/api/registers/deliveries/",
        "/api/registers/growth/{id}/",
        "/api/registers/deaths/",
    ):
        assert path in text
    assert "`on_the_way` — Trên đường đi" in text


def test_postnatal_contacts_checkups_illnesses_and_pregnancy_ends(rw) -> None:
    client = login(rw.staff)
    mother = woman(client)
    pregnancy(client, mother["id"])
    delivery = created(
        post(
            client,
            "deliveries/",
            {
                "person": mother["id"],
                "date": "2026-10-01",
                "place": "home",
                "attendant": "village_midwife",
                "babies": [{"sex": "F", "birth_weight_g": 3000}],
            },
        )
    )
    baby = delivery["births"][0]["person"]
    contact = created(
        post(
            client,
            "postnatal-contacts/",
            {"delivery": delivery["id"], "person": baby, "date": "2026-10-04", "place": "home"},
        )
    )
    assert (contact["subject"], contact["day_after_birth"]) == ("newborn", 3)
    stranger = woman(client, full_name="Lê Thị Thu", birth_date="1990-01-01")
    wrong = post(
        client,
        "postnatal-contacts/",
        {
            "delivery": delivery["id"],
            "person": stranger["id"],
            "date": "2026-10-04",
            "place": "home",
        },
    )
    assert (wrong.status_code, wrong.json()["errors"][0]["code"]) == (400, "invalid")
    checkup = created(
        post(
            client,
            "checkups/",
            {"person": baby, "date": "2026-11-01", "exclusive_breastfeeding": True},
        )
    )
    assert checkup["exclusive_breastfeeding"] is True
    injury = post(client, "illnesses/", {"person": baby, "date": "2026-11-02", "kind": "injury"})
    assert injury.json()["errors"][0]["code"] == "injury_type_required"
    created(
        post(
            client,
            "illnesses/",
            {"person": baby, "date": "2026-11-02", "kind": "diarrhoea", "ors": True},
        )
    )
    assert [r["kind"] for r in client.get(f"{API}/illnesses/").json()["results"]] == ["diarrhoea"]
    assert len(client.get(f"{API}/births/").json()["results"]) == 1

    other = woman(client, full_name="Hà Thị Vân", birth_date="1992-02-02")
    lost = pregnancy(client, other["id"])
    ended = post(
        client,
        f"pregnancies/{lost['id']}/end/",
        {"outcome": "miscarriage", "outcome_date": "2026-03-20"},
    )
    assert ended.status_code == 200
    assert Pregnancy.objects.get(pk=lost["id"]).outcome == "miscarriage"


def test_code_lists_for_offline_forms(rw) -> None:
    lists = login(rw.staff).get(f"{API}/choices/").json()
    assert lists["delivery_place"]["on_the_way"] == "Trên đường đi"
    assert lists["ethnicity"]["01"] == "Kinh"
    assert lists["review_status"]["to_notify"] == "Có thể là tử vong mẹ: cần báo cáo"
