"""The synthetic register generator without a database: files, reproducibility, errors and
the levels of the indicators it is drawn to."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from mch.growth.zscores import compute
from mch.registers import rules
from mch.registers.bundle.spec import CHOICES, FILES
from mch.registers.synthetic import MANIFEST_NAME, Manifest, Options, generate
from mch.registers.synthetic.geography import Commune, Era, Hospital, Province
from mch.registers.synthetic.rates import DIFFICULT, ETHNIC, RURAL, URBAN

AS_OF = dt.date(2026, 11, 22)
REFORM = dt.date(2025, 7, 1)
ANTIGENS = {"hepb_birth", "bcg", "dpt_hepb_hib", "opv", "ipv", "rota", "measles", "je", "mr"}
ANTIGENS |= {"dpt_booster"}


def _province(communes: int = 40) -> Province:
    """Communes in four groups; every other one was formed in 2025 from an old commune
    whose code records before 01/07/2025 must carry."""
    groups = [URBAN] * 6 + [RURAL] * 20 + [ETHNIC] * 8 + [DIFFICULT] * 6
    result = []
    for index in range(communes):
        code = f"T{index + 1:04d}"
        new = Era(REFORM, code, f"TYT-{code}", f"TTYT-T-{index % 3}", "056")
        if index % 2:
            old = Era(
                None, f"O{index + 1:04d}", f"TYT-O{index + 1:04d}", f"TTYT-H-{index % 3}", "058"
            )
            histories: tuple[tuple[Era, ...], ...] = ((old, new),)
        else:
            histories = ((Era(None, code, f"TYT-{code}", f"TTYT-T-{index % 3}", "056"),),)
        result.append(
            Commune(
                code=code,
                name=f"Xã {index}",
                group=groups[index % len(groups)],
                histories=histories,
                minority_groups=("21", "16"),
            )
        )
    return Province("T", "Tỉnh Thử", tuple(result), (Hospital("BVDK-T"), Hospital("BVSN-T")))


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def _small(folder: Path, **changes: object) -> Manifest:
    options = {"as_of": AS_OF, "births_per_year": 300, "years": 2, "seed": 7, "error_rate": 0.0}
    options.update(changes)
    return generate(_province(), folder, Options(**options))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clean")
    _small(folder)
    return folder


@pytest.fixture(scope="module")
def spoiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spoiled")
    _small(folder, error_rate=0.03)
    return folder


def test_same_seed_same_bytes_other_seed_other_data(clean: Path, tmp_path: Path) -> None:
    _small(tmp_path / "again")
    _small(tmp_path / "other", seed=8)

    for spec in FILES:
        name = f"{spec.key}.csv"
        assert (tmp_path / "again" / name).read_bytes() == (clean / name).read_bytes(), name
    assert (tmp_path / "other" / "persons.csv").read_bytes() != (clean / "persons.csv").read_bytes()


# Files the generator leaves empty (header only): none.
NOT_GENERATED: set[str] = set()


def _key(file: str, row: dict[str, str]) -> str:
    """A row's identity: its ID (a residence has none: the person and the first day)."""
    return f"{row['person_id']}@{row['valid_from']}" if file == "residences" else row["id"]


def test_every_file_has_the_spec_headers_and_valid_values(clean: Path) -> None:
    ids: dict[str, set[str]] = {}
    for spec in FILES:
        rows = _read(clean, spec.key)
        with (clean / f"{spec.key}.csv").open(encoding="utf-8") as handle:
            header = handle.readline().strip().split(",")
        assert header == [c.key for c in spec.columns]
        if spec.key in NOT_GENERATED:
            assert not rows, f"{spec.key} is generated now: check its values here"
            continue
        assert rows, spec.key
        ids[spec.key] = {_key(spec.key, row) for row in rows}
        assert len(ids[spec.key]) == len(rows)
        for column in spec.columns:
            values = {row[column.key] for row in rows}
            if column.required:
                assert "" not in values, (spec.key, column.key)
            if column.type == "date":
                days = {_date(v) for v in values if v}
                assert None not in days, (spec.key, column.key)
                assert column.key == "edd" or max(days) <= AS_OF, (spec.key, column.key)
            if column.type == "choice":
                assert values <= set(CHOICES[column.choices]) | {""}, (spec.key, column.key)
            if column.type == "list":
                codes = {code for v in values if v for code in v.split(";")}
                assert codes <= set(CHOICES[column.choices]), (spec.key, column.key)
            if column.type.startswith("ref:"):
                assert values - {""} <= ids[column.type[4:]], (spec.key, column.key)
    antigens = {row["antigen"] for row in _read(clean, "immunisations")}
    assert antigens == ANTIGENS


