"""Maternal death surveillance and response: the forms version in force, the province
review board, notifications (M1), reviews (M2), recommendations and their actions, and
the obstetric red-alert log.

Codes in ``method``, ``underlying_cause``, ``level`` ... come from the forms file
(``registry.py``); each row keeps the ``FormsVersion`` it was entered under, so a later
edit of the lists does not change what an old review said.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormsVersion(models.Model):
    """One version of the forms file; the highest number is in force."""

    number = models.PositiveIntegerField(unique=True)
    data = models.JSONField()
    digest = models.CharField(max_length=64)
    source = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("MPDSR forms version")

    def __str__(self) -> str:
        return f"v{self.number} ({self.loaded_at:%d/%m/%Y})"


class BoardMember(models.Model):
    """A member of a province's Maternal Death Review Board. Members alone see the
    identifiable parts of reviews of deaths of women resident in that province."""

    province = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mpdsr_boards"
    )
    role = models.CharField(_("board role"), max_length=40)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "user"], name="mpdsr_board_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Notification(models.Model):
    """Form M1: a suspected maternal death notified to the province."""

    death = models.OneToOneField(
        "registers.Death", on_delete=models.PROTECT, related_name="mpdsr_notification"
    )
    forms_version = models.ForeignKey(FormsVersion, on_delete=models.PROTECT, related_name="+")
    died_at = models.DateTimeField(_("time of death"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notified at"))
    # Hours from the time of death (or, when unknown, from the death's entry in the
    # register) to the notification; stored so the M5 share is a plain count.
    hours_to_notify = models.DecimalField(max_digits=8, decimal_places=1, null=True)
    reporter_name = models.CharField(_("reported by"), max_length=200)
    reporter_position = models.CharField(_("position / unit"), max_length=200, blank=True)
    place = models.CharField(_("place of death"), max_length=300)
    circumstances = models.TextField(_("circumstances"))
    fields = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"M1 {self.death_id} {self.notified_at:%d/%m/%Y %H:%M}"


class Review(models.Model):
    """Form M2: the board's review of one maternal death. Blame-free and confidential."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being reviewed")
        DONE = "done", _("Review completed")

    death = models.OneToOneField("registers.Death", on_delete=models.PROTECT, related_name="review")
    forms_version = models.ForeignKey(FormsVersion, on_delete=models.PROTECT, related_name="+")
    case_code = models.CharField(_("case code"), max_length=20, unique=True)
    method = models.CharField(_("review method"), max_length=40)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    members = models.ManyToManyField(BoardMember, blank=True, related_name="reviews")
    underlying_cause = models.CharField(_("underlying cause (ICD-MM)"), max_length=40, blank=True)
    cause_kind = models.CharField(max_length=16, blank=True, editable=False)
    contributing = models.TextField(_("contributing conditions"), blank=True)
    delays = models.JSONField(default=list, blank=True)  # ["1", "3"]
    factors = models.JSONField(default=list, blank=True)  # ["1.danger_signs", "3.blood"]
    avoidability = models.CharField(_("avoidability"), max_length=40, blank=True)
    # Identifiable narrative: shown to board members only, never exported.
    case_summary = models.TextField(_("case summary (confidential)"), blank=True)
    fields = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.case_code


class Action(models.Model):
    """A recommendation of a review and the action that answers it (the "R" of MPDSR)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.TextField(_("recommendation"))
    action = models.TextField(_("action"), blank=True)
    owner_agency = models.ForeignKey(
        "orgunits.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner (agency)"),
    )
    owner_facility = models.ForeignKey(
        "orgunits.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner (facility)"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress_note = models.CharField(_("progress note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.recommendation[:60]

    @property
    def owner(self) -> str:
        return str(self.owner_agency or self.owner_facility or "")


class RedAlert(models.Model):
    """One activation of the obstetric red alert ("Báo động đỏ") in a hospital."""

    facility = models.ForeignKey(
        "orgunits.Facility", on_delete=models.PROTECT, related_name="+", verbose_name=_("hospital")
    )
    forms_version = models.ForeignKey(FormsVersion, on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField(_("time of call"))
    level = models.CharField(_("level"), max_length=40)
    emergency = models.CharField(_("obstetric emergency"), max_length=40)
    team_arrived_at = models.DateTimeField(_("team arrived at"), null=True, blank=True)
    response_minutes = models.DecimalField(
        max_digits=7, decimal_places=1, null=True, editable=False
    )
    standard_minutes = models.PositiveIntegerField(null=True, editable=False)
    procedures = models.TextField(_("procedures"), blank=True)
    mother_outcome = models.CharField(_("outcome for the mother"), max_length=40)
    baby_outcome = models.CharField(_("outcome for the baby"), max_length=40)
    person = models.ForeignKey(
        "registers.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("woman"),
    )
    delivery = models.ForeignKey(
        "registers.Delivery", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    death = models.ForeignKey(
        "registers.Death",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="red_alerts",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-called_at", "id"]
        indexes = [models.Index(fields=["facility", "called_at"], name="redalert_fac_at")]

    def __str__(self) -> str:
        return f"{self.facility} {self.called_at:%d/%m/%Y %H:%M}"
