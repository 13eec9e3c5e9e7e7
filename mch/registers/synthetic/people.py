"""Women and children as rows of the persons file: who they are, where they live, their IDs.

National ID (CCCD) numbers follow Thông tư 59/2021/TT-BCA as ``rules.national_id_check``
reads them: 3 digits of the province, a digit for sex and century, 2 digits of the year of
birth, 6 digits that are unique here by construction (a counter through a bijection of
0..999,999), so two generated people never share a number.
"""

from __future__ import annotations

import zlib

import numpy as np

from .context import Context
from .output import NEVER, choices
from .rates import ETHNIC

EDUCATION = ("higher", "upper_secondary", "lower_secondary", "primary", "none")
EDUCATION_P = (
    (0.35, 0.35, 0.20, 0.08, 0.02),
    (0.15, 0.35, 0.35, 0.12, 0.03),
    (0.05, 0.15, 0.35, 0.30, 0.15),
    (0.03, 0.10, 0.30, 0.35, 0.22),
)
_MULTIPLIER = 741_457  # odd and not a multiple of 5: k -> k * m mod 10**6 is a bijection


def years(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def national_ids(
    ctx: Context, province: np.ndarray, sex_digit: np.ndarray, birth_day: np.ndarray
) -> np.ndarray:
    out = []
    for p, s, y in zip(
        province.tolist(), sex_digit.tolist(), years(birth_day).tolist(), strict=True
    ):
        head = f"{p}{s}{y % 100:02d}"
        k = ctx.national_ids.get(head, 0)
        ctx.national_ids[head] = k + 1
        offset = zlib.crc32(f"{ctx.ids.prefix}:{head}".encode()) % 1_000_000
        out.append(f"{head}{(k * _MULTIPLIER + offset) % 1_000_000:06d}")
    return np.array(out, dtype=object)


def _digits(rng: np.random.Generator, n: int, width: int) -> list[str]:
    values = rng.integers(0, 10**width, n)
    return [f"{v:0{width}d}" for v in values.tolist()]


def women_new(ctx: Context, commune: np.ndarray, lmp: np.ndarray, year_index: int) -> np.ndarray:
    """Draw new women for deliveries in ``commune`` with last periods ``lmp``; returns their
    indices in the pool."""
    rng, r, geo = ctx.rng, ctx.rates, ctx.geo
    m = len(commune)
    g = geo.group[commune]
    hist = geo.hist_first[commune] + (rng.random(m) * geo.hist_count[commune]).astype(np.int64)
    first_time = rng.random(m) < min(0.85, 0.45 + 0.06 * year_index)
    prior = np.where(first_time, 0, 1 + rng.poisson(np.where(g >= ETHNIC, 0.8, 0.4)))
    age = rng.normal(r["age_first_birth"][g] + 3.0 * prior, 4.2)
    age = np.clip(age, np.where(g >= ETHNIC, 15.3, 16.5), 44.0)
    birth = lmp - np.rint(age * 365.25).astype(np.int64)
    minority = rng.random(m) < r["minority_women"][g]
    ethnicity = np.where(minority, geo.minority(rng, commune), "01").astype(object)
    family = ctx.names.family(rng, ethnicity)
    name = ctx.names.full(rng, family, np.zeros(m, dtype=bool), years(birth))
    poverty = np.where(
        rng.random(m) < r["poor"][g],
        "poor",
        np.where(rng.random(m) < r["near_poor"][g], "near_poor", ""),
    ).astype(object)
    return ctx.women.append(
        commune=commune,
        hist=hist,
        birth=birth,
        last_delivery=np.full(m, -NEVER),
        parity=prior,
        gravida=prior + (rng.random(m) < 0.15),
        caesareans=(prior > 0) & (rng.random(m) < r["caesarean"][g] * 0.8),
        tetanus=np.where(prior > 0, np.minimum(2 + prior, 5), 0) * (rng.random(m) < 0.7),
        death=np.full(m, NEVER),
        moved_on=np.full(m, NEVER),
        ethnicity=ethnicity,
        name=np.array(name, dtype=object),
        village=geo.village(rng, commune),
        father_family=ctx.names.family(rng, ethnicity),
        poverty=poverty,
        weight=rng.normal(np.where(g >= ETHNIC, 46.0, 50.0), 6.0).clip(36, 90),
        id=np.full(m, "", dtype=object),
    )


def women_write(ctx: Context, women: np.ndarray, registered: np.ndarray) -> None:
    """Rows of the persons file for new women, registered on their first pregnancy's day."""
    if not len(women):
        return
    rng, r, geo, text, pool = ctx.rng, ctx.rates, ctx.geo, ctx.text, ctx.women
    order = np.lexsort((women, registered))
    women, registered = women[order], registered[order]
    m = len(women)
    g = geo.group[pool.commune[women]]
    hist = pool.hist[women]
    ids = ctx.ids.take("persons", m)
    pool.id[women] = ids
    birth = pool.birth[women]
    has_id = rng.random(m) < r["has_national_id"][g]
    born_2000s = years(birth) >= 2000
    national = np.full(m, "", dtype=object)
    if has_id.any():
        national[has_id] = national_ids(
            ctx, geo.cccd[hist[has_id]], np.where(born_2000s[has_id], 3, 1), birth[has_id]
        )
    phone = np.full(m, "", dtype=object)
    has_phone = rng.random(m) < r["has_phone"][g]
    heads = np.array(["09", "03", "08", "07", "05"], dtype=object)[rng.integers(0, 5, m)]
    phone[has_phone] = [
        h + d for h, d in zip(heads[has_phone], _digits(rng, has_phone.sum(), 8), strict=True)
    ]
    insurance = np.full(m, "", dtype=object)
    insured = rng.random(m) < 0.6
    insurance[insured] = _digits(rng, insured.sum(), 10)
    education = np.empty(m, dtype=object)
    for group in range(4):
        here = g == group
        education[here] = choices(EDUCATION, rng.choice(5, here.sum(), p=EDUCATION_P[group]))
    estimated = (g >= ETHNIC) & (rng.random(m) < 0.04)
    shown_birth = np.where(
        estimated,
        (years(birth) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64),
        birth,
    )
    moved = pool.moved_on[women]
    current = np.where(moved < NEVER, moved, registered)
    columns = {
        "id": ids,
        "full_name": pool.name[women],
        "sex": np.full(m, "F", dtype=object),
        "birth_date": text.dates(shown_birth),
        "birth_date_estimated": text.flags(estimated, blank=~estimated),
        "ethnicity": pool.ethnicity[women],
        "national_id": national,
        "insurance_number": insurance,
        "phone": phone,
        # as the export writes a person: the commune and start of the current residence
        "commune": geo.code(hist, current),
        "village": pool.village[women],
        "poverty": pool.poverty[women],
        "education": education,
        "registered_on": text.dates(current),
    }
    ctx.out.write("persons", columns)
    went = moved < NEVER
    residences_write(
        ctx, ids[went], hist[went], registered[went], moved[went], pool.village[women][went]
    )
    _duplicates(ctx, columns, registered, hist)


def women_move(
    ctx: Context, women: np.ndarray, first_seen: np.ndarray, delivered: np.ndarray
) -> None:
    """A few new women move to another commune of the province during this pregnancy or in
    the year after its delivery (never on the days around it, so that twins either side of
    midnight share the delivery's commune): their household gets a history of its own
    (``Geo.moved``) and the day, before their rows are written."""
    rng, geo, pool = ctx.moves, ctx.geo, ctx.women
    m = len(women)
    if not m or len(geo.codes) < 2:
        return
    g = geo.group[pool.commune[women]]
    low = first_seen + 30
    high = delivered + 365
    day = low + (rng.random(m) * np.maximum(high - low, 1)).astype(np.int64)
    day = np.where(np.abs(day - delivered) <= 1, delivered + 2, day)
    go = np.flatnonzero((rng.random(m) < ctx.rates["move"][g]) & (day <= ctx.as_of))
    if not len(go):
        return
    who, day = women[go], day[go]
    origin = pool.commune[who]
    # to another commune, likelier a big one: draw until it differs
    target = rng.choice(len(geo.codes), len(who), p=geo.p)
    while (same := target == origin).any():
        target[same] = rng.choice(len(geo.codes), int(same.sum()), p=geo.p)
    new_hist = geo.hist_first[target] + (rng.random(len(who)) * geo.hist_count[target]).astype(
        np.int64
    )
    # ``pool.commune`` stays the commune she was drawn for: her group's rates and the
    # choice of the women of later deliveries stay those of the province without moves.
    pool.hist[who] = geo.moved(pool.hist[who], new_hist, day)
    pool.moved_on[who] = day


def residences_write(
    ctx: Context,
    person: np.ndarray,
    hist: np.ndarray,
    since: np.ndarray,
    moved: np.ndarray,
    village: np.ndarray,
) -> None:
    """Rows of the residences file for people who moved once: where they lived from
    ``since`` until the day before ``moved``, then from ``moved`` on (the current one)."""
    n = len(person)
    if not n:
        return
    text, geo = ctx.text, ctx.geo
    ctx.out.write(
        "residences",
        {
            "person_id": np.repeat(person, 2),
            "commune": np.stack([geo.code(hist, since), geo.code(hist, moved)], axis=1).ravel(),
            "village": np.repeat(village, 2),
            "valid_from": text.dates(np.stack([since, moved], axis=1).ravel()),
            "valid_to": np.stack(
                [text.dates(moved - 1), np.full(n, "", dtype=object)], axis=1
            ).ravel(),
        },
    )


def _duplicates(
    ctx: Context, columns: dict[str, np.ndarray], registered: np.ndarray, hist: np.ndarray
) -> None:
    """The error "same woman registered twice": a second row some weeks later, new ID,
    no national ID."""
    (rows,) = ctx.errors.pick(len(registered), 1)
    if not len(rows):
        return
    later = np.minimum(registered[rows] + ctx.errors.offsets(len(rows), 20, 90), ctx.as_of)
    ids = ctx.ids.take("duplicates", len(rows))
    copy = {key: np.asarray(values)[rows] for key, values in columns.items()}
    copy.update(
        id=ids,
        national_id=np.full(len(rows), "", dtype=object),
        insurance_number=np.full(len(rows), "", dtype=object),
        commune=ctx.geo.code(hist[rows], later),
        registered_on=ctx.text.dates(later),
    )
    ctx.out.write("persons", copy)
    ctx.manifest.add("duplicate_woman", "persons", ids)


def children_write(
    ctx: Context,
    mother: np.ndarray,
    birth: np.ndarray,
    male: np.ndarray,
) -> np.ndarray:
    """Rows of the persons file for live-born children; returns their IDs."""
    rng, geo, text, pool = ctx.rng, ctx.geo, ctx.text, ctx.women
    n = len(mother)
    if not n:
        return np.empty(0, dtype=object)
    ids = ctx.ids.take("persons", n)
    hist = pool.hist[mother]
    moved = pool.moved_on[mother]
    before = (birth < moved) & (moved <= ctx.as_of)
    g = geo.group[pool.commune[mother]]
    name = ctx.names.full(rng, pool.father_family[mother], male, years(birth))
    national = np.full(n, "", dtype=object)
    issued = (birth >= (np.datetime64("2021-01-01") - np.datetime64("1970-01-01")).astype(int)) & (
        rng.random(n) < np.where(g >= ETHNIC, 0.55, 0.8)
    )
    if issued.any():
        national[issued] = national_ids(
            ctx, geo.cccd[hist[issued]], np.where(male[issued], 2, 3), birth[issued]
        )
    insurance = np.full(n, "", dtype=object)
    insured = rng.random(n) < 0.75
    province = np.array([c[1:] for c in geo.cccd[hist[insured]].tolist()], dtype=object)
    insurance[insured] = [
        f"TE1{p}{d}" for p, d in zip(province, _digits(rng, insured.sum(), 10), strict=True)
    ]
    ctx.out.write(
        "persons",
        {
            "id": ids,
            "full_name": np.array(name, dtype=object),
            "sex": np.where(male, "M", "F").astype(object),
            "birth_date": text.dates(birth),
            "ethnicity": pool.ethnicity[mother],
            "national_id": national,
            "insurance_number": insurance,
            "commune": geo.code(hist, np.where(before, moved, birth)),
            "village": pool.village[mother],
            "poverty": pool.poverty[mother],
            "mother_id": pool.id[mother],
            "registered_on": text.dates(np.where(before, moved, birth)),
        },
    )
    # children born before their mother moved moved with her
    residences_write(
        ctx, ids[before], hist[before], birth[before], moved[before], pool.village[mother][before]
    )
    return ids


WOMAN_CAUSES = ("injury", "other", "other_infection", "unknown", "indirect")
WOMAN_CAUSES_P = (0.25, 0.40, 0.10, 0.15, 0.10)
WOMAN_CAUSE_TEXT = {
    "injury": "Tai nạn giao thông",
    "other": "Bệnh lý nội khoa",
    "other_infection": "Nhiễm trùng",
    "unknown": "",
    "indirect": "Bệnh tim mạch",
}


def women_deaths(ctx: Context, first: int, last: int, busy: np.ndarray) -> None:
    """Deaths of women aged 15–49 not pregnant in the last 42 days (the denominator of
    maternal death surveillance starts from all of them)."""
    rng, r, geo, pool = ctx.rng, ctx.rates, ctx.geo, ctx.women
    if not pool.size:
        return
    free = np.ones(pool.size, dtype=bool)
    free[busy] = False
    low = np.maximum.reduce(
        [
            np.full(pool.size, first),
            pool.last_delivery + 60,
            pool.birth + 15 * 366,
            np.where(pool.moved_on < NEVER, pool.moved_on + 1, -NEVER),  # not before a move
        ]
    )
    high = np.minimum(np.full(pool.size, min(last, ctx.as_of)), pool.birth + 49 * 365)
    g = geo.group[pool.commune]
    share = (last - first + 1) / 365.25
    dies = (
        free
        & (pool.death == NEVER)
        & (pool.id != "")
        & (low <= high)
        & (rng.random(pool.size) < r["woman_death_per_year"][g] * share)
    )
    who = np.flatnonzero(dies)
    if not len(who):
        return
    day = low[who] + (rng.random(len(who)) * (high[who] - low[who] + 1)).astype(np.int64)
    pool.death[who] = day
    cause = choices(WOMAN_CAUSES, rng.choice(len(WOMAN_CAUSES), len(who), p=WOMAN_CAUSES_P))
    injury = np.where(
        cause == "injury",
        choices(("traffic", "drowning", "other"), rng.choice(3, len(who), p=(0.7, 0.1, 0.2))),
        "",
    ).astype(object)
    place = choices(
        ("facility", "home", "on_the_way"), rng.choice(3, len(who), p=(0.4, 0.45, 0.15))
    )
    deaths_write(
        ctx,
        person=pool.id[who],
        hist=pool.hist[who],
        village=pool.village[who],
        day=day,
        place=place,
        cause=cause,
        injury=injury,
        cause_text=np.array([WOMAN_CAUSE_TEXT[c] for c in cause.tolist()], dtype=object),
        relation=np.where(rng.random(len(who)) < 0.9, "not_pregnant", "unknown").astype(object),
        facility=np.where(place == "facility", geo.hospital(rng, day), "").astype(object),
    )


def deaths_write(
    ctx: Context,
    *,
    person: np.ndarray,
    hist: np.ndarray,
    village: np.ndarray,
    day: np.ndarray,
    place: np.ndarray,
    cause: np.ndarray,
    injury: np.ndarray,
    cause_text: np.ndarray,
    relation: np.ndarray,
    facility: np.ndarray,
) -> None:
    keep = day <= ctx.as_of
    if not keep.any():
        return
    order = np.flatnonzero(keep)[np.argsort(day[keep], kind="stable")]
    # When the death reached the register: most within a month, one in twenty about a
    # year late (never after the data's "as of" day).
    rng = ctx.rng
    lag = np.where(
        rng.random(len(order)) < 0.05,
        rng.integers(300, 420, len(order)),
        rng.integers(0, 31, len(order)),
    )
    recorded = np.minimum(day[order] + lag, ctx.as_of)
    ctx.out.write(
        "deaths",
        {
            "id": ctx.ids.take("deaths", len(order)),
            "person_id": person[order],
            "date": ctx.text.dates(day[order]),
            "commune": ctx.geo.code(hist[order], day[order]),
            "village": village[order],
            "facility": facility[order],
            "place": place[order],
            "cause_group": cause[order],
            "injury_type": injury[order],
            "cause_text": cause_text[order],
            "pregnancy_relation": relation[order],
            "recorded_on": ctx.text.dates(recorded),
        },
    )
