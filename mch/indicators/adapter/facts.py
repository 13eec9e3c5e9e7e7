"""Register rows -> facts for the engine (one ``FactBatch`` per kind of fact).

Every loader reads the columns the care events carry (date, commune of residence, unit
of service, the group snapshot taken on the event date) plus what the definitions need,
in one query per kind, streamed. ``units`` limits the facts to those with a residence
or service unit among the ids (``None``: all); person-based facts (immunisation, latest
measurement) then take every row of the persons concerned, so a child who moved is
judged on all their records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from typing import Any

import numpy as np
from django.db.models import Exists, OuterRef, Q

from mch.indicators.engine.ages import birthday, completed_days, completed_years
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

from .profiles import ProfileMap, mother_age_group

CHUNK = 5000
_SNAPSHOT = (
    "ethnicity",
    "ethnic_minority",
    "area_ethnic_minority",
    "area_especially_difficult",
    "area_zone",
)
_COMMON = ("date", "created_at", "residence_unit_id", "service_unit_id", "facility__unit_id")


def _unit_q(units: Collection[int] | None, prefix: str = "") -> Q:
    if units is None:
        return Q()
    return Q(**{f"{prefix}residence_unit_id__in": units}) | Q(
        **{f"{prefix}service_unit_id__in": units}
    )


class _Builder:
    """Collects rows into columns, then a FactBatch."""

    def __init__(self, kind: str, profiles: ProfileMap) -> None:
        self.kind = kind
        self.profiles = profiles
        self.rows: dict[str, list[Any]] = defaultdict(list)

    def add(
        self,
        *,
        date: dt.date,
        recorded: dt.datetime | dt.date | None,
        residence: int,
        service: int | None,
        subject: int,
        snapshot: tuple[Any, ...],
        sex: str | None,
        mother_age: str | None,
        place: str | None,
        poverty: str | None,
        education: str | None,
        **values: Any,
    ) -> None:
        rows = self.rows
        rows["date"].append(date)
        rows["recorded"].append(recorded.date() if isinstance(recorded, dt.datetime) else recorded)
        rows["residence_unit"].append(residence)
        rows["service_unit"].append(NO_UNIT if service is None else service)
        rows["subject"].append(subject)
        ethnicity, minority, area_em, area_ed, zone = snapshot
        profile = (
            ethnicity or None,
            minority,
            bool(area_em),
            bool(area_ed),
            zone or "",
            sex or None,
            mother_age,
            place or None,
            poverty if poverty is not None else None,
            education if education is not None else None,
        )
        rows["profile"].append(self.profiles.id(profile))
        for name, value in zip(
            (
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
            ),
            profile,
            strict=True,
        ):
            rows[name].append(value)
        for name, value in values.items():
            rows[name].append(value)

    def batch(self) -> FactBatch:
        if not self.rows:
            return FactBatch.empty(self.kind)
        columns: dict[str, Any] = {}
        for name, values in self.rows.items():
            if name in ("date", "recorded"):
                columns[name] = np.array(
                    [
                        np.datetime64(v, "D") if v is not None else np.datetime64("NaT")
                        for v in values
                    ],
                    dtype="datetime64[D]",
                )
            elif name in ("residence_unit", "service_unit", "subject", "profile"):
                columns[name] = np.array(values, dtype=np.int64)
            else:
                columns[name] = column_of(values)
        return FactBatch(self.kind, columns)


def _service(service: int | None, facility_unit: int | None) -> int | None:
    return service if service is not None else facility_unit


def live_births(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    out = _Builder("live_birth", profiles)
    rows = (
        Birth.objects.filter(_unit_q(units), outcome="live", date__gte=start, date__lte=end)
        .values_list(
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
        .order_by()
    )
    for row in rows.iterator(chunk_size=CHUNK):
        (day, created, res, svc, fac, *snap) = row[:10]
        (pk, person, sex, mother_birth, place, poverty, education, weight) = row[10:18]
        dried, skin, cord, bf, weeks, live, still = row[18:]
        out.add(
            date=day,
            recorded=created,
            residence=res,
            service=_service(svc, fac),
            subject=person if person is not None else -pk,
            snapshot=tuple(snap),
            sex=sex,
            mother_age=mother_age_group(mother_birth, day),
            place=place,
            poverty=poverty,
            education=education,
            weight_g=weight,
            weighed=weight is not None,
            in_facility=place == "facility",
            eenc_dried=dried,
            eenc_skin_to_skin=skin,
            eenc_cord_delayed=cord,
            eenc_breastfed_1h=bf,
            gestational_weeks=weeks,
            babies=(live or 0) + (still or 0),
        )
    return out.batch()


def deliveries(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    out = _Builder("delivery", profiles)
    contacts = PostnatalContact.objects.filter(delivery_id=OuterRef("pk"))
    rows = (
        Delivery.objects.filter(_unit_q(units), date__gte=start, date__lte=end)
        .annotate(
            home_week1=Exists(contacts.filter(place="home", day_after_birth__lte=7)),
            within_42=Exists(contacts.filter(day_after_birth__lte=42)),
        )
        .values_list(
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
            "home_week1",
            "within_42",
        )
        .order_by()
    )
    for row in rows.iterator(chunk_size=CHUNK):
        (day, created, res, svc, fac, *snap) = row[:10]
        person, birth, place, poverty, education, skilled, attendant, mode = row[10:18]
        live, still, visits, trimesters, tablets, home7, pnc42 = row[18:]
        out.add(
            date=day,
            recorded=created,
            residence=res,
            service=_service(svc, fac),
            subject=person,
            snapshot=tuple(snap),
            sex=None,
            mother_age=mother_age_group(birth, day),
            place=place,
            poverty=poverty,
            education=education,
            in_facility=place == "facility",
            skilled=bool(skilled),
            attendant=attendant,
            mode=mode,
            live_births=live,
            stillbirths=still,
            anc_visits=visits or 0,
            anc_trimesters=trimesters or "",
            iron_tablets=tablets or 0,
            pnc_home_week1=bool(home7),
            pnc_42days=bool(pnc42),
        )
    return out.batch()


def deaths(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    """Deaths dated in the range, and deaths recorded in it (for ``recorded_date``)."""
    out = _Builder("death", profiles)
    dated = Q(date__gte=start, date__lte=end)
    recorded = Q(created_at__date__gte=start, created_at__date__lte=end)
    rows = (
        Death.objects.filter(_unit_q(units))
        .filter(dated | recorded)
        .values_list(
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
        )
        .order_by()
    )
    for row in rows.iterator(chunk_size=CHUNK):
        (day, created, res, svc, fac, *snap) = row[:10]
        person, sex, birth, birth_outcome, mother_birth, m_poverty, m_education = row[10:17]
        poverty, education, cause, injury, relation, review, place = row[17:]
        child = mother_birth is not None or birth_outcome is not None
        out.add(
            date=day,
            recorded=created,
            residence=res,
            service=_service(svc, fac),
            subject=person,
            snapshot=tuple(snap),
            sex=sex,
            mother_age=mother_age_group(mother_birth, birth)
            if child
            else mother_age_group(birth, day),
            place=None,
            poverty=m_poverty if child else poverty,
            education=m_education if child else education,
            age_days=completed_days(birth, day) if birth else None,
            age_years=completed_years(birth, day) if birth else None,
            live_born=birth_outcome != "stillbirth",
            cause_group=cause,
            injury_type=injury,
            pregnancy_relation=relation,
            review_status=review,
            place_of_death=place,
            days_to_record=(created.date() - day).days if created else None,
        )
    return out.batch()


def _persons_with(model: Any, units: Collection[int] | None, **filters: Any) -> Q:
    if units is None:
        return Q()
    return Q(person_id__in=model.objects.filter(_unit_q(units), **filters).values("person_id"))


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
    where that dose was given / where the child lived then."""
    out = _Builder("immunisation_complete", profiles)
    earliest_birth = dt.date(start.year - before_birthday - 1, 12, 31)
    rows = (
        Immunisation.objects.filter(
            _persons_with(Immunisation, units, date__gte=start, date__lte=end, is_epi=True),
            is_epi=True,
            antigen__in=list(doses),
            date__lte=end,
            person__birth_date__gte=earliest_birth,
            person__birth_date__lte=end,
        )
        .values_list(
            *_COMMON,
            *_SNAPSHOT,
            "person_id",
            "person__birth_date",
            "person__sex",
            "person__mother__birth_date",
            "person__mother__poverty",
            "person__mother__education",
            "antigen",
            "dose",
        )
        .order_by("person_id", "date", "id")
    )

    def flush(person: int, items: list[tuple[Any, ...]]) -> None:
        birth = items[0][11]
        limit = birthday(birth, before_birthday)
        given: dict[str, set[int]] = defaultdict(set)
        needed = dict(doses)
        for item in items:
            if item[0] >= limit:
                break
            given[item[16]].add(item[17])
            if all(len(given[a]) >= n for a, n in needed.items()):
                day, created, res, svc, fac, *snap = item[:10]
                if start <= day <= end:
                    out.add(
                        date=day,
                        recorded=created,
                        residence=res,
                        service=_service(svc, fac),
                        subject=person,
                        snapshot=tuple(snap),
                        sex=item[12],
                        mother_age=mother_age_group(item[13], birth),
                        place=None,
                        poverty=item[14],
                        education=item[15],
                        age_days=completed_days(birth, day),
                    )
                return

    _grouped(rows.iterator(chunk_size=CHUNK), 10, flush)
    return out.batch()


