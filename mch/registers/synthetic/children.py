"""The first five years of the children of a chunk: deaths, vaccine doses, weighing days,
check-ups, illnesses and injuries.

Each child is followed until death, moving away, five years of age or the ``as_of`` day,
whichever comes first; nothing is dated after that.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .context import Context
from .measure import LYING_UNTIL_DAYS, length_cm, weight_kg
from .output import NEVER, choices, day_number
from .people import deaths_write, years
from .pregnancy import Children

FIVE_YEARS = 1825
INJURIES = ("drowning", "traffic", "burn", "poisoning", "choking", "fall", "other")
CAUSES = {
    "neonatal": (
        ("prematurity", "asphyxia", "neonatal_infection", "congenital", "other"),
        (0.35, 0.25, 0.2, 0.15, 0.05),
    ),
    "postneonatal": (
        (
            "pneumonia",
            "congenital",
            "diarrhoea",
            "other_infection",
            "injury",
            "malnutrition",
            "other",
            "unknown",
        ),
        (0.3, 0.2, 0.1, 0.1, 0.1, 0.05, 0.1, 0.05),
    ),
    "child": (
        (
            "injury",
            "pneumonia",
            "diarrhoea",
            "other_infection",
            "malnutrition",
            "congenital",
            "other",
            "unknown",
        ),
        (0.4, 0.15, 0.05, 0.1, 0.05, 0.05, 0.15, 0.05),
    ),
}
DEATH_INJURIES = {
    "postneonatal": ((4, 0, 6), (0.5, 0.3, 0.2)),  # choking, drowning, other
    "child": ((0, 1, 5, 3, 2), (0.55, 0.25, 0.1, 0.05, 0.05)),
}
CAUSE_TEXT = {
    "prematurity": "Đẻ non, nhẹ cân",
    "asphyxia": "Ngạt sau sinh",
    "neonatal_infection": "Nhiễm khuẩn sơ sinh",
    "congenital": "Dị tật tim bẩm sinh",
    "pneumonia": "Viêm phổi nặng",
    "diarrhoea": "Tiêu chảy mất nước",
    "other_infection": "Sốt xuất huyết",
    "malnutrition": "Suy dinh dưỡng nặng",
    "injury": "Tai nạn thương tích",
    "other": "Bệnh khác",
    "unknown": "",
}
# Visits of the immunisation programme: (age in days, doses given together).
VISITS: tuple[tuple[int, tuple[tuple[str, int], ...]], ...] = (
    (59, (("dpt_hepb_hib", 1), ("opv", 1), ("rota", 1))),
    (89, (("dpt_hepb_hib", 2), ("opv", 2), ("rota", 2))),
    (120, (("dpt_hepb_hib", 3), ("opv", 3))),
    (150, (("ipv", 1),)),
    (273, (("measles", 1), ("ipv", 2))),
    (365, (("je", 1),)),
    (546, (("mr", 1), ("dpt_booster", 1))),
)
ROTA_FROM = day_number(dt.date(2025, 1, 1))  # introduced from the end of 2024, in phases
IPV2_FROM = day_number(dt.date(2024, 8, 1))
LOT_YEARS = range(2010, 2041)
LOTS = np.array([[f"L{y % 100:02d}{n:02d}" for n in range(1, 13)] for y in LOT_YEARS], dtype=object)


def deaths(ctx: Context, ch: Children) -> None:
    """Draw who dies when: risks higher for low birth weight, preterm, twins and home
    births, scaled so each commune group meets its rates."""
    rng, r = ctx.rng, ctx.rates
    k = len(ch)
    if not k:
        return
    g = ch.group

    def scaled(rate: np.ndarray, risk: np.ndarray) -> np.ndarray:
        mean = np.bincount(g, risk, 4) / np.maximum(np.bincount(g, minlength=4), 1)
        return rate[g] / 1000 * risk / mean[g]

    risk = 1 + 6.0 * ch.low_weight + 1.5 * ch.preterm + 0.6 * ~ch.facility_birth + 1.0 * ch.twin
    neonatal = rng.random(k) < scaled(r["neonatal"], risk)
    infant = ~neonatal & (rng.random(k) < scaled(r["postneonatal"], 1 + 1.0 * ch.low_weight))
    child = ~neonatal & ~infant & (rng.random(k) < r["child"][g] / 1000)
    u = rng.random(k)
    first_month = np.where(
        u < 0.4, 0, np.where(u < 0.7, rng.integers(1, 7, k), rng.integers(7, 28, k))
    )
    age = np.select(
        [neonatal, infant, child],
        [
            first_month,
            28 + np.floor(rng.beta(1.0, 2.2, k) * 337).astype(np.int64),
            365 + np.floor(rng.beta(1.0, 1.5, k) * 1460).astype(np.int64),
        ],
        default=NEVER,
    )
    ch.death = np.where(age < NEVER, ch.birth + age, NEVER)
    ch.cause = np.full(k, "", dtype=object)
    ch.injury = np.full(k, "", dtype=object)
    for name, mask in (("neonatal", neonatal), ("postneonatal", infant), ("child", child)):
        codes, p = CAUSES[name]
        ch.cause[mask] = choices(codes, rng.choice(len(codes), mask.sum(), p=p))
        if name in DEATH_INJURIES:
            kinds, q = DEATH_INJURIES[name]
            hurt = mask & (ch.cause == "injury")
            ch.injury[hurt] = choices(
                INJURIES, np.array(kinds)[rng.choice(len(kinds), hurt.sum(), p=q)]
            )
    small = neonatal & ch.low_weight & (rng.random(k) < 0.5)
    ch.cause[small] = "prematurity"


def events(ctx: Context, ch: Children) -> None:
    if not len(ch):
        return
    moved = ch.birth + np.rint(ctx.rng.exponential(40 * 365.25, len(ch))).astype(np.int64)
    end = np.minimum.reduce([ch.death, np.full(len(ch), ctx.as_of), ch.birth + FIVE_YEARS, moved])
    _immunisations(ctx, ch, end)
    sessions = _growth(ctx, ch, end)
    _checkups(ctx, ch, sessions)
    _illnesses(ctx, ch, end)
    shown = (ch.death <= ctx.as_of) & (ch.death <= moved)
    _deaths(ctx, ch, np.flatnonzero(shown))


def _snap(days: np.ndarray, day_of_month: np.ndarray) -> np.ndarray:
    """The first immunisation day of the commune (a fixed day of each month) on or after."""
    d = days.astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    here = month.astype("datetime64[D]") + (day_of_month - 1)
    following = (month + 1).astype("datetime64[D]") + (day_of_month - 1)
    return np.where(here < d, following, here).astype(np.int64)


def _immunisations(ctx: Context, ch: Children, end: np.ndarray) -> None:
    rng, r, geo, text, errors = ctx.rng, ctx.rates, ctx.geo, ctx.text, ctx.errors
    k = len(ch)
    g = ch.group
    dom = geo.epi_day[ch.commune]
    complete = rng.random(k) < r["epi_complete"][g]
    stop = np.where(complete, NEVER, rng.integers(0, 366, k))
    rows: list[tuple[np.ndarray, str, int, np.ndarray]] = []

    def add(mask: np.ndarray, antigen: str, dose: int, day: np.ndarray) -> None:
        keep = mask & (day <= end) & (day - ch.birth < stop)
        rows.append((np.flatnonzero(keep), antigen, dose, day[keep]))

    hepb = ch.birth + (rng.random(k) < 0.3)
    add(ch.hepb_24h, "hepb_birth", 1, hepb)
    bcg_early = ch.facility_birth & (rng.random(k) < 0.85)
    bcg_late = _snap(ch.birth + 7 + rng.gamma(1.0, r["epi_delay_days"][g]).astype(np.int64), dom)
    add(
        rng.random(k) < 0.99,
        "bcg",
        1,
        np.where(bcg_early, ch.birth + rng.integers(0, 3, k), bcg_late),
    )
    previous = ch.birth.copy()
    given: dict[tuple[str, int], np.ndarray] = {}
    for due, doses in VISITS:
        delay = rng.gamma(1.0, r["epi_delay_days"][g]).astype(np.int64)
        target = np.maximum(ch.birth + due + delay, previous + 28)
        if ("ipv", 2) in doses:
            target = np.maximum(target, given[("ipv", 1)] + 120)
        if ("dpt_booster", 1) in doses:
            target = np.maximum(target, given[("dpt_hepb_hib", 3)] + 181)
        day = _snap(target, dom)
        for code, number in doses:
            mask = np.ones(k, dtype=bool)
            if code == "rota":
                mask = (day >= ROTA_FROM) & (day - ch.birth <= 152 + 28 * (number - 1))
                mask &= rng.random(k) < 0.6 if number == 1 else given[("rota", 1)] < NEVER
            if (code, number) == ("ipv", 2):
                mask = day >= IPV2_FROM
            add(mask, code, number, day)
            given[(code, number)] = np.where(mask & (day - ch.birth < stop), day, NEVER)
        previous = day
    je1 = given[("je", 1)]
    je2 = je1 + rng.integers(7, 15, k)
    add(je1 < NEVER, "je", 2, je2)
    je3 = _snap(
        np.maximum(je2 + 365, ch.birth + 737)
        + rng.gamma(1.0, r["epi_delay_days"][g]).astype(np.int64),
        dom,
    )
    add(je1 < NEVER, "je", 3, je3)

    child = np.concatenate([c for c, _, _, _ in rows])
    day = np.concatenate([d for _, _, _, d in rows])
    antigen = np.concatenate([np.full(len(c), a, dtype=object) for c, a, _, _ in rows])
    dose = np.concatenate([np.full(len(c), n) for c, _, n, _ in rows])
    order = np.lexsort((child, day))
    child, day, antigen, dose = child[order], day[order], antigen[order], dose[order]
    m = len(child)
    at_birth = np.isin(antigen, ["hepb_birth"]) | ((antigen == "bcg") & (day - ch.birth[child] < 3))
    station = geo.station(ch.hist[child], day)
    facility = np.where(at_birth & ch.facility_birth[child], ch.birth_facility[child], station)
    commune = geo.code(ch.hist[child], day)
    ids = ctx.ids.take("immunisations", m)
    before, swapped = errors.pick(m, 2)
    day = day.copy()
    day[before] = ch.birth[child[before]] - errors.offsets(len(before), 1, 30)
    ctx.manifest.add("dose_before_birth", "immunisations", ids[before])
    dates = text.dates(day)
    errors.swap_day_month("immunisations", dates, ids, swapped)
    lot_year = np.clip(years(day) - LOT_YEARS[0], 0, len(LOT_YEARS) - 1)
    lots = np.where(rng.random(m) < 0.5, "", LOTS[lot_year, rng.integers(0, 12, m)]).astype(object)
    ctx.out.write(
        "immunisations",
        {
            "id": ids,
            "person_id": ch.person[child],
            "date": dates,
            "commune": commune,
            "village": ch.village[child],
            "service_commune": np.where(facility == station, commune, "").astype(object),
            "facility": facility,
            "antigen": antigen,
            "dose": text.ints(dose),
            "lot": lots.astype(object),
        },
    )


def _growth(ctx: Context, ch: Children, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighing days on 1 June and 1 December (plus the commune's offset) for every child
    under five, and monthly weighing under two in some communes. Returns the twice-yearly
    sessions (child, day) for the check-ups."""
    rng, r, geo, text, errors = ctx.rng, ctx.rates, ctx.geo, ctx.text, ctx.errors
    k = len(ch)
    g = ch.group
    offset = geo.session_offset[ch.commune]
    first_year, last_year = int(years(ch.birth.min())), int(years(end.max()))
    kids, days = [], []
    for year in range(first_year, last_year + 1):
        for month in (6, 12):
            base = day_number(dt.date(year, month, 1))
            day = base + offset
            age = day - ch.birth
            come = (
                (age >= 0) & (age <= FIVE_YEARS) & (day <= end) & (rng.random(k) < r["weighed"][g])
            )
            kids.append(np.flatnonzero(come))
            days.append(day[come])
    session_kids = np.concatenate(kids)
    session_days = np.concatenate(days)
    monthly_kids, monthly_days = [], []
    monthly = geo.monthly[ch.commune]
    for month in range(1, 24):
        day = ch.birth + round(30.4375 * month) + rng.integers(-3, 4, k)
        come = monthly & (day <= end) & (rng.random(k) < 0.75)
        monthly_kids.append(np.flatnonzero(come))
        monthly_days.append(day[come])
    child = np.concatenate([session_kids, *monthly_kids])
    day = np.concatenate([session_days, *monthly_days])
    full = np.arange(len(child)) < len(session_kids)
    order = np.lexsort((child, day))
    child, day, full = child[order], day[order], full[order]
    m = len(child)
    age = day - ch.birth[child]
    u_h, u_w = rng.normal(size=k), rng.normal(size=k)
    reach = np.minimum(age, 730) / 730
    haz = r["haz_birth"][g[child]] + (r["haz_24m"][g[child]] - r["haz_birth"][g[child]]) * reach
    haz = haz + 0.8 * u_h[child] + 0.6 * rng.normal(size=m)
    whz = r["whz"][g[child]] + 0.7 * u_w[child] + 0.71 * rng.normal(size=m)
    male = ch.male[child]
    length = length_cm(haz, age, male)
    weight = weight_kg(whz, length, age, male)
    length10 = np.rint(length * 10).astype(np.int64)
    weight10 = np.rint(weight * 10).astype(np.int64)
    muac = full & (age >= 183) & (rng.random(m) < 0.2)
    muac_mm = np.clip(np.rint(150 + 10 * whz + rng.normal(0, 6, m)), 90, 220)
    ids = ctx.ids.take("growth", m)
    decimal, swapped = errors.pick(m, 2)
    in_length = decimal[full[decimal]]
    in_weight = decimal[~full[decimal] & (weight10[decimal] >= 61)]
    length10[in_length] *= 10
    weight10[in_weight] *= 10
    ctx.manifest.add("measurement_decimal", "growth", ids[np.concatenate([in_length, in_weight])])
    dates = text.dates(day)
    errors.swap_day_month("growth", dates, ids, swapped)
    station = geo.station(ch.hist[child], day)
    code = geo.code(ch.hist[child], day)
    ctx.out.write(
        "growth",
        {
            "id": ids,
            "person_id": ch.person[child],
            "date": dates,
            "commune": code,
            "village": ch.village[child],
            "service_commune": code,
            "facility": station,
            "weight_kg": text.tenths(weight10),
            "length_cm": text.tenths(length10, blank=~full),
            "position": np.where(
                full, np.where(age < LYING_UNTIL_DAYS, "lying", "standing"), ""
            ).astype(object),
            "muac_mm": text.ints(muac_mm, blank=~muac),
        },
    )
    return session_kids, session_days