def test_antigens_are_codes_of_the_schedule() -> None:
    import yaml

    schedule = Path(__file__).resolve().parents[2] / "immunisation" / "schedule.yaml"
    codes = {
        item["code"] for item in yaml.safe_load(schedule.read_text(encoding="utf-8"))["antigens"]
    }

    assert codes >= ANTIGENS


def test_records_before_the_reform_carry_the_old_commune_code(clean: Path) -> None:
    seen = Counter()
    for row in _read(clean, "immunisations") + _read(clean, "antenatal_visits"):
        day, code = _date(row["date"]), row["commune"]
        seen[(day >= REFORM, code[0])] += 1
        if code.startswith("O"):
            assert day < REFORM
        else:
            number = int(code[1:])
            assert number % 2 or day >= REFORM  # odd communes (index % 2) had old codes
    assert seen[(False, "O")] > 100 and seen[(True, "T")] > 100


def test_a_few_women_move_commune_and_their_children_with_them(clean: Path) -> None:
    persons = {p["id"]: p for p in _read(clean, "persons")}
    history: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _read(clean, "residences"):
        history[row["person_id"]].append(row)
    women = [p for p in persons.values() if not p["mother_id"]]
    moved_women = [w for w in women if w["id"] in history]
    assert 0.01 < len(moved_women) / len(women) < 0.06

    def commune_on(person: str, day: dt.date) -> str:
        for row in history[person]:
            start, end = _date(row["valid_from"]), _date(row["valid_to"])
            if start <= day and (end is None or day <= end):
                return row["commune"]
        raise AssertionError((person, day))

    for person, rows in history.items():
        before, after = rows
        moved_on = _date(after["valid_from"])
        assert _date(before["valid_to"]) == moved_on - dt.timedelta(days=1)
        assert after["valid_to"] == "" and before["commune"][1:] != after["commune"][1:]
        # persons.csv holds the current residence, from the day it began
        assert persons[person]["commune"] == after["commune"]
        assert persons[person]["registered_on"] == after["valid_from"]
        mother = persons[person]["mother_id"]
        if mother:  # a child moves with its mother, on her day
            assert history[mother][1]["valid_from"] == after["valid_from"]
            assert _date(persons[person]["birth_date"]) < moved_on
    # every event of a person who moved is in the commune she lived in on its date
    events = Counter()
    for file in ("antenatal_visits", "deliveries", "immunisations", "growth", "deaths"):
        for row in _read(clean, file):
            if row["person_id"] in history:
                day = _date(row["date"])
                # codes change at the reform: compare the commune, not its era's code
                assert row["commune"][1:] == commune_on(row["person_id"], day)[1:], (file, row)
                events[day >= _date(history[row["person_id"]][1]["valid_from"])] += 1
    assert events[False] > 20 and events[True] > 20


def test_people_look_like_vietnamese_registers(clean: Path) -> None:
    persons = _read(clean, "persons")
    women = [p for p in persons if not p["mother_id"]]
    children = [p for p in persons if p["mother_id"]]
    with_id = [p for p in persons if p["national_id"]]

    for person in with_id:
        birth = _date(person["birth_date"])
        assert not rules.national_id_check(person["national_id"], sex=person["sex"], birth=birth)
    assert len({p["national_id"] for p in with_id}) == len(with_id)
    assert 0.8 < len([w for w in women if w["national_id"]]) / len(women) < 0.99
    assert all(w["sex"] == "F" and len(w["full_name"].split()) >= 3 for w in women)
    assert children and all(c["mother_id"] in {w["id"] for w in women} for c in children)
    assert {p["ethnicity"] for p in women} >= {"01", "21", "16"}
    problems = [
        rules.person_check(
            full_name=p["full_name"],
            sex=p["sex"],
            birth_date=_date(p["birth_date"]),
            national_id=p["national_id"],
            insurance_number=p["insurance_number"],
            phone=p["phone"],
            today=AS_OF,
        )
        for p in persons
    ]
    assert not [p for p in problems if p]


def test_ongoing_pregnancies_on_the_day_of_the_data(clean: Path) -> None:
    pregnancies = _read(clean, "pregnancies")
    ongoing = [p for p in pregnancies if not p["outcome"]]
    women = Counter(p["person_id"] for p in ongoing)

    assert len(ongoing) > 50
    assert max(women.values()) == 1
    assert all(not p["outcome_date"] for p in ongoing)


