"""Stored cells: a composite key with ``until`` (latest-per-person cells) and
``province_id`` (distribution key); the table is recreated, so the stored cells are
dropped and every version computes from the records until ``mch rebuild_indicators``."""

import django.db.models.deletion
from django.db import migrations, models


def forget_states(apps, schema_editor):
    apps.get_model("indicators", "AggregateState").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_computed_values"),
    ]

    operations = [
        migrations.DeleteModel(name="IndicatorCell"),
        migrations.RunPython(forget_states, migrations.RunPython.noop),
        migrations.CreateModel(
            name="IndicatorCell",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "version_id",
                        "attribution",
                        "period_kind",
                        "period_start",
                        "unit_id",
                        "profile_id",
                        "until",
                        "province_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "attribution",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Commune of residence"), (2, "Unit of service")]
                    ),
                ),
                ("unit_id", models.BigIntegerField()),
                ("period_kind", models.CharField(max_length=8)),
                ("period_start", models.DateField()),
                ("profile_id", models.IntegerField()),
                ("until", models.PositiveSmallIntegerField(default=0)),
                ("province_id", models.BigIntegerField(default=0)),
                ("numerator", models.FloatField(default=0)),
                ("denominator", models.FloatField(default=0)),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="indicators.indicatorversion",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["unit_id", "period_start"], name="indicator_cell_unit")
                ],
            },
        ),
        migrations.CreateModel(
            name="CellsPending",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("unit_id", models.BigIntegerField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
