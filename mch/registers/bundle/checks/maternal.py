"""Checks of people, pregnancies, antenatal visits, deliveries, births and postnatal
contacts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from mch.core.text import name_key

from ... import derive, rules
from ...models import (
    AntenatalVisit,
    Birth,
    Delivery,
    Person,
    PostnatalContact,
    Pregnancy,
)
from ..lookups import Stored, stored_by, stored_groups
from ..rows import (
    Parent,
    Row,
    facts,
    file_label,
    parent_rejected,
    same,
)
from .base import (
    PREGNANCY_FACTS,
    CheckerBase,
    _blank_values,
)


class MaternalChecks(CheckerBase):
    """The checks of people and of pregnancy to postnatal care (mixed into ``Checker``)."""

    # ------------------------------------------------------------------ persons

    def check_persons(self, rows: list[Row]) -> None:
        blanks = _blank_values("persons")
        national = {row.values["national_id"] for row in rows if row.values.get("national_id")}
        taken = {
            stored.national_id: stored
            for stored in stored_by(
                Person,
                "national_id",
                national,
                ["external_id", "full_name", "merged_into_id", "residence_unit_id"],
            ).values()
            if stored.merged_into_id is None
        }
        seen_national: dict[str, Row] = {}
        deaths = self.deaths
        for row in rows:
            if not row.ok:
                continue
            values = row.values
            registered_on = values.get("registered_on")
            day = registered_on or self.today
            unit = self.commune(row, "commune", day)
            if unit is None or not self.scoped(row, unit):
                continue
            kwargs = self.plain(row, "persons", blanks)
            kwargs["full_name"] = " ".join(kwargs["full_name"].split())
            kwargs["ethnicity"] = kwargs["ethnicity"] or ""
            problems = rules.person_check(
                full_name=kwargs["full_name"],
                sex=kwargs["sex"],
                birth_date=kwargs["birth_date"],
                national_id=kwargs["national_id"],
                insurance_number=kwargs["insurance_number"],
                phone=kwargs["phone"],
                today=self.today,
            )
            problems += rules.not_future(registered_on, self.today, "registered_on", "Ngày đăng ký")
            nid = kwargs["national_id"]
            if nid:
                other = taken.get(nid)
                twin = seen_national.get(nid)
                if other is not None and other.external_id != row.id:
                    problems.append(
                        rules.Problem(
                            "cccd_duplicate",
                            "national_id",
                            params={"value": nid, "other": self._who(other)},
                        )
                    )
                elif twin is not None:
                    problems.append(
                        rules.Problem(
                            "cccd_duplicate",
                            "national_id",
                            params={"value": nid, "other": f"dòng {twin.number}"},
                        )
                    )
                else:
                    seen_national[nid] = row
            if not self.problems(row, problems):
                continue
            died = deaths.get(row.id)
            if died is None and row.existing is not None:
                died = row.existing.deceased_on
            obj = self.build(
                row,
                Person,
                {
                    **kwargs,
                    "external_id": row.id,
                    "name_key": name_key(kwargs["full_name"]),
                    "residence_unit_id": unit,
                    "registered_unit_id": unit,
                    "deceased_on": died,
                },
            )
            obj._residence_from = registered_on or obj.birth_date
        # Mothers may come later in the file: link them once every row has been seen, and
        # reject a child whose mother was rejected (repeat: a grandmother may be too).
        changed = True
        while changed:
            changed = False
            for row in rows:
                if not row.ok or "mother_id" in row.refs or not row.values.get("mother_id"):
                    continue
                mother = self.ref(row, "mother_id", "persons")
                if mother is None:
                    row.obj = None
                    changed = True
                    continue
                if mother is row:
                    row.error("mother_id", "Một người không thể là mẹ của chính mình.")
                    row.obj = None
                    changed = True
                    continue
                if isinstance(mother, Stored) and not self.person_scoped(row, mother, "mother_id"):
                    row.obj = None
                    changed = True
                    continue
                row.obj.link("mother_id", mother)
            if changed:
                for row in rows:
                    mother = row.refs.get("mother_id")
                    if row.ok and isinstance(mother, Row) and not mother.ok:
                        row.error("mother_id", parent_rejected(mother))
                        row.obj = None
        for row in rows:
            if row.ok and not row.obj.ethnicity:
                mother = row.refs.get("mother_id")
                if mother is not None and facts(mother) is not None:
                    row.obj.ethnicity = facts(mother).ethnicity or ""
            if row.ok:
                row.obj.flags = sorted(set(row.warnings))

    # ------------------------------------------------------------------ pregnancy

    def check_pregnancies(self, rows: list[Row]) -> None:
        blanks = _blank_values("pregnancies")
        closing = self._closing_deliveries()
        women_pks: set[int] = set()
        for row in rows:
            if not row.ok:
                continue
            person = self.ref(row, "person_id", "persons")
            if person is None:
                continue
            if person.pk is not None:
                women_pks.add(person.pk)
        open_stored = self._open_pregnancies(women_pks)
        # A stored delivery closes its pregnancy even when only the pregnancy is re-imported.
        delivered = stored_by(
            Delivery,
            "pregnancy_id",
            {row.existing.pk for row in rows if row.ok and row.existing is not None},
            ("external_id", "date", "live_births"),
        )
        open_seen: dict[int, dt.date] = {}  # id(woman) -> date of her open pregnancy
        for row in sorted((r for r in rows if r.ok), key=lambda r: r.values["date"]):
            person = row.refs["person_id"]
            base = self.event(row, person)
            if base is None:
                continue
            woman = facts(person)
            kwargs = self.plain(row, "pregnancies", blanks)
            lmp, edd = kwargs["lmp"], kwargs["edd"]
            delivery = delivered.get(row.existing.pk) if row.existing is not None else None
            closed = row.id in closing or delivery is not None
            problems = rules.pregnancy_check(
                registered_on=base["date"],
                lmp=lmp,
                edd=edd,
                woman_sex=woman.sex,
                woman_birth=woman.birth_date,
                today=self.today,
            )
            if kwargs["outcome"] and kwargs["outcome_date"] is None and not closed:
                problems.append(
                    rules.Problem(
                        "required",
                        "outcome_date",
                        params={"label": self.label("pregnancies", "outcome_date")},
                    )
                )
            if kwargs["outcome_date"] is not None:
                problems += rules.outcome_check(
                    outcome_date=kwargs["outcome_date"],
                    lmp=rules.pregnancy_dates(lmp, edd)[0],
                    registered_on=base["date"],
                    today=self.today,
                )
            if not kwargs["outcome"] and not closed:
                others = [
                    p.date
                    for p in open_stored.get(person.pk, [])  # type: ignore[arg-type]
                    if p.external_id not in closing
                ]
                first = others[0] if others else open_seen.get(id(person))
                if first is not None:
                    problems.append(
                        rules.Problem("pregnancy_open", "date", params={"value": first})
                    )
                else:
                    open_seen[id(person)] = base["date"]
            if not self.problems(row, problems):
                continue
            lmp, edd = rules.pregnancy_dates(lmp, edd)
            kwargs.update(lmp=lmp, edd=edd)
            if delivery is not None and delivery.external_id not in self.index["deliveries"]:
                kwargs["outcome"] = "live_birth" if delivery.live_births else "stillbirth"
                kwargs["outcome_date"] = delivery.date
            obj = self.build(row, Pregnancy, {**kwargs, **base})
            self._person(obj, person)
            obj.flags = sorted(set(row.warnings))
            self.snapshot(obj, person)

    def check_antenatal_visits(self, rows: list[Row]) -> None:
        blanks = _blank_values("antenatal_visits")
        for row in rows:
            if not row.ok:
                continue
            person = self.ref(row, "person_id", "persons")
            pregnancy = self.ref(row, "pregnancy_id", "pregnancies")
            if person is None or pregnancy is None:
                continue
            if not same(self.person_of(pregnancy), person):
                row.error(
                    "pregnancy_id",
                    f"Thai kỳ '{row.values['pregnancy_id']}' không phải của người '{row.values['person_id']}'.",
                )
                continue
            base = self.event(row, person)
            if base is None:
                continue
            preg = facts(pregnancy)
            problems = rules.antenatal_visit_check(
                day=base["date"],
                lmp=rules.pregnancy_dates(preg.lmp, preg.edd)[0],
                ended_on=preg.outcome_date,
                today=self.today,
            )
            if not self.problems(row, problems):
                continue
            obj = self.build(
                row, AntenatalVisit, {**self.plain(row, "antenatal_visits", blanks), **base}
            )
            self._person(obj, person)
            self._link(obj, "pregnancy", pregnancy)
            derive.visit_fill(obj, preg)  # type: ignore[arg-type]  # same columns, plain object
            obj.flags = sorted(set(row.warnings))
            self.snapshot(obj, person)

    def _pregnancy_summaries(self, rows: list[Row]) -> None:
        """Pregnancy keeps a summary of its visits: those of the bundle and those stored."""
        visits: dict[int, list[Any]] = defaultdict(list)  # id(parent) -> visits
        parents: dict[int, Parent] = {}
        for row in rows:
            if row.ok:
                parent = row.refs["pregnancy_id"]
                visits[id(parent)].append(row.obj)
                parents[id(parent)] = parent
        for row in self.rows["pregnancies"]:
            if row.ok:
                parents.setdefault(id(row), row)
        stored_pks = {p.pk for p in parents.values() if p.pk is not None}
        bundle_visits = set(self.index["antenatal_visits"])
        by_pregnancy = stored_groups(
            AntenatalVisit,
            "pregnancy_id",
            stored_pks,
            ("external_id", "date", "trimester", "iron_tablets", "mmn_tablets"),
        )
        for key, parent in parents.items():
            found = list(visits.get(key, []))
            if parent.pk is not None:
                found += [
                    v for v in by_pregnancy.get(parent.pk, []) if v.external_id not in bundle_visits
                ]
            summary = derive.pregnancy_summary(found)
            if isinstance(parent, Row):
                for name, value in summary.items():
                    setattr(parent.obj, name, value)
            else:
                self.derived["pregnancies"].setdefault(parent.pk, {}).update(summary)

    # ------------------------------------------------------------------ delivery and births

    def check_deliveries(self, rows: list[Row]) -> None:
        blanks = _blank_values("deliveries")
        women: set[int] = set()
        for row in rows:
            if not row.ok:
                continue
            person = self.ref(row, "person_id", "persons")
            pregnancy = self.ref(row, "pregnancy_id", "pregnancies")
            if person is None or (row.values.get("pregnancy_id") and pregnancy is None):
                continue
            if pregnancy is not None and not same(self.person_of(pregnancy), person):
                row.error(
                    "pregnancy_id",
                    f"Thai kỳ '{row.values['pregnancy_id']}' không phải của người '{row.values['person_id']}'.",
                )
                continue
            if person.pk is not None:
                women.add(person.pk)
        open_stored = self._open_pregnancies(women)
        closing = self._closing_deliveries()
        taken = stored_by(
            Delivery,
            "pregnancy_id",
            {
                p.pk
                for r in rows
                if r.ok and (p := r.refs.get("pregnancy_id")) is not None and p.pk is not None
            },
            ("external_id",),
        )
        used: dict[int, Row] = {}
        for row in rows:
            if not row.ok:
                continue
            person = row.refs["person_id"]
            base = self.event(row, person, with_facility=row.values.get("place") == "facility")
            if base is None:
                continue
            pregnancy = row.refs.get("pregnancy_id")
            if pregnancy is None:
                pregnancy = self._open_pregnancy_of(row, person, open_stored, closing)
                if pregnancy is not None:
                    row.refs["pregnancy_id"] = pregnancy
            woman = facts(person)
            kwargs = self.plain(row, "deliveries", blanks)
            facility, level = self.facility(row)
            lmp = None
            if pregnancy is not None:
                preg = facts(pregnancy)
                lmp = rules.pregnancy_dates(preg.lmp, preg.edd)[0]
            problems = rules.delivery_check(
                day=base["date"],
                lmp=lmp,
                mother_birth=woman.birth_date,
                mother_died_on=woman.deceased_on,
                place=kwargs["place"],
                has_facility=facility is not None,
                today=self.today,
            )
            if pregnancy is not None:
                other = taken.get(pregnancy.pk) if pregnancy.pk is not None else None
                twin = used.get(id(pregnancy))
                if (other is not None and other.external_id != row.id) or twin is not None:
                    problems.append(
                        rules.Problem(
                            "pregnancy_closed",
                            "pregnancy",
                            params={"value": facts(pregnancy).outcome_date or base["date"]},
                        )
                    )
                used[id(pregnancy)] = row
            if not self.problems(row, problems):
                continue
            settings = self.settings(woman.residence_unit_id)
            kwargs.update(
                skilled=rules.is_skilled(
                    kwargs["attendant"],
                    village_midwife_is_skilled=settings.village_midwife_is_skilled,
                ),
                facility_level=level,
            )
            obj = self.build(row, Delivery, {**kwargs, **base})
            if obj.place != "facility":
                obj.facility_id = None
                obj.facility_level = ""
            self._person(obj, person)
            if pregnancy is not None:
                self._link(obj, "pregnancy", pregnancy)
            obj._lmp = lmp
            self.snapshot(obj, person)

    def _open_pregnancy_of(
        self, row: Row, person: Parent, open_stored: dict[int, list[Stored]], closing: set[str]
    ) -> Parent | None:
        """A delivery without a pregnancy closes the woman's open one, as the form does."""
        if row.existing is not None:
            pk = (
                Delivery.objects.filter(pk=row.existing.pk)
                .values_list("pregnancy_id", flat=True)
                .first()
            )
            if pk is None:
                return None
            for candidate in self.rows["pregnancies"]:
                if candidate.pk == pk:
                    return candidate if candidate.ok else None
            return stored_by(Pregnancy, "id", [pk], PREGNANCY_FACTS).get(pk)
        candidates: list[Parent] = [
            r
            for r in self.rows["pregnancies"]
            if r.ok
            and same(r.refs.get("person_id"), person)
            and not r.obj.outcome
            and r.id not in closing
        ]
        if person.pk is not None:
            candidates += [
                p for p in open_stored.get(person.pk, []) if p.external_id not in closing
            ]
        if not candidates:
            return None
        chosen = max(candidates, key=lambda p: facts(p).date)
        if isinstance(chosen, Stored):
            full = stored_by(Pregnancy, "id", [chosen.pk], PREGNANCY_FACTS).get(chosen.pk)
            return full
        closing.add(chosen.id)
        return chosen

    def check_births(self, rows: list[Row]) -> None:
        blanks = _blank_values("births")
        children: set[int] = set()
        for row in rows:
            if not row.ok:
                continue
            delivery = self.ref(row, "delivery_id", "deliveries")
            child = self.ref(row, "person_id", "persons")
            if delivery is None or (row.values.get("person_id") and child is None):
                continue
            if child is not None and child.pk is not None:
                children.add(child.pk)
        taken = stored_by(Birth, "person_id", children, ("external_id",))
        used: dict[int, Row] = {}
        for row in rows:
            if not row.ok:
                continue
            delivery = row.refs["delivery_id"]
            mother = self.person_of(delivery)
            child = row.refs.get("person_id")
            given = facts(delivery)
            if isinstance(delivery, Stored) and not self.person_scoped(row, mother, "delivery_id"):
                continue
            kwargs = self.plain(row, "births", blanks)
            lmp = (
                getattr(given, "_lmp", None)
                if isinstance(delivery, Row)
                else self._stored_lmp(given)
            )
            born_on = kwargs["date"] or given.date
            kwargs["time"] = kwargs["time"] or given.time
            if kwargs["gestational_weeks"] is None and lmp is not None:
                kwargs["gestational_weeks"] = rules.gestational_weeks(lmp, born_on)
            if row.values.get("birth_order") is None:
                kwargs["birth_order"] = 1
            problems = rules.birth_check(
                birth_weight_g=kwargs["birth_weight_g"],
                gestational_weeks=kwargs["gestational_weeks"],
            )
            problems += rules.birth_date_check(
                born_on=born_on, delivered_on=given.date, today=self.today
            )
            problems += rules.stillbirth_cause_check(
                outcome=kwargs["outcome"],
                perinatal_cause=kwargs["perinatal_cause"],
                has_person=child is not None,
            )
            if child is not None:
                other = taken.get(child.pk) if child.pk is not None else None
                twin = used.get(id(child))
                if (other is not None and other.external_id != row.id) or twin is not None:
                    row.error(
                        "person_id",
                        f"Trẻ '{row.values['person_id']}' đã có bản ghi sinh khác"
                        + (f" (dòng {twin.number})." if twin is not None else "."),
                    )
                    continue
                used[id(child)] = row
            if not self.problems(row, problems):
                continue
            obj = self.build(
                row,
                Birth,
                {
                    **kwargs,
                    "external_id": row.id,
                    "date": born_on,
                    "residence_unit_id": given.residence_unit_id,
                    "village": given.village,
                    "service_unit_id": given.service_unit_id,
                    "facility_id": given.facility_id,
                },
            )
            self._link(obj, "delivery", delivery)
            self._link(obj, "mother", mother)
            if child is not None:
                self._link(obj, "person", child)
            obj.flags = sorted(set(row.warnings))
            self.snapshot(obj, mother)

    def _stillborn_people(self) -> None:
        """``rules.stillbirth_person_check`` for each child of the persons file with a
        mother and a date of birth that is not the person of a birth: the mother's babies
        of that day are read from the bundle's births and, for a stored mother, from the
        registers (a stored birth the bundle replaces counts as the bundle says). As in the
        form, a warning kept on the person's flags."""

        def key(parent: Parent) -> tuple[str, Any]:
            ident = parent.id if isinstance(parent, Row) else parent.external_id
            return ("id", ident) if ident else ("pk", parent.pk)

        children = [
            row
            for row in self.rows["persons"]
            if row.ok
            and row.obj is not None
            and row.obj.birth_date is not None
            and row.refs.get("mother_id") is not None
        ]
        if not children:
            return
        babies: dict[tuple[Any, dt.date], list[int]] = defaultdict(lambda: [0, 0])
        born: set[Any] = set()  # children who are the person of a birth
        replaced: set[str] = set()
        for row in self.rows["births"]:
            if row.id:
                replaced.add(row.id)
            if not row.ok or row.obj is None:
                continue
            child = row.refs.get("person_id")
            if child is not None:
                born.add(key(child))
            mother = self.person_of(row.refs["delivery_id"])
            tally = babies[(key(mother), row.obj.date)]
            if row.obj.outcome == "stillbirth":
                tally[0] += 1
            elif row.obj.outcome == "live" and child is None:
                tally[1] += 1
        stored_mothers = {
            mother.pk
            for row in children
            if (mother := row.refs["mother_id"]).pk is not None
            and not (isinstance(mother, Row) and mother.existing is None)
        }
        mother_key = {
            row.refs["mother_id"].pk: key(row.refs["mother_id"])
            for row in children
            if row.refs["mother_id"].pk in stored_mothers
        }
        stored_children = {row.existing.pk for row in children if row.existing is not None}
        for mother_id, day, outcome, person_id, external_id in Birth.objects.filter(
            mother_id__in=stored_mothers
        ).values_list("mother_id", "date", "outcome", "person_id", "external_id"):
            if external_id and external_id in replaced:
                continue
            if person_id is not None and person_id in stored_children:
                born.add(("pk", person_id))
            tally = babies[(mother_key[mother_id], day)]
            if outcome == "stillbirth":
                tally[0] += 1
            elif outcome == "live" and person_id is None:
                tally[1] += 1
        for row in children:
            mine = key(row)
            if mine in born or (row.existing is not None and ("pk", row.existing.pk) in born):
                continue
            stillbirths, waiting = babies.get(
                (key(row.refs["mother_id"]), row.obj.birth_date), (0, 0)
            )
            problems = rules.stillbirth_person_check(
                birth_date=row.obj.birth_date,
                stillbirths=stillbirths,
                live_births_without_person=waiting,
            )
            if problems:
                self.problems(row, problems)
                row.obj.flags = sorted(set(row.warnings))

    def _stored_lmp(self, delivery: Stored) -> dt.date | None:
        if delivery.pregnancy_id is None:
            return None
        found = getattr(delivery, "_pregnancy", None)
        if found is None:
            found = stored_by(Pregnancy, "id", [delivery.pregnancy_id], PREGNANCY_FACTS).get(
                delivery.pregnancy_id
            )
            delivery._pregnancy = found
        return rules.pregnancy_dates(found.lmp, found.edd)[0] if found else None

    def _delivery_totals(self, rows: list[Row]) -> None:
        """Births per delivery, the delivery's flags, the pregnancy closed by it; a delivery
        with no birth at all is refused (the form asks for at least one baby)."""
        births: dict[int, list[Any]] = defaultdict(list)
        parents: dict[int, Parent] = {}
        for row in rows:
            if row.ok:
                parent = row.refs["delivery_id"]
                births[id(parent)].append(row.obj)
                parents[id(parent)] = parent
        for row in self.rows["deliveries"]:
            if row.ok:
                parents.setdefault(id(row), row)
        stored_pks = {p.pk for p in parents.values() if p.pk is not None}
        bundle_births = set(self.index["births"])
        by_delivery = stored_groups(
            Birth, "delivery_id", stored_pks, ("external_id", "outcome", "flags", "person_id")
        )
        # Who was born in each delivery, for postnatal contacts: ("row", id) or ("pk", pk).
        self.newborns: dict[int, set[tuple[str, int]]] = defaultdict(set)
        for row in rows:
            child = row.refs.get("person_id")
            if row.ok and child is not None:
                born = self.newborns[id(row.refs["delivery_id"])]
                born.add(("row", id(child)))
                if child.pk is not None:
                    born.add(("pk", child.pk))
        for key, parent in parents.items():
            found = list(births.get(key, []))
            if parent.pk is not None:
                for stored in by_delivery.get(parent.pk, []):
                    if stored.external_id in bundle_births:
                        continue
                    found.append(stored)
                    if stored.person_id is not None:
                        self.newborns[key].add(("pk", stored.person_id))
            live = sum(b.outcome == "live" for b in found)
            still = sum(b.outcome == "stillbirth" for b in found)
            flags: set[str] = set()
            for birth in found:
                flags.update(birth.flags or ())
            if isinstance(parent, Row):
                if not found:
                    parent.error(
                        "id",
                        f"Lần đẻ '{parent.id}' chưa có trẻ nào trong tệp {file_label('births')}.",
                    )
                    parent.obj = None
                    continue
                obj = parent.obj
                obj.live_births, obj.stillbirths = live, still
                obj.flags = sorted(set(parent.warnings) | flags)
                pregnancy = parent.refs.get("pregnancy_id")
                if pregnancy is None:
                    continue
                outcome = "live_birth" if live else "stillbirth"
                if isinstance(pregnancy, Row):
                    pregnancy.obj.outcome = outcome
                    pregnancy.obj.outcome_date = obj.date
                elif (pregnancy.outcome, pregnancy.outcome_date) != (outcome, obj.date):
                    self.derived["pregnancies"].setdefault(pregnancy.pk, {}).update(
                        outcome=outcome, outcome_date=obj.date
                    )
            else:
                values = {
                    "live_births": live,
                    "stillbirths": still,
                    "flags": sorted(set(parent.flags) | flags),
                }
                self.derived["deliveries"].setdefault(parent.pk, {}).update(values)

    def check_postnatal_contacts(self, rows: list[Row]) -> None:
        blanks = _blank_values("postnatal_contacts")
        for row in rows:
            if not row.ok:
                continue
            person = self.ref(row, "person_id", "persons")
            delivery = self.ref(row, "delivery_id", "deliveries")
            if person is None or delivery is None:
                continue
            if isinstance(delivery, Row) and not delivery.ok:
                row.error("delivery_id", parent_rejected(delivery))
                continue
            mother = self.person_of(delivery)
            if same(person, mother):
                subject = "mother"
            elif self._is_newborn(delivery, person):
                subject = "newborn"
            else:
                row.error("person_id", "Người này không phải mẹ hoặc trẻ của lần sinh này.")
                continue
            if row.values.get("subject") and row.values["subject"] != subject:
                row.error(
                    "subject",
                    "Người này là "
                    + ("mẹ" if subject == "mother" else "trẻ sơ sinh")
                    + " của lần sinh này.",
                )
                continue
            base = self.event(row, person)
            if base is None:
                continue
            delivered_on = facts(delivery).date
            problems = rules.postnatal_check(
                day=base["date"], delivered_on=delivered_on, today=self.today
            )
            if not self.problems(row, problems):
                continue
            kwargs = self.plain(row, "postnatal_contacts", blanks)
            kwargs.update(subject=subject, day_after_birth=(base["date"] - delivered_on).days)
            obj = self.build(row, PostnatalContact, {**kwargs, **base})
            self._person(obj, person)
            self._link(obj, "delivery", delivery)
            obj.flags = sorted(set(row.warnings))
            self.snapshot(obj, person)

    def _is_newborn(self, delivery: Parent, person: Parent) -> bool:
        born = getattr(self, "newborns", {}).get(id(delivery), set())
        if ("row", id(person)) in born or ("pk", person.pk) in born:
            return True
        if isinstance(delivery, Stored) and person.pk is not None:
            return Birth.objects.filter(delivery_id=delivery.pk, person_id=person.pk).exists()
        return False
