"""Recompute the age group of stored deaths from the birth and death dates, by calendar
birthdays (the earlier rule cut at 365 and 1,826 days)."""

import datetime as dt

from django.db import migrations


def _years(birth: dt.date, day: dt.date) -> int:
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def _group(birth: dt.date, day: dt.date) -> str:
    if (day - birth).days < 28:
        return "neonatal"
    years = _years(birth, day)
    if years < 1:
        return "postneonatal"
    if years < 5:
        return "child"
    return "older"


def recompute(apps, schema_editor):
    Death = apps.get_model("registers", "Death")
    changed = []
    rows = Death.objects.select_related("person").only(
        "id", "date", "age_days", "age_group", "person__birth_date"
    )
    for death in rows.iterator(chunk_size=2000):
        birth = death.person.birth_date
        days = (death.date - birth).days if birth else None
        group = _group(birth, death.date) if birth else "older"
        if (death.age_days, death.age_group) != (days, group):
            death.age_days, death.age_group = days, group
            changed.append(death)
    Death.objects.bulk_update(changed, ["age_days", "age_group"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("registers", "0002_bookkeeping_links_without_constraints")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
