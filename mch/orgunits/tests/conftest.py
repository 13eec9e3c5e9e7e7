from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from mch.orgunits.demo import load_demo_facilities_and_attributes
from mch.orgunits.models import Level, OrgUnit
from mch.orgunits.reference import LoadReport, load_reference_units
from mch.orgunits.services import unit_create

REFORM = dt.date(2025, 7, 1)


class Reference:
    def __init__(self, first: LoadReport, second: LoadReport) -> None:
        self.first = first
        self.second = second

    @staticmethod
    def unit(level: str, code: str, valid_from: dt.date | None = None) -> OrgUnit:
        return OrgUnit.objects.get(level=level, code=code, valid_from=valid_from)


@pytest.fixture(scope="package")
def reference_data(django_db_setup: None, django_db_blocker) -> Iterator[Reference]:
    """The real package data (plus the demo layer), loaded once for the whole package
    inside a transaction that is rolled back afterwards, so other apps' tests see an
    empty database. Each test still runs in its own savepoint."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            first = load_reference_units()
            second = load_reference_units()
            load_demo_facilities_and_attributes()
            # Fire PostgreSQL's deferred FK checks now, in the outer transaction: left
            # pending, every test's savepoint rollback would re-arm and re-run them.
            connection.check_constraints()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield Reference(first, second)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def ref(reference_data: Reference, db: None) -> Reference:
    return reference_data


@pytest.fixture
def small_tree(db: None) -> dict[str, OrgUnit]:
    """Country > province > district > commune, built through the service."""
    country = unit_create(code="XX", name="Testland", level=Level.COUNTRY, parent=None)
    province = unit_create(code="T1", name="Tỉnh Một", level=Level.PROVINCE, parent=country)
    district = unit_create(
        code="T11",
        name="Huyện Một",
        level=Level.DISTRICT,
        parent=province,
        valid_to=dt.date(2025, 6, 30),
    )
    commune = unit_create(
        code="T111",
        name="Xã Một",
        level=Level.COMMUNE,
        parent=district,
        valid_to=dt.date(2025, 6, 30),
    )
    return {"country": country, "province": province, "district": district, "commune": commune}