def _grouped(
    rows: Iterable[tuple[Any, ...]], key: int, flush: Callable[[int, list[tuple[Any, ...]]], None]
) -> None:
    current: int | None = None
    items: list[tuple[Any, ...]] = []
    for row in rows:
        if row[key] != current:
            if items:
                flush(current, items)  # type: ignore[arg-type]
            current, items = row[key], []
        items.append(row)
    if items:
        flush(current, items)  # type: ignore[arg-type]


def measurements(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    out = _Builder("measurement", profiles)
    rows = (
        GrowthMeasurement.objects.filter(
            _persons_with(GrowthMeasurement, units, date__gte=start, date__lte=end),
            date__gte=start,
            date__lte=end,
        )
        .values_list(
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
        .order_by()
    )
    for row in rows.iterator(chunk_size=CHUNK):
        (day, created, res, svc, fac, *snap) = row[:10]
        person, sex, birth, mother_birth, poverty, education = row[10:16]
        age, haz, waz, whz, baz, oedema, position = row[16:]
        out.add(
            date=day,
            recorded=created,
            residence=res,
            service=_service(svc, fac),
            subject=person,
            snapshot=tuple(snap),
            sex=sex,
            mother_age=mother_age_group(mother_birth, birth),
            place=None,
            poverty=poverty,
            education=education,
            age_days=age,
            haz=haz,
            waz=waz,
            whz=whz,
            baz=baz,
            oedema=bool(oedema),
            position=position,
        )
    return out.batch()


def illnesses(
    profiles: ProfileMap, start: dt.date, end: dt.date, units: Collection[int] | None
) -> FactBatch:
    out = _Builder("illness", profiles)
    rows = (
        Illness.objects.filter(_unit_q(units), date__gte=start, date__lte=end)
        .values_list(
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
        .order_by()
    )
    for row in rows.iterator(chunk_size=CHUNK):
        (day, created, res, svc, fac, *snap) = row[:10]
        person, sex, birth, mother_birth, poverty, education, kind, antibiotic, severe = row[10:]
        out.add(
            date=day,
            recorded=created,
            residence=res,
            service=_service(svc, fac),
            subject=person,
            snapshot=tuple(snap),
            sex=sex,
            mother_age=mother_age_group(mother_birth, birth),
            place=None,
            poverty=poverty,
            education=education,
            kind=kind,
            antibiotic=antibiotic,
            severe=severe,
            age_days=completed_days(birth, day) if birth else None,
        )
    return out.batch()


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
) -> dict[str, FactBatch]:
    """The fact batches the ``counts`` need (one per kind, or per parameter set)."""
    batches: dict[str, FactBatch] = {}
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