def test_clean_rows_do_not_depend_on_the_error_rate(clean: Path, spoiled: Path) -> None:
    manifest = Manifest.load(spoiled / MANIFEST_NAME)
    injected = {i for pairs in manifest.errors.values() for _, i in pairs}
    for spec in FILES:
        before = {_key(spec.key, row): row for row in _read(clean, spec.key)}
        after = {_key(spec.key, row): row for row in _read(spoiled, spec.key)}
        assert set(before) <= set(after)
        changed = {i for i in before if before[i] != after[i]}
        assert changed <= injected, spec.key
        assert set(after) - set(before) <= injected


def test_manifest_lists_every_injected_error(spoiled: Path) -> None:
    manifest = Manifest.load(spoiled / MANIFEST_NAME)
    rows = {
        spec.key: {_key(spec.key, row): row for row in _read(spoiled, spec.key)} for spec in FILES
    }
    persons = rows["persons"]
    pregnancies = rows["pregnancies"]
    counts = manifest.error_counts

    assert all(count > 0 for count in counts.values()), counts
    assert sum(counts.values()) == manifest.total_errors
    for kind, pairs in manifest.errors.items():
        for file, key in pairs:
            row = rows[file][key]
            if kind == "swapped_day_month":
                assert _date(row["date"]) is None and int(row["date"][3:5]) > 12
            elif kind == "birth_weight_in_kg":
                assert 0.3 < float(row["birth_weight_g"]) < 7
            elif kind == "visit_before_lmp":
                pregnancy = pregnancies[row["pregnancy_id"]]
                lmp = _date(pregnancy["lmp"]) or _date(pregnancy["edd"]) - dt.timedelta(280)
                assert _date(row["date"]) < lmp
            elif kind == "dose_before_birth":
                assert _date(row["date"]) < _date(persons[row["person_id"]]["birth_date"])
            elif kind == "measurement_decimal":
                assert float(row["length_cm"] or 0) > 150 or float(row["weight_kg"]) > 60
            elif kind == "duplicate_woman":
                same = [
                    p
                    for p in persons.values()
                    if (p["full_name"], p["birth_date"]) == (row["full_name"], row["birth_date"])
                ]
                assert len(same) == 2 and not row["national_id"]
    # nothing else in the files is spoiled
    visits = [v for v in rows["antenatal_visits"].values() if _date(v["date"]) is not None]
    assert sum(_date(v["date"]) is None for v in rows["immunisations"].values()) == len(
        [1 for f, _ in manifest.errors["swapped_day_month"] if f == "immunisations"]
    )
    assert visits


# ---------------------------------------------------------------------- indicator levels


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("medium")
    options = Options(as_of=AS_OF, births_per_year=4000, years=5, seed=2, error_rate=0.0)
    generate(_province(), folder, options)
    return folder


def _rate(numerator: int, denominator: int, per: int = 100) -> float:
    return per * numerator / denominator


