"""One chunk of deliveries: the women, their pregnancies and antenatal visits, deliveries,
births, postnatal contacts and maternal deaths.

Every array has one element per delivery of the chunk unless its name says otherwise.
Days are day numbers (``output.day_number``); nothing is written after the ``as_of`` day,
so pregnancies that have not ended by then are written as ongoing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .context import Context
from .output import NEVER, choices
from .people import (
    children_write,
    deaths_write,
    women_deaths,
    women_move,
    women_new,
    women_write,
)
from .rates import ETHNIC

MAX_VISITS = 8
ATTENDANTS = ("doctor", "midwife", "assistant_doctor", "nurse", "village_midwife", "other", "none")
PROVIDERS = ("doctor", "midwife", "assistant_doctor", "village_health_worker")
TESTS = ("", "negative", "positive")
DANGER: tuple[str, ...] = (
    "bleeding",
    "severe_headache",
    "blurred_vision",
    "fever",
    "severe_abdominal_pain",
)
DANGER += ("reduced_fetal_movement", "swelling")
COMPLICATIONS = ("haemorrhage", "eclampsia", "sepsis", "obstructed_labour", "other")
# Maternal deaths by timing (in pregnancy, on the day of delivery, within 42 days after).
MATERNAL_CAUSES = (
    (
        ("hypertensive", "haemorrhage", "indirect", "abortion", "other_direct"),
        (0.3, 0.2, 0.3, 0.1, 0.1),
    ),
    (("haemorrhage", "hypertensive", "other_direct", "indirect"), (0.55, 0.2, 0.15, 0.1)),
    (
        ("sepsis", "haemorrhage", "hypertensive", "indirect", "other_direct"),
        (0.3, 0.2, 0.2, 0.2, 0.1),
    ),
)
CAUSE_TEXT = {
    "haemorrhage": "Băng huyết",
    "hypertensive": "Sản giật",
    "sepsis": "Nhiễm khuẩn hậu sản",
    "abortion": "Biến chứng sau phá thai",
    "other_direct": "Tắc mạch ối",
    "indirect": "Bệnh tim khi mang thai",
}
CAUSE_COMPLICATION = {"haemorrhage": 0, "hypertensive": 1, "sepsis": 2}
TIMES = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)], dtype=object)


@dataclass
class Children:
    """The live-born children of a chunk whose birth is written."""

    person: np.ndarray  # IDs
    mother: np.ndarray  # pool indices
    delivery: np.ndarray  # index of the delivery in the chunk
    birth: np.ndarray
    male: np.ndarray
    hist: np.ndarray
    commune: np.ndarray
    village: np.ndarray
    group: np.ndarray
    low_weight: np.ndarray
    preterm: np.ndarray
    facility_birth: np.ndarray
    hepb_24h: np.ndarray
    twin: np.ndarray
    birth_facility: np.ndarray  # facility code, "" for births outside facilities
    death: np.ndarray  # NEVER while alive (set by children.deaths)
    spoiled: np.ndarray  # the birth row carries an injected error
    lost_deliveries: np.ndarray  # per delivery of the chunk: refused with its birth rows
    cause: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    injury: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))

    def __len__(self) -> int:
        return len(self.person)


def _assign(ctx: Context, commune: np.ndarray, g: np.ndarray, first: int, last: int) -> np.ndarray:
    """Pool indices of women already known who have these deliveries (-1: a new woman).
    A woman qualifies when alive, aged 16–44 and her last delivery was 390+ days before
    the chunk; fewer children make a next one likelier."""
    rng, pool = ctx.rng, ctx.women
    n = len(commune)
    woman = np.full(n, -1, dtype=np.int64)
    if not pool.size:
        return woman
    age = last - pool.birth
    eligible = np.flatnonzero(
        (pool.death > last)
        & (pool.last_delivery <= first - 390)
        & (age >= 16 * 365)
        & (age <= 44 * 365)
    )
    want = np.flatnonzero(rng.random(n) < ctx.rates["repeat_mother"][g])
    if not len(eligible) or not len(want):
        return woman
    eligible = eligible[np.argsort(pool.commune[eligible], kind="stable")]
    bounds = np.searchsorted(pool.commune[eligible], np.arange(len(ctx.geo.codes) + 1))
    want = want[np.argsort(commune[want], kind="stable")]
    want_bounds = np.searchsorted(commune[want], np.arange(len(ctx.geo.codes) + 1))
    weight_by_parity = np.array([1.0, 1.0, 0.35, 0.15, 0.08, 0.05])
    for c in np.unique(commune[want]).tolist():
        rows = want[want_bounds[c] : want_bounds[c + 1]]
        pool_here = eligible[bounds[c] : bounds[c + 1]]
        take = min(len(rows), len(pool_here))
        if not take:
            continue
        weight = weight_by_parity[np.minimum(pool.parity[pool_here], 5)]
        chosen = rng.choice(pool_here, take, replace=False, p=weight / weight.sum())
        woman[rows[:take]] = chosen
    return woman


def _visit_days(
    ctx: Context, g: np.ndarray, lmp: np.ndarray, ga: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Antenatal visit days (n, MAX_VISITS), sorted, NEVER where there is none. A woman
    with good care is seen in each trimester at least four times; the others start late
    and come one to four times."""
    rng = ctx.rng
    n = len(lmp)
    good = rng.random(n) < ctx.rates["anc_good"][g]
    first = np.where(good, rng.integers(42, 98, n), rng.integers(56, 190, n))
    weeks = np.full((n, MAX_VISITS), NEVER, dtype=np.int64)
    weeks[:, 0] = first
    planned = np.stack(
        [rng.integers(112, 169, n), rng.integers(196, 225, n), rng.integers(238, 267, n)], axis=1
    )
    poor_count = rng.integers(1, 5, n)
    poor = first[:, None] + np.cumsum(rng.integers(28, 71, (n, 3)), axis=1)
    poor = np.where(np.arange(1, 4) < poor_count[:, None], poor, NEVER)
    weeks[:, 1:4] = np.where(good[:, None], planned, poor)
    extra_count = np.minimum(rng.poisson(1.2, n), MAX_VISITS - 4)
    span = np.maximum(ga - first - 14, 1)
    extra = first[:, None] + 14 + (rng.random((n, MAX_VISITS - 4)) * span[:, None]).astype(np.int64)
    extra = np.where(np.arange(MAX_VISITS - 4) < extra_count[:, None], extra, NEVER)
    weeks[:, 4:] = np.where(good[:, None], extra, NEVER)
    days = lmp[:, None] + weeks
    ok = (weeks < NEVER) & (days < end[:, None]) & (days <= ctx.as_of)
    days = np.sort(np.where(ok, days, NEVER), axis=1)
    repeated = np.zeros(days.shape, dtype=bool)
    repeated[:, 1:] = (days[:, 1:] == days[:, :-1]) & (days[:, 1:] < NEVER)
    return np.sort(np.where(repeated, NEVER, days), axis=1)


