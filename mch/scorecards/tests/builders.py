"""A generated province (synthetic registers imported as a user would) and a plan with
targets on it; expected values computed here by plain counting over the records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from mch.accounts.models import Role, User
from mch.accounts.services import user_create
from mch.indicators.models import Indicator, PopulationGroup
from mch.indicators.services import catalogue_load
from mch.orgunits.models import OrgUnit
from mch.plans.models import Observation, Plan, Target
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import Birth, Death, Delivery
from mch.registers.synthetic import Options
from mch.registers.synthetic.services import synthetic_generate

AS_OF = dt.date(2026, 11, 22)
YEAR = 2025
PASSWORD = "Mat-khau-thu-2025!"  # noqa: S105 - test fixtures only


@dataclass
class Province:
    unit: OrgUnit
    communes: list[OrgUnit]
    other: OrgUnit  # a province outside the officer's scope
    plan: Plan
    other_plan: Plan
    officer: User
    commune_user: User


def _target(plan: Plan, code: str, comparator: str, value: str, text: str, order: int) -> None:
    indicator = Indicator.objects.get(code=code)
    Target.objects.create(
        plan=plan,
        indicator=indicator,
        indicator_version=indicator.versions.order_by("-version").first(),
        year=YEAR,
        population=PopulationGroup.objects.get(code="all"),
        comparator=comparator,
        value=Decimal(value),
        value_text=text,
        source_part="body",
        order=order,
    )


def build_province(directory: Path) -> Province:
    options = Options(as_of=AS_OF, births_per_year=150, years=2, seed=7, error_rate=0.0)
    synthetic_generate(directory=directory, options=options, synthetic=7, communes=3)
    bundle_import(source=directory, user=None, today=AS_OF)
    catalogue_load()
    unit = OrgUnit.objects.get(code="S7")
    communes = list(OrgUnit.objects.in_subtree(unit).at_level("commune").order_by("name"))
    other = OrgUnit.objects.create(code="S8", name="Tỉnh Khác", level="province", path="")
    other.path = f"/{other.pk}/"
    other.save(update_fields=["path"])

    plan = Plan.objects.create(
        slug="kh-thu-2025",
        kind="ke_hoach",
        title="Kế hoạch thử nghiệm bảng điểm",
        issuer_name="UBND tỉnh",
        issuer_unit=unit,
        scope_unit=unit,
        period_start=2024,
        period_end=2025,
    )
    _target(plan, "facility_birth", "dat", "50", "50%", 1)
    _target(plan, "neonatal_mortality", "xuong", "1", "1‰", 2)
    _target(plan, "policy_goal_in_sep", "dat", "100", "100%", 3)
    facility = Indicator.objects.get(code="facility_birth")
    Observation.objects.create(
        plan=plan,
        indicator=facility,
        indicator_version=facility.versions.order_by("-version").first(),
        year=2024,
        population=PopulationGroup.objects.get(code="all"),
        value=Decimal("12.3"),
        value_text="12,3%",
        source_part="body",
        kind="actual",
    )
    other_plan = Plan.objects.create(
        slug="kh-tinh-khac",
        kind="ke_hoach",
        title="Kế hoạch tỉnh khác",
        issuer_name="UBND tỉnh khác",
        issuer_unit=other,
        scope_unit=other,
        period_start=2024,
        period_end=2025,
    )

    def user(name: str, role: str, where: OrgUnit) -> User:
        return user_create(
            username=name, password=PASSWORD, role=role, units=[where], full_name=name,
            validate=False,
        )  # fmt: skip

    return Province(
        unit=unit,
        communes=communes,
        other=other,
        plan=plan,
        other_plan=other_plan,
        officer=user("so.thu", Role.PROVINCE_OFFICER, unit),
        commune_user=user("tram.thu", Role.COMMUNE_STAFF, communes[0]),
    )


def _in_year(day: dt.date) -> bool:
    return day.year == YEAR


def facility_births(units: set[int]) -> tuple[int, int]:
    """(deliveries in a health facility, deliveries) of women living in ``units``."""
    num = den = 0
    for delivery in Delivery.objects.all():
        if delivery.residence_unit_id in units and _in_year(delivery.date):
            den += 1
            num += delivery.place == "facility"
    return num, den


def neonatal_deaths(units: set[int]) -> tuple[int, int]:
    """(deaths of live-born children at 0–27 days, live births) in ``units``."""
    births = sum(
        1
        for b in Birth.objects.all()
        if b.outcome == "live" and b.residence_unit_id in units and _in_year(b.date)
    )
    deaths = 0
    stillborn = set(Birth.objects.filter(outcome="stillbirth").values_list("person_id", flat=True))
    for death in Death.objects.select_related("person"):
        born = death.person.birth_date
        if death.residence_unit_id not in units or not _in_year(death.date) or born is None:
            continue
        if death.person_id in stillborn:
            continue
        if 0 <= (death.date - born).days <= 27:
            deaths += 1
    return deaths, births


def vi(value: float) -> str:
    """One decimal with the decimal comma, as the page writes it."""
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text
