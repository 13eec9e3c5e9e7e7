"""Register rows -> facts for the engine (one ``FactBatch`` per kind of fact).

Every loader reads the columns the care events carry (date, commune of residence, unit
of service, the group snapshot taken on the event date) plus what the definitions need,
in one query per kind. ``units`` limits the facts to those with a residence or service
unit among the ids (``None``: all); person-based facts (immunisation, latest
measurement) then take every row of the persons concerned, so a child who moved is
judged on all their records.

Rows are read with a plain cursor (the ORM's query, without its per-value converters)
and turned into columns at once: dates become ``datetime64[D]`` arrays, ages and age
groups are computed on whole columns, and only the group profile is looked up per row
(a dict). The columns hold the same values, of the same types, as the engine's
``column_of`` makes from Python values.

A write refreshes only the (unit, year) pairs of the records it changed and of the
records whose facts read them through these joins (``aggregates._dependants``): a new
join here (a fact reading another record's column) needs its line there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, models
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet

from mch.indicators.engine.ages import birthday
from mch.indicators.engine.compute import NO_UNIT, FactBatch, column_of
from mch.indicators.engine.definitions import Count, batch_key
from mch.registers.models import (
    Birth,
    Death,
    Delivery,
    GrowthMeasurement,
    Illness,
    Immunisation,
    PostnatalContact,
)

from .profiles import ProfileMap

_SNAPSHOT = (
    "ethnicity",
    "ethnic_minority",
    "area_ethnic_minority",
    "area_especially_difficult",
    "area_zone",
)
_COMMON = ("date", "created_at", "residence_unit_id", "service_unit_id", "facility__unit_id")
NAT = np.datetime64("NaT", "D")
Dates = npt.NDArray[np.datetime64]


def _unit_q(units: Collection[int] | None, prefix: str = "") -> Q:
    if units is None:
        return Q()
    return Q(**{f"{prefix}residence_unit_id__in": units}) | Q(
        **{f"{prefix}service_unit_id__in": units}
    )


_NAT_DAYS = np.iinfo(np.int64).min  # NaT as an int64


class _EpochDay(Func):
    """A date (or a date-time's UTC day) as days since 1970-01-01, NaT's integer when
    null: the database does the date arithmetic, Python gets plain integers (parsing a
    date per value was a third of the fact loading)."""

    output_field = models.BigIntegerField()

    def __init__(self, expression: Any, *, moment: bool) -> None:
        super().__init__(expression)
        self.moment = moment

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:  # type: ignore[override]
        inner, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            day = f"({inner} AT TIME ZONE 'UTC')::date" if self.moment else inner
            sql = f"COALESCE(({day} - DATE '1970-01-01')::bigint, {_NAT_DAYS})"
        else:  # SQLite keeps dates as text, date-times as UTC text
            day = f"substr({inner}, 1, 10)" if self.moment else inner
            sql = f"COALESCE(CAST(julianday({day}) - 2440587.5 AS INTEGER), {_NAT_DAYS})"
        return sql, params


def _fetch(queryset: QuerySet[Any], names: Sequence[str]) -> dict[str, Any]:
    """The ``values_list(*names)`` of ``queryset`` as columns: date columns as
    ``datetime64[D]`` arrays (a date-time as its UTC day, as the ORM gives it), booleans
    as ``True``/``False``/``None``, anything else as a list of Python values."""
    compiler = queryset.values_list(*names).query.get_compiler(using=queryset.db)
    compiler.setup_query()
    fields = [expression.output_field for expression, _, _ in compiler.select]
    assert len(fields) == len(names)
    # Every column as an annotation, in the order of ``names`` (dates as day numbers).
    selected: dict[str, Any] = {}
    for i, (name, field) in enumerate(zip(names, fields, strict=True)):
        if isinstance(field, models.DateField):  # DateTimeField is one too
            selected[f"c{i}"] = _EpochDay(F(name), moment=isinstance(field, models.DateTimeField))
        else:
            selected[f"c{i}"] = F(name)
    query = queryset.annotate(**selected).values_list(*selected).query
    sql, params = query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    raw: list[Any] = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in names]
    sqlite = connection.vendor == "sqlite"  # booleans may come back as 0/1
    out: dict[str, Any] = {}
    for name, field, values in zip(names, fields, raw, strict=True):
        if isinstance(field, models.DateField):
            out[name] = np.array(values, dtype=np.int64).view("datetime64[D]")
        elif isinstance(field, models.BooleanField) and sqlite:
            out[name] = [None if v is None else bool(v) for v in values]
        else:
            out[name] = values
    return out


def _ymd(days: Dates) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(year, month * 100 + day) of each date (garbage where NaT)."""
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]")
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return years, (months.astype(np.int64) % 12 + 1) * 100 + day