def chunk(ctx: Context, first: int, last: int, n: int, year_index: int) -> Children:
    """Deliveries due between days ``first`` and ``last`` (inclusive)."""
    rng, r, geo, pool = ctx.rng, ctx.rates, ctx.geo, ctx.women
    as_of = ctx.as_of
    commune = rng.choice(len(geo.codes), n, p=geo.p)
    day = rng.integers(first, last + 1, n)
    order = np.lexsort((commune, day))
    commune, day = commune[order], day[order]
    g = geo.group[commune]
    preterm = rng.random(n) < r["preterm"][g]
    term = np.clip(np.rint(rng.normal(277, 8, n)), 259, 297).astype(np.int64)
    # three in four preterm births are late preterm (34–36 weeks)
    early = np.where(rng.random(n) < 0.75, rng.integers(238, 259, n), rng.integers(196, 238, n))
    ga = np.where(preterm, early, term)
    lmp = day - ga

    woman = _assign(ctx, commune, g, first, last)
    new = woman < 0
    woman[new] = women_new(ctx, commune[new], lmp[new], year_index)
    hist = pool.hist[woman]
    village = pool.village[woman]
    previous = pool.last_delivery[woman]
    age = (lmp - pool.birth[woman]) / 365.25

    # maternal deaths: in pregnancy, on the day of delivery, or within 42 days
    dies = rng.random(n) < r["maternal"][g] / 100_000
    timing = rng.choice(3, n, p=(0.2, 0.45, 0.35))
    in_pregnancy = dies & (timing == 0)
    death = np.full(n, NEVER, dtype=np.int64)
    pregnancy_death = lmp + 140 + (rng.random(n) * np.maximum(ga - 147, 1)).astype(np.int64)
    after = day + rng.integers(1, 43, n)
    death[dies] = np.where(timing == 0, pregnancy_death, np.where(timing == 1, day, after))[dies]
    end = np.where(in_pregnancy, death, day)
    delivered = ~in_pregnancy

    # an earlier pregnancy lost before 22 weeks
    lost = rng.random(n) < r["miscarriage"][g]
    lost_lmp = lmp - rng.integers(150, 330, n)
    lost_end = lost_lmp + rng.integers(49, 140, n)
    lost &= (lost_lmp > previous + 60) & (lost_end <= lmp - 14)
    lost &= lost_lmp - pool.birth[woman] > 15 * 366
    lost_registered = np.minimum(lost_lmp + rng.integers(42, 100, n), lost_end)
    lost_written = lost & (lost_registered <= as_of)

    visits = _visit_days(ctx, g, lmp, ga, end)
    count = (visits < NEVER).sum(axis=1)
    registered = np.where(count > 0, visits[:, 0], end)
    written = registered <= as_of

    # persons rows of the new women, on the day of their first registration
    first_seen = np.where(written, registered, NEVER)
    first_seen = np.where(lost_written, np.minimum(first_seen, lost_registered), first_seen)
    shown = new & (first_seen <= as_of)
    moving = shown & ~dies
    women_move(ctx, woman[moving], first_seen[moving], day[moving])
    hist = pool.hist[woman]  # a woman who moves has a history of her own
    women_write(ctx, woman[shown], first_seen[shown])

    twins = rng.random(n) < r["twins"][g]
    births = _births(ctx, g, ga, preterm, twins, delivered)
    live_any = np.bincount(births["delivery"], weights=births["live"], minlength=n) > 0
    outcome = np.where(
        in_pregnancy, "maternal_death", np.where(live_any, "live_birth", "stillbirth")
    )
    outcome = np.where(end <= as_of, outcome, "").astype(object)
    gravida = pool.gravida[woman] + 1 + lost
    pregnancy_ids = _pregnancies(
        ctx,
        woman=woman,
        hist=hist,
        village=village,
        registered=registered,
        written=written,
        lmp=lmp,
        gravida=gravida,
        para=pool.parity[woman],
        risks=_risks(ctx, g, age, woman, twins),
        outcome=outcome,
        end=end,
        lost=lost_written,
        lost_registered=lost_registered,
        lost_lmp=lost_lmp,
        lost_end=lost_end,
    )
    _antenatal(ctx, g, woman, hist, village, lmp, visits, pregnancy_ids, written)

    # deliveries, births and the children's persons rows
    shown_delivery = delivered & (day <= as_of)
    delivery_ids, facility, facility_birth, caesarean = _deliveries(
        ctx, g, woman, hist, village, day, twins, shown_delivery, pregnancy_ids, death, timing, dies
    )
    children = _children(
        ctx,
        births,
        shown_delivery,
        woman,
        day,
        hist,
        commune,
        village,
        g,
        facility,
        caesarean,
        delivery_ids,
        preterm,
    )

    from .children import deaths as child_deaths

    child_deaths(ctx, children)
    _postnatal(
        ctx,
        g,
        woman,
        hist,
        village,
        day,
        facility,
        facility_birth,
        death,
        shown_delivery,
        delivery_ids,
        children,
    )
    _maternal_deaths(ctx, dies, timing, woman, hist, village, death, facility, facility_birth)
    women_deaths(ctx, first, last, busy=woman)

    # what the woman carries to her next pregnancy
    pool.gravida[woman] = gravida
    pool.parity[woman] += delivered
    pool.last_delivery[woman] = np.where(delivered, day, previous)
    pool.caesareans[woman] += caesarean
    pool.death[woman] = np.minimum(pool.death[woman], death)
    return children


