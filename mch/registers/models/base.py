"""What every record in the registers carries.

Each care event stores its date, the commune of residence at that date, where the
service was given (unit and facility), and a snapshot of the person's groups (ethnicity,
the commune's classification on that date). The indicator engine counts events by these
columns alone, without joins back to people or units, and a change of residence or of a
commune's classification later does not rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    GENERATOR = "generator", _("Synthetic data")


class GroupSnapshot(models.Model):
    """The groups a person belonged to when the event happened (for disaggregation)."""

    ethnicity = models.CharField(_("ethnicity"), max_length=2, blank=True)
    ethnic_minority = models.BooleanField(_("ethnic minority"), null=True, blank=True)
    area_ethnic_minority = models.BooleanField(default=False)
    area_especially_difficult = models.BooleanField(default=False)
    area_zone = models.CharField(max_length=3, blank=True)

    class Meta:
        abstract = True


class Recorded(models.Model):
    """Who recorded a row, when, and from where (form, import, API)."""

    external_id = models.CharField(
        _("external ID"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("Stable ID from the source system or import file; re-imports match on it."),
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.FORM)
    # Bookkeeping links without a database constraint or index: the ORM still sets them to
    # null when a batch or a user is deleted, and bulk imports skip two foreign-key checks
    # and two index updates per row (PostgreSQL's insert work, bench/registers_import.py).
    import_batch = models.ForeignKey(
        "registers.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Warnings kept with the record (a dose before its minimum age, an implausible z-score):
    # codes from mch.registers.rules, never errors (errors are refused, not stored).
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="%(app_label)s_%(class)s_external_id",
            )
        ]


class CareEvent(GroupSnapshot, Recorded):
    """A dated contact or outcome. Concrete models add ``person`` and their own fields."""

    date = models.DateField(_("date"))
    residence_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune of residence"),
        db_index=False,  # the (residence_unit, date) index below serves it
    )
    village = models.CharField(_("village"), max_length=100, blank=True)
    service_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit of service"),
    )
    facility = models.ForeignKey(
        "orgunits.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facility"),
    )

    class Meta(Recorded.Meta):
        abstract = True
        indexes = [
            models.Index(fields=["residence_unit", "date"], name="%(class)s_res"),
            models.Index(fields=["date"], name="%(class)s_date"),
        ]
