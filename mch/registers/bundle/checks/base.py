"""The checker's core: reading cells, looking up stored records, the helpers every
file's checks share, and the final sorting of rows into new, changed and unchanged."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np
from django.db import models

from mch.accounts.scope import Scope
from mch.core.dates import dmy
from mch.orgunits.models import OrgUnit

from ... import derive, rules
from ...models import (
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
    Residence,
)
from ...services.write_scope import Chosen, OutOfScope, Places, WriteScope
from .. import values as cells
from ..lookups import Communes, Facilities, Stored, chunks, stored_by, stored_groups
from ..reader import STREAMED, Bundle
from ..rows import (
    Parent,
    Record,
    Row,
    facts,
    file_label,
    not_found,
    parent_rejected,
    same,
)
from ..spec import BY_KEY, ORDER

MODELS: dict[str, type[models.Model]] = {
    "persons": Person,
    "residences": Residence,
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
    "time",
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

# Fields of a write-scope refusal -> the bundle's columns.
_PLACE_COLUMNS = {
    "person": "person_id",
    "residence_unit": "commune",
    "service_unit": "service_commune",
    "facility": "facility",
}


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
        field: Any = model._meta.get_field(column.key)
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
        field: Any = model._meta.get_field(name)
        if column.type == "text" and getattr(field, "max_length", None):
            found.append((column.key, -1, field.max_length))
        elif column.type == "int":
            if isinstance(field, models.PositiveSmallIntegerField):
                found.append((column.key, 0, 32767))
            elif isinstance(field, models.PositiveIntegerField):
                found.append((column.key, 0, 2_147_483_647))
    return found


class UnitRef(NamedTuple):
    """What the write scope reads of a unit, without an ``OrgUnit`` per row."""

    pk: int
    path: str
    name: str


class FacilityRef(NamedTuple):
    pk: int
    name: str
    unit: UnitRef


class _Units:
    """Unit facts by id (communes from the lookup, others read once) and
    ``WriteScope.contains`` for unit ids, memoised."""

    def __init__(self, writer: WriteScope, communes: Communes):
        self.writer = writer
        self.communes = communes
        self._refs: dict[int, UnitRef] = {}
        self._seen: dict[int, bool] = {}

    def ref(self, unit_id: int) -> UnitRef:
        found = self._refs.get(unit_id)
        if found is None:
            path = self.communes.paths.get(unit_id)
            name = self.communes.names.get(unit_id)
            if path is None or name is None:
                path, name = OrgUnit.objects.values_list("path", "name").get(pk=unit_id)
                self.communes.paths[unit_id] = path
                self.communes.names[unit_id] = name
            found = self._refs[unit_id] = UnitRef(unit_id, path, name)
        return found

    def __call__(self, unit_id: int) -> bool:
        found = self._seen.get(unit_id)
        if found is None:
            found = self._seen[unit_id] = self.writer.contains(self.ref(unit_id))
        return found


class CheckerBase:
    """The parts of the checker every file shares; ``Checker`` adds each file's checks."""

    def __init__(
        self,
        bundle: Bundle,
        *,
        writer: WriteScope,
        today: dt.date,
        progress: Callable[[int, int, str], None] | None = None,
    ):
        self.bundle = bundle
        self.writer = writer
        self.scope: Scope = writer.scope
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
        # Streamed files (``reader.STREAMED``): a chunk at a time, each chunk handed to
        # ``chunk_checked(key, rows)`` and let go; what stays is counted here.
        self.chunk_checked: Callable[[str, list[Row]], None] | None = None
        self.streamed_counts: dict[str, dict[str, int]] = {}
        self.streamed_errors: dict[str, list[tuple[int, str, str, str]]] = defaultdict(list)
        self.streamed_rejected = 0
        self._named: dict[str, bool] = {}
        # Residence histories of the ``residences`` file, by person (``_history_key``).
        self.history: dict[tuple[str, int], list[tuple[Any, ...]]] = {}
        self.replaced_residences: set[int] = set()
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
            if key in STREAMED and key in self.bundle.tables:
                self._stream(key)
            elif self.rows[key]:
                getattr(self, f"check_{key}")(self.rows[key])
            if key == "antenatal_visits" and (self.rows["pregnancies"] or self.rows[key]):
                self._pregnancy_summaries(self.rows[key])
            if key == "births" and (self.rows["deliveries"] or self.rows[key]):
                self._delivery_totals(self.rows[key])
            if key == "births":
                self._stillborn_people()
            if key not in STREAMED:
                self.done += len(self.rows[key])
            self.progress(self.done, self.total, f"Đã kiểm tra tệp {file_label(key)}")
            if after is not None:
                after(key)
        self.classify()

    def _pregnancy_summaries(self, rows: list[Row]) -> None:
        raise NotImplementedError  # MaternalChecks

    def _delivery_totals(self, rows: list[Row]) -> None:
        raise NotImplementedError  # MaternalChecks

    def _stillborn_people(self) -> None:
        raise NotImplementedError  # MaternalChecks

    def has_errors(self) -> bool:
        return bool(self.streamed_rejected) or any(
            not row.ok for rows in self.rows.values() for row in rows
        )

    # ------------------------------------------------------------------ streamed files

    def _stream(self, key: str) -> None:
        """Check a streamed file a chunk at a time: each chunk is parsed, looked up,
        checked, sorted and handed on, then let go. IDs repeated across chunks are found
        by their hashes (8 bytes a row), all of one person's rows are in one chunk."""
        table = self.bundle.tables[key]
        seen = np.empty(0, dtype=np.int64)
        seen_rows = np.empty(0, dtype=np.int64)
        counts = self.streamed_counts.setdefault(
            key, {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        )
        label = f"Đang kiểm tra tệp {file_label(key)}"
        for raw in table.chunks():
            self.index[key] = {}
            rows = self._parse(key, raw, self.index[key])
            del raw
            ids = [(row.id, row) for row in rows if row.id and "id" in row.values]
            if ids:
                hashes = np.fromiter((hash(ident) for ident, _row in ids), np.int64, len(ids))
                if len(seen):
                    where = np.searchsorted(seen, hashes).clip(0, len(seen) - 1)
                    for i in np.flatnonzero(seen[where] == hashes):
                        ident, row = ids[i]
                        row.error("id", f"Mã '{ident}' trùng với dòng {seen_rows[where[i]]}.")
                        self.index[key].pop(ident, None)
                merged = np.concatenate([seen, hashes])
                order = np.argsort(merged, kind="stable")
                seen = merged[order]
                numbers = np.fromiter((row.number for _i, row in ids), np.int64, len(ids))
                seen_rows = np.concatenate([seen_rows, numbers])[order]
            self._load_chunk(key, rows)
            getattr(self, f"check_{key}")(rows)
            self._classify(key, rows)
            for row in rows:
                counts[row.status] += 1
                if row.status == "rejected":
                    self.streamed_rejected += 1
                    for column, message in row.errors:
                        self.streamed_errors[key].append(
                            (row.number, self.label(key, column), message, row.id)
                        )
            self.done += len(rows)
            self.progress(self.done, self.total, label)
            if self.chunk_checked is not None:
                self.chunk_checked(key, rows)
            self.index[key] = {}
        self.streamed_errors[key].sort(key=lambda error: error[0])

    def _load_chunk(self, key: str, rows: list[Row]) -> None:
        """What ``load`` reads for the whole bundle, for one chunk of a streamed file:
        its stored rows, the stored people and deliveries it names, facilities, communes."""
        model = MODELS[key]
        if key not in self._named:
            self._named[key] = model._default_manager.exclude(external_id="").exists()
        if self._named[key] and self.index[key]:
            found = stored_by(
                model,
                "external_id",
                self.index[key],
                [*compared_fields(model), "residence_unit_id"],
            )
            for ident, stored in found.items():
                self.index[key][ident].existing = stored
        self.facilities.add(row.values["facility"] for row in rows if row.values.get("facility"))
        new_people: list[Stored] = []
        if self._named.get("persons", True):
            wanted = {
                ref
                for row in rows
                if (ref := row.values.get("person_id"))
                and ref not in self.index["persons"]
                and ref not in self.stored["persons"]
            }
            found_people = stored_by(Person, "external_id", wanted, PERSON_FACTS)
            self.stored["persons"].update(found_people)
            new_people += found_people.values()
        wanted = {
            ref
            for row in rows
            if (ref := row.values.get("delivery_id"))
            and ref not in self.index["deliveries"]
            and ref not in self.stored["deliveries"]
        }
        if wanted:
            deliveries = stored_by(Delivery, "external_id", wanted, DELIVERY_FACTS)
            self.stored["deliveries"].update(deliveries)
            mothers = {s.person_id for s in deliveries.values()} - set(self.person_by_pk)
            new_people += stored_by(Person, "id", mothers, PERSON_FACTS).values()
            self.classifier.add({s.residence_unit_id for s in deliveries.values()})
        for stored in new_people:
            if stored.pk in self.person_by_pk:
                continue
            self.person_by_pk[stored.pk] = stored
            stored.deceased_stored = stored.deceased_on
            stored.deceased_on = stored.deceased_on or self.deaths.get(stored.external_id)
        self.classifier.add(
            {p.residence_unit_id for p in new_people}
            | {
                pk
                for code in {row.values.get("commune") for row in rows}
                if code
                for pk in self.communes.ids(code)
            }
        )
        self.past.update(self._past_residences([p.pk for p in new_people]))

    # ------------------------------------------------------------------ parsing

    def parse(self) -> None:
        """Read every cell of the files held whole (streamed files are read a chunk at a
        time by ``_stream``); their raw cells are let go once parsed."""
        for key in ORDER:
            table = self.bundle.tables.get(key)
            if table is None:
                continue
            self.headers[key] = dict(
                zip((c.key for c in table.columns), table.headers, strict=True)
            )
            if key in STREAMED:
                continue
            self.rows[key] = self._parse(key, table.rows, self.index[key])
            table.rows = []

    def _parse(
        self, key: str, raw_rows: list[tuple[int, list[Any]]], index_by_id: dict[str, Row]
    ) -> list[Row]:
        """Rows of one file from their cells, a column at a time (the cells of a column
        share one parser); ``index_by_id`` gets each row by its ID (a repeated ID is an
        error on the later row)."""
        table = self.bundle.tables[key]
        keys = [column.key for column in table.columns]
        count = len(raw_rows)
        raw_columns = list(zip(*(cells for _number, cells in raw_rows), strict=True))
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
        del raw_columns
        for name, low, high in _limits(key):
            if name not in self.headers[key]:
                continue
            values = parsed_columns[keys.index(name)]
            for index, value in enumerate(values):
                if value is None or value == "" or value is _BAD:
                    continue
                if low < 0 and high is not None and len(value) > high:
                    problems[index].append((name, f"Dài quá {high} ký tự ({len(value)})."))
                elif low >= 0 and (value < low or (high is not None and value > high)):
                    problems[index].append((name, f"{value} nằm ngoài khoảng {low}–{high}."))
        found: list[Row] = []
        ids = parsed_columns[keys.index("id")] if "id" in keys else [None] * count
        for index, row_values in enumerate(
            zip(*parsed_columns, strict=True) if parsed_columns else [()] * count
        ):
            parsed = dict(zip(keys, row_values, strict=True))
            row = Row(key, raw_rows[index][0], parsed)
            if index in problems:
                for name, message in problems[index]:
                    if parsed.get(name) is _BAD:
                        del parsed[name]
                    row.error(name, message)
            ident = ids[index]
            if ident and ident is not _BAD:
                first = index_by_id.get(ident)
                if first is not None:
                    row.error("id", f"Mã '{ident}' trùng với dòng {first.number}.")
                else:
                    index_by_id[ident] = row
            found.append(row)
        return found

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
            key: MODELS[key]._default_manager.exclude(external_id="").exists()
            for key in ORDER
            if self.index[key] or key in ("persons", "pregnancies", "deliveries")
        }
        self._named.update(named)
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
        for known in self.person_by_pk.values():
            if isinstance(known, Stored):
                stored = known
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
        self.in_scope = _Units(self.writer, self.communes)
        self.past = self._past_residences([pk for pk in self.person_by_pk if pk is not None])

    def _past_residences(self, pks: list[int]) -> dict[int, list[tuple[Any, ...]]]:
        """Closed residences of the stored people the bundle names (people who moved): an
        event before the move belongs to the commune they lived in then."""
        from ...models import Residence

        found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for batch in chunks(pks):
            for person_id, start, end, unit_id, village in (
                Residence.objects.filter(person_id__in=batch, valid_to__isnull=False)
                .order_by("-valid_from")
                .values_list("person_id", "valid_from", "valid_to", "unit_id", "village")
            ):
                found[person_id].append((start, end, unit_id, village))
        return found

    @staticmethod
    def _history_key(person: Parent) -> tuple[str, int]:
        return ("row", id(person)) if isinstance(person, Row) else ("pk", person.pk)

    def lived(self, person: Parent, day: dt.date) -> tuple[UnitRef, str]:
        """``write_scope.residence_on`` for the people of a bundle: the history of the
        ``residences`` file when it gives the person's, else the stored one."""
        who = facts(person)
        history = self.history.get(self._history_key(person))
        if history is not None:
            for start, end, unit_id, village in history:
                if start <= day and (end is None or end >= day):
                    return self.in_scope.ref(unit_id), village
            return self.in_scope.ref(who.residence_unit_id), who.village
        for start, end, unit_id, village in self.past.get(person.pk, ()) if person.pk else ():
            if (start is None or start <= day) and end >= day:
                return self.in_scope.ref(unit_id), village
        return self.in_scope.ref(who.residence_unit_id), who.village

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
                    f"Mã xã {code} không có hiệu lực vào ngày {dmy(day)} "
                    f"(hiệu lực: {self.communes.periods(code)}).",
                )
            else:
                row.error(column, f"Không có xã mã {code}.")
        return unit

    def scoped(self, row: Row, unit_id: int, column: str = "commune") -> bool:
        """A person's commune (``write_scope``): in the user's units."""
        try:
            self.writer.residence_check(self.in_scope.ref(unit_id))
        except OutOfScope as refused:
            row.error(column, refused.vi)
            return False
        if row.existing is not None and not self.in_scope(row.existing.residence_unit_id):
            row.error("id", f"Bản ghi mã '{row.id}' đã có trong sổ, thuộc đơn vị ngoài phạm vi.")
            return False
        return True

    def person_scoped(self, row: Row, person: Parent, column: str = "person_id") -> bool:
        """The person of a row (or of its pregnancy or delivery) lives in the user's units."""
        try:
            self.writer.person_check(self.in_scope.ref(facts(person).residence_unit_id))
        except OutOfScope as refused:
            row.error(column, refused.vi)
            return False
        return True

    def facility_ref(self, facility_id: int | None) -> FacilityRef | None:
        if facility_id is None:
            return None
        unit = self.in_scope.ref(self.facilities.units[facility_id])
        return FacilityRef(facility_id, self.facilities.names[facility_id], unit)

    def _stored_places(self, row: Row) -> Places | None:
        old = row.existing
        if old is None:
            return None
        service = old.service_unit_id
        facility = old.facility_id
        if facility is not None and facility not in self.facilities.units:
            from mch.orgunits.models import Facility

            name, unit_id = Facility.objects.values_list("name", "unit_id").get(pk=facility)
            self.facilities.names[facility] = name
            self.facilities.units[facility] = unit_id
        return Places(
            self.in_scope.ref(old.residence_unit_id),
            old.village,
            self.in_scope.ref(service) if service is not None else None,
            self.facility_ref(facility),
        )

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

    def event(
        self, row: Row, person: Parent, *, with_facility: bool = True
    ) -> dict[str, Any] | None:
        """The columns every care event shares, checked and derived by the write scope
        (``WriteScope.places``, as the services do). The file states the whole record: an
        empty facility is none; ``with_facility`` False ignores the column (a home birth)."""
        who = facts(person)
        day: dt.date = row.values["date"]
        code = row.values.get("commune")
        unit: int | None = None
        if code and self.communes.codes.get(who.residence_unit_id) == code:
            # The person's own commune: an event before the 2025 reform may be kept under
            # the commune the person lives in now (as the forms store it).
            unit = who.residence_unit_id
            if self.communes.on(code, day) not in (None, unit):
                unit = self.communes.on(code, day)
        elif code:
            unit = self.commune(row, "commune", day)
        facility, _level = self.facility(row)
        lived = self.lived(person, day)
        service = self._service(row, day, facility if with_facility else None, unit, lived)
        if not row.ok:
            return None
        try:
            places = self.writer.places(
                person_unit=self.in_scope.ref(who.residence_unit_id),
                lived=lived,
                chosen=Chosen(
                    residence_unit=self.in_scope.ref(unit) if unit is not None else None,
                    village=row.values.get("village") or None,
                    service_unit=self.in_scope.ref(service) if service is not None else None,
                    facility=self.facility_ref(facility) if with_facility else None,
                    facility_given=True,
                ),
                stored=self._stored_places(row),
                date_changed=row.existing is None or row.existing.date != day,
            )
        except OutOfScope as refused:
            row.error(_PLACE_COLUMNS.get(refused.field, refused.field), refused.vi)
            return None
        return {
            "external_id": row.id,
            "date": day,
            "residence_unit_id": places.residence_unit.pk,
            "village": places.village,
            "service_unit_id": places.service_unit.pk if places.service_unit else None,
            "facility_id": places.facility.pk if places.facility else None,
        }

    def _service(
        self,
        row: Row,
        day: dt.date,
        facility: int | None,
        residence: int | None,
        lived: tuple[UnitRef, str],
    ) -> int | None:
        """The service commune named, or None to derive it. The code of the unit it would
        be derived as is that unit (an export of a record entered in a form before the
        2025 reform carries the station's commune, which did not exist then)."""
        code = row.values.get("service_commune")
        if not code:
            return None
        if facility is not None and facility in self.facilities.units:
            derived = self.in_scope.ref(self.facilities.units[facility])
        else:
            where = self.in_scope.ref(residence) if residence is not None else lived[0]
            derived = self.writer.own_service_unit(where)
        if derived is not None and self.communes.codes.get(derived.pk) == code:
            return None
        return self.commune(row, "service_commune", day)

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

    # ------------------------------------------------------------------ shared by several files

    def _who(self, person: Stored) -> str:
        """How a message names a stored person: by name only within the user's units."""
        if self.in_scope(person.residence_unit_id):
            return str(person.full_name)
        return "một người ở đơn vị khác"

    def _death_dates(self) -> dict[str, dt.date]:
        """The date of death of each person in the deaths file (checked later)."""
        found: dict[str, dt.date] = {}
        for row in self.rows["deaths"]:
            person, day = row.values.get("person_id"), row.values.get("date")
            if person and isinstance(day, dt.date) and person not in found:
                found[person] = day
        return found

    def _open_pregnancies(self, women: set[int]) -> dict[int, list[Stored]]:
        """Stored pregnancies without an outcome, by woman, leaving out rows of the bundle."""
        found = stored_groups(Pregnancy, "person_id", women, ("external_id", "date", "outcome"))
        bundle = self.index["pregnancies"]
        return {
            woman: [p for p in items if p.outcome == "" and p.external_id not in bundle]
            for woman, items in found.items()
        }

    def _person(self, obj: Record, person: Parent) -> None:
        obj.link("person_id", person)

    def _closing_deliveries(self) -> set[str]:
        """Pregnancies (bundle or stored ids) that a delivery row of the bundle closes."""
        return {
            row.values["pregnancy_id"]
            for row in self.rows["deliveries"]
            if row.values.get("pregnancy_id")
        }

    def _link(self, obj: Record, name: str, parent: Parent) -> None:
        obj.link(f"{name}_id", parent)

    def _has_open_pregnancy(self, person: Parent, open_stored: dict[int, list[Stored]]) -> bool:
        closing = self._closing_deliveries()
        for row in self.rows["pregnancies"]:
            if row.ok and same(row.refs.get("person_id"), person) and not row.obj.outcome:
                return True
        return person.pk is not None and any(
            p.external_id not in closing for p in open_stored.get(person.pk, [])
        )

    # ------------------------------------------------------------------ residence history

    def check_residences(self, rows: list[Row]) -> None:
        """Where each person lived over time: the rows of a person are her whole history
        (replacing the stored one), without overlaps, the latest one open and in the
        commune of ``nguoi``. A person's rows are refused together."""
        groups: dict[tuple[str, int], tuple[Parent, list[tuple[Row, int]]]] = {}
        for row in rows:
            if not row.ok:
                continue
            person = self.ref(row, "person_id", "persons")
            if person is None:
                continue
            start: dt.date = row.values["valid_from"]
            end: dt.date | None = row.values.get("valid_to")
            if start > self.today:
                row.error("valid_from", f"Ngày bắt đầu ở {dmy(start)} sau ngày hôm nay.")
                continue
            if end is not None and end < start:
                row.error("valid_to", "Ngày cuối cùng ở trước ngày bắt đầu ở.")
                continue
            if not self.person_scoped(row, person):
                continue
            code = row.values["commune"]
            who = facts(person)
            if end is None and self.communes.codes.get(who.residence_unit_id) == code:
                unit: int | None = who.residence_unit_id  # the current commune (as moves store it)
            else:
                unit = self.commune(row, "commune", start)
            if unit is None:
                continue
            try:
                self.writer.residence_check(self.in_scope.ref(unit))
            except OutOfScope as refused:
                row.error("commune", refused.vi)
                continue
            groups.setdefault(self._history_key(person), (person, []))[1].append((row, unit))
        people = [facts(p).pk for p, _items in groups.values() if facts(p).pk is not None]
        stored: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for batch in chunks(people):
            for pk, person_id, unit_id, village, start, end in Residence.objects.filter(
                person_id__in=batch
            ).values_list("pk", "person_id", "unit_id", "village", "valid_from", "valid_to"):
                stored[person_id].append((pk, unit_id, village, start, end))
        blanks = _blank_values("residences")
        for key, (person, items) in groups.items():
            items.sort(key=lambda item: item[0].values["valid_from"])
            current = facts(person).residence_unit_id
            for (before, _u), (after, _v) in zip(items, items[1:], strict=False):
                end = before.values.get("valid_to")
                if end is None or end >= after.values["valid_from"]:
                    after.error(
                        "valid_from",
                        f"Khoảng thời gian ở trùng với dòng {before.number} (mỗi ngày chỉ ở một nơi).",
                    )
            last, last_unit = items[-1]
            if last.ok and last.values.get("valid_to") is not None:
                last.error("valid_to", "Nơi ở mới nhất là nơi đang ở: để trống ngày cuối cùng ở.")
            elif last.ok and last_unit != current:
                last.error(
                    "commune",
                    "Nơi ở mới nhất phải là xã cư trú hiện nay của người trong tệp nguoi "
                    f"({self.communes.codes.get(current, '')}).",
                )
            if not all(row.ok for row, _unit in items):
                for row, _unit in items:
                    if row.ok:
                        row.error("person_id", "Một dòng nơi ở khác của người này bị từ chối.")
                continue
            history = [
                (
                    row.values["valid_from"],
                    row.values.get("valid_to"),
                    unit,
                    row.values.get("village") or "",
                )
                for row, unit in items
            ]
            self.history[key] = history
            pk = facts(person).pk
            old = sorted(stored.get(pk, []), key=lambda r: r[3] or dt.date.min) if pk else []
            same = [(u, v, a, b) for _pk, u, v, a, b in old] == [
                (u, v, a, b) for a, b, u, v in history
            ]
            if not same:
                self.replaced_residences |= {r[0] for r in old}
            for row, unit in items:
                obj = self.build(
                    row, Residence, {**self.plain(row, "residences", blanks), "unit_id": unit}
                )
                obj.village = obj.village or ""
                obj.link("person_id", person)
                row.same = same  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ what changes

    def classify(self) -> None:
        """New, changed (with the changed columns) or unchanged, for every valid row."""
        for key in ORDER:
            self._classify(key, self.rows[key])

    def _classify(self, key: str, rows: list[Row]) -> None:
        from ..rows import CREATED, REJECTED, UNCHANGED, UPDATED

        if rows:
            fields = compared_fields(MODELS[key])
            for row in rows:
                if not row.ok or row.obj is None:
                    row.status = REJECTED
                    continue
                if key == "residences":
                    row.status = UNCHANGED if getattr(row, "same", False) else CREATED
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
