"""Check every row of a bundle and build the record it would store.

The checks are the registers' own (``mch.registers.rules``) and the derived values come
from ``mch.registers.derive``, the growth z-scores and the immunisation engine, called the
way the services call them, so an imported row stores what a form would store. What
differs is only the scale: references, communes, facilities and stored records are read
once for the whole bundle, and growth z-scores are computed for all measurements at once.

Files are checked in ``spec.ORDER`` (a row refers only to earlier files, or to earlier
rows of ``nguoi`` for mothers), so a row whose parent was rejected is rejected too, with
a message naming the parent.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
from django.db import models

from mch.accounts.scope import Scope
from mch.core.text import name_key
from mch.orgunits.models import OrgUnit

from .. import derive, rules
from ..ethnicities import is_minority
from ..models import (
    AntenatalVisit,
    Birth,
    CheckUp,
    Death,
    Delivery,
    GrowthMeasurement,
    Illness,
    Immunisation,
    Person,
    PostnatalContact,
    Pregnancy,
    PregnancyRelation,
    ReviewStatus,
)
from . import values as cells
from .lookups import Communes, Facilities, Stored, stored_by, stored_groups
from .reader import Bundle
from .rows import (
    Parent,
    Record,
    Row,
    facts,
    file_label,
    not_found,
    parent_rejected,
    same,
)
from .spec import BY_KEY, ORDER

MODELS: dict[str, type[models.Model]] = {
    "persons": Person,
    "pregnancies": Pregnancy,
    "antenatal_visits": AntenatalVisit,
    "deliveries": Delivery,
    "births": Birth,
    "postnatal_contacts": PostnatalContact,
    "checkups": CheckUp,
    "growth": GrowthMeasurement,
    "immunisations": Immunisation,
    "illnesses": Illness,
    "deaths": Death,
}

# Column -> model field where the names differ (None: not stored on the record).
FIELD_OF = {
    "id": "external_id",
    "person_id": "person",
    "mother_id": "mother",
    "pregnancy_id": "pregnancy",
    "delivery_id": "delivery",
    "commune": "residence_unit",
    "service_commune": "service_unit",
    "facility": "facility",
    "registered_on": None,
}
COLUMN_OF = {field: column for column, field in FIELD_OF.items() if field}
COLUMN_OF.update({"birth_date": "person_id", "babies": "id", "subject": "subject"})

# Columns kept from the first import: never compared nor overwritten by a re-import.
NOT_COMPARED = {
    "id",
    "external_id",
    "source",
    "import_batch",
    "recorded_by",
    "created_at",
    "updated_at",
    "registered_unit",
    "merged_into",
    "review_status",
    "notified_on",
}

PERSON_FACTS = (
    "external_id",
    "full_name",
    "sex",
    "birth_date",
    "deceased_on",
    "ethnicity",
    "residence_unit_id",
    "village",
)
PREGNANCY_FACTS = (
    "external_id",
    "person_id",
    "date",
    "lmp",
    "edd",
    "outcome",
    "outcome_date",
    "residence_unit_id",
)
DELIVERY_FACTS = (
    "external_id",
    "person_id",
    "pregnancy_id",
    "date",
    "residence_unit_id",
    "village",
    "service_unit_id",
    "facility_id",
    "flags",
)

LABELS = {
    "checkups": "Ngày khám",
    "growth": "Ngày cân đo",
    "immunisations": "Ngày tiêm",
    "illnesses": "Ngày mắc",
}

_CATEGORY = {
    "none": "normal",
    "moderate": "moderate",
    "severe": "severe",
    "implausible": "implausible",
    "missing": "",
    "overweight": "normal",
}


_BAD = object()  # a cell that could not be read (its error is on the row)


def compared_fields(model: type[models.Model]) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.name not in NOT_COMPARED and not field.primary_key
    ]


def _blank_values(key: str) -> list[tuple[str, Any, bool]]:
    """For each plain column, what an empty cell stores (the model field's default), and
    whether that default must be made afresh for each row (a list)."""
    model = MODELS[key]
    blanks: list[tuple[str, Any, bool]] = []
    for column in BY_KEY[key].columns:
        if column.key in FIELD_OF:
            continue
        field = model._meta.get_field(column.key)
        if field.null:
            blanks.append((column.key, None, False))
        elif field.has_default() and callable(field.default):
            blanks.append((column.key, field.default, True))
        else:
            blanks.append((column.key, field.get_default(), False))
    return blanks


def _limits(key: str) -> list[tuple[str, int, int | None]]:
    """(column, lowest, highest) for numbers and (column, -1, max_length) for text."""
    model = MODELS[key]
    found: list[tuple[str, int, int | None]] = []
    for column in BY_KEY[key].columns:
        name = FIELD_OF.get(column.key, column.key)
        if name is None or column.type.startswith("ref:") or column.type in ("commune",):
            continue
        field = model._meta.get_field(name)
        if column.type == "text" and getattr(field, "max_length", None):
            found.append((column.key, -1, field.max_length))
        elif column.type == "int":
            if isinstance(field, models.PositiveSmallIntegerField):
                found.append((column.key, 0, 32767))
            elif isinstance(field, models.PositiveIntegerField):
                found.append((column.key, 0, 2_147_483_647))
    return found


class _Scoped:
    """Scope.contains for unit ids, memoised (one path test per commune)."""

    def __init__(self, scope: Scope, communes: Communes):
        self.scope = scope
        self.communes = communes
        self._seen: dict[int, bool] = {}

    def __call__(self, unit_id: int) -> bool:
        if self.scope.unrestricted:
            return True
        found = self._seen.get(unit_id)
        if found is None:
            path = self.communes.paths.get(unit_id)
            if path is None:
                path = OrgUnit.objects.values_list("path", flat=True).get(pk=unit_id)
                self.communes.paths[unit_id] = path
            found = self.scope.unrestricted or any(path.startswith(p) for p in self.scope.paths)
            self._seen[unit_id] = found
        return found


class Checker:
    """Runs every check of a bundle; ``rows`` then holds each row with its record or errors."""

    def __init__(
        self,
        bundle: Bundle,
        *,
        scope: Scope,
        today: dt.date,
        progress: Callable[[int, int, str], None] | None = None,
    ):
        self.bundle = bundle
        self.scope = scope
        self.today = today
        self.progress = progress or (lambda done, total, message: None)
        self.total = bundle.rows_total
        self.done = 0
        self.rows: dict[str, list[Row]] = {key: [] for key in ORDER}
        self.index: dict[str, dict[str, Row]] = {key: {} for key in ORDER}
        self.stored: dict[str, dict[str, Stored]] = {key: {} for key in ORDER}
        self.person_by_pk: dict[int, Parent] = {}
        self.headers: dict[str, dict[str, str]] = {}
        # Derived updates of stored records that are not rows of the bundle: pk -> values.
        self.derived: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
        self._settings: dict[str, Any] = {}
        self._defaults: dict[type[models.Model], tuple[dict[str, Any], list[str]]] = {}

    # ------------------------------------------------------------------ driver

    def run(self, after: Callable[[str], None] | None = None) -> None:
        """Check every file in order; ``after(key)`` is told when a file's rows are final
        (for ``births``: once the deliveries' totals are known)."""
        self.progress(0, self.total, f"Đang đọc giá trị của {self.total:,} dòng".replace(",", "."))
        self.parse()
        self.progress(0, self.total, "Đang tra cứu mã trong sổ")
        self.load()
        for key in ORDER:
            if self.rows[key]:
                getattr(self, f"check_{key}")(self.rows[key])
            if key == "antenatal_visits" and (self.rows["pregnancies"] or self.rows[key]):
                self._pregnancy_summaries(self.rows[key])
            if key == "births" and (self.rows["deliveries"] or self.rows[key]):
                self._delivery_totals(self.rows[key])
            self.done += len(self.rows[key])
            self.progress(self.done, self.total, f"Đã kiểm tra tệp {file_label(key)}")
            if after is not None:
                after(key)
        self.classify()

    def has_errors(self) -> bool:
        return any(not row.ok for rows in self.rows.values() for row in rows)

    # ------------------------------------------------------------------ parsing

    def parse(self) -> None:
        """Read every cell, a column at a time (the cells of a column share one parser)."""
        for key in ORDER:
            table = self.bundle.tables.get(key)
            if table is None:
                continue
            self.headers[key] = dict(
                zip((c.key for c in table.columns), table.headers, strict=True)
            )
            keys = [column.key for column in table.columns]
            count = len(table.rows)
            raw_columns = list(zip(*(cells for _number, cells in table.rows), strict=True))
            problems: dict[int, list[tuple[str, str]]] = defaultdict(list)
            parsed_columns = []
            for column, raw in zip(table.columns, raw_columns, strict=True):
                parse = cells.parser(column)
                try:
                    if not any(raw):  # an empty column: one parse for all its cells
                        blank = parse(None)
                        values = [[] for _ in raw] if column.type == "list" else [blank] * count
                    else:
                        values = list(map(parse, raw))
                except cells.BadValue:
                    values = []
                    for index, cell in enumerate(raw):
                        try:
                            values.append(parse(cell))
                        except cells.BadValue as error:
                            values.append(_BAD)
                            problems[index].append((column.key, str(error)))
                if column.required:
                    header = self.headers[key][column.key]
                    for index, value in enumerate(values):
                        if value is None or value == "" or (type(value) is list and not value):
                            problems[index].append((column.key, f"Chưa nhập {header}."))
                parsed_columns.append(values)
            for column, low, high in _limits(key):
                if column not in self.headers[key]:
                    continue
                values = parsed_columns[keys.index(column)]
                for index, value in enumerate(values):
                    if value is None or value == "" or value is _BAD:
                        continue
                    if low < 0 and high is not None and len(value) > high:
                        problems[index].append((column, f"Dài quá {high} ký tự ({len(value)})."))
                    elif low >= 0 and (value < low or (high is not None and value > high)):
                        problems[index].append((column, f"{value} nằm ngoài khoảng {low}–{high}."))
            index_by_id = self.index[key]
            found = self.rows[key]
            ids = parsed_columns[keys.index("id")] if "id" in keys else [None] * count
            for index, values in enumerate(
                zip(*parsed_columns, strict=True) if parsed_columns else [()] * count
            ):
                parsed = dict(zip(keys, values, strict=True))
                row = Row(key, table.rows[index][0], parsed)
                if index in problems:
                    for column, message in problems[index]:
                        if parsed.get(column) is _BAD:
                            del parsed[column]
                        row.error(column, message)
                ident = ids[index]
                if ident and ident is not _BAD:
                    first = index_by_id.get(ident)
                    if first is not None:
                        row.error("id", f"Mã '{ident}' trùng với dòng {first.number}.")
                    else:
                        index_by_id[ident] = row
                found.append(row)

    # ------------------------------------------------------------------ reading the database

    def _refs(self, column: str, files: tuple[str, ...]) -> set[str]:
        found: set[str] = set()
        for key in files:
            for row in self.rows[key]:
                ref = row.values.get(column)
                if ref:
                    found.add(ref)
        return found

    def load(self) -> None:
        self.communes = Communes()
        self.facilities = Facilities(
            row.values["facility"]
            for key in ORDER
            for row in self.rows[key]
            if row.values.get("facility")
        )
        named = {
            key: MODELS[key].objects.exclude(external_id="").exists()
            for key in ORDER
            if self.index[key] or key in ("persons", "pregnancies", "deliveries")
        }
        for key in ORDER:
            if not self.index[key] or not named[key]:
                continue
            model = MODELS[key]
            extra = ["residence_unit_id"] if key != "persons" else []
            found = stored_by(
                model, "external_id", self.index[key], [*compared_fields(model), *extra]
            )
            for ident, stored in found.items():
                row = self.index[key][ident]
                row.existing = stored
        person_refs = self._refs("person_id", ORDER) | self._refs("mother_id", ("persons",))
        self.stored["persons"] = stored_by(
            Person,
            "external_id",
            person_refs - set(self.index["persons"]) if named["persons"] else (),
            PERSON_FACTS,
        )
        self.stored["pregnancies"] = stored_by(
            Pregnancy,
            "external_id",
            self._refs("pregnancy_id", ORDER) - set(self.index["pregnancies"]),
            PREGNANCY_FACTS,
        )
        self.stored["deliveries"] = stored_by(
            Delivery,
            "external_id",
            self._refs("delivery_id", ORDER) - set(self.index["deliveries"]),
            DELIVERY_FACTS,
        )
        self.deaths = self._death_dates()
        for stored in self.stored["persons"].values():
            self.person_by_pk[stored.pk] = stored
        for row in self.rows["persons"]:
            if row.existing is not None:
                self.person_by_pk[row.existing.pk] = row
        wanted = {
            s.person_id
            for key in ("pregnancies", "deliveries")
            for s in self.stored[key].values()
            if s.person_id not in self.person_by_pk
        }
        for stored in stored_by(Person, "id", wanted, PERSON_FACTS).values():
            self.person_by_pk[stored.pk] = stored
        # Child events are checked against a death recorded in this bundle too.
        for stored in self.person_by_pk.values():
            if isinstance(stored, Stored):
                stored.deceased_stored = stored.deceased_on
                stored.deceased_on = stored.deceased_on or self.deaths.get(stored.external_id)
        unit_ids = {
            pk
            for code in {
                row.values.get(column)
                for key in ORDER
                for row in self.rows[key]
                for column in ("commune",)
            }
            if code
            for pk in self.communes.ids(code)
        }
        unit_ids |= {
            facts(p).residence_unit_id for p in self.person_by_pk.values() if not isinstance(p, Row)
        }
        unit_ids |= {s.residence_unit_id for s in self.stored["deliveries"].values()}
        self.classifier = derive.AreaClassifier(unit_ids)
        self.in_scope = _Scoped(self.scope, self.communes)

    # ------------------------------------------------------------------ helpers

    def ref(self, row: Row, column: str, target: str) -> Parent | None:
        ident = row.values.get(column)
        if not ident:
            return None
        parent: Parent | None = self.index[target].get(ident) or self.stored[target].get(ident)
        if parent is None:
            row.error(column, not_found(target, ident))
            return None
        if isinstance(parent, Row) and not parent.ok:
            row.error(column, parent_rejected(parent))
            return None
        row.refs[column] = parent
        return parent

    def person_of(self, parent: Parent) -> Parent:
        """The woman of a pregnancy or delivery (a row of the bundle or a stored person)."""
        if isinstance(parent, Row):
            return parent.refs["person_id"]
        found = self.person_by_pk.get(parent.person_id)
        assert found is not None
        return found

    def problems(self, row: Row, problems: list[rules.Problem]) -> bool:
        """Record errors on the row and keep warnings; False when there was an error."""
        ok = True
        for problem in problems:
            if problem.is_error:
                row.error(COLUMN_OF.get(problem.field, problem.field), problem.message())
                ok = False
            else:
                row.warnings.append(problem.code)
        return ok

    def commune(self, row: Row, column: str, day: dt.date) -> int | None:
        code = row.values.get(column)
        if not code:
            return None
        unit = self.communes.on(code, day)
        if unit is None:
            if self.communes.known(code):
                row.error(
                    column,
                    f"Mã xã {code} không có hiệu lực vào ngày {day:%d/%m/%Y} "
                    f"(hiệu lực: {self.communes.periods(code)}).",
                )
            else:
                row.error(column, f"Không có xã mã {code}.")
        return unit

    def scoped(self, row: Row, unit_id: int, column: str = "commune") -> bool:
        if not self.in_scope(unit_id):
            name = self.communes.names.get(unit_id, str(unit_id))
            row.error(column, f"{name} nằm ngoài phạm vi đơn vị của tài khoản này.")
            return False
        if row.existing is not None and not self.in_scope(row.existing.residence_unit_id):
            row.error("id", f"Bản ghi mã '{row.id}' đã có trong sổ, thuộc đơn vị ngoài phạm vi.")
            return False
        return True

    def facility(self, row: Row) -> tuple[int | None, str]:
        code = row.values.get("facility")
        if not code:
            return None, ""
        found = self.facilities.get(code)
        if found is None:
            row.error("facility", f"Không có cơ sở y tế mã '{code}'.")
            return None, ""
        return found

    def plain(self, row: Row, key: str, blanks: list[tuple[str, Any, bool]]) -> dict[str, Any]:
        """The values of the plain columns, blanks replaced by the model's defaults."""
        values = row.values
        kwargs = {}
        for column, default, fresh in blanks:
            value = values.get(column)
            if value is None:
                value = default() if fresh else default
            kwargs[column] = value
        return kwargs

    def build(self, row: Row, model: type[models.Model], kwargs: dict[str, Any]) -> Record:
        found = self._defaults.get(model)
        if found is None:
            defaults = {
                field.attname: field.get_default()
                for field in model._meta.concrete_fields
                if not field.primary_key
            }
            lists = [name for name, value in defaults.items() if isinstance(value, list)]
            found = self._defaults[model] = (defaults, lists)
        defaults, lists = found
        obj = Record.__new__(Record)
        values = {**defaults, **kwargs}
        for name in lists:
            if name not in kwargs:
                values[name] = []
        values["links"] = []
        values["pk"] = row.existing.pk if row.existing is not None else None
        obj.__dict__ = values
        row.obj = obj
        return obj

    def event(self, row: Row, person: Parent) -> dict[str, Any] | None:
        """The columns every care event shares, as the services fill them."""
        who = facts(person)
        day: dt.date = row.values["date"]
        code = row.values.get("commune")
        if not code or self.communes.codes.get(who.residence_unit_id) == code:
            # Empty, or the person's own commune: an event before the 2025 reform may be
            # kept under the commune the person lives in now (as the forms store it).
            unit = who.residence_unit_id
            if code and self.communes.on(code, day) not in (None, unit):
                unit = self.communes.on(code, day)
        else:
            unit = self.commune(row, "commune", day)
        service = self.commune(row, "service_commune", day)
        facility, _level = self.facility(row)
        if not row.ok or unit is None or not self.scoped(row, unit):
            return None
        return {
            "external_id": row.id,
            "date": day,
            "residence_unit_id": unit,
            "village": row.values.get("village") or who.village,
            "service_unit_id": service,
            "facility_id": facility,
        }

    def snapshot(self, obj: Any, person: Parent) -> None:
        derive.groups_fill(obj, facts(person), classifier=self.classifier)

    def settings(self, unit_id: int) -> Any:
        """The register settings of a commune's province (read once per province)."""
        path = self.communes.paths.get(unit_id) or OrgUnit.objects.get(pk=unit_id).path
        above = path.rstrip("/").rsplit("/", 1)[0] + "/"
        found = self._settings.get(above)
        if found is None:
            found = derive.settings_for(SimpleNamespace(path=path))  # type: ignore[arg-type]
            self._settings[above] = found
        return found

    def label(self, key: str, column: str) -> str:
        return self.headers.get(key, {}).get(column, column)

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
                ["external_id", "full_name", "merged_into_id"],
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
                            params={"value": nid, "other": other.full_name},
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

    def _death_dates(self) -> dict[str, dt.date]:
        """The date of death of each person in the deaths file (checked later)."""
        found: dict[str, dt.date] = {}
        for row in self.rows["deaths"]:
            person, day = row.values.get("person_id"), row.values.get("date")
            if person and isinstance(day, dt.date) and person not in found:
                found[person] = day
        return found

    # ------------------------------------------------------------------ pregnancy

    def _open_pregnancies(self, women: set[int]) -> dict[int, list[Stored]]:
        """Stored pregnancies without an outcome, by woman, leaving out rows of the bundle."""
        found = stored_groups(Pregnancy, "person_id", women, ("external_id", "date", "outcome"))
        bundle = self.index["pregnancies"]
        return {
            woman: [p for p in items if p.outcome == "" and p.external_id not in bundle]
            for woman, items in found.items()
        }

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

    def _person(self, obj: Record, person: Parent) -> None:
        obj.link("person_id", person)

    def _closing_deliveries(self) -> set[str]:
        """Pregnancies (bundle or stored ids) that a delivery row of the bundle closes."""
        return {
            row.values["pregnancy_id"]
            for row in self.rows["deliveries"]
            if row.values.get("pregnancy_id")
        }

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
            derive.visit_fill(obj, preg)
            obj.flags = sorted(set(row.warnings))
            self.snapshot(obj, person)

    def _link(self, obj: Record, name: str, parent: Parent) -> None:
        obj.link(f"{name}_id", parent)

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
            base = self.event(row, person)
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
            if isinstance(delivery, Stored) and not self.scoped(row, given.residence_unit_id):
                continue
            kwargs = self.plain(row, "births", blanks)
            lmp = (
                getattr(given, "_lmp", None)
                if isinstance(delivery, Row)
                else self._stored_lmp(given)
            )
            if kwargs["gestational_weeks"] is None and lmp is not None:
                kwargs["gestational_weeks"] = rules.gestational_weeks(lmp, given.date)
            if row.values.get("birth_order") is None:
                kwargs["birth_order"] = 1
            problems = rules.birth_check(
                birth_weight_g=kwargs["birth_weight_g"],
                gestational_weeks=kwargs["gestational_weeks"],
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
                    "date": given.date,
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
            if ages[i] >= 1826:
                codes.add("age_over_5")
            if scores.flag_position[i]:
                codes.add("standing_under_9_months")
            if any(flag[i] for flag in flags.values()):
                codes.add("z_implausible")
            obj.flags = sorted(codes)

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
                for row, _dose in items:
                    if row is not None:
                        row.error(
                            "person_id",
                            rules.Problem(
                                "required", "birth_date", params={"label": "ngày sinh của trẻ"}
                            ).message(),
                        )
                        row.obj = None
                continue
            for row, dose in items:
                if row is None:
                    continue
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
            if not self.problems(row, problems):
                continue
            relation = kwargs["pregnancy_relation"]
            if who.sex == "F" and not relation and self._has_open_pregnancy(person, open_stored):
                relation = PregnancyRelation.PREGNANT
            kwargs["pregnancy_relation"] = relation
            birth = who.birth_date
            kwargs.update(
                derive.death_fill(
                    age_days=rules.age_days(birth, base["date"]) if birth else None,
                    sex=who.sex,
                    age_years=rules.age_years(birth, base["date"]) if birth else None,
                    pregnancy_relation=relation,
                    cause_group=kwargs["cause_group"],
                )
            )
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

    def _has_open_pregnancy(self, person: Parent, open_stored: dict[int, list[Stored]]) -> bool:
        closing = self._closing_deliveries()
        for row in self.rows["pregnancies"]:
            if row.ok and same(row.refs.get("person_id"), person) and not row.obj.outcome:
                return True
        return person.pk is not None and any(
            p.external_id not in closing for p in open_stored.get(person.pk, [])
        )

    # ------------------------------------------------------------------ what changes

    def classify(self) -> None:
        """New, changed (with the changed columns) or unchanged, for every valid row."""
        from .rows import CREATED, REJECTED, UNCHANGED, UPDATED

        for key in ORDER:
            fields = compared_fields(MODELS[key])
            for row in self.rows[key]:
                if not row.ok or row.obj is None:
                    row.status = REJECTED
                    continue
                if row.existing is None:
                    row.status = CREATED
                    continue
                obj, old = row.obj, row.existing
                changes = {}
                for name in fields:
                    new = getattr(obj, name)
                    before = getattr(old, name)
                    if new != before:
                        changes[name] = [before, new]
                row.changes = changes
                row.status = UPDATED if changes else UNCHANGED


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


__all__ = ["MODELS", "Checker", "compared_fields", "is_minority"]
