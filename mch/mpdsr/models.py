"""Maternal death surveillance and response: the forms version in force, the province
review board, notifications (M1), reviews (M2), recommendations and their actions, and
the obstetric red-alert log.

Codes in ``method``, ``underlying_cause``, ``level`` ... come from the forms file
(``registry.py``); each row keeps the ``FormsVersion`` it was entered under, so a later
edit of the lists does not change what an old review said.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
        # A context of their own: the project catalogue's "Done" is an import's "Xong".
        PLANNED = "planned", pgettext_lazy("mpdsr action", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("mpdsr action", "In progress")
        DONE = "done", pgettext_lazy("mpdsr action", "Done")
        DROPPED = "dropped", pgettext_lazy("mpdsr action", "Dropped")

    # Exactly one of: the maternal death review (M2) or the perinatal/child death review.
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    perinatal_review = models.ForeignKey(
        "PerinatalReview", null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review__isnull=False, perinatal_review__isnull=True)
                | models.Q(review__isnull=True, perinatal_review__isnull=False),
                name="mpdsr_action_one_review",
            )
        ]

    def __str__(self) -> str:
        return self.recommendation[:60]

    @property
    def case(self) -> Any:
        """The review the recommendation came from (maternal or perinatal)."""
        return self.review if self.review_id else self.perinatal_review

    @property
    def case_code(self) -> str:
        return self.case.case_code

    @property
    def person_id(self) -> int | None:
        case = self.case
        if isinstance(case, Review):
            return case.death.person_id
        return case.person.pk

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


class ProvinceSettings(models.Model):
    """A province's MPDSR settings: who gets the e-mail alert of a suspected maternal
    death, and whether deaths of children aged 1–4 are reviewed too (stillbirths and
    neonatal deaths always are)."""

    province = models.OneToOneField(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    alert_emails = models.TextField(
        _("alert e-mail addresses"),
        blank=True,
        help_text=_("One address per line (or separated by commas)."),
    )
    email_board = models.BooleanField(_("also e-mail the board members"), default=True)
    review_under5 = models.BooleanField(_("review deaths of children aged 1–4"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.province)

    def addresses(self) -> list[str]:
        raw = self.alert_emails.replace(",", "\n").replace(";", "\n").split("\n")
        return [a.strip() for a in raw if a.strip()]


class AlertEmail(models.Model):
    """The e-mail alert sent for one suspected maternal death (at most one per death)."""

    death = models.OneToOneField(
        "registers.Death", on_delete=models.CASCADE, related_name="mpdsr_alert_email"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.death_id} {self.sent_at:%d/%m/%Y %H:%M}"


class RedAlertStandard(models.Model):
    """A hospital's own target time (minutes from the call to the team at the bedside);
    without one, the level's minutes of the forms file apply."""

    facility = models.OneToOneField(
        "orgunits.Facility",
        on_delete=models.CASCADE,
        related_name="red_alert_standard",
        verbose_name=_("hospital"),
    )
    minutes = models.PositiveIntegerField(_("target response (minutes)"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.facility}: {self.minutes} min"


class PerinatalReview(models.Model):
    """The board's lighter review of a stillbirth, a neonatal death or (when the province
    chooses) a death of a child under five: WHO ICD-PM timing, cause group and maternal
    condition, the three delays where relevant, avoidability, recommendations."""

    class Kind(models.TextChoices):
        STILLBIRTH = "stillbirth", _("Stillbirth")
        NEONATAL = "neonatal", _("Neonatal death")
        UNDER5 = "under5", _("Death of a child under five")

    class Status(models.TextChoices):
        OPEN = "open", _("Being reviewed")
        DONE = "done", _("Review completed")

    kind = models.CharField(_("case"), max_length=12, choices=Kind.choices)
    birth = models.OneToOneField(
        "registers.Birth",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="perinatal_review",
    )
    death = models.OneToOneField(
        "registers.Death",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="perinatal_review",
    )
    # Copied from the stillbirth or death: the scope of the review (residence, service,
    # facility) without a join through two tables.
    date = models.DateField(_("date"))
    residence_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+"
    )
    service_unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(
        "orgunits.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forms_version = models.ForeignKey(FormsVersion, on_delete=models.PROTECT, related_name="+")
    case_code = models.CharField(_("case code"), max_length=20, unique=True)
    method = models.CharField(_("review method"), max_length=40)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    members = models.ManyToManyField(BoardMember, blank=True, related_name="perinatal_reviews")
    timing = models.CharField(_("timing (ICD-PM)"), max_length=2, blank=True)
    cause = models.CharField(_("cause group (ICD-PM)"), max_length=40, blank=True)
    maternal_condition = models.CharField(
        _("maternal condition (ICD-PM)"), max_length=40, blank=True
    )
    delays = models.JSONField(default=list, blank=True)
    factors = models.JSONField(default=list, blank=True)
    avoidability = models.CharField(_("avoidability"), max_length=40, blank=True)
    case_summary = models.TextField(_("case summary (confidential)"), blank=True)
    fields = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth__isnull=False, death__isnull=True)
                | models.Q(birth__isnull=True, death__isnull=False),
                name="mpdsr_perinatal_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.case_code

    @property
    def subject(self) -> Any:
        return self.birth if self.birth_id else self.death

    @property
    def person(self) -> Any:
        """The mother of a stillborn baby, the child who died."""
        return self.birth.mother if self.birth_id else self.death.person  # type: ignore[union-attr]
