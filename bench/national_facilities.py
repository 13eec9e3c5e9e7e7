"""Helpers of bench/generate_national.py for provinces the demo layer does not cover:
synthetic health facilities in the database (so generated bundles import) and a drawn
commune classification in the generated data only. Benchmark databases only."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from mch.orgunits.models import Facility, Level
from mch.orgunits.selectors import units_valid_on
from mch.registers.synthetic.geography import Province
from mch.registers.synthetic.rates import DIFFICULT, ETHNIC, RURAL

# Mostly mountainous provinces (2025 codes): a larger share of ethnic-minority communes.
MOUNTAINOUS = {"04", "08", "11", "12", "14", "15", "20", "52", "66", "68"}
SUFFIX = " (tổng hợp)"


def facilities_ensure(code: str, *, on: dt.date) -> int:
    """A health station in every commune, four regional centres and two provincial
    hospitals for a province that has no commune health station yet. Returns how many
    were created."""
    province = units_valid_on(on, level=Level.PROVINCE).get(code=code)
    communes = list(
        units_valid_on(on, level=Level.COMMUNE)
        .filter(path__startswith=province.path)
        .order_by("code")
    )
    if Facility.objects.filter(
        unit__in=communes, kind=Facility.Kind.COMMUNE_HEALTH_STATION
    ).exists():
        return 0
    name = province.short_name or province.name
    wanted = [
        Facility(
            code=f"BVDK-{code}",
            name=f"Bệnh viện Đa khoa tỉnh {name}{SUFFIX}",
            kind=Facility.Kind.PROVINCIAL_HOSPITAL,
            care_level=Facility.CareLevel.PROVINCE,
            unit=province,
            provides_delivery=True,
        ),
        Facility(
            code=f"BVSN-{code}",
            name=f"Bệnh viện Sản - Nhi tỉnh {name}{SUFFIX}",
            kind=Facility.Kind.SPECIALISED_HOSPITAL,
            care_level=Facility.CareLevel.PROVINCE,
            unit=province,
            provides_delivery=True,
        ),
    ]
    for commune in communes[:: max(1, len(communes) // 4)][:4]:
        wanted.append(
            Facility(
                code=f"TTYT-{commune.code}",
                name=f"Trung tâm Y tế khu vực {commune.short_name or commune.name}{SUFFIX}",
                kind=Facility.Kind.REGIONAL_HEALTH_CENTRE,
                care_level=Facility.CareLevel.DISTRICT,
                unit=commune,
                provides_delivery=True,
                valid_from=commune.valid_from,
            )
        )
    for commune in communes:
        wanted.append(
            Facility(
                code=f"TYT-{commune.code}",
                name=f"Trạm Y tế {commune.name}{SUFFIX}",
                kind=Facility.Kind.COMMUNE_HEALTH_STATION,
                care_level=Facility.CareLevel.COMMUNE,
                unit=commune,
                provides_delivery=True,
                valid_from=commune.valid_from,
            )
        )
    have = set(
        Facility.objects.filter(code__in=[f.code for f in wanted]).values_list("code", flat=True)
    )
    missing = [f for f in wanted if f.code not in have]
    Facility.objects.bulk_create(missing, batch_size=500)
    return len(missing)


def classification_drawn(province: Province) -> Province:
    """The province as it is when some of its communes are classified; otherwise a drawn
    classification (a third of communes ethnic-minority areas, 70% in mountainous
    provinces; 4 in 10 of these in zone III)."""
    if any(c.group >= ETHNIC for c in province.communes):
        return province
    share = 0.7 if province.code in MOUNTAINOUS else 0.3
    communes = []
    for commune in province.communes:
        draw = random.Random(f"bench-class:{commune.code}")
        group = commune.group
        if group == RURAL and draw.random() < share:
            group = DIFFICULT if draw.random() < 0.4 else ETHNIC
        communes.append(replace(commune, group=group))
    return replace(province, communes=tuple(communes))
