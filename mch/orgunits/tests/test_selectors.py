from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mch.orgunits.models import Attribute, Level, OrgUnit, UnitAttribute, UnitChange
from mch.orgunits.selectors import (
    ancestors,
    attribute_on,
    children_on,
    comparable_units,
    predecessors,
    subtree,
    successors,
    unit_history,
    units_valid_on,
)

from .conftest import REFORM, Reference

D = dt.date


def _codes(pairs: list[tuple[OrgUnit, Decimal]]) -> list[tuple[str, str, Decimal]]:
    return [(u.level, u.code, w) for u, w in pairs]


@pytest.mark.parametrize(
    ("code", "valid_from", "on", "expected"),
    [
        ("24", REFORM, D(2023, 6, 30), [("province", "24", 1), ("province", "27", 1)]),
        ("24", None, D(2026, 1, 1), [("province", "24", 1)]),
        ("27", None, D(2026, 1, 1), [("province", "24", 1)]),
        (
            "68",
            REFORM,
            D(2024, 1, 1),
            [("province", "60", 1), ("province", "67", 1), ("province", "68", 1)],
        ),
        ("01", None, D(2020, 1, 1), [("province", "01", 1)]),
        ("24", REFORM, D(2026, 1, 1), [("province", "24", 1)]),
    ],
)
def test_comparable_provinces(
    ref: Reference,
    code: str,
    valid_from: dt.date | None,
    on: dt.date,
    expected: list[tuple[str, str, int]],
) -> None:
    unit = ref.unit(Level.PROVINCE, code, valid_from)

    assert _codes(comparable_units(unit, on=on)) == [(lvl, c, Decimal(w)) for lvl, c, w in expected]


def test_comparable_new_bac_ninh_resolves_to_old_provinces_valid_that_day(ref: Reference) -> None:
    new = ref.unit(Level.PROVINCE, "24", REFORM)

    units = [unit for unit, _ in comparable_units(new, on=D(2023, 6, 30))]

    assert all(unit.is_valid_on(D(2023, 6, 30)) for unit in units)
    assert [unit.name for unit in units] == ["Tỉnh Bắc Giang", "Tỉnh Bắc Ninh"]


def test_comparable_commune_split_counts_whole_for_primary_only(ref: Reference) -> None:
    old = ref.unit(Level.COMMUNE, "00004")  # Trúc Bạch, merged whole into Ba Đình
    split_link = ref.unit(Level.COMMUNE, "00007").successor_links.select_related("target")
    primary = split_link.get(is_primary=True).target
    secondary = split_link.filter(is_primary=False).first().target

    assert _codes(comparable_units(old, on=D(2026, 1, 1))) == [("commune", "00004", Decimal(1))]
    assert ("commune", "00007", Decimal(1)) in _codes(comparable_units(primary, on=D(2024, 1, 1)))
    assert ("commune", "00007", Decimal(1)) not in _codes(
        comparable_units(secondary, on=D(2024, 1, 1))
    )


def test_comparable_uses_imported_shares(ref: Reference) -> None:
    old = ref.unit(Level.COMMUNE, "00007")
    links = list(old.successor_links.order_by("-is_primary", "pk"))
    for link, share in zip(links, ["0.6", "0.4"], strict=False):
        link.share = Decimal(share)
        link.save()

    forward = {u.pk: w for u, w in comparable_units(old, on=D(2026, 1, 1))}
    backward = {u.pk: w for u, w in comparable_units(links[1].target, on=D(2024, 1, 1))}

    assert forward[links[0].target_id] == Decimal("0.6")
    assert forward[links[1].target_id] == Decimal("0.4")
    assert backward[old.pk] == Decimal("0.4")


def test_predecessors_and_successors(ref: Reference) -> None:
    new = ref.unit(Level.PROVINCE, "15", REFORM)
    yen_bai = ref.unit(Level.PROVINCE, "15")

    assert [u.code for u in predecessors(new)] == ["10", "15"]
    assert [u.code for u in predecessors(new, transitive=True)] == ["10", "15"]
    assert successors(yen_bai) == [new]
    assert successors(new) == []


