"""The immunisation schedule as data: antigens and one row per dose.

A row without a province is the national default; a row with a province replaces the
national row of the same antigen and dose there (``active=False`` withdraws it). Rows
carry validity dates so that a change of the law is a new row, not an overwrite.
The engine (``engine.py``) never sees these models: ``selectors.rules_from_rows`` turns
rows into ``ScheduleRule``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mch.immunisation import engine
from mch.immunisation.schedule_file import DISEASES


class TargetGroup(models.TextChoices):
    CHILD = engine.CHILD, _("Child")
    PREGNANT_WOMAN = engine.PREGNANT_WOMAN, _("Pregnant woman")


class Certainty(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed by a public source")
    BEST_KNOWLEDGE = "best_knowledge", _("Best knowledge (no source found)")


class Antigen(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    diseases = models.JSONField(
        _("diseases prevented"), default=list, help_text=", ".join(sorted(DISEASES))
    )
    target_group = models.CharField(_("target group"), max_length=16, choices=TargetGroup.choices)
    is_epi = models.BooleanField(
        _("in the Expanded Programme on Immunisation"),
        default=True,
        help_text=_("Doses of a non-EPI antigen never count towards EPI coverage."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.TextField(_("note"), blank=True)
    # What the schedule file last wrote, so that a reload can tell a file change from an
    # edit made in the admin site since (see services.schedule_load).
    loaded_values = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("antigen")
        verbose_name_plural = _("antigens")

    def __str__(self) -> str:
        return self.abbreviation or self.code

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def clean(self) -> None:
        diseases = self.diseases if isinstance(self.diseases, list) else None
        if not diseases:
            raise ValidationError({"diseases": _("List at least one disease.")})
        unknown = [str(d) for d in diseases if d not in DISEASES]
        if unknown:
            raise ValidationError(
                {"diseases": _("Unknown diseases: %(codes)s") % {"codes": ", ".join(unknown)}}
            )

    def disease_names(self) -> list[str]:
        return [DISEASES.get(code, code) for code in self.diseases or []]


class ScheduleEntryQuerySet(models.QuerySet["ScheduleEntry"]):
    def national(self) -> ScheduleEntryQuerySet:
        return self.filter(province__isnull=True)

    def valid_on(self, day: Any) -> ScheduleEntryQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class ScheduleEntry(models.Model):
    antigen = models.ForeignKey(
        Antigen, on_delete=models.PROTECT, related_name="entries", verbose_name=_("antigen")
    )
    dose = models.PositiveSmallIntegerField(_("dose number"))
    province = models.ForeignKey(
        "orgunits.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="immunisation_entries",
        limit_choices_to={"level": "province"},
        verbose_name=_("province"),
        help_text=_("Empty: national default. Set: replaces the national row in this province."),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A province row that is not active withdraws this dose in the province."),
    )
    min_age_days = models.PositiveIntegerField(_("minimum age (days)"))
    due_age_days = models.PositiveIntegerField(_("recommended age (days)"))
    min_interval_days = models.PositiveIntegerField(
        _("minimum interval (days)"), null=True, blank=True
    )
    interval_from_antigen = models.ForeignKey(
        Antigen,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("interval counted from antigen"),
        help_text=_("Empty: from the previous dose of the same antigen."),
    )
    interval_from_dose = models.PositiveSmallIntegerField(
        _("interval counted from dose"), null=True, blank=True
    )
    timely_age_days = models.PositiveIntegerField(
        _("timely up to age (days)"),
        null=True,
        blank=True,
        help_text=_("A dose given by this age counts as timely (hepatitis B birth dose: 1)."),
    )
    latest_age_days = models.PositiveIntegerField(
        _("latest age (days)"),
        null=True,
        blank=True,
        help_text=_("After this age a dose not given counts as missed. Empty: no limit."),
    )
    counts_for_full_immunisation = models.BooleanField(
        _("counts for fully immunised before age 1"), default=False
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    certainty = models.CharField(_("certainty"), max_length=16, choices=Certainty.choices)
    note = models.TextField(_("note"), blank=True)
    loaded_values = models.JSONField(null=True, blank=True, editable=False)

    objects = ScheduleEntryQuerySet.as_manager()

    class Meta:
        ordering = ["antigen__order", "antigen__code", "dose", "province_id", "valid_from"]
        verbose_name = _("schedule entry")
        verbose_name_plural = _("schedule entries")
        constraints = [
            models.UniqueConstraint(
                fields=["antigen", "dose", "valid_from"],
                condition=Q(province__isnull=True),
                name="immunisation_entry_unique_national",
            ),
            models.UniqueConstraint(
                fields=["province", "antigen", "dose", "valid_from"],
                condition=Q(province__isnull=False),
                name="immunisation_entry_unique_province",
            ),
            models.CheckConstraint(condition=Q(dose__gte=1), name="immunisation_dose_from_1"),
            models.CheckConstraint(
                condition=Q(due_age_days__gte=F("min_age_days")),
                name="immunisation_due_not_before_min",
            ),
            models.CheckConstraint(
                condition=Q(latest_age_days__isnull=True)
                | Q(latest_age_days__gte=F("due_age_days")),
                name="immunisation_latest_not_before_due",
            ),
            models.CheckConstraint(
                condition=Q(timely_age_days__isnull=True)
                | (
                    Q(timely_age_days__gte=F("min_age_days"))
                    & (
                        Q(latest_age_days__isnull=True)
                        | Q(timely_age_days__lte=F("latest_age_days"))
                    )
                ),
                name="immunisation_timely_within_ages",
            ),
            models.CheckConstraint(
                condition=Q(interval_from_antigen__isnull=True, interval_from_dose__isnull=True)
                | Q(interval_from_antigen__isnull=False, interval_from_dose__gte=1),
                name="immunisation_interval_from_complete",
            ),
            models.CheckConstraint(
                condition=Q(min_interval_days__isnull=True)
                | Q(dose__gt=1)
                | Q(interval_from_antigen__isnull=False),
                name="immunisation_interval_needs_previous",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="immunisation_entry_valid_range",
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.province})" if self.province_id else ""
        return f"{self.antigen} mũi {self.dose}{where}"

    @property
    def interval_from(self) -> tuple[str, int] | None:
        if self.interval_from_antigen is None or self.interval_from_dose is None:
            return None
        return (self.interval_from_antigen.code, self.interval_from_dose)

    def to_rule(self) -> engine.ScheduleRule:
        """The engine rule for this row; raises ``engine.RuleError`` if inconsistent."""
        return engine.ScheduleRule(
            antigen=self.antigen.code,
            dose=self.dose,
            min_age_days=self.min_age_days,
            due_age_days=self.due_age_days,
            min_interval_days=self.min_interval_days,
            latest_age_days=self.latest_age_days,
            timely_age_days=self.timely_age_days,
            interval_from=self.interval_from,
            counts_for_full_immunisation=self.counts_for_full_immunisation,
            target=self.antigen.target_group,
            antigen_name=self.antigen.abbreviation,
        )

    def clean(self) -> None:
        if self.antigen_id is None or self.dose is None:
            return
        if self.province is not None and self.province.level != "province":
            raise ValidationError({"province": _("Choose a province.")})
        values = [self.min_age_days, self.due_age_days]
        if any(v is None for v in values):
            return
        try:
            self.to_rule()
        except engine.RuleError as exc:
            raise ValidationError(exc.problems) from exc
