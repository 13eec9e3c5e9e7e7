"""One rule each, the same in forms/API (the services) and in bulk import: the plausibility
of a length or weight, the last day with z-scores, and the village of an event."""

from __future__ import annotations

import datetime as dt

import pytest

from mch.growth import LAST_Z_DAY
from mch.registers import services
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import GrowthMeasurement, ImportBatch, Person
from mch.registers.rules import RecordInvalid as Invalid
from mch.registers.testing import TODAY

from .bundle_helpers import write_bundle

BORN = dt.date(2020, 1, 1)


def _child(rw, birth: dt.date = BORN) -> Person:
    return services.person_register(
        user=rw.staff,
        full_name="Lê Văn Bình",
        sex="M",
        birth_date=birth,
        residence_unit=rw.commune,
        village="Thôn 1",
        today=TODAY,
    )


def _by_form(rw, child: Person, age: int, length: float, position: str, weight=None):
    return services.measurement_record(
        user=rw.staff,
        person=child,
        date=child.birth_date + dt.timedelta(days=age),
        weight_kg=weight,
        length_cm=length,
        position=position,
        today=TODAY,
    )


def _by_import(rw, tmp_path, age: int, length: float, position: str, weight=None):
    day = BORN + dt.timedelta(days=age)
    files = {
        "persons": [
            {
                "ma": "TR-1",
                "ho_ten": "Lê Văn Bình",
                "gioi_tinh": "Nam",
                "ngay_sinh": BORN.strftime("%d/%m/%Y"),
                "ma_xa": "22795",
            }
        ],
        "growth": [
            {
                "ma": "CD-1",
                "ma_nguoi": "TR-1",
                "ngay": day.strftime("%d/%m/%Y"),
                "can_nang_kg": "" if weight is None else str(weight).replace(".", ","),
                "chieu_cao_cm": str(length).replace(".", ","),
                "tu_the_do": {"lying": "Nằm", "standing": "Đứng"}[position],
            }
        ],
    }
    folder = write_bundle(tmp_path / f"b{age}{length}{position}", files)
    result = bundle_import(source=folder, user=rw.staff, today=TODAY)
    return result, GrowthMeasurement.objects.filter(external_id="CD-1").first()


# (age in days, length cm, position, weight kg, expected HAZ, stunting, warning codes)
EDGES = [
    # the last day with z-scores (1826 / 30.4375 = 59.99 months) and the first without
    (LAST_Z_DAY - 1, 100.0, "standing", None, -2.15, "moderate", []),
    (LAST_Z_DAY, 100.0, "standing", None, -2.15, "moderate", []),
    (LAST_Z_DAY + 1, 100.0, "standing", None, None, "", ["age_over_5"]),
    # the 0.7 cm conversion flips the classification at 800 days: measured lying, 83.0 cm
    # counts as 82.3 cm standing (stunted); measured standing it is 83.0 cm (not stunted)
    (800, 83.0, "lying", None, -2.11, "moderate", []),
    (800, 83.0, "standing", None, -1.89, "normal", []),
    # one plausibility rule: implausible for the age is kept with a warning, both ways
    (730, 152.0, "lying", None, 21.02, "implausible", ["z_implausible"]),
    (730, 41.0, "lying", None, -15.32, "implausible", ["z_implausible"]),
    (730, 85.0, "lying", 40.0, -0.92, "normal", ["z_implausible"]),  # WAZ > +5
]


@pytest.mark.parametrize(("age", "length", "position", "weight", "haz", "stunting", "flags"), EDGES)
def test_forms_and_import_apply_the_same_rules(
    rw, tmp_path, age, length, position, weight, haz, stunting, flags
) -> None:
    by_form = _by_form(rw, _child(rw), age, length, position, weight)
    assert (by_form.haz, by_form.stunting, by_form.flags) == (haz, stunting, flags)
    GrowthMeasurement.objects.all().delete()
    Person.objects.all().delete()
    result, imported = _by_import(rw, tmp_path, age, length, position, weight)
    assert result.status != ImportBatch.Status.REJECTED, result.errors
    assert imported is not None
    assert (imported.haz, imported.stunting, imported.flags) == (haz, stunting, flags)


