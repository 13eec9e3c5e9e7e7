"""The whole API fuzzed from its own OpenAPI schema (Schemathesis): every operation, as a
logged-in province officer over a province with records, with valid and invalid requests
generated from the schema. No answer may be a server error, and every answer must be one
the schema documents (status code, content type, body).

A fixed seed and a bounded number of examples per operation keep a run repeatable and
quick. Half of the examples name records that exist (a person, a pregnancy, a delivery…)
so that requests get past the lookups into the checks and the services. Requests go
straight to the WSGI application, inside the test's transaction."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mch.indicators.tests.test_values_api import records_write
from mch.plans.models import Plan
from mch.registers import services
from mch.registers.api import ROUTES
from mch.registers.models import Birth, Delivery, Person
from mch.registers.testing import PASSWORD, TODAY, build_register_world
from mch.reported_values import services as reported
from mch.reported_values.api import ROUTES as REPORTED_ROUTES

SEED = 20261207
EXAMPLES_PER_OPERATION = 6  # for each of valid and invalid requests
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)

CONFIG = schemathesis.Config.from_dict({"seed": SEED, "generation": {"database": "none"}})
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
AUTH = "Basic " + base64.b64encode(f"so:{PASSWORD}".encode()).decode()


def _records() -> dict[str, Any]:
    """A province with a few of every record, and the references the fuzzer may use."""
    world = build_register_world()
    records_write(world)
    day = TODAY - dt.timedelta(days=30)
    woman = Person.objects.filter(residence_unit=world.commune, birth_date__year=1995).first()
    assert woman is not None
    pregnancy = services.pregnancy_register(
        user=world.staff, person=woman, date=day, lmp=day - dt.timedelta(days=60), today=TODAY
    )
    services.antenatal_visit_record(user=world.staff, pregnancy=pregnancy, date=day, today=TODAY)
    delivery = Delivery.objects.filter(person__residence_unit=world.commune).first()
    birth = Birth.objects.filter(delivery=delivery).first()
    assert delivery is not None and birth is not None and birth.person is not None
    child = birth.person
    born = child.birth_date
    assert born is not None
    services.measurement_record(
        user=world.staff, person=child, date=born, weight_kg=3.1, length_cm=49.0, today=TODAY
    )
    services.dose_record(user=world.staff, person=child, antigen="BCG", dose=1, date=born)
    Plan.objects.create(
        slug="khanh-hoa-thu",
        kind="ke_hoach",
        title="Kế hoạch thử",
        issuer_name="UBND tỉnh",
        issuer_unit=world.province,
        scope_unit=world.province,
        period_start=2024,
        period_end=2030,
    )
    # One of each reported value (survey, policy item, workforce report) to read and change.
    survey = reported.survey_result_save(
        user=world.officer, indicator_code="caregiver_newborn_danger_signs", unit=world.province,
        survey_name="MICS 2025", survey_date="15/06/2025", sample_size=400, value="62,5",
    )  # fmt: skip
    policy = reported.policy_value_save(
        user=world.officer, indicator_code="policy_goal_in_sep", unit=world.commune, year=2025,
        answer=True,
    )  # fmt: skip
    workforce = reported.workforce_report_save(
        user=world.officer, facility=world.hospital, year=2025, as_of="31/12/2025",
        counts={"obstetric_level1": 2, "paediatric_level1": 2},
    )  # fmt: skip
    assert policy is not None
    reported_ids = dict(
        zip(
            [f"/api/{prefix}/" for prefix, _, _ in REPORTED_ROUTES],
            [survey.pk, policy.pk, workforce.pk],
            strict=True,
        )
    )
    ids = {
        f"/api/{prefix}/": viewset.output_serializer.Meta.model._default_manager.values_list(
            "pk", flat=True
        ).first()
        if hasattr(viewset, "output_serializer")
        else woman.pk
        for prefix, viewset, _ in ROUTES
    }
    return {
        "ids": {**ids, **reported_ids, "/api/units/": world.commune.pk},
        "slug": "khanh-hoa-thu",
        "code": "facility_birth",
        "body": {
            "person": woman.pk,
            "pregnancy": pregnancy.pk,
            "delivery": delivery.pk,
            "duplicate": child.pk,
            "mother": woman.pk,
            "residence_unit": world.commune.pk,
            "commune_code": world.commune.code,
            "facility": world.station.pk,
            "unit": world.commune.pk,
        },
    }


@pytest.fixture
def api(db, settings) -> Iterator[tuple[Any, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    known = _records()
    # Each request would otherwise close the test's connection, and its transaction with it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=CONFIG), known
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _with_known_records(case: Any, known: dict[str, Any]) -> Any:
    """The case naming records that exist, where it names any."""
    path = case.path_parameters or {}
    if "id" in path:
        prefix = next(p for p in known["ids"] if case.operation.path.startswith(p))
        if known["ids"][prefix] is not None:
            path["id"] = known["ids"][prefix]
    for name in ("slug", "code"):
        if name in path:
            path[name] = known[name]
    if isinstance(case.body, dict):
        for name, value in known["body"].items():
            if name in case.body:
                case.body[name] = value
    return case


def _fuzz(operation: Any, mode: GenerationMode, known: dict[str, Any], found: list[str]) -> int:
    """Send the generated requests of one operation; failures are collected, not raised, so
    a run lists every operation at fault. Returns the number of requests sent."""
    sent = 0
    cases = st.tuples(operation.as_strategy(generation_mode=mode), st.booleans()).map(
        lambda drawn: _with_known_records(drawn[0], known) if drawn[1] else drawn[0]
    )

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        try:
            case.call_and_validate(headers={"Authorization": AUTH}, checks=CHECKS)
        except FailureGroup as failures:
            found.extend(
                f"{operation.label} [{mode.value}]: {failure.title}: {failure.message}"
                for failure in failures.exceptions
            )

    run()
    return sent


def test_no_request_breaks_the_api_or_its_schema(api: tuple[Any, dict[str, Any]]) -> None:
    schema, known = api
    operations = [result.ok() for result in schema.get_all_operations()]
    found: list[str] = []
    sent = sum(_fuzz(op, mode, known, found) for op in operations for mode in MODES)
    print(f"fuzzed {len(operations)} operations with {sent} requests")
    assert len(operations) >= 50
    print(*found, sep="\n")
    assert found == []
