"""The indicator catalogue: stable codes, versioned definitions, population groups.

A definition is never edited in place: a change is a new ``IndicatorVersion`` so
that a result computed under an old definition stays reproducible.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    MORTALITY = "mortality", _("Mortality")
    COVERAGE = "coverage", _("Service coverage")
    NUTRITION = "nutrition", _("Nutrition")
    BEHAVIOUR = "behaviour", _("Behaviour and knowledge")
    POLICY = "policy", _("Policy and system")
    WORKFORCE = "workforce", _("Workforce")


class Direction(models.TextChoices):
    LOWER = "lower", _("Lower is better")
    HIGHER = "higher", _("Higher is better")


class DataSource(models.TextChoices):
    REGISTERS = "registers", _("Individual registers")
    AGGREGATE = "aggregate", _("Aggregate report")
    SURVEY = "survey", _("Survey")
    POLICY = "policy", _("Policy checklist")
    CENSUS = "census", _("Census / vital statistics")


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain", "code"]

    def __str__(self) -> str:
        return self.code

    def current_version(self) -> IndicatorVersion | None:
        return self.versions.order_by("-version").first()


class IndicatorVersion(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    name_vi = models.CharField(_("Vietnamese name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    definition_vi = models.TextField(_("definition (Vietnamese)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    numerator = models.TextField(_("numerator"))
    denominator = models.TextField(_("denominator"), blank=True)
    multiplier = models.PositiveIntegerField(
        _("multiplier"), help_text="1 (count), 100 (%), 1000 (‰), 100000 (per 100,000)"
    )
    unit_symbol = models.CharField(_("unit"), max_length=32)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    data_source = models.CharField(_("data source"), max_length=16, choices=DataSource.choices)
    disaggregations = models.JSONField(_("allowed disaggregations"), default=list)
    notes = models.TextField(blank=True)
    # Executable definition (mch/indicators/engine/definitions.py); {} = not computed.
    compute = models.JSONField(_("executable definition"), default=dict, blank=True)
    change_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["indicator_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "version"], name="indicator_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(multiplier__in=[1, 100, 1000, 100000]),
                name="indicator_multiplier_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} v{self.version}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class PopulationGroup(models.Model):
    """Whom a target or value is about: everyone, ethnic-minority children, difficult areas…"""

    code = models.SlugField(max_length=64, unique=True)
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    definition = models.JSONField(
        default=dict,
        help_text="Filter over person and unit attributes, e.g. {'ethnicity': 'minority'}",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class GroupProfile(models.Model):
    """One combination of group attributes (ethnicity, area classification, sex, mother's
    age group…) that facts carry; cells are stored per profile (adapter/profiles.py)."""

    key = models.CharField(max_length=255, unique=True)
    attrs = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.key


class Attribution(models.IntegerChoices):
    RESIDENCE = 1, _("Commune of residence")
    SERVICE = 2, _("Unit of service")


class IndicatorCell(models.Model):
    """Σ numerator and Σ denominator of one indicator version for one unit, one month and
    one group profile. Additive indicators: ``period_kind`` "month", ``until`` 0. "Latest
    per person" indicators: ``period_kind`` "latest", and ``until`` the month (1–12) of the
    person's next valid fact in the same year, 13 when none: a month-aligned period of the
    year holds the cells of its months whose ``until`` is after its last month
    (docs/indicator-aggregates.md). ``attribution`` 0: a cell equal for residence and for
    service, stored once (read with either). Kept current by
    ``adapter.aggregates.cells_refresh``.
    The primary key holds ``province_id`` (the unit's province) so the table can be
    partitioned by year of ``period_start`` and distributed by province (docs/scaling.md)."""

    pk = models.CompositePrimaryKey(
        "version_id",
        "attribution",
        "period_kind",
        "period_start",
        "unit_id",
        "profile_id",
        "until",
        "province_id",
    )
    version = models.ForeignKey(IndicatorVersion, on_delete=models.CASCADE, related_name="+")
    attribution = models.PositiveSmallIntegerField(choices=Attribution.choices)
    unit_id = models.BigIntegerField()  # OrgUnit id, no constraint: cells outlive unit edits
    period_kind = models.CharField(max_length=8)
    period_start = models.DateField()
    profile_id = models.IntegerField()
    until = models.PositiveSmallIntegerField(default=0)
    province_id = models.BigIntegerField(default=0)  # distribution key (docs/scaling.md)
    numerator = models.FloatField(default=0)
    denominator = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["unit_id", "period_start"], name="indicator_cell_unit")]

    def __str__(self) -> str:
        return f"{self.version_id}/{self.unit_id}/{self.period_kind} {self.period_start}"


class CellsPending(models.Model):
    """Units a write changed while a rebuild of some version was running: the rebuild
    recomputes them once it is done, so no write is lost (adapter/aggregates.py)."""

    unit_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.unit_id)


class AggregateState(models.Model):
    """Whether the stored cells of a version are complete (``ready``) or being built."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Being rebuilt")
        READY = "ready", _("Ready")

    version = models.OneToOneField(
        IndicatorVersion, on_delete=models.CASCADE, related_name="aggregate_state"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.BUILDING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    built_at = models.DateTimeField(null=True, blank=True)
    cells = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.version_id}: {self.status}"
