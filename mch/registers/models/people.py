"""People in the registers: women and children, and where they live over time."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Recorded


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Poverty(models.TextChoices):
    NONE = "", _("Not poor")
    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")


class Education(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary")
    HIGHER = "higher", _("College or university")


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        """Not merged into another record."""
        return self.filter(merged_into__isnull=True)

    def alive_on(self, day) -> PersonQuerySet:  # type: ignore[no-untyped-def]
        return self.filter(Q(deceased_on__isnull=True) | Q(deceased_on__gt=day))


class Person(Recorded):
    """A woman or a child. A child links to the mother; the mother-and-child handbook view
    is a mother with her children."""

    full_name = models.CharField(_("full name"), max_length=200)
    # Folded name (no diacritics, lower case) for search and duplicate detection.
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_estimated = models.BooleanField(_("date of birth estimated"), default=False)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, blank=True)
    national_id = models.CharField(_("national ID (CCCD)"), max_length=12, blank=True)
    insurance_number = models.CharField(_("health insurance number"), max_length=15, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    residence_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("commune of residence"),
    )
    village = models.CharField(_("village"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    poverty = models.CharField(
        _("household"), max_length=10, choices=Poverty.choices, blank=True, default=""
    )
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True, default=""
    )
    mother = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("mother"),
    )
    registered_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by unit"),
    )
    deceased_on = models.DateField(_("date of death"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        editable=False,
    )

    objects = PersonQuerySet.as_manager()

    class Meta(Recorded.Meta):
        ordering = ["name_key", "id"]
        constraints = [
            *Recorded.Meta.constraints,
            models.UniqueConstraint(
                fields=["national_id"],
                condition=~Q(national_id="") & Q(merged_into__isnull=True),
                name="person_national_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["residence_unit", "birth_date"], name="person_res_birth"),
            models.Index(fields=["mother"], name="person_mother"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_ethnic_minority(self) -> bool | None:
        return None if not self.ethnicity else self.ethnicity != "01"


class Residence(models.Model):
    """Where a person lived, over time. The open row (``valid_to`` null) is the current
    residence, mirrored on ``Person.residence_unit`` for fast scoping."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    village = models.CharField(max_length=100, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person_id", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="residence_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.unit_id} {self.valid_from}–{self.valid_to}"