@pytest.mark.parametrize(
    ("length", "weight", "refused"),
    [
        (19.9, None, True),  # not a child's length: a slip of unit
        (20.0, None, False),
        (230.0, None, False),
        (231.0, None, True),
        (85.0, 0.1, True),  # grams typed as kilograms the other way round
        (85.0, 201.0, True),
    ],
)
def test_only_values_no_child_can_have_are_refused(rw, tmp_path, length, weight, refused) -> None:
    child = _child(rw)
    if refused:
        with pytest.raises(Invalid):
            _by_form(rw, child, 730, length, "lying", weight)
    else:
        assert _by_form(rw, child, 730, length, "lying", weight).pk
    GrowthMeasurement.objects.all().delete()
    Person.objects.all().delete()
    result, imported = _by_import(rw, tmp_path, 730, length, "lying", weight)
    assert (result.status == ImportBatch.Status.REJECTED) is refused
    assert (imported is None) is refused


def test_an_event_takes_the_village_of_the_residence_on_its_date(rw) -> None:
    child = _child(rw, dt.date(2025, 1, 1))
    services.person_move(
        user=rw.staff,
        person=child,
        residence_unit=rw.commune,
        village="Thôn 5",
        moved_on=dt.date(2026, 3, 1),
        today=TODAY,
    )
    cases = [
        (dt.date(2026, 2, 1), None, "Thôn 1"),  # before the move, no commune named
        (dt.date(2026, 2, 2), rw.commune, "Thôn 1"),  # before the move, the commune named
        (dt.date(2026, 3, 1), None, "Thôn 5"),  # the day of the move
        (dt.date(2026, 3, 2), rw.commune, "Thôn 5"),
    ]
    for day, commune, village in cases:
        extra = {"residence_unit": commune} if commune is not None else {}
        m = services.measurement_record(
            user=rw.staff, person=child, date=day, weight_kg=9.0, today=TODAY, **extra
        )
        assert (m.residence_unit, m.village) == (rw.commune, village), day


def test_an_event_of_2020_takes_the_2016_2020_classification(rw) -> None:
    import io

    from mch.orgunits.imports import unit_attributes_import
    from mch.orgunits.models import OrgUnit

    # a commune whose territory did not change in 2025: one record for both eras
    OrgUnit.objects.filter(pk=rw.other_commune.pk).update(valid_from=None)
    result = unit_attributes_import(
        file=io.StringIO(
            "level,code,key,value,valid_from,valid_to,legal_basis,source\n"
            "commune,22759,zone,III,2016-01-01,2021-06-03,DEMO — QĐ 582/QĐ-TTg,DEMO — not official\n"
            "commune,22759,ethnic_minority_area,true,2016-01-01,2021-06-03,DEMO — QĐ 582/QĐ-TTg,"
            "DEMO — not official\n"
            "commune,22759,zone,I,2021-06-04,,DEMO — QĐ 861/QĐ-TTg,DEMO — not official\n"
        )
    )
    assert not getattr(result, "errors", None)
    child = services.person_register(
        user=rw.officer,
        full_name="Hồ Văn Tư",
        sex="M",
        birth_date=dt.date(2019, 6, 1),
        residence_unit=rw.other_commune,
        today=TODAY,
    )
    for day, zone, difficult in (
        (dt.date(2020, 5, 1), "III", True),
        (dt.date(2021, 6, 3), "III", True),
        (dt.date(2021, 6, 4), "I", False),
    ):
        m = services.measurement_record(
            user=rw.officer, person=child, date=day, weight_kg=10.0, today=TODAY
        )
        assert (m.area_zone, m.area_especially_difficult) == (zone, difficult), day
        assert m.area_ethnic_minority is (day < dt.date(2021, 6, 4))
