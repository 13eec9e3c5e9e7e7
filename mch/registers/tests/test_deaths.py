"""Deaths: the age at death and its group by calendar birthdays, the same whichever way
the death is entered (form service or bundle import), and for rows stored before."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from mch.registers import services
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import Death, Person
from mch.registers.testing import TODAY

from .bundle_helpers import write_bundle

D = dt.date

CASES = [
    # (birth, death, age_days, group)
    (D(2024, 1, 10), D(2024, 2, 6), 27, "neonatal"),
    (D(2024, 1, 10), D(2024, 2, 7), 28, "postneonatal"),
    (D(2023, 3, 1), D(2024, 2, 29), 365, "postneonatal"),  # birthday tomorrow
    (D(2024, 3, 1), D(2025, 3, 1), 365, "child"),
    (D(2024, 2, 29), D(2025, 2, 28), 365, "postneonatal"),
    (D(2020, 6, 1), D(2025, 6, 1), 1826, "older"),  # the fifth birthday
    (D(2019, 3, 1), D(2024, 2, 29), 1826, "child"),  # 1,826 days, a day before it
]


def _child(rw, birth: dt.date, name: str = "Nguyễn Văn An") -> Person:
    return services.person_register(
        user=rw.staff,
        full_name=name,
        sex="M",
        birth_date=birth,
        residence_unit=rw.commune,
        allow_likely_duplicate=True,
        today=TODAY,
    )


@pytest.mark.parametrize(("birth", "died", "days", "group"), CASES)
def test_a_recorded_death_gets_its_age_group_by_birthdays(rw, birth, died, days, group) -> None:
    death = services.death_record(
        user=rw.staff, person=_child(rw, birth), date=died, place="home", today=TODAY
    )
    death.refresh_from_db()
    assert (death.age_days, death.age_group) == (days, group)


def test_an_imported_death_stores_what_the_form_stores(rw, tmp_path) -> None:
    persons, deaths = [], []
    for number, (birth, died, _days, _group) in enumerate(CASES, start=1):
        persons.append(
            {
                "ma": f"ND-{number}",
                "ho_ten": f"Trẻ Số {number}",
                "gioi_tinh": "Nam",
                "ngay_sinh": f"{birth:%d/%m/%Y}",
                "ma_xa": "22795",
            }
        )
        deaths.append(
            {"ma": f"TV-{number}", "ma_nguoi": f"ND-{number}", "ngay": f"{died:%d/%m/%Y}"}
            | {"noi_tu_vong": "Tại nhà"}
        )
    folder = write_bundle(tmp_path / "b", {"persons": persons, "deaths": deaths})
    result = bundle_import(source=folder, user=rw.staff, today=TODAY)
    assert result.errors == []
    stored = {d.external_id: (d.age_days, d.age_group) for d in Death.objects.all()}
    assert stored == {
        f"TV-{number}": (days, group) for number, (_b, _d, days, group) in enumerate(CASES, start=1)
    }


def test_the_migration_recomputes_groups_stored_by_the_old_cut_offs(rw) -> None:
    for number, (birth, died, _days, _group) in enumerate(CASES):
        services.death_record(
            user=rw.staff,
            person=_child(rw, birth, f"Trẻ Số {number}"),
            date=died,
            place="home",
            today=TODAY,
        )
    Death.objects.update(age_group="neonatal", age_days=0)  # as if stored wrongly
    migration = importlib.import_module(
        "mch.registers.migrations.0003_death_age_group_by_birthdays"
    )
    migration.recompute(apps, None)
    stored = sorted(Death.objects.values_list("age_days", "age_group"))
    assert stored == sorted((days, group) for _b, _d, days, group in CASES)
