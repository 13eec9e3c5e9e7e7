"""Deaths of children and of women aged 15–49."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CareEvent
from .child import InjuryType
from .people import Person
from .perinatal import PerinatalCause, PerinatalMaternalCondition


class AgeGroup(models.TextChoices):
    NEONATAL = "neonatal", _("Neonatal (0–27 days)")
    POSTNEONATAL = "postneonatal", _("Infant (28 days – 11 months)")
    CHILD = "child", _("Child 1–4 years")
    OLDER = "older", _("5 years or older")


class DeathPlace(models.TextChoices):
    FACILITY = "facility", _("Health facility")
    HOME = "home", _("At home")
    ON_THE_WAY = "on_the_way", _("On the way")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class CauseGroup(models.TextChoices):
    PREMATURITY = "prematurity", _("Prematurity / low birth weight")
    ASPHYXIA = "asphyxia", _("Birth asphyxia")
    NEONATAL_INFECTION = "neonatal_infection", _("Neonatal infection")
    CONGENITAL = "congenital", _("Congenital anomaly")
    PNEUMONIA = "pneumonia", _("Pneumonia")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    OTHER_INFECTION = "other_infection", _("Other infection")
    MALNUTRITION = "malnutrition", _("Malnutrition")
    INJURY = "injury", _("Injury")
    HAEMORRHAGE = "haemorrhage", _("Obstetric haemorrhage")
    HYPERTENSIVE = "hypertensive", _("Pre-eclampsia / eclampsia")
    SEPSIS = "sepsis", _("Puerperal sepsis")
    ABORTION = "abortion", _("Abortion complication")
    OTHER_DIRECT = "other_direct", _("Other direct obstetric cause")
    INDIRECT = "indirect", _("Indirect (disease aggravated by pregnancy)")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class PregnancyRelation(models.TextChoices):
    NOT_APPLICABLE = "", _("—")
    PREGNANT = "pregnant", _("While pregnant")
    WITHIN_42_DAYS = "within_42_days", _("Within 42 days of the end of pregnancy")
    LATE = "late", _("43 days to 1 year after the end of pregnancy")
    NOT_PREGNANT = "not_pregnant", _("Not pregnant in the last year")
    UNKNOWN = "unknown", _("Unknown")


class MaternalCause(models.TextChoices):
    """The cause group of a death in or after pregnancy (WHO ICD-MM)."""

    NONE = "", _("—")
    DIRECT = "direct", _("Direct obstetric")
    INDIRECT = "indirect", _("Indirect (disease aggravated by pregnancy)")
    INCIDENTAL = "incidental", _("Accidental or incidental (not maternal)")
    UNKNOWN = "unknown", _("Unknown")


class MaternalGroup(models.TextChoices):
    """Derived from the timing, the relation to pregnancy and the cause group."""

    NONE = "", _("—")
    MATERNAL = "maternal", _("Maternal death (pregnant or within 42 days)")
    LATE = "late_maternal", _("Late maternal death (43 days to 1 year)")
    INCIDENTAL = "incidental", _("Death in or after pregnancy, accidental or incidental")


class ReviewStatus(models.TextChoices):
    NONE = "", _("—")
    TO_NOTIFY = "to_notify", _("Possible maternal death: to notify")
    NOTIFIED = "notified", _("Notified")
    REVIEWED = "reviewed", _("Reviewed")
    NOT_MATERNAL = "not_maternal", _("Reviewed: not a maternal death")


class Death(CareEvent):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="death")
    age_days = models.PositiveIntegerField(_("age at death (days)"), null=True, editable=False)
    age_group = models.CharField(max_length=14, choices=AgeGroup.choices, editable=False)
    place = models.CharField(_("place of death"), max_length=12, choices=DeathPlace.choices)
    cause_group = models.CharField(
        _("cause"), max_length=20, choices=CauseGroup.choices, default=CauseGroup.UNKNOWN
    )
    injury_type = models.CharField(
        _("injury type"), max_length=12, choices=InjuryType.choices, blank=True, default=""
    )
    cause_text = models.CharField(_("cause as written"), max_length=300, blank=True)
    pregnancy_relation = models.CharField(
        _("pregnancy"),
        max_length=16,
        choices=PregnancyRelation.choices,
        blank=True,
        default="",
    )
    pregnancy_related = models.BooleanField(
        _("caused or aggravated by the pregnancy"), null=True, blank=True
    )
    maternal_cause = models.CharField(
        _("maternal cause group"),
        max_length=12,
        choices=MaternalCause.choices,
        blank=True,
        default="",
    )
    # Derived from pregnancy_relation, pregnancy_related, maternal_cause and cause_group.
    maternal_group = models.CharField(
        max_length=14, choices=MaternalGroup.choices, blank=True, default="", editable=False
    )
    possible_maternal = models.BooleanField(default=False, editable=False)
    perinatal_cause = models.CharField(
        _("perinatal cause (ICD-PM)"),
        max_length=3,
        choices=PerinatalCause.choices,
        blank=True,
        default="",
    )
    perinatal_maternal_condition = models.CharField(
        _("maternal condition (ICD-PM)"),
        max_length=2,
        choices=PerinatalMaternalCondition.choices,
        blank=True,
        default="",
    )
    # When the death was entered in the register (a death recorded a year late still
    # counts in the period of ``date``; the gap says how late deaths arrive).
    recorded_on = models.DateField(_("date recorded"), null=True, blank=True)
    review_status = models.CharField(
        max_length=14, choices=ReviewStatus.choices, blank=True, default=""
    )
    notified_on = models.DateField(null=True, blank=True)

    class Meta(CareEvent.Meta):
        verbose_name = _("death")
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%d/%m/%Y}"