def _checkups(ctx: Context, ch: Children, sessions: tuple[np.ndarray, np.ndarray]) -> None:
    rng, r, geo, text, errors = ctx.rng, ctx.rates, ctx.geo, ctx.text, ctx.errors
    child, day = sessions
    come = rng.random(len(child)) < r["checkup"][ch.group[child]] / r["weighed"][ch.group[child]]
    child, day = child[come], day[come]
    order = np.lexsort((child, day))
    child, day = child[order], day[order]
    m = len(child)
    if not m:
        return
    g = ch.group[child]
    age = day - ch.birth[child]
    em = g >= 2
    young = age < 183
    breastfed = (age >= 183) & (age < 730)
    vitamin = (age >= 183) & (age < 1096)
    ids = ctx.ids.take("checkups", m)
    dates = text.dates(day)
    (swapped,) = errors.pick(m, 1)
    errors.swap_day_month("checkups", dates, ids, swapped)
    code = geo.code(ch.hist[child], day)
    ctx.out.write(
        "checkups",
        {
            "id": ids,
            "person_id": ch.person[child],
            "date": dates,
            "commune": code,
            "village": ch.village[child],
            "service_commune": code,
            "facility": geo.station(ch.hist[child], day),
            "has_health_record": text.flags(rng.random(m) < r["health_record"][g]),
            "exclusive_breastfeeding": text.flags(
                rng.random(m) < np.where(em, 0.55, 0.45), blank=~young
            ),
            "continued_breastfeeding": text.flags(rng.random(m) < 0.75, blank=~breastfed),
            "vitamin_a": text.flags(rng.random(m) < np.where(em, 0.85, 0.93), blank=~vitamin),
        },
    )