def completed_years(birth: Dates, day: Dates) -> npt.NDArray[np.float64]:
    """``ages.completed_years`` over columns (calendar birthdays, 29 February -> 1 March
    in common years: a 28 February is before it); -1 before the birth, NaN if unknown."""
    by, bmd = _ymd(birth)
    dy, dmd = _ymd(day)
    years = (dy - by - (dmd < bmd)).astype(np.float64)
    years = np.where(day >= birth, np.maximum(years, 0), -1.0)
    return np.where(np.isnat(birth) | np.isnat(day), np.nan, years)


def completed_days(birth: Dates, day: Dates) -> npt.NDArray[np.float64]:
    out = (day - birth).astype(np.float64)
    return np.where(np.isnat(birth) | np.isnat(day), np.nan, out)


def mother_age_groups(mother_birth: Dates, day: Dates) -> list[str | None]:
    """``profiles.mother_age_group`` over columns."""
    years = completed_years(mother_birth, day)
    groups = np.full(len(years), None, dtype=object)
    known = ~np.isnan(years) & (years >= 0)
    groups[known & (years < 20)] = "<20"
    groups[known & (years >= 20) & (years < 35)] = "20-34"
    groups[known & (years >= 35)] = "35+"
    return groups.tolist()


def _batch(
    kind: str,
    profiles: ProfileMap,
    rows: dict[str, Any],
    *,
    subject: Iterable[int],
    sex: Sequence[Any],
    mother_age: Sequence[Any],
    place: Sequence[Any] | None,
    poverty: Sequence[Any],
    education: Sequence[Any],
    values: dict[str, Any],
    keep: npt.NDArray[np.bool_] | None = None,
) -> FactBatch:
    """A FactBatch from fetched columns (``keep``: the rows to keep)."""
    n = len(rows["date"])
    if keep is not None:
        pick = np.nonzero(keep)[0]
        index = pick.tolist()

        def take(column: Any) -> Any:
            if isinstance(column, np.ndarray):
                return column[pick]
            return [column[i] for i in index]

        rows = {name: take(column) for name, column in rows.items()}
        subject, sex, mother_age, poverty, education = (
            take(list(c) if not isinstance(c, np.ndarray | list) else c)
            for c in (subject, sex, mother_age, poverty, education)
        )
        place = None if place is None else take(place)
        values = {name: take(column) for name, column in values.items()}
        n = len(pick)
    if not n:
        return FactBatch.empty(kind)
    nones = [None] * n
    service = [
        NO_UNIT if s is None and f is None else (s if s is not None else f)
        for s, f in zip(rows["service_unit_id"], rows["facility__unit_id"], strict=True)
    ]
    attributes = (
        [e or None for e in rows["ethnicity"]],
        list(rows["ethnic_minority"]),
        [bool(v) for v in rows["area_ethnic_minority"]],
        [bool(v) for v in rows["area_especially_difficult"]],
        [z or "" for z in rows["area_zone"]],
        [s or None for s in sex],
        list(mother_age),
        nones if place is None else [p or None for p in place],
        list(poverty),
        list(education),
    )
    profile = profiles.ids(zip(*attributes, strict=True))
    columns: dict[str, Any] = {
        "date": rows["date"],
        "recorded": rows["created_at"],
        "residence_unit": np.array(rows["residence_unit_id"], dtype=np.int64),
        "service_unit": np.array(service, dtype=np.int64),
        "subject": np.array(list(subject), dtype=np.int64),
        "profile": np.array(profile, dtype=np.int64),
    }
    names = (
        "ethnicity",
        "ethnic_minority",
        "ethnic_minority_area",
        "especially_difficult",
        "zone",
        "sex",
        "mother_age_group",
        "place_of_delivery",
        "poverty",
        "education",
    )
    for name, column in zip(names, attributes, strict=True):
        columns[name] = column_of(column)
    for name, column in values.items():
        if isinstance(column, np.ndarray) and column.dtype.kind == "f":
            columns[name] = column
        else:
            columns[name] = column_of(list(column))
    return FactBatch(kind, columns)


