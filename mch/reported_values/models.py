"""Values no register can give, entered with where they come from: survey results, policy
and system items per unit and year, and each health facility's workforce and training.
Every row keeps who entered it and when, and its document or survey reference; every
change is audited (``registers.AuditEntry``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    SURVEY = "survey", _("Survey")
    REPORTED = "reported", _("Report")


class Provenance(models.Model):
    """Who entered a value, when, from which document, and how (form, import, API)."""

    document_ref = models.CharField(_("document or reference"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_via = models.CharField(max_length=16, default="form")
    entered_at = models.DateTimeField(auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class SurveyResult(Provenance):
    """One survey's estimate of one indicator for one unit (and population group)."""

    source_kind = SourceKind.SURVEY
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="survey_results"
    )
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    population_code = models.CharField(max_length=64, default="all")
    year = models.PositiveSmallIntegerField(_("year the result is about"))
    survey_name = models.CharField(_("survey"), max_length=200)
    survey_date = models.DateField(_("survey date"))
    sample_size = models.PositiveIntegerField(_("sample size"))
    value = models.DecimalField(_("value"), max_digits=9, decimal_places=3)
    ci_low = models.DecimalField(max_digits=9, decimal_places=3)
    ci_high = models.DecimalField(max_digits=9, decimal_places=3)
    # True: the survey gave no interval; the Wilson interval was computed from n and value.
    ci_computed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-year", "indicator__code", "unit__name", "-survey_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "population_code", "survey_name", "survey_date"],
                name="survey_result_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(ci_low__lte=models.F("value"), ci_high__gte=models.F("value")),
                name="survey_result_ci_holds_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_name} {self.indicator_id} {self.unit_id} {self.year}"


class PolicyValue(Provenance):
    """A unit's policy or system item for a year: yes/no, a fraction or a number."""

    source_kind = SourceKind.REPORTED
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="policy_values"
    )
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    answer = models.BooleanField(_("yes / no"), null=True, blank=True)
    numerator = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-year", "indicator__code", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"], name="policy_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.year}"


class WorkforceReport(Provenance):
    """A health facility's staff and training of a year, at its reporting date."""

    source_kind = SourceKind.REPORTED
    facility = models.ForeignKey(
        "orgunits.Facility", on_delete=models.PROTECT, related_name="workforce_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("reporting date"))
    obstetric_level2 = models.PositiveSmallIntegerField(default=0)
    obstetric_level1 = models.PositiveSmallIntegerField(default=0)
    obstetric_oriented = models.PositiveSmallIntegerField(default=0)
    paediatric_level2 = models.PositiveSmallIntegerField(default=0)
    paediatric_level1 = models.PositiveSmallIntegerField(default=0)
    paediatric_oriented = models.PositiveSmallIntegerField(default=0)
    midwives = models.PositiveSmallIntegerField(null=True, blank=True)
    village_midwives = models.PositiveSmallIntegerField(null=True, blank=True)
    child_doctors = models.PositiveSmallIntegerField(null=True, blank=True)
    child_doctors_trained = models.PositiveSmallIntegerField(null=True, blank=True)
    trained_eenc = models.PositiveSmallIntegerField(null=True, blank=True)
    trained_resuscitation = models.PositiveSmallIntegerField(null=True, blank=True)
    trained_kangaroo = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "facility__name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "year"], name="workforce_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.year}"
