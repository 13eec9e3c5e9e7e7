"""The API of reported values: lists in scope, writes through the services, and the
write-scope matrix: every write operation × every role, inside and outside the role's
units → saved, or refused with nothing written (rows, last change and audit entries the
same before and after)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Max
from django.test import Client

from mch.accounts.models import Role, User
from mch.accounts.services import user_create
from mch.core.testing import make_unit
from mch.orgunits.models import Facility
from mch.registers.models import AuditEntry
from mch.registers.testing import PASSWORD
from mch.reported_values import services
from mch.reported_values.models import PolicyValue, SurveyResult, WorkforceReport

from .conftest import YEAR, World

pytestmark = pytest.mark.django_db
API = "/api/reported-values"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Records:
    world: World
    far_province: Any
    far_hospital: Facility
    survey: SurveyResult
    far_survey: SurveyResult
    policy: PolicyValue
    workforce: WorkforceReport
    users: dict[str, User]


@pytest.fixture
def records(world: World) -> Records:
    rw = world.rw
    country = rw.province.parent
    far = make_unit(code="15", name="Tỉnh Lào Cai", level="province", parent=country)
    far_hospital = Facility.objects.create(
        code="BV-15", name="Bệnh viện tỉnh Lào Cai", kind="provincial_hospital",
        care_level="province", unit=far,
    )  # fmt: skip
    far_officer = user_create(
        username="solaocai", password=PASSWORD, role=Role.PROVINCE_OFFICER, units=[far],
        full_name="Sở Lào Cai", validate=False,
    )  # fmt: skip
    survey = services.survey_result_save(
        user=rw.officer, indicator_code="caregiver_newborn_danger_signs", unit=rw.province,
        survey_name="MICS 2025", survey_date="15/06/2025", sample_size=400, value="62,5",
    )  # fmt: skip
    far_survey = services.survey_result_save(
        user=far_officer, indicator_code="caregiver_newborn_danger_signs", unit=far,
        survey_name="MICS 2025", survey_date="15/06/2025", sample_size=300, value="51",
    )  # fmt: skip
    policy = services.policy_value_save(
        user=rw.staff, indicator_code="policy_goal_in_sep", unit=rw.commune, year=YEAR,
        answer=False,
    )  # fmt: skip
    workforce = services.workforce_report_save(
        user=world.hospital_user, facility=rw.hospital, year=YEAR, as_of="31/12/2025",
        counts={"obstetric_level1": 2},
    )  # fmt: skip
    assert policy is not None
    users = {
        "officer": rw.officer,
        "staff": rw.staff,
        "other_staff": rw.other_staff,
        "hospital": world.hospital_user,
        "leader": rw.leader,
    }
    return Records(world, far, far_hospital, survey, far_survey, policy, workforce, users)


def fingerprint() -> tuple[Any, ...]:
    parts: list[Any] = []
    for model in (SurveyResult, PolicyValue, WorkforceReport):
        parts += [model.objects.count(), model.objects.aggregate(m=Max("updated_at"))["m"]]
    parts.append(AuditEntry.objects.exclude(action__in=("view", "import", "export")).count())
    return tuple(parts)


# ---------------------------------------------------------------------- reads


def test_lists_are_scoped_and_filtered(records: Records) -> None:
    rw = records.world.rw
    officer = _client(rw.officer).get(f"{API}/surveys/").json()
    ids = {r["id"] for r in officer["results"]}
    assert records.survey.pk in ids and records.far_survey.pk not in ids
    row = next(r for r in officer["results"] if r["id"] == records.survey.pk)
    assert (row["indicator"], row["value"], row["ci_computed"]) == (
        "caregiver_newborn_danger_signs",
        "62.500",
        True,
    )
    assert _client(rw.officer).get(f"{API}/surveys/?year=2024").json()["results"] == []
    commune = _client(rw.staff).get(f"{API}/policy/?unit={rw.commune.pk}").json()
    assert [r["id"] for r in commune["results"]] == [records.policy.pk]
    assert _client(rw.other_staff).get(f"{API}/policy/").json()["results"] == []
    assert _client(rw.staff).get(f"{API}/surveys/{records.survey.pk}/").status_code == 404
    bad = _client(rw.officer).get(f"{API}/workforce/?year=abc")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "year"


def test_validation_errors_are_vietnamese_and_write_nothing(records: Records) -> None:
    rw = records.world.rw
    before = fingerprint()
    body = {
        "indicator": "caregiver_newborn_danger_signs",
        "unit": rw.province.pk,
        "survey_name": "KAP",
        "survey_date": "2025-06-15",
        "sample_size": 100,
        "value": "40",
        "ci_low": "45",
        "ci_high": "50",
    }
    response = _client(rw.officer).post(f"{API}/surveys/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "ci_low",
            "code": "invalid",
            "message": "Khoảng tin cậy phải chứa giá trị (cận dưới ≤ giá trị ≤ cận trên)",
        }
    ]
    policy = _client(rw.staff).post(
        f"{API}/policy/",
        {"indicator": "policy_goal_in_sep", "unit": rw.commune.pk, "year": YEAR},
        content_type="application/json",
    )
    assert policy.status_code == 400 and "có/không" in policy.json()["errors"][0]["message"]
    assert fingerprint() == before


def test_a_survey_through_the_api(records: Records) -> None:
    rw = records.world.rw
    client = _client(rw.officer)
    body = {
        "indicator": "caregiver_pneumonia_signs",
        "unit": rw.province.pk,
        "survey_name": "KAP 2025",
        "survey_date": "2025-10-01",
        "sample_size": 250,
        "value": "50",
    }
    made = client.post(f"{API}/surveys/", body, content_type="application/json")
    assert made.status_code == 201, made.content
    data = made.json()
    assert (data["year"], data["ci_computed"]) == (2025, True)
    assert float(data["ci_low"]) < 50 < float(data["ci_high"])
    row = SurveyResult.objects.get(pk=data["id"])
    assert (row.entered_via, row.entered_by) == ("api", rw.officer)
    changed = client.patch(
        f"{API}/surveys/{row.pk}/", {"value": "55"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["value"] == "55.000"
    assert changed.json()["survey_name"] == "KAP 2025"


# ---------------------------------------------------------------------- the matrix


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    data: dict[str, Any] | None = None


Build = Callable[[Records], Call]


def _survey_body(unit: Any) -> dict[str, Any]:
    return {
        "indicator": "caregiver_newborn_danger_signs",
        "unit": unit.pk,
        "survey_name": "Điều tra mới",
        "survey_date": "2025-09-01",
        "sample_size": 500,
        "value": "70",
    }


def _workforce_body(facility: Facility) -> dict[str, Any]:
    return {"facility": facility.pk, "year": 2026, "as_of": "2026-06-30", "midwives": 9}


OPERATIONS: dict[str, Build] = {
    "POST surveys": lambda r: Call("post", f"{API}/surveys/", _survey_body(r.world.rw.province)),
    "POST surveys far": lambda r: Call("post", f"{API}/surveys/", _survey_body(r.far_province)),
    "PATCH surveys": lambda r: Call("patch", f"{API}/surveys/{r.survey.pk}/", {"value": "66"}),
    "PATCH surveys far": lambda r: Call(
        "patch", f"{API}/surveys/{r.far_survey.pk}/", {"value": "66"}
    ),
    "DELETE surveys": lambda r: Call("delete", f"{API}/surveys/{r.survey.pk}/"),
    "POST policy": lambda r: Call(
        "post",
        f"{API}/policy/",
        {
            "indicator": "policy_budget_allocated",
            "unit": r.world.rw.commune.pk,
            "year": YEAR,
            "answer": True,
        },
    ),  # fmt: skip
    "PATCH policy": lambda r: Call("patch", f"{API}/policy/{r.policy.pk}/", {"answer": True}),
    "DELETE policy": lambda r: Call("delete", f"{API}/policy/{r.policy.pk}/"),
    "POST workforce hospital": lambda r: Call(
        "post", f"{API}/workforce/", _workforce_body(r.world.rw.hospital)
    ),
    "POST workforce station": lambda r: Call(
        "post", f"{API}/workforce/", _workforce_body(r.world.rw.station)
    ),
    "POST workforce far": lambda r: Call(
        "post", f"{API}/workforce/", _workforce_body(r.far_hospital)
    ),
    "PATCH workforce": lambda r: Call(
        "patch", f"{API}/workforce/{r.workforce.pk}/", {"midwives": 4}
    ),
    "DELETE workforce": lambda r: Call("delete", f"{API}/workforce/{r.workforce.pk}/"),
}
ROLES = ("officer", "staff", "other_staff", "hospital", "leader")
# What each role gets: saved (201 / 200 / 204), 403 (may read the unit, may not write
# there, or the unit is outside), 404 (the record is outside the role's units).
EXPECTED: dict[str, tuple[int, int, int, int, int]] = {
    "POST surveys": (201, 403, 403, 403, 403),
    "POST surveys far": (403, 403, 403, 403, 403),
    "PATCH surveys": (200, 404, 404, 403, 403),
    "PATCH surveys far": (404, 404, 404, 404, 404),
    "DELETE surveys": (204, 404, 404, 403, 403),
    "POST policy": (201, 201, 403, 403, 403),
    "PATCH policy": (200, 200, 404, 403, 403),
    "DELETE policy": (204, 204, 404, 403, 403),
    "POST workforce hospital": (201, 403, 403, 201, 403),
    "POST workforce station": (201, 201, 403, 403, 403),
    "POST workforce far": (403, 403, 403, 403, 403),
    "PATCH workforce": (200, 404, 404, 200, 403),
    "DELETE workforce": (204, 404, 404, 204, 403),
}
CASES = [
    pytest.param(op, role, EXPECTED[op][i], id=f"{op}|{role}")
    for op in OPERATIONS
    for i, role in enumerate(ROLES)
]


def test_the_matrix_names_every_write_operation_of_the_schema(client: Client) -> None:
    """A new write operation of the API must be added to the matrix."""
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    writes = {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        if path.startswith(f"{API}/")
        for method in item
        if method in ("post", "put", "patch", "delete")
    }
    covered = {
        f"{op.split()[0]} {API}/{op.split()[1]}/" + ("" if op.startswith("POST") else "{id}/")
        for op in OPERATIONS
    }
    assert writes == covered


@pytest.mark.parametrize(("op", "role", "expected"), CASES)
def test_every_write_in_and_outside_the_users_units(
    records: Records, op: str, role: str, expected: int
) -> None:
    call = OPERATIONS[op](records)
    client = _client(records.users[role])
    before = fingerprint()
    send = getattr(client, call.method)
    response = send(call.url, call.data or {}, content_type="application/json")
    assert response.status_code == expected, response.content.decode()[:500]
    written = fingerprint() != before
    assert written == (expected in (200, 201, 204))


def test_a_change_is_audited_with_its_way_in(records: Records) -> None:
    rw = records.world.rw
    response = _client(rw.staff).patch(
        f"{API}/policy/{records.policy.pk}/",
        {"numerator": "3", "denominator": "4"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["answer"], body["numerator"], body["denominator"]) == (None, "3.00", "4.00")
    entry = AuditEntry.objects.filter(model="policyvalue", action="update").get()
    assert entry.user == rw.staff and "api" in entry.note
