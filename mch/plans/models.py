"""Plans (Kế hoạch) and directives (Chỉ thị) with their objectives, targets, baselines
and actuals, budgets and tasks, as the source document states them.

Values are kept as written (``value_text``, ``quote``) beside their parsed form so a
reader can always check the system against the signed document.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    KE_HOACH = "ke_hoach", _("Plan (Kế hoạch)")
    CHI_THI = "chi_thi", _("Directive (Chỉ thị)")
    QUYET_DINH = "quyet_dinh", _("Decision (Quyết định)")
    OTHER = "other", _("Other document")


class Comparator(models.TextChoices):
    """The comparator as the document writes it."""

    DAT = "dat", _("at least (đạt)")
    TREN = "tren", _("above (trên)")
    DUOI = "duoi", _("below (dưới)")
    XUONG = "xuong", _("down to (xuống)")
    DUY_TRI = "duy_tri", _("maintain (duy trì)")
    TANG = "tang", _("increase by (tăng)")
    GIAM = "giam", _("decrease by (giảm)")
    BARE = "bare", _("value only (no comparator written)")


class SourcePart(models.TextChoices):
    BODY = "body", _("Body text")
    ANNEX = "annex", _("Annex")


class Plan(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    number = models.CharField(_("number"), max_length=120, blank=True)
    title = models.TextField(_("title"))
    issuer_name = models.CharField(_("issuing body"), max_length=200)
    issuer_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="issued_plans"
    )
    scope_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="scoped_plans"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_text = models.TextField(
        _("date as written"), blank=True, help_text="Place and date as printed."
    )
    signer_name = models.CharField(max_length=120, blank=True)
    signer_title = models.TextField(blank=True)
    period_start = models.PositiveSmallIntegerField(_("period from"))
    period_end = models.PositiveSmallIntegerField(_("period to"))
    legal_basis = models.JSONField(_("legal basis"), default=list)
    summary = models.TextField(blank=True)
    report_deadline_month = models.PositiveSmallIntegerField(null=True, blank=True)
    report_deadline_day = models.PositiveSmallIntegerField(null=True, blank=True)
    report_deadline_text = models.TextField(blank=True)
    report_recipient = models.TextField(blank=True)
    notes = models.JSONField(
        default=list, help_text="What the document says that the data model cannot hold."
    )
    source_file = models.CharField(max_length=200, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-period_start", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General objective")
        SPECIFIC = "specific", _("Specific objective")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SPECIFIC)
    title = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="objective_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class PlanValue(models.Model):
    """Shared fields of a target and an observed value: what, when, for whom, as written."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="%(class)ss")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="%(class)ss"
    )
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT)
    indicator_version = models.ForeignKey(
        "indicators.IndicatorVersion", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    population = models.ForeignKey("indicators.PopulationGroup", on_delete=models.PROTECT)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value_text = models.CharField(_("as written"), max_length=300, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    source_part = models.CharField(max_length=8, choices=SourcePart.choices)
    source_ref = models.CharField(_("where in the document"), max_length=300, blank=True)
    note = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value_text or self.value}"


class Target(PlanValue):
    comparator = models.CharField(max_length=8, choices=Comparator.choices)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    change_unit = models.CharField(
        max_length=8,
        blank=True,
        choices=[("percent", _("% of the baseline")), ("points", _("percentage points"))],
    )

    class Meta(PlanValue.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "year", "population", "source_part"],
                name="target_unique_per_source",
            )
        ]


class Observation(PlanValue):
    """A baseline or reported actual value that the document states."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        ACTUAL = "actual", _("Actual")

    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta(PlanValue.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "year", "population", "kind", "source_part"],
                name="observation_unique_per_source",
            )
        ]


class BudgetLine(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: whole period")
    amount_vnd = models.BigIntegerField()
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
        help_text="The whole-period line this yearly amount is part of (mch.plans.budget).",
    )
    funding_source = models.TextField(blank=True)
    item = models.TextField(blank=True)
    quote = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return f"{self.year or 'cả giai đoạn'}: {self.amount_vnd:,} VND"


class Task(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead (chủ trì)")
        SUPPORT = "support", _("Support (phối hợp)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    agency = models.ForeignKey("orgunits.Agency", on_delete=models.PROTECT, related_name="tasks")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.LEAD)
    description = models.TextField()
    source_ref = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "order"]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.description[:60]}"