def _risks(
    ctx: Context, g: np.ndarray, age: np.ndarray, woman: np.ndarray, twins: np.ndarray
) -> np.ndarray:
    rng, pool = ctx.rng, ctx.women
    n = len(g)
    em = g >= ETHNIC
    flags = {
        "age_under_18": age < 18,
        "age_over_35": age > 35,
        "previous_caesarean": pool.caesareans[woman] > 0,
        "multiple_pregnancy": twins & (rng.random(n) < 0.85),
        "hypertension": rng.random(n) < 0.03,
        "diabetes": rng.random(n) < np.where(em, 0.015, 0.035),
        "anaemia": rng.random(n) < np.where(em, 0.2, 0.12),
        "grand_multipara": pool.parity[woman] >= 4,
        "short_stature": rng.random(n) < np.where(em, 0.05, 0.02),
    }
    out = np.full(n, "", dtype=object)
    any_flag = np.logical_or.reduce(list(flags.values()))
    for i in np.flatnonzero(any_flag).tolist():
        out[i] = ";".join(code for code, mask in flags.items() if mask[i])
    return out


def _pregnancies(
    ctx: Context,
    *,
    woman: np.ndarray,
    hist: np.ndarray,
    village: np.ndarray,
    registered: np.ndarray,
    written: np.ndarray,
    lmp: np.ndarray,
    gravida: np.ndarray,
    para: np.ndarray,
    risks: np.ndarray,
    outcome: np.ndarray,
    end: np.ndarray,
    lost: np.ndarray,
    lost_registered: np.ndarray,
    lost_lmp: np.ndarray,
    lost_end: np.ndarray,
) -> np.ndarray:
    """Write the pregnancies (and the earlier lost ones); returns the IDs of the main ones."""
    rng, text, geo, pool = ctx.rng, ctx.text, ctx.geo, ctx.women
    n = len(woman)
    main = np.flatnonzero(written)
    early = np.flatnonzero(lost)
    lost_outcome = np.where(rng.random(len(early)) < 0.75, "miscarriage", "abortion").astype(object)
    lost_outcome = np.where(lost_end[early] <= ctx.as_of, lost_outcome, "").astype(object)
    index = np.concatenate([main, early])
    reg = np.concatenate([registered[main], lost_registered[early]])
    start = np.concatenate([lmp[main], lost_lmp[early]])
    order = np.argsort(reg, kind="stable")
    index, reg, start = index[order], reg[order], start[order]
    is_main = order < len(main)
    k = len(index)
    ids = ctx.ids.take("pregnancies", k)
    edd = start + 280 + np.rint(rng.normal(0, 3, k)).astype(np.int64)
    lmp_known = rng.random(k) < 0.9
    edd_shown = ~lmp_known | (rng.random(k) < 0.8)
    done = np.concatenate([outcome[main], lost_outcome])[order]
    finish = np.concatenate([end[main], lost_end[early]])[order]
    ctx.out.write(
        "pregnancies",
        {
            "id": ids,
            "person_id": pool.id[woman[index]],
            "date": text.dates(reg),
            "commune": geo.code(hist[index], reg),
            "village": village[index],
            "service_commune": geo.code(hist[index], reg),
            "facility": geo.station(hist[index], reg),
            "lmp": np.where(lmp_known, text.dates(start), "").astype(object),
            "edd": np.where(edd_shown, text.dates(edd), "").astype(object),
            "gravida": text.ints(np.where(is_main, gravida[index], gravida[index] - 1)),
            "para": text.ints(para[index]),
            "risk_factors": np.where(is_main, risks[index], "").astype(object),
            "outcome": done,
            "outcome_date": np.where(done != "", text.dates(finish), "").astype(object),
        },
    )
    main_ids = np.full(n, "", dtype=object)
    main_ids[index[is_main]] = ids[is_main]
    # the lost pregnancies' single visit, on their registration day
    seen = ~is_main & (reg < finish)
    if seen.any():
        lost_visits = np.full((n, MAX_VISITS), NEVER, dtype=np.int64)
        lost_ids = np.full(n, "", dtype=object)
        lost_visits[index[seen], 0] = reg[seen]
        lost_ids[index[seen]] = ids[seen]
        _antenatal(
            ctx,
            geo.group[pool.commune[woman]],
            woman,
            hist,
            village,
            lost_lmp,
            lost_visits,
            lost_ids,
            lost_ids != "",
        )
    return main_ids


