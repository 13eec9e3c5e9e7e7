from __future__ import annotations

import datetime as dt

import pytest

from mch.orgunits.models import Level, OrgUnit, UnitChange, UnitLineage
from mch.orgunits.reference import PROVINCE_BASIS, load_reference_units

from .conftest import REFORM, Reference

BEFORE = dt.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("level", "day", "count"),
    [
        (Level.PROVINCE, REFORM, 34),
        (Level.COMMUNE, REFORM, 3321),
        (Level.PROVINCE, BEFORE, 63),
        (Level.DISTRICT, BEFORE, 696),
        (Level.COMMUNE, BEFORE, 10035),
        (Level.DISTRICT, REFORM, 0),
        (Level.COUNTRY, REFORM, 1),
    ],
)
def test_counts_per_era(ref: Reference, level: str, day: dt.date, count: int) -> None:
    assert OrgUnit.objects.at_level(level).valid_on(day).count() == count


def test_first_load_creates_everything(ref: Reference) -> None:
    assert dict(ref.first.created) == {
        "country": 1,
        "province": 86,  # 52 ended + 23 new + 11 spanning both eras
        "district": 696,
        "commune": 13356,
    }
    assert ref.first.links_created > 10000


def test_second_load_changes_nothing(ref: Reference) -> None:
    assert ref.second.touched == 0
    assert ref.second.changes_created == 0
    assert sum(ref.second.unchanged.values()) == 14139


def test_rerun_inside_a_test_is_idempotent(ref: Reference) -> None:
    before = (OrgUnit.objects.count(), UnitLineage.objects.count(), UnitChange.objects.count())

    report = load_reference_units()

    assert report.touched == 0
    assert (
        OrgUnit.objects.count(),
        UnitLineage.objects.count(),
        UnitChange.objects.count(),
    ) == before


def test_load_takes_seconds(ref: Reference) -> None:
    assert ref.first.seconds < 30


@pytest.mark.parametrize(
    ("code", "name", "valid_from", "valid_to"),
    [
        ("24", "Tỉnh Bắc Ninh", REFORM, None),
        ("24", "Tỉnh Bắc Giang", None, BEFORE),
        ("27", "Tỉnh Bắc Ninh", None, BEFORE),
        ("15", "Tỉnh Lào Cai", REFORM, None),
        ("15", "Tỉnh Yên Bái", None, BEFORE),
        ("10", "Tỉnh Lào Cai", None, BEFORE),
        ("01", "Thành phố Hà Nội", None, None),
        ("46", "Thành phố Huế", None, None),
    ],
)
def test_province_records(
    ref: Reference, code: str, name: str, valid_from: dt.date | None, valid_to: dt.date | None
) -> None:
    unit = ref.unit(Level.PROVINCE, code, valid_from)

    assert (unit.name, unit.valid_to) == (name, valid_to)


def test_unchanged_province_spans_both_eras(ref: Reference) -> None:
    hanoi = ref.unit(Level.PROVINCE, "01")

    districts = hanoi.children.filter(level=Level.DISTRICT)
    communes = hanoi.children.filter(level=Level.COMMUNE)
    assert districts.count() == 30
    assert set(districts.values_list("valid_to", flat=True)) == {BEFORE}
    assert communes.count() == 126
    assert set(communes.values_list("valid_from", flat=True)) == {REFORM}
    assert not hanoi.successor_links.exists()


def test_paths_follow_the_tree(ref: Reference) -> None:
    commune = OrgUnit.objects.select_related("parent__parent").get(
        level=Level.COMMUNE, code="00001", valid_from=None
    )

    assert commune.depth == 3
    assert commune.path == f"{commune.parent.path}{commune.pk}/"
    assert commune.parent.parent.code == "01"
    assert not OrgUnit.objects.filter(path="").exists()


def test_province_merger_lineage(ref: Reference) -> None:
    link = UnitLineage.objects.select_related("change").get(
        source=ref.unit(Level.PROVINCE, "10"), target=ref.unit(Level.PROVINCE, "15", REFORM)
    )

    assert (link.share, link.is_primary) == (1, True)
    assert (link.change.kind, link.change.legal_basis) == (UnitChange.Kind.MERGE, PROVINCE_BASIS)
    assert UnitLineage.objects.filter(change=link.change).count() == 52


def test_split_commune_has_one_primary_successor_and_no_shares(ref: Reference) -> None:
    links = UnitLineage.objects.filter(change__kind=UnitChange.Kind.SPLIT)
    sources = set(links.values_list("source_id", flat=True))

    assert len(sources) == 471
    assert links.filter(is_primary=True).count() == 471
    assert not links.filter(share__isnull=False).exists()


def test_island_district_became_a_special_zone(ref: Reference) -> None:
    con_dao = ref.unit(Level.DISTRICT, "755")

    (link,) = con_dao.successor_links.select_related("target")
    assert (link.target.kind, link.target.short_name, link.share) == ("Đặc khu", "Côn Đảo", 1)


def test_every_old_commune_has_a_successor(ref: Reference) -> None:
    old = OrgUnit.objects.at_level(Level.COMMUNE).filter(valid_to=BEFORE)

    assert not old.filter(successor_links__isnull=True).exists()
    new = OrgUnit.objects.at_level(Level.COMMUNE).filter(valid_from=REFORM)
    assert not new.filter(predecessor_links__isnull=True).exists()
