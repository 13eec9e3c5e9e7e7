from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from mch.indicators import registry
from mch.indicators.models import Indicator, IndicatorVersion, PopulationGroup
from mch.indicators.services import catalogue_load, indicator_version_create
from mch.indicators.tests.conftest import indicator_entry
from mch.orgunits.models import OrgUnit
from mch.plans.models import Plan, Target

pytestmark = pytest.mark.django_db

GROUP = {"code": "all", "name_vi": "Toàn bộ", "name_en": "Everyone", "definition": {}}


def make_target(version: IndicatorVersion) -> Target:
    unit = OrgUnit.objects.create(code="58", name="Ninh Thuận", level="province", path="/1/")
    plan = Plan.objects.create(
        slug="test-plan",
        kind="ke_hoach",
        title="Kế hoạch thử",
        issuer_name="UBND",
        issuer_unit=unit,
        scope_unit=unit,
        period_start=2022,
        period_end=2030,
    )
    return Target.objects.create(
        plan=plan,
        indicator=version.indicator,
        indicator_version=version,
        year=2025,
        population=PopulationGroup.objects.get(code="all"),
        value=98,
        source_part="body",
        comparator="dat",
    )


def test_first_load_creates_indicators_with_version_one(write_catalogue) -> None:
    directory = write_catalogue(
        "core.yaml", [indicator_entry(code="a"), indicator_entry(code="b")], [GROUP]
    )

    summary = catalogue_load(directory=directory)

    assert (summary.indicators_created, summary.versions_created, summary.groups_created) == (
        2,
        2,
        1,
    )
    assert list(IndicatorVersion.objects.values_list("version", flat=True)) == [1, 1]
    assert IndicatorVersion.objects.get(indicator__code="a").change_reason == "Tạo từ tệp core.yaml"


def test_load_is_idempotent(write_catalogue) -> None:
    directory = write_catalogue("core.yaml", [indicator_entry(code="a")], [GROUP])
    catalogue_load(directory=directory)

    summary = catalogue_load(directory=directory)

    assert (summary.indicators_created, summary.versions_created, summary.unchanged) == (0, 0, 1)
    assert (summary.groups_created, summary.groups_updated) == (0, 0)
    assert IndicatorVersion.objects.count() == 1


def test_changed_definition_creates_a_new_version_and_keeps_the_old(write_catalogue) -> None:
    directory = write_catalogue("core.yaml", [indicator_entry(code="a", numerator="Cũ")], [GROUP])
    catalogue_load(directory=directory)
    old = IndicatorVersion.objects.get()
    target = make_target(old)
    write_catalogue("core.yaml", [indicator_entry(code="a", numerator="Mới")], [GROUP])

    summary = catalogue_load(directory=directory)

    old.refresh_from_db()
    target.refresh_from_db()
    new = Indicator.objects.get(code="a").current_version()
    assert (summary.versions_created, summary.changed_codes) == (1, ["a"])
    assert (old.version, old.numerator) == (1, "Cũ")
    assert (new.version, new.numerator) == (2, "Mới")
    assert target.indicator_version_id == old.pk


def test_referenced_old_version_cannot_be_deleted(write_catalogue) -> None:
    directory = write_catalogue("core.yaml", [indicator_entry(code="a")], [GROUP])
    catalogue_load(directory=directory)
    version = IndicatorVersion.objects.get()
    make_target(version)

    with pytest.raises(ProtectedError):
        version.delete()


def test_domain_change_updates_the_indicator_without_a_version(write_catalogue) -> None:
    directory = write_catalogue("core.yaml", [indicator_entry(code="a")])
    catalogue_load(directory=directory)
    write_catalogue("core.yaml", [indicator_entry(code="a", domain="behaviour")])

    summary = catalogue_load(directory=directory)

    assert (summary.domains_changed, summary.versions_created) == (1, 0)
    assert Indicator.objects.get().domain == "behaviour"


def test_changed_population_group_is_updated(write_catalogue) -> None:
    directory = write_catalogue("core.yaml", [], [GROUP])
    catalogue_load(directory=directory)
    write_catalogue("core.yaml", [], [{**GROUP, "definition": {"ethnicity": "01"}}])

    summary = catalogue_load(directory=directory)

    assert summary.groups_updated == 1
    assert PopulationGroup.objects.get().definition == {"ethnicity": "01"}