def _antenatal(
    ctx: Context,
    g: np.ndarray,
    woman: np.ndarray,
    hist: np.ndarray,
    village: np.ndarray,
    lmp: np.ndarray,
    visits: np.ndarray,
    pregnancy_ids: np.ndarray,
    written: np.ndarray,
) -> None:
    rng, r, text, geo, pool, errors = ctx.rng, ctx.rates, ctx.text, ctx.geo, ctx.women, ctx.errors
    n = len(woman)
    count = (visits < NEVER).sum(axis=1)
    iron_ok = rng.random(n) < r["iron_full"][g]
    mmn = rng.random(n) < 0.1
    tetanus = rng.random(n) < r["tetanus"][g]
    second = (visits >= visits[:, :1] + 28) & (visits < NEVER)
    second_at = np.where(second.any(axis=1), second.argmax(axis=1), -1)
    tests = [rng.random(n) < r[key][g] for key in ("hiv_test", "syphilis_test", "hepb_test")]
    positive = [rng.random(n) < p for p in (0.001, 0.003, 0.08)]
    hypertensive = rng.random(n) < 0.04

    p, v = np.nonzero((visits < NEVER) & written[:, None])
    day = visits[p, v]
    order = np.argsort(day, kind="stable")
    p, v, day = p[order], v[order], day[order]
    m = len(p)
    if not m:
        return
    weeks = (day - lmp[p]) / 7
    weight = pool.weight[woman[p]] + np.maximum(weeks - 13, 0) * 0.45 + rng.normal(0, 0.6, m)
    tablets = np.where(
        iron_ok[p],
        np.where(count[p] < 3, 60, 30),
        np.where(rng.random(m) < 0.3, 30, 0),
    )
    tt_dose = np.zeros(m, dtype=np.int64)
    previous = pool.tetanus[woman[p]]
    first_course = tetanus[p] & (previous == 0)
    tt_dose[first_course & (v == 0)] = 1
    tt_dose[first_course & (v == second_at[p])] = 2
    booster = tetanus[p] & (previous > 0) & (previous < 5) & (v == 0)
    tt_dose[booster] = previous[booster] + 1
    at_station = rng.random(m) < 0.8
    station = geo.station(hist[p], day)
    centre = geo.centre(hist[p], day)
    facility = np.where(at_station | (centre == ""), station, centre)
    code = geo.code(hist[p], day)
    first_visit = v == 0
    test_columns = {}
    for key, done, pos in zip(
        ("hiv_test", "syphilis_test", "hepb_test"), tests, positive, strict=True
    ):
        index = np.where(first_visit & done[p], np.where(pos[p], 2, 1), 0)
        test_columns[key] = choices(TESTS, index)
    signs = np.where(rng.random(m) < 0.02, rng.integers(0, len(DANGER), m), -1)
    ids = ctx.ids.take("antenatal_visits", m)

    before_lmp, swapped = errors.pick(m, 2)
    day = day.copy()
    day[before_lmp] = lmp[p[before_lmp]] - errors.offsets(len(before_lmp), 3, 40)
    ctx.manifest.add("visit_before_lmp", "antenatal_visits", ids[before_lmp])
    dates = text.dates(day)
    errors.swap_day_month("antenatal_visits", dates, ids, swapped)

    ctx.out.write(
        "antenatal_visits",
        {
            "id": ids,
            "person_id": pool.id[woman[p]],
            "date": dates,
            "commune": code,
            "village": village[p],
            "service_commune": np.where(facility == station, code, "").astype(object),
            "facility": facility,
            "pregnancy_id": pregnancy_ids[p],
            "weight_kg": text.tenths(np.rint(weight * 10)),
            "bp_systolic": text.ints(np.rint(rng.normal(112, 9, m) + 25 * hypertensive[p])),
            "bp_diastolic": text.ints(np.rint(rng.normal(72, 7, m) + 15 * hypertensive[p])),
            "iron_tablets": np.where(mmn[p] | (tablets == 0), "", text.ints(tablets)).astype(
                object
            ),
            "mmn_tablets": np.where(mmn[p] & (tablets > 0), text.ints(tablets), "").astype(object),
            "tetanus_dose": np.where(tt_dose > 0, text.ints(tt_dose), "").astype(object),
            **test_columns,
            "preeclampsia_screened": text.flags((weeks >= 20) & (rng.random(m) < 0.6)),
            "danger_signs": np.where(signs >= 0, choices(DANGER, np.maximum(signs, 0)), "").astype(
                object
            ),
        },
    )
    given = np.bincount(p[tt_dose > 0], minlength=n)
    highest = np.zeros(n, dtype=np.int64)
    np.maximum.at(highest, p, tt_dose)
    pool.tetanus[woman] = np.where(given > 0, highest, pool.tetanus[woman])


