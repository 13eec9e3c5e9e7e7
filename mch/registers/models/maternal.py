"""Pregnancy, antenatal care, delivery, births and postnatal contacts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CareEvent
from .people import Person, Sex
from .perinatal import PerinatalCause, PerinatalMaternalCondition


class PregnancyOutcome(models.TextChoices):
    ONGOING = "", _("Ongoing")
    LIVE_BIRTH = "live_birth", _("Live birth")
    STILLBIRTH = "stillbirth", _("Stillbirth")
    MISCARRIAGE = "miscarriage", _("Miscarriage")
    ABORTION = "abortion", _("Abortion")
    MATERNAL_DEATH = "maternal_death", _("Death during pregnancy")


class Pregnancy(CareEvent):
    """A pregnancy, from registration (``date``) to its outcome."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="pregnancies", verbose_name=_("woman")
    )
    lmp = models.DateField(_("last menstrual period"), null=True, blank=True)
    edd = models.DateField(_("expected date of delivery"), null=True, blank=True)
    gravida = models.PositiveSmallIntegerField(_("gravida"), null=True, blank=True)
    para = models.PositiveSmallIntegerField(_("para"), null=True, blank=True)
    risk_factors = models.JSONField(_("risk factors"), default=list, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=PregnancyOutcome.choices, blank=True, default=""
    )
    outcome_date = models.DateField(_("date of outcome"), null=True, blank=True)
    # Kept current by the services from the visits, for worklists and indicators.
    anc_visits = models.PositiveSmallIntegerField(default=0, editable=False)
    anc_trimesters = models.CharField(max_length=3, blank=True, editable=False)
    last_anc_date = models.DateField(null=True, blank=True, editable=False)
    iron_tablets = models.PositiveIntegerField(default=0, editable=False)

    class Meta(CareEvent.Meta):
        verbose_name = _("pregnancy")
        verbose_name_plural = _("pregnancies")
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return not self.outcome


class TestResult(models.TextChoices):
    NOT_TESTED = "", _("Not tested")
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")


class AntenatalVisit(CareEvent):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="antenatal_visits")
    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="visits")
    gestational_weeks = models.PositiveSmallIntegerField(_("gestational age (weeks)"), null=True)
    trimester = models.PositiveSmallIntegerField(_("trimester"), null=True)
    weight_kg = models.FloatField(_("weight (kg)"), null=True, blank=True)
    bp_systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    bp_diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    iron_tablets = models.PositiveSmallIntegerField(_("iron/folic acid tablets"), default=0)
    mmn_tablets = models.PositiveSmallIntegerField(_("multiple micronutrient tablets"), default=0)
    tetanus_dose = models.PositiveSmallIntegerField(_("tetanus dose"), null=True, blank=True)
    hiv_test = models.CharField(max_length=8, choices=TestResult.choices, blank=True, default="")
    syphilis_test = models.CharField(
        max_length=8, choices=TestResult.choices, blank=True, default=""
    )
    hepb_test = models.CharField(max_length=8, choices=TestResult.choices, blank=True, default="")
    preeclampsia_screened = models.BooleanField(_("pre-eclampsia screened"), default=False)
    danger_signs = models.JSONField(_("danger signs"), default=list, blank=True)

    class Meta(CareEvent.Meta):
        verbose_name = _("antenatal visit")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"ANC {self.date:%d/%m/%Y}"


class DeliveryPlace(models.TextChoices):
    FACILITY = "facility", _("Health facility")
    HOME = "home", _("At home")
    ON_THE_WAY = "on_the_way", _("On the way")
    OTHER = "other", _("Other")


