"""The API as a client program uses it: session or basic auth, JSON, scoped."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command

from mch.plans.models import Plan

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

PLAN_FILE = """\
format: mch-plan/1
slug: ninh-thuan-kh-thu-2026
kind: ke_hoach
number: "7/KH-UBND"
title: "Kế hoạch thử"
issuer:
  name: "Ủy ban nhân dân tỉnh Ninh Thuận"
  unit: {level: province, code: "58", on: 2026-01-01}
scope_unit: {level: province, code: "58", on: 2026-01-01}
issued: {date: null, text: "Ninh Thuận, ngày  tháng 01 năm 2026"}
signer: {name: "Trần Quốc Nam", title: "PHÓ CHỦ TỊCH"}
period: {start: 2026, end: 2030}
objectives:
  - code: "MT1"
    kind: specific
    title: "Giảm tử vong sơ sinh"
    targets:
      - indicator: neonatal_mortality
        year: 2030
        comparator: xuống
        value: 8.5
        value_text: "8,5‰"
        source: body
        ref: "I.1"
        quote: "xuống 8,5‰ vào năm 2030"
"""


def basic(user: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_api_needs_authentication(client, world) -> None:
    assert client.get("/api/plans/").status_code == 401


def test_basic_auth_works(client, world) -> None:
    response = client.get("/api/plans/", **basic("lanhdao"))
    assert response.status_code == 200
    assert {p["slug"] for p in response.json()["results"]} == {world.plan.slug}


def test_units_filter_by_level_and_day(as_user, world) -> None:
    client = as_user(world.officer)
    before = client.get("/api/units/", {"level": "commune", "on": "2025-06-30"}).json()["results"]
    after = client.get("/api/units/", {"level": "commune", "on": "2025-07-01"}).json()["results"]
    assert {u["name"] for u in before} == {"Xã Phước Hà", "Xã Nhị Hà", "Xã Phước Nam"}
    assert {u["name"] for u in after} == {"Xã Phước Hà", "Xã Thuận Nam"}
    assert client.get("/api/units/", {"on": "30/06/2025"}).status_code == 400


def test_indicators_come_with_their_latest_version(as_user, world) -> None:
    client = as_user(world.leader)
    data = client.get("/api/indicators/neonatal_mortality/").json()
    assert data["latest_version"]["version"] == 2
    assert data["latest_version"]["unit_symbol"] == "‰"
    listed = client.get("/api/indicators/", {"domain": "nutrition"}).json()["results"]
    assert [i["code"] for i in listed] == ["exclusive_breastfeeding_u6m"]
    assert client.get("/api/indicators/no_such_code/").status_code == 404


def test_plan_detail_holds_targets_observations_budget_and_tasks(as_user, world) -> None:
    data = as_user(world.officer).get(f"/api/plans/{world.plan.slug}/").json()
    assert [o["code"] for o in data["objectives"]] == ["MT1", "MT2"]
    assert {(t["indicator"], t["year"], t["source_part"]) for t in data["targets"]} >= {
        ("neonatal_mortality", 2030, "body"),
        ("neonatal_mortality", 2030, "annex"),
    }
    assert {o["kind"] for o in data["observations"]} == {"baseline", "actual"}
    assert data["budget"][0]["amount_vnd"] == 378_940_000
    assert len(data["tasks"]) == 2


def test_department_gets_only_its_agencys_tasks(as_user, world) -> None:
    data = as_user(world.department).get(f"/api/plans/{world.plan.slug}/").json()
    assert [t["agency"] for t in data["tasks"]] == ["ninh-thuan-so-gd-dt"]


def test_export_returns_the_plan_file_as_json(as_user, world) -> None:
    data = as_user(world.officer).get(f"/api/plans/{world.plan.slug}/export/").json()
    assert data["format"] == "mch-plan/1"
    assert data["slug"] == world.plan.slug


def test_leader_may_neither_export_nor_import(as_user, world) -> None:
    client = as_user(world.leader)
    assert client.get(f"/api/plans/{world.plan.slug}/export/").status_code == 403
    upload = io.BytesIO(PLAN_FILE.encode())
    upload.name = "thu.yaml"
    assert client.post("/api/plans/import/", {"file": upload}).status_code == 403
    assert not Plan.objects.filter(slug="ninh-thuan-kh-thu-2026").exists()


def test_import_creates_the_plan(as_user, world) -> None:
    upload = io.BytesIO(PLAN_FILE.encode())
    upload.name = "thu.yaml"
    response = as_user(world.officer).post("/api/plans/import/", {"file": upload})
    assert response.status_code == 201, response.content
    assert response.json()["targets"][0]["value_text"] == "8,5‰"


def test_import_of_a_bad_file_returns_the_problems_and_saves_nothing(as_user, world) -> None:
    bad = PLAN_FILE.replace("neonatal_mortality", "khong_co_chi_so").replace("2030\n", "2035\n")
    upload = io.BytesIO(bad.encode())
    upload.name = "loi.yaml"
    response = as_user(world.officer).post("/api/plans/import/", {"file": upload})
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert problems
    assert all(isinstance(p["line"], int) for p in problems)
    assert all(p["message"] for p in problems)
    assert not Plan.objects.filter(slug="ninh-thuan-kh-thu-2026").exists()


def test_schema_generates_without_errors_or_warnings(tmp_path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/plans/{slug}/export/" in text
    assert "/api/plans/import/" in text


def test_swagger_page_is_served(as_user, world) -> None:
    assert as_user(world.leader).get("/api/docs/").status_code == 200