def _births(
    ctx: Context,
    g: np.ndarray,
    ga: np.ndarray,
    preterm: np.ndarray,
    twins: np.ndarray,
    delivered: np.ndarray,
) -> dict[str, np.ndarray]:
    """One row per baby (two for twins), before deciding what is written."""
    rng, r = ctx.rng, ctx.rates
    per = np.where(delivered, 1 + twins, 0)
    delivery = np.repeat(np.arange(len(g)), per)
    k = len(delivery)
    order = np.ones(k, dtype=np.int64)
    order[1:] += delivery[1:] == delivery[:-1]
    gb = g[delivery]
    weeks = ga[delivery] / 7
    still = rng.random(k) < r["stillbirth"][gb] * np.where(preterm[delivery], 3.0, 1.0)
    term_weight = rng.normal(r["term_weight_g"][gb] - 450 * twins[delivery], 370)
    early_weight = 2700 - (37 - weeks) * 230 + rng.normal(0, 330, k)
    weight = np.clip(np.where(preterm[delivery], early_weight, term_weight), 500, 5200)
    return {
        "delivery": delivery,
        "order": order,
        "live": ~still,
        "male": rng.random(k) < 0.527,
        "weight": np.rint(weight).astype(np.int64),
        "weeks": np.floor(weeks).astype(np.int64),
    }


