from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mch.orgunits.models import Level, OrgUnit
from mch.orgunits.services import unit_create, unit_move, units_bulk_create


def test_unit_create_sets_path_and_depth(small_tree: dict[str, OrgUnit]) -> None:
    country, province = small_tree["country"], small_tree["province"]
    district, commune = small_tree["district"], small_tree["commune"]

    assert country.path == f"/{country.pk}/"
    assert commune.path == f"/{country.pk}/{province.pk}/{district.pk}/{commune.pk}/"
    assert [u.depth for u in (country, province, district, commune)] == [0, 1, 2, 3]
    assert OrgUnit.objects.get(pk=commune.pk).path == commune.path


@pytest.mark.parametrize(
    ("level", "parent_key", "valid_from", "valid_to"),
    [
        (Level.PROVINCE, "commune", None, None),
        (Level.PROVINCE, "province", None, None),
        (Level.COUNTRY, "country", None, None),
        (Level.COMMUNE, "province", dt.date(2025, 7, 1), dt.date(2025, 1, 1)),
    ],
)
def test_unit_create_rejects_bad_units(
    small_tree: dict[str, OrgUnit],
    level: str,
    parent_key: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
) -> None:
    with pytest.raises(ValidationError):
        unit_create(
            code="BAD",
            name="Bad",
            level=level,
            parent=small_tree[parent_key],
            valid_from=valid_from,
            valid_to=valid_to,
        )

    assert not OrgUnit.objects.filter(code="BAD").exists()


def test_bulk_create_sets_paths_for_new_and_existing_parents(
    small_tree: dict[str, OrgUnit],
) -> None:
    province = small_tree["province"]
    new_province = OrgUnit(
        code="T2", name="Tỉnh Hai", level=Level.PROVINCE, parent=small_tree["country"]
    )
    communes = [
        OrgUnit(code=f"C{i}", name=f"Xã {i}", level=Level.COMMUNE, parent=parent)
        for i, parent in enumerate([province, new_province, new_province])
    ]

    created = units_bulk_create(units=[*communes, new_province])

    stored = {u.code: u for u in OrgUnit.objects.filter(code__in=["T2", "C0", "C1", "C2"])}
    assert len(created) == 4
    assert stored["C0"].path == f"{province.path}{stored['C0'].pk}/"
    assert stored["C2"].path == f"{stored['T2'].path}{stored['C2'].pk}/"
    assert [stored[c].depth for c in ("T2", "C0", "C1", "C2")] == [1, 2, 2, 2]
    assert [u.path for u in created] == [stored[u.code].path for u in created]


def test_unit_move_rewrites_the_subtree(small_tree: dict[str, OrgUnit]) -> None:
    other = unit_create(
        code="T2", name="Tỉnh Hai", level=Level.PROVINCE, parent=small_tree["country"]
    )

    unit_move(unit=small_tree["district"], parent=other)

    commune = OrgUnit.objects.get(pk=small_tree["commune"].pk)
    assert commune.path.startswith(other.path)
    assert commune.depth == 3
    assert not OrgUnit.objects.in_subtree(small_tree["province"]).filter(pk=commune.pk).exists()


def test_unit_move_refuses_a_cycle(small_tree: dict[str, OrgUnit]) -> None:
    with pytest.raises(ValidationError):
        unit_move(unit=small_tree["province"], parent=small_tree["commune"])
