from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mch.immunisation.engine import ScheduleRule
from mch.immunisation.schedule_file import SCHEDULE_FILE, entry_rule, load_schedule_file


def national_rules() -> list[ScheduleRule]:
    """The rules of the shipped schedule.yaml, read without the database."""
    schedule = load_schedule_file()
    antigens = {a.code: a for a in schedule.antigens}
    return [
        entry_rule(e, antigens[e.antigen].target, antigens[e.antigen].abbreviation)
        for e in schedule.entries
    ]


def day(text: str) -> dt.date:
    """dd/mm/yyyy, as the worked examples are written."""
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture
def schedule_copy(tmp_path: Path) -> Path:
    """A writable copy of the national schedule file."""
    target = tmp_path / "schedule.yaml"
    target.write_text(SCHEDULE_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.fixture
def province(db):
    from mch.core.testing import make_unit

    country = make_unit(code="VN", name="Việt Nam", level="country")
    return make_unit(code="56", name="Khánh Hòa", level="province", parent=country)
