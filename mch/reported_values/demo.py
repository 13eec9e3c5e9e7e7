"""Demo survey, policy and workforce values, so the "Số liệu khác" pages and the
scorecards of the seed plans are not empty:

- Ninh Thuận (plan 1493/2022): two caregiver surveys (2023, 2025) of the knowledge
  indicators, one with the survey's own interval, the others with the Wilson interval
  computed; the five policy items for 2023–2024 as the province's own "x of y communes",
  and for 2025 per commune of today's map (so the province's figure is rolled up);
- Bắc Giang (plan 2024): a nutrition survey of stunting in children under 5 (2024);
- Khánh Hòa: workforce and training of its hospitals (2025, 2026), and of Ninh Thuận's
  district health centres (2024).

Made-up figures for a demo, through the services (audited, entered by the demo users).
Idempotent: an entry that exists is left alone."""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from django.db import transaction

from mch.accounts.models import User
from mch.orgunits.models import Facility, OrgUnit

from . import services
from .models import PolicyValue, SurveyResult, WorkforceReport

KAP = "KAP chăm sóc trẻ nhỏ Ninh Thuận"
# (indicator, year, survey date, n, value, own interval or None)
NINH_THUAN_SURVEYS = (
    ("caregiver_newborn_danger_signs", 2023, dt.date(2023, 10, 12), 600, "48,2", None),
    ("caregiver_pneumonia_signs", 2023, dt.date(2023, 10, 12), 600, "55,0", None),
    ("caregiver_diarrhoea_ors", 2023, dt.date(2023, 10, 12), 600, "61,7", None),
    ("caregiver_injury_prevention", 2023, dt.date(2023, 10, 12), 600, "44,5", None),
    ("caregiver_newborn_danger_signs", 2025, dt.date(2025, 11, 5), 620, "63,5", None),
    ("caregiver_pneumonia_signs", 2025, dt.date(2025, 11, 5), 620, "72,1", None),
    ("caregiver_diarrhoea_ors", 2025, dt.date(2025, 11, 5), 620, "81,3", None),
    ("caregiver_injury_prevention", 2025, dt.date(2025, 11, 5), 620, "70,4", None),
    ("exclusive_breastfeeding_u6m", 2025, dt.date(2025, 11, 5), 212, "21,4", ("15,2", "28,9")),
)
POLICY_ITEMS = (
    "policy_goal_in_sep",
    "policy_budget_allocated",
    "policy_basic_mch_services",
    "policy_staff_attraction",
    "policy_injury_programme",
)
# The share of communes with each item, 2023 and 2024 (the province's own entry).
POLICY_SHARES = {2023: (0.55, 0.40, 0.70, 0.30, 0.45), 2024: (0.75, 0.55, 0.80, 0.45, 0.60)}
POLICY_2025 = (0.92, 0.70, 0.88, 0.60, 0.78)  # chance a commune of today's map has it


def _unit(level: str, code: str, day: dt.date) -> OrgUnit | None:
    return OrgUnit.objects.filter(level=level, code=code).valid_on(day).first()


def _user(name: str) -> User | None:
    return User.objects.filter(username=name).first()


def _seed(*parts: Any) -> float:
    return zlib.crc32("|".join(str(p) for p in parts).encode()) / 2**32


def _surveys(officer: User, ninh_thuan: OrgUnit) -> int:
    made = 0
    for code, year, day, n, value, interval in NINH_THUAN_SURVEYS:
        name = f"{KAP} {day.year}"
        if SurveyResult.objects.filter(
            indicator__code=code, unit=ninh_thuan, survey_name=name, survey_date=day
        ).exists():
            continue
        if services.latest_version(code) is None:
            continue
        services.survey_result_save(
            user=officer,
            indicator_code=code,
            unit=ninh_thuan,
            survey_name=name,
            survey_date=day,
            sample_size=n,
            value=value,
            ci_low=interval[0] if interval else None,
            ci_high=interval[1] if interval else None,
            year=year,
            document_ref=f"Báo cáo kết quả điều tra {day.year}, Sở Y tế Ninh Thuận",
            via="demo",
        )
        made += 1
    return made


def _policy(officer: User, ninh_thuan: OrgUnit, station_users: dict[int, User]) -> int:
    made = 0
    old_communes = OrgUnit.objects.in_subtree(ninh_thuan).at_level("commune").count() or 47
    for year, shares in POLICY_SHARES.items():
        for code, share in zip(POLICY_ITEMS, shares, strict=True):
            if PolicyValue.objects.filter(
                indicator__code=code, unit=ninh_thuan, year=year
            ).exists():
                continue
            services.policy_value_save(
                user=officer,
                indicator_code=code,
                unit=ninh_thuan,
                year=year,
                numerator=str(round(share * old_communes)),
                denominator=str(old_communes),
                document_ref=f"Báo cáo tổng hợp kế hoạch KT-XH các xã năm {year}",
                via="demo",
            )
            made += 1
    # 2025: each commune of today's map that holds Ninh Thuận's old territory.
    from mch.indicators.adapter.units import successor_communes

    communes = successor_communes(ninh_thuan, dt.date(2025, 12, 31))
    for commune in communes:
        user = station_users.get(commune.pk, officer)
        for code, chance in zip(POLICY_ITEMS, POLICY_2025, strict=True):
            if PolicyValue.objects.filter(indicator__code=code, unit=commune, year=2025).exists():
                continue
            services.policy_value_save(
                user=user,
                indicator_code=code,
                unit=commune,
                year=2025,
                answer=_seed(commune.code, code, 2025) < chance,
                document_ref=f"Nghị quyết HĐND {commune.name} về kế hoạch KT-XH 2025",
                via="demo",
            )
            made += 1
    return made