def _deliveries(
    ctx: Context,
    g: np.ndarray,
    woman: np.ndarray,
    hist: np.ndarray,
    village: np.ndarray,
    day: np.ndarray,
    twins: np.ndarray,
    shown: np.ndarray,
    pregnancy_ids: np.ndarray,
    death: np.ndarray,
    timing: np.ndarray,
    dies: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Write the deliveries; returns IDs, facility codes, facility-birth and caesarean flags."""
    rng, r, text, geo, pool = ctx.rng, ctx.rates, ctx.text, ctx.geo, ctx.women
    n = len(day)
    at_facility = rng.random(n) < r["facility_birth"][g]
    u = rng.random(n)
    level = np.where(u < r["station_birth"][g], 0, np.where(u > 1 - r["province_birth"][g], 2, 1))
    station, centre = geo.station(hist, day), geo.centre(hist, day)
    hospital = geo.hospital(rng, day)
    facility = np.where(level == 0, station, np.where(level == 1, centre, hospital)).astype(object)
    for fallback in (centre, hospital, station):
        facility = np.where(facility == "", fallback, facility).astype(object)
    at_facility &= facility != ""
    level = np.where(facility == station, 0, np.where(facility == hospital, 2, 1))
    risk = np.where(twins | (pool.caesareans[woman] > 0), 2.5, 1.0)
    caesarean = (
        at_facility & (level > 0) & (rng.random(n) < np.clip(r["caesarean"][g] * risk, 0, 0.9))
    )
    assisted = at_facility & ~caesarean & (level > 0) & (rng.random(n) < 0.02)
    mode = np.where(caesarean, "caesarean", np.where(assisted, "assisted", "vaginal")).astype(
        object
    )
    senior = caesarean | (level == 2)
    attendant = np.select(
        [at_facility & senior, at_facility & (level == 1), at_facility],
        [
            rng.choice(2, n, p=(0.8, 0.2)),
            rng.choice(3, n, p=(0.5, 0.45, 0.05)),
            rng.choice([1, 2, 3], n, p=(0.55, 0.35, 0.1)),
        ],
        default=rng.choice([4, 5, 2, 6], n, p=(0.3, 0.55, 0.1, 0.05)),
    )
    place = np.where(
        at_facility,
        "facility",
        choices(("home", "on_the_way", "other"), rng.choice(3, n, p=(0.85, 0.1, 0.05))),
    ).astype(object)
    complication = np.where(
        rng.random(n) < np.where(g >= ETHNIC, 0.06, 0.04),
        rng.choice(5, n, p=(0.4, 0.2, 0.1, 0.2, 0.1)),
        -1,
    )
    died_here = dies & (timing == 1)
    outcome = np.where(
        complication >= 0,
        np.where(rng.random(n) < 0.85, "complication", "referred"),
        np.where(rng.random(n) < 0.01, "referred", "well"),
    ).astype(object)
    outcome[died_here] = "died"
    rows = np.flatnonzero(shown)
    ids = np.full(n, "", dtype=object)
    ids[rows] = ctx.ids.take("deliveries", len(rows))
    code = geo.code(hist, day)
    ctx.out.write(
        "deliveries",
        {
            "id": ids[rows],
            "person_id": pool.id[woman[rows]],
            "date": text.dates(day[rows]),
            "commune": code[rows],
            "village": village[rows],
            "service_commune": np.where(at_facility & (level == 0), code, "")[rows].astype(object),
            "facility": np.where(at_facility, facility, "")[rows].astype(object),
            "pregnancy_id": pregnancy_ids[rows],
            "time": TIMES[rng.integers(0, 1440, n)][rows],
            "place": place[rows],
            "attendant": choices(ATTENDANTS, attendant[rows]),
            "mode": mode[rows],
            "complications": np.where(
                complication >= 0, choices(COMPLICATIONS, np.maximum(complication, 0)), ""
            )[rows].astype(object),
            "mother_outcome": outcome[rows],
        },
    )
    return ids, np.where(at_facility, facility, "").astype(object), at_facility, caesarean


def _children(
    ctx: Context,
    births: dict[str, np.ndarray],
    shown: np.ndarray,
    woman: np.ndarray,
    day: np.ndarray,
    hist: np.ndarray,
    commune: np.ndarray,
    village: np.ndarray,
    g: np.ndarray,
    facility: np.ndarray,
    caesarean: np.ndarray,
    delivery_ids: np.ndarray,
    preterm: np.ndarray,
) -> Children:
    """Write the births and the live-born children's persons rows."""
    rng, r, text = ctx.rng, ctx.rates, ctx.text
    keep = shown[births["delivery"]]
    b = {key: values[keep] for key, values in births.items()}
    d = b["delivery"]
    k = len(d)
    live = b["live"]
    male = b["male"]
    at_facility = facility[d] != ""
    # Each baby's own date: one later twin in eight is born after midnight, the next day.
    after_midnight = (b["order"] > 1) & (rng.random(k) < 0.125) & (day[d] < ctx.as_of)
    born = day[d] + after_midnight
    children = children_write(ctx, woman[d[live]], born[live], male[live])
    person = np.full(k, "", dtype=object)
    person[live] = children
    gb = g[d]
    caesarean_like = caesarean[d]
    weighed = np.where(at_facility, rng.random(k) < 0.99, rng.random(k) < 0.5)
    low = b["weight"] < 2500
    hepb = live & np.where(at_facility, rng.random(k) < r["hepb_24h"][gb], rng.random(k) < 0.25)
    blank_care = ~live | ~at_facility
    ids = ctx.ids.take("births", k)
    weight_text = text.ints(np.minimum(b["weight"], 9999))
    (kg,) = ctx.errors.pick(k, 1)
    kg = kg[weighed[kg]]
    weight_text[kg] = [f"{w / 1000:.1f}" for w in b["weight"][kg].tolist()]
    ctx.manifest.add("birth_weight_in_kg", "births", ids[kg])
    # A delivery whose every birth row is refused is refused too (its dependents).
    spoiled = np.zeros(k, dtype=bool)
    spoiled[kg] = True
    left = np.bincount(d, weights=~spoiled, minlength=len(delivery_ids))
    lost = np.zeros(len(delivery_ids), dtype=bool)
    lost[d[spoiled]] = left[d[spoiled]] == 0
    ctx.manifest.dependents += [("deliveries", i) for i in delivery_ids[lost].tolist()]
    ctx.out.write(
        "births",
        {
            "id": ids,
            "delivery_id": delivery_ids[d],
            "person_id": person,
            "outcome": np.where(live, "live", "stillbirth").astype(object),
            "date": text.dates(born),
            "time": np.where(after_midnight, TIMES[rng.integers(0, 60, k)], "").astype(object),
            "sex": np.where(male, "M", "F").astype(object),
            "birth_order": text.ints(b["order"]),
            "birth_weight_g": np.where(weighed, weight_text, "").astype(object),
            "gestational_weeks": np.where(rng.random(k) < 0.95, text.ints(b["weeks"]), "").astype(
                object
            ),
            "eenc_dried": text.flags(rng.random(k) < 0.97, blank=blank_care),
            "eenc_skin_to_skin": text.flags(
                rng.random(k) < r["eenc_skin"][gb] * np.where(caesarean_like, 0.6, 1.0),
                blank=blank_care,
            ),
            "eenc_cord_delayed": text.flags(rng.random(k) < 0.9, blank=blank_care),
            "eenc_breastfed_1h": text.flags(
                rng.random(k) < np.where(caesarean_like, 0.6, 0.88), blank=blank_care
            ),
            "vitamin_k1": text.flags(rng.random(k) < np.where(at_facility, 0.96, 0.2), blank=~live),
            "hepb_birth_24h": text.flags(hepb, blank=~live),
            "kangaroo_care": text.flags(rng.random(k) < 0.6, blank=~(live & low & at_facility)),
        },
    )
    return Children(
        person=children,
        mother=woman[d[live]],
        delivery=d[live],
        birth=born[live],
        male=male[live],
        hist=hist[d[live]],
        commune=commune[d[live]],
        village=village[d[live]],
        group=gb[live],
        low_weight=low[live],
        preterm=preterm[d[live]],
        facility_birth=at_facility[live],
        hepb_24h=hepb[live],
        twin=(b["order"] > 1)[live] | np.isin(d[live], d[b["order"] > 1]),
        birth_facility=facility[d[live]],
        spoiled=spoiled[live],
        lost_deliveries=lost,
        death=np.full(int(live.sum()), NEVER, dtype=np.int64),
    )


def _postnatal(
    ctx: Context,
    g: np.ndarray,
    woman: np.ndarray,
    hist: np.ndarray,
    village: np.ndarray,
    day: np.ndarray,
    facility: np.ndarray,
    facility_birth: np.ndarray,
    mother_death: np.ndarray,
    shown: np.ndarray,
    delivery_ids: np.ndarray,
    children: Children,
) -> None:
    """Contacts at the facility before discharge, home visits in the first week, and a
    check around day 42: one row for the mother and one per live newborn seen."""
    rng, r, text, geo, pool, errors = ctx.rng, ctx.rates, ctx.text, ctx.geo, ctx.women, ctx.errors
    n = len(day)
    kinds = (
        (shown & facility_birth & (rng.random(n) < r["facility_contact"][g]), 0, 3, "facility"),
        (shown & (rng.random(n) < r["home_visit_week1"][g]), 1, 8, "home"),
        (shown & (rng.random(n) < 0.35), 28, 43, "station"),
    )
    parts = []
    for mask, low, high, label in kinds:
        rows = np.flatnonzero(mask)
        parts.append(
            (
                rows,
                day[rows] + rng.integers(low, high, len(rows)),
                np.full(len(rows), label, dtype=object),
            )
        )
    delivery = np.concatenate([p[0] for p in parts])
    contact_day = np.concatenate([p[1] for p in parts])
    where = np.concatenate([p[2] for p in parts])
    order = np.argsort(delivery, kind="stable")
    delivery, contact_day, where = delivery[order], contact_day[order], where[order]
    per = np.bincount(delivery, minlength=n)
    starts = np.cumsum(per) - per
    # newborn rows: each child with each contact of its delivery
    repeat = per[children.delivery]
    child = np.repeat(np.arange(len(children)), repeat)
    offset = np.arange(repeat.sum()) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    contact = starts[children.delivery[child]] + offset
    mothers = np.flatnonzero(contact_day <= mother_death[delivery])
    newborns = contact[contact_day[contact] <= children.death[child]]
    newborn_child = child[contact_day[contact] <= children.death[child]]
    index = np.concatenate([mothers, newborns])
    subject = np.concatenate(
        [
            np.full(len(mothers), "mother", dtype=object),
            np.full(len(newborns), "newborn", dtype=object),
        ]
    )
    person = np.concatenate([pool.id[woman[delivery[mothers]]], children.person[newborn_child]])
    refused = children.lost_deliveries[delivery[index]]
    refused[len(mothers) :] |= children.spoiled[newborn_child]
    keep = contact_day[index] <= ctx.as_of
    index, subject, person, refused = index[keep], subject[keep], person[keep], refused[keep]
    sort = np.argsort(contact_day[index], kind="stable")
    index, subject, person, refused = index[sort], subject[sort], person[sort], refused[sort]
    m = len(index)
    if not m:
        return
    d = delivery[index]
    when = contact_day[index]
    kind = where[index]
    station = geo.station(hist[d], when)
    code = geo.code(hist[d], when)
    place_facility = np.where(
        kind == "facility", facility[d], np.where(kind == "station", station, "")
    )
    provider = np.where(
        kind == "home",
        choices(PROVIDERS, rng.choice(4, m, p=(0.0, 0.45, 0.3, 0.25))),
        choices(PROVIDERS, rng.choice(4, m, p=(0.4, 0.5, 0.1, 0.0))),
    ).astype(object)
    ids = ctx.ids.take("postnatal_contacts", m)
    ctx.manifest.dependents += [("postnatal_contacts", i) for i in ids[refused].tolist()]
    dates = text.dates(when)
    (swapped,) = errors.pick(m, 1)
    errors.swap_day_month("postnatal_contacts", dates, ids, swapped)
    ctx.out.write(
        "postnatal_contacts",
        {
            "id": ids,
            "person_id": person,
            "date": dates,
            "commune": code,
            "village": village[d],
            "service_commune": np.where(kind == "facility", "", code).astype(object),
            "facility": np.where(kind == "home", station, place_facility).astype(object),
            "delivery_id": delivery_ids[d],
            "subject": subject,
            "place": np.where(kind == "home", "home", "facility").astype(object),
            "provider": provider,
        },
    )


def _maternal_deaths(
    ctx: Context,
    dies: np.ndarray,
    timing: np.ndarray,
    woman: np.ndarray,
    hist: np.ndarray,
    village: np.ndarray,
    death: np.ndarray,
    facility: np.ndarray,
    facility_birth: np.ndarray,
) -> None:
    rng, pool, geo = ctx.rng, ctx.women, ctx.geo
    rows = np.flatnonzero(dies & (death <= ctx.as_of))
    if not len(rows):
        return
    cause = np.empty(len(rows), dtype=object)
    for t, (codes, p) in enumerate(MATERNAL_CAUSES):
        here = timing[rows] == t
        cause[here] = choices(codes, rng.choice(len(codes), here.sum(), p=p))
    place = choices(
        ("facility", "home", "on_the_way"), rng.choice(3, len(rows), p=(0.6, 0.25, 0.15))
    )
    place = np.where((timing[rows] == 1) & facility_birth[rows], "facility", place).astype(object)
    where = np.where(
        (timing[rows] == 1) & facility_birth[rows], facility[rows], geo.hospital(rng, death[rows])
    )
    deaths_write(
        ctx,
        person=pool.id[woman[rows]],
        hist=hist[rows],
        village=village[rows],
        day=death[rows],
        place=place,
        cause=cause,
        injury=np.full(len(rows), "", dtype=object),
        cause_text=np.array([CAUSE_TEXT[c] for c in cause.tolist()], dtype=object),
        relation=np.where(timing[rows] == 0, "pregnant", "within_42_days").astype(object),
        facility=np.where(place == "facility", where, "").astype(object),
    )
