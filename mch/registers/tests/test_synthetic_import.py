"""Generated registers in the database: the synthetic province, imports of generated
bundles (clean and spoiled), a real province through the 2025 reform, the demo set and
the command."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from mch.accounts.models import Role
from mch.accounts.scope import Scope
from mch.accounts.services import user_create
from mch.orgunits.models import Attribute, Facility, OrgUnit, UnitAttribute
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import Immunisation, ImportBatch, Person, Pregnancy
from mch.registers.services import duplicates_find
from mch.registers.synthetic import MANIFEST_NAME, Manifest, Options
from mch.registers.synthetic.places import SYNTHETIC_SOURCE, synthetic_province_ensure
from mch.registers.synthetic.services import synthetic_generate

AS_OF = dt.date(2026, 11, 22)
REFORM = dt.date(2025, 7, 1)


def _options(**changes: object) -> Options:
    values = {"as_of": AS_OF, "births_per_year": 150, "years": 2, "seed": 3, "error_rate": 0.0}
    values.update(changes)
    return Options(**values)  # type: ignore[arg-type]


def _import(folder: Path) -> object:
    return bundle_import(source=folder, user=None, today=AS_OF)


@pytest.mark.django_db
def test_synthetic_province_is_created_once_with_a_third_ethnic_minority_communes() -> None:
    province = synthetic_province_ensure(number=7, communes=60)
    again = synthetic_province_ensure(number=7, communes=60)
    communes = OrgUnit.objects.filter(parent=province, level="commune")
    ethnic = UnitAttribute.objects.filter(
        unit__in=communes, key=Attribute.ETHNIC_MINORITY_AREA, value="true"
    )

    assert again == province and province.code == "S7" and province.parent.code == "VN"
    assert communes.count() == 60
    assert sorted(communes.values_list("code", flat=True))[:2] == ["39001", "39002"]
    assert 0.2 < ethnic.count() / 60 < 0.45
    assert (
        not UnitAttribute.objects.filter(unit__in=communes)
        .exclude(source=SYNTHETIC_SOURCE)
        .exists()
    )
    assert Facility.objects.filter(unit__in=communes, kind="commune_health_station").count() == 60
    assert Facility.objects.filter(code__in=["BVDK-S7", "BVSN-S7"]).count() == 2


@pytest.mark.django_db
def test_a_generated_province_imports_without_errors_and_again_unchanged(tmp_path: Path) -> None:
    manifest = synthetic_generate(directory=tmp_path, options=_options(), synthetic=7, communes=12)

    first = _import(tmp_path)
    second = _import(tmp_path)

    assert first.errors == []
    assert first.status == ImportBatch.Status.DONE
    assert first.count("created") == sum(manifest.rows.values())
    assert second.count("unchanged") == sum(manifest.rows.values())
    assert second.count("created") == second.count("updated") == 0
    assert Pregnancy.objects.filter(outcome="").exists()
    flags = {
        flag for flags in Immunisation.objects.values_list("flags", flat=True) for flag in flags
    }
    # doses follow the schedule: only lateness is flagged (as in real registers)
    assert flags <= {"dose_not_timely", "dose_after_latest_age", "dose_not_in_schedule"}


@pytest.mark.django_db
def test_the_importer_refuses_exactly_the_injected_errors(tmp_path: Path) -> None:
    synthetic_generate(
        directory=tmp_path, options=_options(error_rate=0.03), synthetic=7, communes=12
    )
    manifest = Manifest.load(tmp_path / MANIFEST_NAME)

    result = bundle_import(source=tmp_path, user=None, today=AS_OF, keep_valid_rows=True)

    assert manifest.total_errors > 50
    assert {error.id for error in result.errors} == manifest.refused()
    assert result.count("rejected") == len(manifest.refused())
    for _, key in manifest.errors["duplicate_woman"]:
        copy = Person.objects.get(external_id=key)
        found = duplicates_find(
            full_name=copy.full_name,
            birth_date=copy.birth_date,
            residence_unit=copy.residence_unit,
            exclude_id=copy.pk,
        )
        assert [m.person.external_id for m in found if "birth_date" in m.reasons]


@pytest.mark.django_db
def test_the_command_generates_and_imports(tmp_path: Path) -> None:
    out = io.StringIO()

    call_command(
        "generate_registers",
        "--synthetic",
        "8",
        "--communes",
        "10",
        "--births-per-year",
        "60",
        "--years",
        "2",
        "--as-of",
        "22/11/2026",
        "--error-rate",
        "0",
        "-o",
        str(tmp_path),
        "--import",
        stdout=out,
    )

    assert "Nhập:" in out.getvalue() and "0 bị từ chối" in out.getvalue()
    assert (tmp_path / "persons.csv").exists() and (tmp_path / MANIFEST_NAME).exists()
    assert Person.objects.filter(external_id__startswith="S1-S8-P").count() > 100


# ---------------------------------------------------------------------- a real province


@pytest.fixture(scope="module")
def reference(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """The real units (both maps), demo facilities and classifications and the
    immunisation schedule, loaded once in a transaction rolled back after the module."""
    from mch.immunisation.services import schedule_load
    from mch.orgunits.demo import load_demo_facilities_and_attributes
    from mch.orgunits.reference import load_reference_units

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_reference_units()
            load_demo_facilities_and_attributes()
            schedule_load()
            connection.check_constraints()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_records_of_a_real_province_resolve_before_and_after_the_reform(
    reference: None, db: None, tmp_path: Path
) -> None:
    synthetic_generate(
        directory=tmp_path,
        options=_options(births_per_year=80, years=3),
        province="56",
        only=["22759", "22795"],
    )

    result = _import(tmp_path)
    phan_rang = OrgUnit.objects.get(level="commune", code="22759", valid_from=REFORM)
    staff = user_create(
        username="tram-test",
        password="Mat-khau-thu-2025!",  # noqa: S106
        role=Role.COMMUNE_STAFF,
        units=[phan_rang],
        full_name="Trạm",
        validate=False,
    )
    seen = Scope.for_user(staff).filter(Person.objects.all(), "residence_unit")
    old_units = set(seen.values_list("residence_unit__valid_to", flat=True))

    assert result.errors == []
    assert seen.count() > 30
    assert old_units == {None, dt.date(2025, 6, 30)}  # registered before and after the reform
    assert Immunisation.objects.filter(
        date__lt=REFORM, residence_unit__valid_to__isnull=False
    ).exists()
    assert not Immunisation.objects.filter(
        date__gte=REFORM, residence_unit__valid_to__isnull=False
    ).exists()


def test_the_demo_registers_load_once(reference: None, db: None) -> None:
    from mch.registers.synthetic.demo import DEMO_COMMUNES, demo_registers_load

    created = demo_registers_load(today=AS_OF)
    again = demo_registers_load(today=AS_OF)
    communes = OrgUnit.objects.filter(
        level="commune", code__in=DEMO_COMMUNES[:2], valid_from=REFORM
    )

    assert 300 < Person.objects.count() < 800
    assert created > 3000 and again == 0
    for commune in communes:
        scope = Scope.for_units([commune])
        assert scope.filter(Person.objects.all(), "residence_unit").count() > 30
        assert scope.filter(Pregnancy.objects.filter(outcome=""), "residence_unit").exists()
