"""Child health: check-ups, growth, immunisations, illness and injury."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CareEvent
from .people import Person


class CheckUp(CareEvent):
    """A periodic check-up of a child under 5, with feeding and vitamin A."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="checkups")
    has_health_record = models.BooleanField(_("has a health record"), default=False)
    exclusive_breastfeeding = models.BooleanField(
        _("exclusive breastfeeding (24-hour recall)"), null=True, blank=True
    )
    continued_breastfeeding = models.BooleanField(_("still breastfed"), null=True, blank=True)
    vitamin_a = models.BooleanField(_("vitamin A given"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(CareEvent.Meta):
        verbose_name = _("check-up")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.date:%d/%m/%Y}"


class Position(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    LYING = "lying", _("Lying (length)")
    STANDING = "standing", _("Standing (height)")


class Nutrition(models.TextChoices):
    """A classification from one z-score (WHO 2006)."""

    NOT_COMPUTED = "", _("Not computed")
    NORMAL = "normal", _("Normal")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    IMPLAUSIBLE = "implausible", _("Implausible value")


class GrowthMeasurement(CareEvent):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="measurements")
    age_days = models.PositiveIntegerField(_("age (days)"), editable=False)
    weight_kg = models.FloatField(_("weight (kg)"), null=True, blank=True)
    length_cm = models.FloatField(_("length/height (cm)"), null=True, blank=True)
    position = models.CharField(
        _("measured"), max_length=8, choices=Position.choices, blank=True, default=""
    )
    muac_mm = models.PositiveSmallIntegerField(_("MUAC (mm)"), null=True, blank=True)
    oedema = models.BooleanField(_("bilateral pitting oedema"), default=False)
    haz = models.FloatField(null=True, blank=True, editable=False)
    waz = models.FloatField(null=True, blank=True, editable=False)
    whz = models.FloatField(null=True, blank=True, editable=False)
    baz = models.FloatField(null=True, blank=True, editable=False)
    stunting = models.CharField(max_length=12, choices=Nutrition.choices, blank=True)
    underweight = models.CharField(max_length=12, choices=Nutrition.choices, blank=True)
    wasting = models.CharField(max_length=12, choices=Nutrition.choices, blank=True)
    overweight = models.BooleanField(null=True, blank=True, editable=False)

    class Meta(CareEvent.Meta):
        verbose_name = _("growth measurement")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.date:%d/%m/%Y}"


class Immunisation(CareEvent):
    """A vaccine dose given. ``antigen`` is a code of mch.immunisation's schedule."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="immunisations")
    antigen = models.CharField(_("vaccine"), max_length=24)
    dose = models.PositiveSmallIntegerField(_("dose"))
    is_epi = models.BooleanField(
        _("expanded programme (free)"),
        default=True,
        help_text=_("Private-market doses do not count towards programme coverage."),
    )
    lot = models.CharField(_("lot"), max_length=40, blank=True)

    class Meta(CareEvent.Meta):
        verbose_name = _("immunisation")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.antigen} {self.dose} {self.date:%d/%m/%Y}"


class IllnessKind(models.TextChoices):
    PNEUMONIA = "pneumonia", _("Pneumonia")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    INJURY = "injury", _("Injury")
    OTHER = "other", _("Other")


class InjuryType(models.TextChoices):
    NONE = "", _("—")
    DROWNING = "drowning", _("Drowning")
    TRAFFIC = "traffic", _("Traffic")
    BURN = "burn", _("Burn")
    POISONING = "poisoning", _("Poisoning")
    CHOKING = "choking", _("Choking / foreign body")
    FALL = "fall", _("Fall")
    OTHER = "other", _("Other injury")


class Illness(CareEvent):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="illnesses")
    kind = models.CharField(_("illness"), max_length=12, choices=IllnessKind.choices)
    severe = models.BooleanField(_("severe"), null=True, blank=True)
    antibiotic = models.BooleanField(_("appropriate antibiotic"), null=True, blank=True)
    ors = models.BooleanField(_("ORS"), null=True, blank=True)
    zinc = models.BooleanField(_("zinc"), null=True, blank=True)
    injury_type = models.CharField(
        _("injury type"), max_length=12, choices=InjuryType.choices, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(CareEvent.Meta):
        verbose_name = _("illness or injury")
        verbose_name_plural = _("illnesses and injuries")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"