def test_malformed_file_writes_nothing(write_catalogue) -> None:
    write_catalogue("core.yaml", [indicator_entry(code="a")], [GROUP])
    directory = write_catalogue("extra-x.yaml", [indicator_entry(code="a")])

    with pytest.raises(registry.CatalogueError):
        catalogue_load(directory=directory)

    assert (Indicator.objects.count(), PopulationGroup.objects.count()) == (0, 0)


def test_indicator_missing_from_files_is_kept_and_listed(write_catalogue) -> None:
    directory = write_catalogue("core.yaml", [indicator_entry(code="a"), indicator_entry(code="b")])
    catalogue_load(directory=directory)
    write_catalogue("core.yaml", [indicator_entry(code="a")])

    summary = catalogue_load(directory=directory)

    assert summary.not_in_files == ["b"]
    assert Indicator.objects.filter(code="b").exists()


def test_real_catalogue_loads_with_every_core_code() -> None:
    summary = catalogue_load()
    codes = set(Indicator.objects.values_list("code", flat=True))
    core = {s.code for s in registry.load_catalogue().indicators if s.source == "core.yaml"}

    assert core <= codes
    assert summary.versions_created == summary.indicators_total == Indicator.objects.count()
    assert catalogue_load().versions_created == 0
    assert PopulationGroup.objects.count() >= 6


@pytest.fixture
def loaded(write_catalogue) -> Indicator:
    catalogue_load(directory=write_catalogue("core.yaml", [indicator_entry(code="a")]))
    return Indicator.objects.get(code="a")


def test_admin_edit_creates_next_version_from_the_latest(
    loaded: Indicator, django_user_model
) -> None:
    user = django_user_model.objects.create_user("editor")

    version = indicator_version_create(
        indicator=loaded, changes={"numerator": "Tử số mới"}, reason="Sửa theo TT mới", user=user
    )

    first = loaded.versions.get(version=1)
    assert (version.version, version.numerator, version.name_vi) == (2, "Tử số mới", first.name_vi)
    assert (version.change_reason, version.created_by) == ("Sửa theo TT mới", user)
    assert first.numerator == "Tử số"


@pytest.mark.parametrize(
    ("changes", "reason", "message"),
    [
        ({"numerator": "Tử số"}, "lý do", "không thay đổi"),
        ({"numerator": "x"}, " ", "lý do"),
        ({"multiplier": 10}, "lý do", "'multiplier' = 10"),
        ({"unit_symbol": "‰"}, "lý do", "không khớp"),
        ({"code": "b"}, "lý do", "không sửa được: code"),
        ({"version": 7}, "lý do", "không sửa được: version"),
    ],
)
def test_admin_edit_is_validated(
    loaded: Indicator, changes: dict, reason: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        indicator_version_create(indicator=loaded, changes=changes, reason=reason, user=None)

    assert message in " ".join(caught.value.messages)
    assert loaded.versions.count() == 1


def test_reload_keeps_an_admin_edit_while_the_file_is_unchanged(write_catalogue) -> None:
    directory = write_catalogue("core.yaml", [indicator_entry(code="a")])
    catalogue_load(directory=directory)
    indicator = Indicator.objects.get()
    indicator_version_create(indicator=indicator, changes={"notes": "Sửa"}, reason="r", user=None)

    summary = catalogue_load(directory=directory)

    assert (summary.versions_created, summary.admin_edits_kept) == (0, ["a"])
    assert indicator.current_version().notes == "Sửa"


def test_changed_file_wins_over_an_earlier_admin_edit(write_catalogue) -> None:
    directory = write_catalogue("core.yaml", [indicator_entry(code="a")])
    catalogue_load(directory=directory)
    indicator = Indicator.objects.get()
    indicator_version_create(indicator=indicator, changes={"notes": "Sửa"}, reason="r", user=None)
    write_catalogue("core.yaml", [indicator_entry(code="a", numerator="Mới")])

    summary = catalogue_load(directory=directory)

    latest = indicator.current_version()
    assert (latest.version, latest.numerator, latest.notes) == (3, "Mới", "")
    assert summary.changed_codes == ["a"]
    assert list(indicator.versions.values_list("version", flat=True)) == [3, 2, 1]
