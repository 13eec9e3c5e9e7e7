"""Checks of a child's check-ups, measurements (WHO z-scores for all at once), doses
(the immunisation schedule's engine), illnesses, and of deaths."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from mch.orgunits.models import OrgUnit

from ... import derive, rules
from ...models import (
    Birth,
    Death,
    Immunisation,
    Pregnancy,
    ReviewStatus,
)
from ..lookups import Communes, stored_by, stored_groups
from ..rows import (
    Parent,
    Row,
    facts,
)
from .base import (
    _CATEGORY,
    LABELS,
    MODELS,
    CheckerBase,
    _blank_values,
)


class ChildChecks(CheckerBase):
    """The checks of child events and deaths (mixed into ``Checker``)."""

    # ------------------------------------------------------------------ child events

    def _child(self, row: Row, key: str) -> tuple[Parent, dict[str, Any]] | None:
        person = self.ref(row, "person_id", "persons")
        if person is None:
            return None
        base = self.event(row, person)
        if base is None:
            return None
        who = facts(person)
        problems = rules.child_event_check(
            day=base["date"],
            birth=who.birth_date,
            died_on=who.deceased_on,
            today=self.today,
            label=LABELS.get(key, "Ngày"),
        )
        if not self.problems(row, problems):
            return None
        return person, base

    def _simple(
        self,
        rows: list[Row],
        key: str,
        extra: Callable[[Row, dict[str, Any]], list[rules.Problem]] | None = None,
    ) -> None:
        blanks = _blank_values(key)
        model = MODELS[key]
        for row in rows:
            if not row.ok:
                continue
            found = self._child(row, key)
            if found is None:
                continue
            person, base = found
            kwargs = self.plain(row, key, blanks)
            if extra is not None and not self.problems(row, extra(row, kwargs)):
                continue
            obj = self.build(row, model, {**kwargs, **base})
            self._person(obj, person)
            obj.flags = sorted(set(row.warnings))
            self.snapshot(obj, person)

    def check_checkups(self, rows: list[Row]) -> None:
        self._simple(rows, "checkups")

    def check_illnesses(self, rows: list[Row]) -> None:
        self._simple(
            rows,
            "illnesses",
            lambda row, kwargs: rules.illness_check(
                kind=kwargs["kind"], injury_type=kwargs["injury_type"]
            ),
        )

    def check_growth(self, rows: list[Row]) -> None:
        def extra(row: Row, kwargs: dict[str, Any]) -> list[rules.Problem]:
            problems = rules.measurement_check(
                weight_kg=kwargs["weight_kg"],
                length_cm=kwargs["length_cm"],
                muac_mm=kwargs["muac_mm"],
            )
            if facts(row.refs["person_id"]).birth_date is None:
                problems.append(
                    rules.Problem("required", "birth_date", params={"label": "ngày sinh của trẻ"})
                )
            return problems

        self._simple(rows, "growth", extra)
        self._zscores([row for row in rows if row.ok])

    def _zscores(self, rows: list[Row]) -> None:
        """WHO z-scores of every measurement at once (what services.child.growth_fill does
        for one)."""
        if not rows:
            return
        from mch.growth import LAST_Z_DAY
        from mch.growth.classify import classify
        from mch.growth.zscores import compute

        objs = [row.obj for row in rows]
        people = [facts(row.refs["person_id"]) for row in rows]
        ages = [rules.age_days(p.birth_date, o.date) for p, o in zip(people, objs, strict=True)]
        nan = float("nan")
        lying = {"lying": 1.0, "standing": 0.0}
        scores = compute(
            np.array([1.0 if p.sex == "M" else 2.0 for p in people]),
            np.array(ages, dtype=float),
            np.array([nan if o.weight_kg is None else o.weight_kg for o in objs]),
            np.array([nan if o.length_cm is None else o.length_cm for o in objs]),
            np.array([lying.get(o.position, nan) for o in objs]),
            np.array([1.0 if o.oedema else 0.0 for o in objs]),
        )
        classes = classify(scores)

        def value(x: float) -> float | None:
            return None if np.isnan(x) else float(x)

        flags = {
            "haz": scores.flag_haz,
            "waz": scores.flag_waz,
            "whz": scores.flag_whz,
            "baz": scores.flag_baz,
        }
        for i, (row, obj) in enumerate(zip(rows, objs, strict=True)):
            obj.age_days = ages[i]
            obj.haz, obj.waz = value(scores.haz[i]), value(scores.waz[i])
            obj.whz, obj.baz = value(scores.whz[i]), value(scores.baz[i])
            obj.stunting = _CATEGORY[str(classes.stunting[i])]
            obj.underweight = _CATEGORY[str(classes.underweight[i])]
            obj.wasting = _CATEGORY[str(classes.wasting[i])]
            over = str(classes.overweight[i])
            obj.overweight = None if over in ("missing", "implausible") else over == "overweight"
            codes = set(row.warnings)
            if ages[i] > LAST_Z_DAY:
                codes.add("age_over_5")
            if scores.flag_position[i]:
                codes.add("standing_under_9_months")
            if any(flag[i] for flag in flags.values()):
                codes.add("z_implausible")
            obj.flags = sorted(codes)

    def _pregnancy_ends(self, women: set[int]) -> Callable[[Parent], list[dt.date]]:
        """The end dates of each woman's pregnancies (bundle rows over stored ones)."""
        stored = stored_groups(Pregnancy, "person_id", women, ("external_id", "outcome_date"))
        bundle = self.index["pregnancies"]
        by_row: dict[int, list[dt.date]] = defaultdict(list)
        by_pk: dict[int, list[dt.date]] = defaultdict(list)
        for pk, items in stored.items():
            by_pk[pk] += [
                p.outcome_date
                for p in items
                if p.external_id not in bundle and p.outcome_date is not None
            ]
        for row in self.rows["pregnancies"]:
            woman = row.refs.get("person_id")
            if row.ok and row.obj is not None and woman is not None and row.obj.outcome_date:
                by_row[id(woman)].append(row.obj.outcome_date)
                if woman.pk is not None:
                    by_pk[woman.pk].append(row.obj.outcome_date)

        def ends(person: Parent) -> list[dt.date]:
            if person.pk is not None:
                return by_pk.get(person.pk, [])
            return by_row.get(id(person), [])

        return ends

    def check_immunisations(self, rows: list[Row]) -> None:
        self._simple(rows, "immunisations")
        valid = [row for row in rows if row.ok]
        if valid:
            self._doses(valid)

    def _doses(self, rows: list[Row]) -> None:
        """The schedule's checks of each dose against all the child's other doses (stored
        and in the bundle), as ``services.child.dose_problems`` does for one."""
        from mch.immunisation.engine import DoseGiven, Severity, dose_check

        people = {id(row.refs["person_id"]): row.refs["person_id"] for row in rows}
        stored = stored_groups(
            Immunisation,
            "person_id",
            {p.pk for p in people.values() if p.pk is not None},
            ("external_id", "antigen", "dose", "date", "is_epi"),
        )
        bundle_ids = set(self.index["immunisations"])
        doses: dict[int, list[tuple[Row | None, Any]]] = defaultdict(list)
        for key, person in people.items():
            if person.pk is not None:
                for s in stored.get(person.pk, []):
                    if s.external_id not in bundle_ids:
                        doses[key].append((None, DoseGiven(s.antigen, s.dose, s.date, s.is_epi)))
        for row in rows:
            o = row.obj
            doses[id(row.refs["person_id"])].append(
                (row, DoseGiven(o.antigen, o.dose, o.date, o.is_epi))
            )
        schedule = _Schedule(self.communes)
        for key, items in doses.items():
            who = facts(people[key])
            if who.birth_date is None:
                for given, _dose in items:
                    if given is not None:
                        given.error(
                            "person_id",
                            rules.Problem(
                                "required", "birth_date", params={"label": "ngày sinh của trẻ"}
                            ).message(),
                        )
                        given.obj = None
                continue
            for given, dose in items:
                if given is None:
                    continue
                row = given
                previous = [d for r, d in items if r is not row]
                flags = dose_check(
                    who.birth_date, previous, dose, schedule.rules(who.residence_unit_id, dose.date)
                )
                problems = [
                    rules.Problem(
                        f"dose_{flag.code}",
                        "date",
                        rules.ERROR if flag.severity == Severity.ERROR else rules.WARNING,
                        text=flag.message,
                    )
                    for flag in flags
                ]
                if not self.problems(row, problems):
                    row.obj = None
                    continue
                row.obj.flags = sorted(set(row.warnings))

    # ------------------------------------------------------------------ deaths

    def check_deaths(self, rows: list[Row]) -> None:
        blanks = _blank_values("deaths")
        people: set[int] = set()
        for row in rows:
            if (
                row.ok
                and (person := self.ref(row, "person_id", "persons")) is not None
                and person.pk is not None
            ):
                people.add(person.pk)
        taken = stored_by(Death, "person_id", people, ("external_id", "date"))
        open_stored = self._open_pregnancies(people)
        ended = self._pregnancy_ends(people)
        stillborn = {
            s.person_id: s.date
            for s in stored_by(Birth, "person_id", people, ("date", "outcome")).values()
            if s.outcome == "stillbirth"
        }
        used: dict[int, Row] = {}
        for row in rows:
            if not row.ok:
                continue
            person = row.refs["person_id"]
            base = self.event(row, person)
            if base is None:
                continue
            who = facts(person)
            kwargs = self.plain(row, "deaths", blanks)
            problems = rules.death_check(
                day=base["date"],
                birth=who.birth_date,
                today=self.today,
                cause_group=kwargs["cause_group"],
                injury_type=kwargs["injury_type"],
            )
            other = taken.get(person.pk) if person.pk is not None else None
            if other is not None and other.external_id != row.id:
                problems.append(
                    rules.Problem(
                        "after_death",
                        "date",
                        params={"label": "Tử vong", "value": base["date"], "other": other.date},
                    )
                )
            elif id(person) in used:
                problems.append(
                    rules.Problem(
                        "after_death",
                        "date",
                        params={
                            "label": "Tử vong",
                            "value": base["date"],
                            "other": used[id(person)].values["date"],
                        },
                    )
                )
            used[id(person)] = row
            if person.pk in stillborn:
                problems.append(
                    rules.Problem(
                        "death_of_stillbirth", "person", params={"value": stillborn[person.pk]}
                    )
                )
            relation = kwargs["pregnancy_relation"]
            if who.sex == "F" and not relation:
                relation = rules.pregnancy_relation_on(
                    base["date"],
                    pregnant=self._has_open_pregnancy(person, open_stored),
                    ended_on=ended(person),
                )
            kwargs["pregnancy_relation"] = relation
            given_cause = kwargs["maternal_cause"]
            kwargs.update(
                derive.death_fill(
                    birth=who.birth_date,
                    day=base["date"],
                    sex=who.sex,
                    pregnancy_relation=relation,
                    pregnancy_related=kwargs["pregnancy_related"],
                    maternal_cause=given_cause,
                    cause_group=kwargs["cause_group"],
                )
            )
            kwargs["recorded_on"] = (
                kwargs["recorded_on"]
                or (row.existing.recorded_on if row.existing is not None else None)
                or self.today
            )
            problems += rules.death_details_check(
                sex=who.sex,
                age_days=kwargs["age_days"],
                pregnancy_relation=relation,
                maternal_cause=given_cause,
                perinatal_cause=kwargs["perinatal_cause"],
                recorded_on=kwargs["recorded_on"],
                day=base["date"],
                today=self.today,
            )
            if not self.problems(row, problems):
                continue
            obj = self.build(row, Death, {**kwargs, **base})
            if obj.possible_maternal and row.existing is None:
                obj.review_status = ReviewStatus.TO_NOTIFY
            self._person(obj, person)
            obj.flags = sorted(set(row.warnings))
            self.snapshot(obj, person)
            if isinstance(person, Row):
                person.obj.deceased_on = base["date"]
            elif person.deceased_stored != base["date"]:
                self.derived["persons"].setdefault(person.pk, {})["deceased_on"] = base["date"]
        # A person's date of death is the one of a death row accepted, else the stored one.
        accepted = {id(row.refs["person_id"]) for row in rows if row.ok and row.obj is not None}
        for row in self.rows["persons"]:
            if row.ok and id(row) not in accepted:
                row.obj.deceased_on = row.existing.deceased_on if row.existing else None