class Attendant(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    MIDWIFE = "midwife", _("Midwife")
    ASSISTANT_DOCTOR = "assistant_doctor", _("Assistant doctor")
    NURSE = "nurse", _("Nurse trained in midwifery")
    VILLAGE_MIDWIFE = "village_midwife", _("Trained village midwife")
    OTHER = "other", _("Other (relative, traditional birth attendant)")
    NONE = "none", _("Nobody")


class DeliveryMode(models.TextChoices):
    VAGINAL = "vaginal", _("Vaginal")
    ASSISTED = "assisted", _("Assisted (forceps, vacuum)")
    CAESAREAN = "caesarean", _("Caesarean section")


class MotherOutcome(models.TextChoices):
    WELL = "well", _("Well")
    COMPLICATION = "complication", _("Complication, treated")
    REFERRED = "referred", _("Referred")
    DIED = "died", _("Died")


class Delivery(CareEvent):
    """One delivery of one woman (twins are one delivery with two births)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="deliveries")
    pregnancy = models.OneToOneField(
        Pregnancy, on_delete=models.PROTECT, related_name="delivery", null=True, blank=True
    )
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=12, choices=DeliveryPlace.choices)
    facility_level = models.CharField(max_length=16, blank=True, editable=False)
    attendant = models.CharField(_("attendant"), max_length=20, choices=Attendant.choices)
    skilled = models.BooleanField(_("skilled attendant"), editable=False, default=False)
    mode = models.CharField(
        _("mode"), max_length=12, choices=DeliveryMode.choices, default=DeliveryMode.VAGINAL
    )
    complications = models.JSONField(_("complications"), default=list, blank=True)
    mother_outcome = models.CharField(
        _("mother's condition"),
        max_length=12,
        choices=MotherOutcome.choices,
        default=MotherOutcome.WELL,
    )
    live_births = models.PositiveSmallIntegerField(default=0, editable=False)
    stillbirths = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta(CareEvent.Meta):
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%d/%m/%Y}"


class BirthOutcome(models.TextChoices):
    LIVE = "live", _("Live birth")
    STILLBIRTH = "stillbirth", _("Stillbirth")


class Birth(CareEvent):
    """A baby born in a delivery. A live birth has a child ``person``; a stillbirth has none."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="births")
    mother = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="births_given")
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="birth", null=True, blank=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=BirthOutcome.choices, default=BirthOutcome.LIVE
    )
    # ``date`` is the baby's own date of birth: twins born either side of midnight have two
    # dates under one delivery (live births count by it, deliveries by the delivery's date).
    time = models.TimeField(_("time of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_order = models.PositiveSmallIntegerField(_("birth order"), default=1)
    birth_weight_g = models.PositiveIntegerField(_("birth weight (g)"), null=True, blank=True)
    gestational_weeks = models.PositiveSmallIntegerField(
        _("gestational age at birth (weeks)"), null=True, blank=True
    )
    eenc_dried = models.BooleanField(_("dried immediately"), null=True, blank=True)
    eenc_skin_to_skin = models.BooleanField(_("skin-to-skin ≥ 90 minutes"), null=True, blank=True)
    eenc_cord_delayed = models.BooleanField(_("delayed cord clamping"), null=True, blank=True)
    eenc_breastfed_1h = models.BooleanField(_("breastfed within 1 hour"), null=True, blank=True)
    vitamin_k1 = models.BooleanField(_("vitamin K1"), null=True, blank=True)
    hepb_birth_24h = models.BooleanField(
        _("hepatitis B birth dose within 24 h"), null=True, blank=True
    )
    kangaroo_care = models.BooleanField(_("kangaroo mother care"), null=True, blank=True)
    # Stillbirths: the ICD-PM group (A antepartum, I intrapartum) and maternal condition.
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

    class Meta(CareEvent.Meta):
        verbose_name = _("birth")
        # Latest deliveries first, twins in birth order (each baby has its own date).
        ordering = ["-delivery_id", "birth_order"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.date:%d/%m/%Y}"

    @property
    def eenc_complete(self) -> bool:
        return bool(
            self.eenc_dried
            and self.eenc_skin_to_skin
            and self.eenc_cord_delayed
            and self.eenc_breastfed_1h
        )


class PostnatalSubject(models.TextChoices):
    MOTHER = "mother", _("Mother")
    NEWBORN = "newborn", _("Newborn")


class ContactPlace(models.TextChoices):
    HOME = "home", _("At home")
    FACILITY = "facility", _("At a facility")


class Provider(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    MIDWIFE = "midwife", _("Midwife")
    ASSISTANT_DOCTOR = "assistant_doctor", _("Assistant doctor")
    NURSE = "nurse", _("Nurse")
    VILLAGE_HEALTH_WORKER = "village_health_worker", _("Village health worker")
    OTHER = "other", _("Other")


class PostnatalContact(CareEvent):
    """A postnatal contact with a mother or a newborn (one row per person seen)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="postnatal_contacts")
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="postnatal_contacts"
    )
    subject = models.CharField(_("who"), max_length=8, choices=PostnatalSubject.choices)
    day_after_birth = models.PositiveSmallIntegerField(_("day after birth"), editable=False)
    place = models.CharField(_("place"), max_length=8, choices=ContactPlace.choices)
    provider = models.CharField(
        _("by"), max_length=24, choices=Provider.choices, blank=True, default=""
    )

    class Meta(CareEvent.Meta):
        verbose_name = _("postnatal contact")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"PNC {self.date:%d/%m/%Y}"