def _illnesses(ctx: Context, ch: Children, end: np.ndarray) -> None:
    rng, r, geo, text, errors = ctx.rng, ctx.rates, ctx.geo, ctx.text, ctx.errors
    k = len(ch)
    g = ch.group
    start = ch.birth + 7
    span = np.maximum(end - start, 0)
    parts = []
    for name, key in (
        ("pneumonia", "pneumonia_per_year"),
        ("diarrhoea", "diarrhoea_per_year"),
        ("other", "other_illness_per_year"),
        ("injury", "injury_per_year"),
    ):
        count = rng.poisson(r[key][g] * span / 365.25)
        child = np.repeat(np.arange(k), count)
        day = start[child] + (rng.random(len(child)) * (span[child] + 1)).astype(np.int64)
        parts.append(
            (child, day, np.full(len(child), name, dtype=object), np.zeros(len(child), dtype=bool))
        )
    # the illness or injury a child died of
    fatal = np.flatnonzero(
        np.isin(ch.cause, ["pneumonia", "diarrhoea", "injury"])
        & (ch.death <= end)
        & (ch.death >= ch.birth)
    )
    fatal_day = np.maximum(
        ch.death[fatal] - np.where(ch.cause[fatal] == "injury", 0, rng.integers(0, 4, len(fatal))),
        ch.birth[fatal],
    )
    parts.append(
        (fatal, fatal_day, ch.cause[fatal].astype(object), np.ones(len(fatal), dtype=bool))
    )
    child = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    kind = np.concatenate([p[2] for p in parts])
    severe = np.concatenate([p[3] for p in parts])
    order = np.lexsort((child, day))
    child, day, kind, severe = child[order], day[order], kind[order], severe[order]
    m = len(child)
    if not m:
        return
    gc = g[child]
    severe |= rng.random(m) < np.select(
        [kind == "pneumonia", kind == "diarrhoea", kind == "injury"], [0.12, 0.05, 0.1], 0.03
    )
    pneumonia, diarrhoea, injury = kind == "pneumonia", kind == "diarrhoea", kind == "injury"
    injury_type = np.where(
        injury,
        choices(
            INJURIES, rng.choice(len(INJURIES), m, p=(0.05, 0.15, 0.15, 0.07, 0.08, 0.35, 0.15))
        ),
        "",
    ).astype(object)
    died_of = np.flatnonzero(injury & (ch.injury[child] != "") & (ch.death[child] == day))
    injury_type[died_of] = ch.injury[child[died_of]]
    ids = ctx.ids.take("illnesses", m)
    dates = text.dates(day)
    (swapped,) = errors.pick(m, 1)
    errors.swap_day_month("illnesses", dates, ids, swapped)
    code = geo.code(ch.hist[child], day)
    ctx.out.write(
        "illnesses",
        {
            "id": ids,
            "person_id": ch.person[child],
            "date": dates,
            "commune": code,
            "village": ch.village[child],
            "service_commune": code,
            "facility": geo.station(ch.hist[child], day),
            "kind": kind,
            "severe": text.flags(severe),
            "antibiotic": text.flags(rng.random(m) < r["antibiotic"][gc], blank=~pneumonia),
            "ors": text.flags(rng.random(m) < r["ors"][gc], blank=~diarrhoea),
            "zinc": text.flags(rng.random(m) < r["zinc"][gc], blank=~diarrhoea),
            "injury_type": injury_type,
        },
    )