class _Schedule:
    """Immunisation rules by province and day, read once per period the schedule is
    constant (the rows' validity dates split time into such periods)."""

    def __init__(self, communes: Communes):
        from mch.immunisation.models import ScheduleEntry

        self.communes = communes
        bounds: set[dt.date] = set()
        for start, end in ScheduleEntry.objects.values_list("valid_from", "valid_to"):
            if start:
                bounds.add(start)
            if end:
                bounds.add(end + dt.timedelta(days=1))
        self.bounds = sorted(bounds)
        self._province: dict[int, OrgUnit | None] = {}
        self._provinces: dict[int, OrgUnit] | None = None
        self._rules: dict[tuple[int | None, int], list[Any]] = {}

    def province(self, unit_id: int) -> OrgUnit | None:
        if unit_id not in self._province:
            if self._provinces is None:
                self._provinces = {u.pk: u for u in OrgUnit.objects.filter(level="province")}
            path = self.communes.paths.get(unit_id) or OrgUnit.objects.get(pk=unit_id).path
            ids = [int(part) for part in path.strip("/").split("/") if part]
            found = [self._provinces[pk] for pk in ids if pk in self._provinces]
            self._province[unit_id] = found[-1] if found else None
        return self._province[unit_id]

    def rules(self, unit_id: int, day: dt.date) -> list[Any]:
        from mch.immunisation.selectors import schedule_rules

        province = self.province(unit_id)
        key = (province.pk if province else None, bisect.bisect_right(self.bounds, day))
        found = self._rules.get(key)
        if found is None:
            found = schedule_rules(on=day, province=province)
            self._rules[key] = found
        return found
