"""Administrative units through time, their classifications, health facilities and agencies.

A unit is never overwritten when the map changes: a merger or split ends the old
units (``valid_to``) and creates new ones (``valid_from``), and ``UnitLineage``
records which old unit went into which new one and with what share.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def valid_on(self, day: dt.date) -> OrgUnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def in_subtree(self, unit: OrgUnit) -> OrgUnitQuerySet:
        return self.filter(path__startswith=unit.path)

    def at_level(self, level: str) -> OrgUnitQuerySet:
        return self.filter(level=level)


class OrgUnit(models.Model):
    code = models.CharField(_("code"), max_length=16, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.CharField(
        _("kind"), max_length=40, blank=True, help_text="Tỉnh, Thành phố, Huyện, Quận, Xã, Phường…"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of ids, "/1/7/42/": subtree filters with one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=120, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="orgunit_code_unique_per_validity"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class UnitChange(models.Model):
    """An administrative decision that changed the map on one date."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        RENAME = "rename", _("Rename")
        REPARENT = "reparent", _("Change of parent")
        ABOLISH = "abolish", _("Abolition")
        ESTABLISH = "establish", _("Establishment")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"


class UnitLineage(models.Model):
    """Old unit -> new unit. ``share`` is the part of the old unit's population that went
    into the new one (1 for a merge); unknown shares are null and ``is_primary`` then
    marks the successor that takes the whole old unit in roll-ups."""

    change = models.ForeignKey(UnitChange, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successor_links")
    target = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessor_links")
    share = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    is_primary = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="lineage_unique_pair"),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | (Q(share__gt=0) & Q(share__lte=1)),
                name="lineage_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class Attribute(models.TextChoices):
    """Commune classifications used to disaggregate indicators (time-versioned)."""

    ETHNIC_MINORITY_AREA = "ethnic_minority_area", _("Ethnic-minority and mountainous area")
    ZONE = "zone", _("Zone (I/II/III)")
    ESPECIALLY_DIFFICULT = "especially_difficult", _("Especially difficult commune")
    BORDER = "border", _("Border commune")
    URBAN = "urban", _("Urban (ward)")


class UnitAttribute(models.Model):
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="attributes")
    key = models.CharField(max_length=32, choices=Attribute.choices)
    value = models.CharField(max_length=32, help_text="'true'/'false' or a zone: I, II, III")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["unit_id", "key", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "key", "valid_from"], name="unitattribute_unique_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.key}={self.value}"


class Facility(models.Model):
    class Kind(models.TextChoices):
        PROVINCIAL_HOSPITAL = "provincial_hospital", _("Provincial general hospital")
        SPECIALISED_HOSPITAL = "specialised_hospital", _("Provincial specialised hospital")
        REGIONAL_HEALTH_CENTRE = "regional_health_centre", _("Regional health centre")
        DISTRICT_HEALTH_CENTRE = "district_health_centre", _("District health centre")
        COMMUNE_HEALTH_STATION = "commune_health_station", _("Commune health station")
        CDC = "cdc", _("Centre for Disease Control")
        PRIVATE_HOSPITAL = "private_hospital", _("Private hospital")
        PRIVATE_CLINIC = "private_clinic", _("Private clinic")
        OTHER = "other", _("Other")

    class CareLevel(models.TextChoices):
        CENTRAL = "central", _("Central")
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District / regional")
        COMMUNE = "commune", _("Commune")

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    care_level = models.CharField(max_length=16, choices=CareLevel.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="facilities")
    is_public = models.BooleanField(default=True)
    provides_delivery = models.BooleanField(default=False)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A body that is given tasks in a plan: a department, a people's committee, a hospital."""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
        DEPARTMENT = "department", _("Department")
        HEALTH_FACILITY = "health_facility", _("Health facility")
        MASS_ORGANISATION = "mass_organisation", _("Mass organisation")
        MEDIA = "media", _("Press and media")
        OTHER = "other", _("Other")

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.DEPARTMENT)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="agencies")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """Mid-year population of a commune for a year, sex and age group, with its source:
    the denominator of per-population rates (mch.orgunits.population)."""

    class AgeGroup(models.TextChoices):
        AGE_0 = "0", _("Under 1")
        AGE_1_4 = "1-4", _("1–4 years")
        UNDER_5 = "0-4", _("Under 5")
        WOMEN_15_49 = "15-49", _("Women 15–49")

    class Sex(models.TextChoices):
        ALL = "", _("Both sexes")
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default="")
    age_group = models.CharField(max_length=8, choices=AgeGroup.choices)
    value = models.PositiveIntegerField()
    source = models.CharField(max_length=200)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["unit_id", "year", "age_group", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sex", "age_group"], name="population_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.age_group}{self.sex}: {self.value}"