def _counts(facility: Facility, year: int) -> dict[str, int]:
    def pick(name: str, low: int, high: int) -> int:
        return low + int(_seed(facility.code, year, name) * (high - low + 1))

    hospital = facility.kind in ("provincial_hospital", "specialised_hospital")
    counts = {
        "obstetric_level2": pick("o2", 1, 3) if hospital else pick("o2", 0, 0),
        "obstetric_level1": pick("o1", 2, 5) if hospital else pick("o1", 0, 2),
        "obstetric_oriented": pick("oo", 0, 3),
        "paediatric_level2": pick("p2", 1, 2) if hospital else 0,
        "paediatric_level1": pick("p1", 2, 4) if hospital else pick("p1", 0, 1),
        "paediatric_oriented": pick("po", 0, 2),
        "midwives": pick("mw", 12, 30) if hospital else pick("mw", 3, 9),
        "child_doctors": pick("cd", 6, 14) if hospital else pick("cd", 1, 4),
        "trained_eenc": pick("te", 5, 25),
        "trained_resuscitation": pick("tr", 3, 15),
        "trained_kangaroo": pick("tk", 2, 12),
    }
    counts["child_doctors_trained"] = min(counts["child_doctors"], pick("ct", 0, 6))
    if facility.kind in ("district_health_centre", "regional_health_centre"):
        counts["village_midwives"] = pick("vm", 0, 12)
    return counts


def _workforce(officer: User, hospital_user: User | None, units: list[OrgUnit]) -> int:
    made = 0
    for unit, years in zip(units, ((2025, 2026), (2024,)), strict=False):
        kinds = (
            "provincial_hospital",
            "specialised_hospital",
            "regional_health_centre",
            "district_health_centre",
        )
        facilities = Facility.objects.filter(unit__path__startswith=unit.path, kind__in=kinds)
        for facility in facilities.select_related("unit").order_by("code"):
            for year in years:
                if WorkforceReport.objects.filter(facility=facility, year=year).exists():
                    continue
                user = (
                    hospital_user
                    if hospital_user is not None and hospital_user.facility_id == facility.pk
                    else officer
                )
                services.workforce_report_save(
                    user=user,
                    facility=facility,
                    year=year,
                    as_of=dt.date(year, 12, 31) if year < 2026 else dt.date(2026, 11, 30),
                    counts=_counts(facility, year),
                    document_ref=f"Báo cáo nhân lực, đào tạo năm {year}",
                    via="demo",
                )
                made += 1
    return made


def _stunting(officer: User | None) -> int:
    bac_giang = _unit("province", "24", dt.date(2024, 12, 31))
    if officer is None or bac_giang is None or services.latest_version("stunting_u5") is None:
        return 0
    name = "Điều tra dinh dưỡng trẻ em dưới 5 tuổi 2024"
    if SurveyResult.objects.filter(indicator__code="stunting_u5", unit=bac_giang).exists():
        return 0
    try:
        services.survey_result_save(
            user=officer,
            indicator_code="stunting_u5",
            unit=bac_giang,
            survey_name=name,
            survey_date=dt.date(2024, 9, 20),
            sample_size=1260,
            value="17,8",
            ci_low="15,6",
            ci_high="20,2",
            year=2024,
            document_ref="Viện Dinh dưỡng, kết quả điều tra 2024",
            via="demo",
        )
    except Exception:  # noqa: BLE001 - the survey is optional when the catalogue differs
        return 0
    return 1


@transaction.atomic
def demo_reported_values_load(*, progress: Any = None) -> int:
    """The demo values; returns how many were written (0 on a second run)."""
    if progress is not None:
        progress("Số liệu khảo sát, chính sách và nhân lực minh họa…")
    officer = _user("sokhanhhoa")
    ninh_thuan = _unit("province", "58", dt.date(2024, 12, 31))
    khanh_hoa = _unit("province", "56", dt.date(2025, 12, 31))
    if officer is None or ninh_thuan is None or khanh_hoa is None:
        return 0
    station_users = {
        unit.pk: user
        for user in User.objects.filter(role="commune_staff").prefetch_related("units")
        for unit in user.units.all()
    }
    made = _surveys(officer, ninh_thuan)
    made += _policy(officer, ninh_thuan, station_users)
    made += _workforce(officer, _user("benhvien.khanhhoa"), [khanh_hoa, ninh_thuan])
    made += _stunting(_user("sobacninh"))
    return made