def _deaths(ctx: Context, ch: Children, rows: np.ndarray) -> None:
    if not len(rows):
        return
    rng, geo = ctx.rng, ctx.geo
    n = len(rows)
    age = ch.death[rows] - ch.birth[rows]
    em = ch.group[rows] >= 2
    at_facility = rng.random(n) < np.where(
        age < 28, np.where(em, 0.4, 0.65), np.where(em, 0.3, 0.45)
    )
    injury = ch.cause[rows] == "injury"
    place = np.where(
        at_facility & ~injury,
        "facility",
        np.where(
            injury & (rng.random(n) < 0.4),
            "other",
            np.where(rng.random(n) < 0.85, "home", "on_the_way"),
        ),
    ).astype(object)
    text_by_cause = np.array([CAUSE_TEXT[c] for c in ch.cause[rows].tolist()], dtype=object)
    deaths_write(
        ctx,
        person=ch.person[rows],
        hist=ch.hist[rows],
        village=ch.village[rows],
        day=ch.death[rows],
        place=place,
        cause=ch.cause[rows],
        injury=ch.injury[rows],
        cause_text=text_by_cause,
        relation=np.full(n, "", dtype=object),
        facility=np.where(place == "facility", geo.hospital(rng, ch.death[rows]), "").astype(
            object
        ),
    )