def test_units_valid_on_and_subtree(ref: Reference) -> None:
    lao_cai = ref.unit(Level.PROVINCE, "15", REFORM)
    yen_bai = ref.unit(Level.PROVINCE, "15")

    assert units_valid_on(D(2026, 1, 1), level=Level.PROVINCE).filter(code="15").get() == lao_cai
    assert units_valid_on(D(2024, 1, 1), level=Level.PROVINCE).filter(code="15").get() == yen_bai
    assert subtree(lao_cai, include_self=False).count() == 99
    assert subtree(yen_bai, on=D(2024, 1, 1)).filter(level=Level.DISTRICT).count() == 9
    assert subtree(yen_bai, on=D(2026, 1, 1)).count() == 0


@pytest.mark.parametrize(
    ("day", "levels"),
    [(D(2024, 1, 1), {"district"}), (D(2025, 7, 1), {"commune"})],
)
def test_children_on_a_province_spanning_both_eras(
    ref: Reference, day: dt.date, levels: set[str]
) -> None:
    children = children_on(ref.unit(Level.PROVINCE, "01"), day)

    assert set(children.values_list("level", flat=True)) == levels


def test_ancestors(ref: Reference) -> None:
    commune = ref.unit(Level.COMMUNE, "00001")

    assert [(u.level, u.code) for u in ancestors(commune)] == [
        ("country", "VN"),
        ("province", "01"),
        ("district", "001"),
    ]


def test_unit_history_of_a_new_province(ref: Reference) -> None:
    history = unit_history(ref.unit(Level.PROVINCE, "24", REFORM))

    (event,) = history.before
    assert event.effective_on == REFORM
    assert event.change.legal_basis == "Nghị quyết 202/2025/QH15"
    assert [(linked.unit.name, linked.share) for linked in event.units] == [
        ("Tỉnh Bắc Giang", 1),
        ("Tỉnh Bắc Ninh", 1),
    ]
    assert history.after == []
    assert history.started == REFORM


def test_unit_history_of_an_old_commune_and_a_district(ref: Reference) -> None:
    commune = unit_history(ref.unit(Level.COMMUNE, "00007"))
    district = unit_history(ref.unit(Level.DISTRICT, "001"))

    assert [e.change.kind for e in commune.after] == [UnitChange.Kind.SPLIT]
    assert sum(linked.is_primary for linked in commune.after[0].units) == 1
    assert [e.change.kind for e in district.after] == [UnitChange.Kind.ABOLISH]
    assert district.ended == D(2025, 6, 30)


@pytest.mark.parametrize(
    ("day", "value"),
    [(D(2020, 1, 1), None), (D(2022, 1, 1), "II"), (D(2025, 12, 31), "II"), (D(2026, 1, 1), "III")],
)
def test_attribute_on(small_tree: dict[str, OrgUnit], day: dt.date, value: str | None) -> None:
    commune = small_tree["commune"]
    UnitAttribute.objects.create(
        unit=commune,
        key=Attribute.ZONE,
        value="II",
        valid_from=D(2021, 6, 4),
        valid_to=D(2025, 12, 31),
    )
    UnitAttribute.objects.create(
        unit=commune, key=Attribute.ZONE, value="III", valid_from=D(2026, 1, 1)
    )

    assert attribute_on(commune, Attribute.ZONE, day) == value


class _OnlyProvinceOne:
    def __init__(self, unit: OrgUnit) -> None:
        self.unit = unit

    def filter(self, queryset, unit_field: str = ""):  # type: ignore[no-untyped-def]
        return queryset.filter(path__startswith=self.unit.path)


def test_selectors_apply_a_scope(small_tree: dict[str, OrgUnit]) -> None:
    scope = _OnlyProvinceOne(small_tree["district"])

    assert list(units_valid_on(D(2024, 1, 1), scope=scope)) == [
        small_tree["district"],
        small_tree["commune"],
    ]