def live_births(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    names = (
        *_COMMON,
        *_SNAPSHOT,
        "id",
        "person_id",
        "sex",
        "mother__birth_date",
        "delivery__place",
        "mother__poverty",
        "mother__education",
        "birth_weight_g",
        "eenc_dried",
        "eenc_skin_to_skin",
        "eenc_cord_delayed",
        "eenc_breastfed_1h",
        "gestational_weeks",
        "delivery__live_births",
        "delivery__stillbirths",
    )
    rows = _fetch(
        Birth.objects.filter(
            _unit_q(units), outcome="live", date__gte=start, date__lte=end
        ).order_by(),
        names,
    )
    place = rows["delivery__place"]
    weight = rows["birth_weight_g"]
    return _batch(
        "live_birth",
        profiles,
        rows,
        subject=[
            p if p is not None else -pk for pk, p in zip(rows["id"], rows["person_id"], strict=True)
        ],
        sex=rows["sex"],
        mother_age=mother_age_groups(rows["mother__birth_date"], rows["date"]),
        place=place,
        poverty=rows["mother__poverty"],
        education=rows["mother__education"],
        values={
            "weight_g": weight,
            "weighed": [w is not None for w in weight],
            "in_facility": [p == "facility" for p in place],
            "eenc_dried": rows["eenc_dried"],
            "eenc_skin_to_skin": rows["eenc_skin_to_skin"],
            "eenc_cord_delayed": rows["eenc_cord_delayed"],
            "eenc_breastfed_1h": rows["eenc_breastfed_1h"],
            "gestational_weeks": rows["gestational_weeks"],
            "babies": [
                (a or 0) + (b or 0)
                for a, b in zip(
                    rows["delivery__live_births"], rows["delivery__stillbirths"], strict=True
                )
            ],
        },
    )


def deliveries(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    contacts = PostnatalContact.objects.filter(delivery_id=OuterRef("pk"))
    names = (
        *_COMMON,
        *_SNAPSHOT,
        "person_id",
        "person__birth_date",
        "place",
        "person__poverty",
        "person__education",
        "skilled",
        "attendant",
        "mode",
        "live_births",
        "stillbirths",
        "pregnancy__anc_visits",
        "pregnancy__anc_trimesters",
        "pregnancy__iron_tablets",
        "home_week1",  # annotations last: the order the SQL selects them in
        "within_42",
    )
    rows = _fetch(
        Delivery.objects.filter(_unit_q(units), date__gte=start, date__lte=end)
        .annotate(
            home_week1=Exists(contacts.filter(place="home", day_after_birth__lte=7)),
            within_42=Exists(contacts.filter(day_after_birth__lte=42)),
        )
        .order_by(),
        names,
    )
    place = rows["place"]
    return _batch(
        "delivery",
        profiles,
        rows,
        subject=rows["person_id"],
        sex=[None] * len(place),
        mother_age=mother_age_groups(rows["person__birth_date"], rows["date"]),
        place=place,
        poverty=rows["person__poverty"],
        education=rows["person__education"],
        values={
            "in_facility": [p == "facility" for p in place],
            "skilled": [bool(v) for v in rows["skilled"]],
            "attendant": rows["attendant"],
            "mode": rows["mode"],
            "live_births": rows["live_births"],
            "stillbirths": rows["stillbirths"],
            "anc_visits": [v or 0 for v in rows["pregnancy__anc_visits"]],
            "anc_trimesters": [v or "" for v in rows["pregnancy__anc_trimesters"]],
            "iron_tablets": [v or 0 for v in rows["pregnancy__iron_tablets"]],
            "pnc_home_week1": [bool(v) for v in rows["home_week1"]],
            "pnc_42days": [bool(v) for v in rows["within_42"]],
        },
    )


def deaths(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    """Deaths dated in the range, and deaths recorded in it (for ``recorded_date``)."""
    dated = Q(date__gte=start, date__lte=end)
    recorded = Q(created_at__date__gte=start, created_at__date__lte=end)
    names = (
        *_COMMON,
        *_SNAPSHOT,
        "person_id",
        "person__sex",
        "person__birth_date",
        "person__birth__outcome",
        "person__mother__birth_date",
        "person__mother__poverty",
        "person__mother__education",
        "person__poverty",
        "person__education",
        "cause_group",
        "injury_type",
        "pregnancy_relation",
        "review_status",
        "place",
        "stillborn",
    )
    # A person without a birth record of their own, born on the date of a stillbirth of
    # their mother, is that stillborn baby registered by mistake: not a live-born child.
    stillborn_twin = Birth.objects.filter(
        outcome="stillbirth",
        mother_id=OuterRef("person__mother_id"),
        date=OuterRef("person__birth_date"),
    )
    deaths_q = (
        Death.objects.filter(_unit_q(units))
        .filter(dated | recorded)
        .annotate(stillborn=Exists(stillborn_twin))
        .order_by()
    )
    rows = _fetch(deaths_q, names)
    day, birth, mother_birth = (
        rows["date"],
        rows["person__birth_date"],
        rows["person__mother__birth_date"],
    )
    outcome = rows["person__birth__outcome"]
    child = ~np.isnat(mother_birth) | np.array([o is not None for o in outcome], dtype=bool)
    as_child = mother_age_groups(mother_birth, birth)
    as_woman = mother_age_groups(birth, day)
    pick = child.tolist()

    def either(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
        return [x if c else y for c, x, y in zip(pick, a, b, strict=True)]

    recorded_days = rows["created_at"]
    return _batch(
        "death",
        profiles,
        rows,
        subject=rows["person_id"],
        sex=rows["person__sex"],
        mother_age=either(as_child, as_woman),
        place=None,
        poverty=either(rows["person__mother__poverty"], rows["person__poverty"]),
        education=either(rows["person__mother__education"], rows["person__education"]),
        values={
            "age_days": completed_days(birth, day),
            "age_years": completed_years(birth, day),
            "live_born": [
                o == "live" or (o is None and not bool(still))
                for o, still in zip(outcome, rows["stillborn"], strict=True)
            ],
            "cause_group": rows["cause_group"],
            "injury_type": rows["injury_type"],
            "pregnancy_relation": rows["pregnancy_relation"],
            "review_status": rows["review_status"],
            "place_of_death": rows["place"],
            "days_to_record": completed_days(day, recorded_days),
        },
    )


def _persons_with(model: Any, units: Collection[int] | None, **filters: Any) -> Q:
    if units is None:
        return Q()
    return Q(person_id__in=model.objects.filter(_unit_q(units), **filters).values("person_id"))


def _birthdays(births: Dates, years: int) -> Dates:
    """``ages.birthday`` of each date (one Python call per distinct date)."""
    unique, inverse = np.unique(births, return_inverse=True)
    days = [
        NAT if np.isnat(b) else np.datetime64(birthday(b.astype(dt.date), years), "D")
        for b in unique
    ]
    return np.array(days, dtype="datetime64[D]")[inverse.reshape(-1)]


def immunisation_complete(
    profiles: ProfileMap,
    start: dt.date,
    end: dt.date,
    units: Collection[int] | None,
    *,
    doses: dict[str, int],
    before_birthday: int,
) -> FactBatch:
    """One fact per child who had every dose of ``doses`` (programme doses) before the
    ``before_birthday``-th birthday, dated by the dose that completed the set and placed
    where that dose was given / where the child lived then.

    The doses read are those of the children born late enough to complete the set in the
    range, up to its end; the set is completed, per child, at the first dose (by date,
    then id) by which each antigen has its number of distinct doses."""
    earliest_birth = dt.date(start.year - before_birthday - 1, 12, 31)
    names = (
        *_COMMON,
        *_SNAPSHOT,
        "id",
        "person_id",
        "person__birth_date",
        "person__sex",
        "person__mother__birth_date",
        "person__mother__poverty",
        "person__mother__education",
        "antigen",
        "dose",
    )
    rows = _fetch(
        Immunisation.objects.filter(
            _persons_with(Immunisation, units, date__gte=start, date__lte=end, is_epi=True),
            is_epi=True,
            antigen__in=list(doses),
            date__lte=end,
            person__birth_date__gte=earliest_birth,
            person__birth_date__lte=end,
        ).order_by(),
        names,
    )
    n = len(rows["date"])
    keep = np.zeros(n, dtype=bool)
    if n:
        day = rows["date"]
        person = np.array(rows["person_id"], dtype=np.int64)
        # by child, then date, then id: the order the doses were given in
        order = np.lexsort((np.array(rows["id"], dtype=np.int64), day.astype(np.int64), person))
        limit = _birthdays(rows["person__birth_date"], before_birthday)
        before = (day < limit)[order]
        antigen = np.array(rows["antigen"], dtype=object)[order]
        dose = np.array(rows["dose"], dtype=np.int64)[order]
        child = person[order]
        children, slot = np.unique(child, return_inverse=True)
        slot = slot.reshape(-1)
        completed = np.full(len(children), -1, dtype=np.int64)  # position in ``order``
        complete = np.ones(len(children), dtype=bool)
        positions = np.arange(n)
        for name, needed in doses.items():
            chosen = positions[before & (antigen == name)]
            # the first time each child had each dose number of this antigen
            _, first = np.unique(np.stack([child[chosen], dose[chosen]]), axis=1, return_index=True)
            firsts = np.sort(chosen[first])
            owner = slot[firsts]
            # rank of each first dose within its child (0, 1, 2…)
            starts = np.r_[0, np.nonzero(owner[1:] != owner[:-1])[0] + 1]
            counts = np.diff(np.r_[starts, len(owner)])
            rank = np.arange(len(owner)) - np.repeat(starts, counts)
            at = np.full(len(children), -1, dtype=np.int64)
            hit = rank == needed - 1
            at[owner[hit]] = firsts[hit]
            complete &= at >= 0
            completed = np.maximum(completed, at)
        rows_done = order[completed[complete]]
        keep[rows_done] = True
        inside = (day >= np.datetime64(start, "D")) & (day <= np.datetime64(end, "D"))
        keep &= inside
    birth = rows["person__birth_date"]
    return _batch(
        "immunisation_complete",
        profiles,
        rows,
        subject=rows["person_id"],
        sex=rows["person__sex"],
        mother_age=mother_age_groups(rows["person__mother__birth_date"], birth),
        place=None,
        poverty=rows["person__mother__poverty"],
        education=rows["person__mother__education"],
        values={"age_days": completed_days(birth, rows["date"])},
        keep=keep,
    )


def measurements(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    names = (
        *_COMMON,
        *_SNAPSHOT,
        "person_id",
        "person__sex",
        "person__birth_date",
        "person__mother__birth_date",
        "person__mother__poverty",
        "person__mother__education",
        "age_days",
        "haz",
        "waz",
        "whz",
        "baz",
        "oedema",
        "position",
    )
    rows = _fetch(
        GrowthMeasurement.objects.filter(
            _persons_with(GrowthMeasurement, units, date__gte=start, date__lte=end),
            date__gte=start,
            date__lte=end,
        ).order_by(),
        names,
    )
    return _batch(
        "measurement",
        profiles,
        rows,
        subject=rows["person_id"],
        sex=rows["person__sex"],
        mother_age=mother_age_groups(
            rows["person__mother__birth_date"], rows["person__birth_date"]
        ),
        place=None,
        poverty=rows["person__mother__poverty"],
        education=rows["person__mother__education"],
        values={
            "age_days": rows["age_days"],
            "haz": rows["haz"],
            "waz": rows["waz"],
            "whz": rows["whz"],
            "baz": rows["baz"],
            "oedema": [bool(v) for v in rows["oedema"]],
            "position": rows["position"],
        },
    )


def illnesses(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    names = (
        *_COMMON,
        *_SNAPSHOT,
        "person_id",
        "person__sex",
        "person__birth_date",
        "person__mother__birth_date",
        "person__mother__poverty",
        "person__mother__education",
        "kind",
        "antibiotic",
        "severe",
    )
    rows = _fetch(
        Illness.objects.filter(_unit_q(units), date__gte=start, date__lte=end).order_by(), names
    )
    birth = rows["person__birth_date"]
    return _batch(
        "illness",
        profiles,
        rows,
        subject=rows["person_id"],
        sex=rows["person__sex"],
        mother_age=mother_age_groups(rows["person__mother__birth_date"], birth),
        place=None,
        poverty=rows["person__mother__poverty"],
        education=rows["person__mother__education"],
        values={
            "kind": rows["kind"],
            "antibiotic": rows["antibiotic"],
            "severe": rows["severe"],
            "age_days": completed_days(birth, rows["date"]),
        },
    )


LOADERS = {
    "live_birth": live_births,
    "delivery": deliveries,
    "death": deaths,
    "measurement": measurements,
    "illness": illnesses,
}


def load(
    counts: Iterable[Count],
    profiles: ProfileMap,
    start: dt.date,
    end: dt.date,
    units: Collection[int] | None,
    cache: dict[str, FactBatch] | None = None,
) -> dict[str, FactBatch]:
    """The fact batches the ``counts`` need (one per kind, or per parameter set).
    ``cache``: batches already loaded for the same range and units (several indicators
    over the same facts load them once); new ones are added to it."""
    batches: dict[str, FactBatch] = cache if cache is not None else {}
    for count in counts:
        key = batch_key(count)
        if key in batches:
            continue
        if count.fact == "immunisation_complete":
            batches[key] = immunisation_complete(
                profiles,
                start,
                end,
                units,
                doses=dict(count.params["doses"]),
                before_birthday=int(count.params["before_birthday"]),
            )
        else:
            batches[key] = LOADERS[count.fact](profiles, start, end, units)
    return batches