class Levels:
    """Simple rates computed from the files, for communes in ethnic-minority areas (True)
    and the others (False)."""

    def __init__(self, folder: Path):
        groups = {c.code: c.group >= ETHNIC for c in _province().communes}
        groups |= {
            e.code: groups[c.code] for c in _province().communes for h in c.histories for e in h
        }
        self.em = groups
        self.persons = {row["id"]: row for row in _read(folder, "persons")}
        self.deliveries = _read(folder, "deliveries")
        self.births = _read(folder, "births")
        self.deaths = _read(folder, "deaths")
        self.doses = _read(folder, "immunisations")
        self.growth = _read(folder, "growth")
        self.moves: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in _read(folder, "residences"):
            self.moves[row["person_id"]].append(row)

    def commune_on(self, person: dict[str, str], day: dt.date) -> str:
        """The commune a person lived in on ``day`` (persons.csv holds the current one)."""
        for row in self.moves.get(person["id"], ()):
            end = _date(row["valid_to"])
            if _date(row["valid_from"]) <= day and (end is None or day <= end):
                return row["commune"]
        return person["commune"]

    def mortality(self, em: bool) -> dict[str, float]:
        """Deaths by age at death per 1,000 live births of the same years (2022–2025)."""
        years = range(2022, 2026)
        live = 0
        for birth in self.births:
            child = self.persons.get(birth["person_id"])
            if (
                child
                and _date(child["birth_date"]).year in years
                and self.em[self.commune_on(child, _date(child["birth_date"]))] == em
            ):
                live += 1
        counts: Counter[str] = Counter()
        for death in self.deaths:
            person = self.persons[death["person_id"]]
            day = _date(death["date"])
            if day.year not in years or self.em[death["commune"]] != em:
                continue
            if not person["mother_id"]:
                if death["pregnancy_relation"] in ("pregnant", "within_42_days"):
                    counts["maternal"] += 1
                continue
            age = (day - _date(person["birth_date"])).days
            counts["neonatal"] += age < 28
            counts["infant"] += age < 365
            counts["under5"] += age < 1826
        return {
            key: _rate(counts[key], live, 100_000 if key == "maternal" else 1000)
            for key in ("neonatal", "infant", "under5", "maternal")
        }

    def facility_births(self, em: bool) -> float:
        mine = [d for d in self.deliveries if self.em[d["commune"]] == em]
        return _rate(sum(d["place"] == "facility" for d in mine), len(mine))

    def low_birth_weight(self) -> float:
        weights = [
            int(b["birth_weight_g"])
            for b in self.births
            if b["outcome"] == "live" and b["birth_weight_g"]
        ]
        return _rate(sum(w < 2500 for w in weights), len(weights))

    def fully_immunised(self, em: bool) -> float:
        """BCG, DPT-VGB-Hib x3, OPV x3 and measles before age 1, among children alive at 1."""
        needed = {("bcg", "1"), ("measles", "1")}
        needed |= {(a, d) for a in ("dpt_hepb_hib", "opv") for d in "123"}
        dead = {d["person_id"] for d in self.deaths}
        got: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for dose in self.doses:
            child = self.persons[dose["person_id"]]
            if (_date(dose["date"]) - _date(child["birth_date"])).days < 365:
                got[dose["person_id"]].add((dose["antigen"], dose["dose"]))
        children = [
            key
            for key, p in self.persons.items()
            if p["mother_id"]
            and key not in dead
            and (AS_OF - _date(p["birth_date"])).days >= 365
            and self.em[p["commune"]] == em
        ]
        return _rate(sum(needed <= got[key] for key in children), len(children))

    def malnutrition(self, em: bool | None = None) -> dict[str, float]:
        rows = [
            g for g in self.growth if g["length_cm"] and (em is None or self.em[g["commune"]] == em)
        ]
        births = [_date(self.persons[g["person_id"]]["birth_date"]) for g in rows]
        z = compute(
            np.array([1 if self.persons[g["person_id"]]["sex"] == "M" else 2 for g in rows]),
            np.array([(_date(g["date"]) - b).days for g, b in zip(rows, births, strict=True)]),
            np.array([float(g["weight_kg"]) for g in rows]),
            np.array([float(g["length_cm"]) for g in rows]),
            np.array([1.0 if g["position"] == "lying" else 0.0 for g in rows]),
        )
        result = {}
        for name, key in (("stunting", "haz"), ("underweight", "waz"), ("wasting", "whz")):
            values = getattr(z, key)
            valid = np.isfinite(values) & ~getattr(z, f"flag_{key}")
            result[name] = 100 * float(np.mean(values[valid] < -2))
        return result


@pytest.fixture(scope="module")
def levels(medium: Path) -> Levels:
    return Levels(medium)


def test_mortality_at_vietnamese_levels_and_worse_in_ethnic_minority_areas(levels: Levels) -> None:
    other, em = levels.mortality(False), levels.mortality(True)

    # ranges of about three standard errors around the rates the generator draws to
    assert 3.5 <= other["neonatal"] <= 8.5
    assert 7 <= em["neonatal"] <= 17
    assert em["neonatal"] > other["neonatal"]
    assert 7 <= other["infant"] <= 14 < em["infant"] <= 28
    assert em["under5"] > other["under5"] > other["infant"]
    assert em["maternal"] > other["maternal"]


def test_coverage_at_vietnamese_levels_and_worse_in_ethnic_minority_areas(levels: Levels) -> None:
    assert levels.facility_births(False) > 97
    assert 80 < levels.facility_births(True) < 92
    assert 88 < levels.fully_immunised(False) < 97
    assert 72 < levels.fully_immunised(True) < 88
    assert 5 < levels.low_birth_weight() < 10


def test_sex_ratio_at_birth_is_vietnams(levels: Levels) -> None:
    sexes = Counter(b["sex"] for b in levels.births)

    assert sexes["M"] / sexes["F"] == pytest.approx(1.11, abs=0.05)


def test_malnutrition_near_vietnams_and_worse_in_ethnic_minority_areas(levels: Levels) -> None:
    overall = levels.malnutrition()
    other, em = levels.malnutrition(False), levels.malnutrition(True)

    assert 16 < overall["stunting"] < 23
    assert 9 < overall["underweight"] < 15
    assert 3 < overall["wasting"] < 7
    assert em["stunting"] > other["stunting"] + 8
    assert em["underweight"] > other["underweight"]
