"""The levels the synthetic province is drawn to: Vietnamese orders of magnitude, worse in
ethnic-minority and mountainous communes.

Every parameter has four values, one per commune group: urban (wards), other rural
communes, ethnic-minority and mountainous communes, and those of them in zone III
(especially difficult). Sources of the orders of magnitude: /work/shared/domain.md §1–2
(national targets and difficult-area variants of QĐ 2779/QĐ-BYT and QĐ 1493/QĐ-TTg),
the MICS 2020–2021 and GSO figures commonly cited for Vietnam (stunting about 19%,
underweight about 12%, wasting about 5%, neonatal mortality about 10‰ in surveys and
5–10‰ in routine registers, infant mortality about 13‰, under-5 about 20‰, maternal
mortality about 46 per 100,000 live births, low birth weight about 6–8%). They are
synthetic-data settings, not estimates: change them here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

URBAN, RURAL, ETHNIC, DIFFICULT = 0, 1, 2, 3
GROUP_NAMES = ("urban", "rural", "ethnic_minority", "ethnic_minority_zone_iii")

Four = tuple[float, float, float, float]


@dataclass(frozen=True)
class Rates:
    # people
    minority_women: Four = (0.02, 0.04, 0.70, 0.88)
    poor: Four = (0.01, 0.04, 0.25, 0.40)
    near_poor: Four = (0.03, 0.06, 0.15, 0.15)
    has_national_id: Four = (0.96, 0.94, 0.85, 0.78)
    has_phone: Four = (0.95, 0.90, 0.70, 0.60)
    age_first_birth: Four = (26.5, 24.5, 22.5, 21.5)  # mean, years
    repeat_mother: Four = (0.40, 0.45, 0.50, 0.55)  # share of deliveries to a woman already known
    # women who move to another commune of the province during their first registered
    # pregnancy or in the year after the delivery (their children move with them)
    move: Four = (0.05, 0.04, 0.03, 0.025)
    # pregnancy
    miscarriage: Four = (0.05, 0.05, 0.04, 0.04)  # registered pregnancies ending < 22 weeks
    anc_good: Four = (0.93, 0.90, 0.72, 0.62)  # 4+ visits covering the 3 trimesters
    iron_full: Four = (0.85, 0.80, 0.60, 0.50)  # >= 90 tablets
    tetanus: Four = (0.93, 0.92, 0.82, 0.75)
    hiv_test: Four = (0.95, 0.92, 0.78, 0.68)
    syphilis_test: Four = (0.88, 0.82, 0.62, 0.52)
    hepb_test: Four = (0.93, 0.90, 0.72, 0.62)
    # delivery
    facility_birth: Four = (0.995, 0.985, 0.90, 0.80)
    caesarean: Four = (0.30, 0.24, 0.12, 0.08)  # of facility births above commune level
    station_birth: Four = (0.02, 0.12, 0.32, 0.42)  # of facility births: at the commune station
    province_birth: Four = (0.65, 0.32, 0.18, 0.12)  # of facility births: provincial hospital
    preterm: Four = (0.06, 0.065, 0.08, 0.09)
    stillbirth: Four = (0.007, 0.008, 0.012, 0.014)
    term_weight_g: Four = (3270.0, 3250.0, 3160.0, 3130.0)
    twins: Four = (0.012, 0.010, 0.009, 0.009)
    eenc_skin: Four = (0.85, 0.85, 0.72, 0.65)
    hepb_24h: Four = (0.93, 0.90, 0.78, 0.70)
    # after birth
    home_visit_week1: Four = (0.68, 0.76, 0.55, 0.45)
    facility_contact: Four = (0.95, 0.92, 0.85, 0.80)
    # deaths per 1,000 live births (neonatal, rest of the first year, ages 1-4) and
    # maternal deaths per 100,000 deliveries
    neonatal: Four = (5.0, 6.0, 10.5, 13.0)
    postneonatal: Four = (4.0, 4.5, 8.0, 10.0)
    child: Four = (5.0, 6.0, 10.5, 12.5)
    maternal: Four = (30.0, 40.0, 90.0, 120.0)
    woman_death_per_year: Four = (0.0007, 0.0008, 0.0011, 0.0012)
    # children
    epi_complete: Four = (0.965, 0.96, 0.88, 0.83)  # on track through the first year
    epi_delay_days: Four = (6.0, 7.0, 14.0, 18.0)  # scale of the delay after the due age
    weighed: Four = (0.82, 0.88, 0.78, 0.72)  # attends a twice-yearly weighing day
    checkup: Four = (0.80, 0.78, 0.62, 0.55)
    health_record: Four = (0.92, 0.88, 0.70, 0.62)
    monthly_weighing_commune: Four = (0.05, 0.20, 0.45, 0.55)
    haz_birth: Four = (-0.35, -0.45, -0.70, -0.80)  # mean HAZ at birth …
    haz_24m: Four = (-1.05, -1.25, -1.8, -2.0)  # … and from 24 months
    whz: Four = (-0.25, -0.35, -0.55, -0.65)
    pneumonia_per_year: Four = (0.10, 0.12, 0.18, 0.20)
    diarrhoea_per_year: Four = (0.20, 0.25, 0.35, 0.40)
    other_illness_per_year: Four = (0.25, 0.25, 0.20, 0.20)
    injury_per_year: Four = (0.03, 0.03, 0.035, 0.04)
    antibiotic: Four = (0.90, 0.88, 0.78, 0.72)
    ors: Four = (0.85, 0.82, 0.70, 0.65)
    zinc: Four = (0.60, 0.55, 0.40, 0.35)

    def arrays(self) -> dict[str, np.ndarray]:
        """Each parameter as an array indexable by a group array."""
        return {f.name: np.asarray(getattr(self, f.name), dtype=np.float64) for f in fields(self)}


DEFAULT = Rates()
