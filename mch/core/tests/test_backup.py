"""A backup restores into a fresh database with the same rows (on the suite's database)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mch.core.backup import MANIFEST_SUFFIX, backup_create, backup_restore_check
from mch.registers import services
from mch.registers.testing import TODAY, build_register_world


@pytest.fixture
def backed_up(transactional_db, tmp_path: Path) -> Path:
    rw = build_register_world()
    for name in ("Pi Năng Thị Lan", "Katơr Thị Hoa"):
        services.person_register(
            user=rw.staff,
            full_name=name,
            sex="F",
            birth_date=dt.date(1998, 3, 4),
            residence_unit=rw.commune,
            today=TODAY,
        )
    dump = tmp_path / "mch.backup"
    backup_create(out=dump)
    return dump


def test_restore_matches_counts_and_register_checksums(backed_up: Path) -> None:
    facts = json.loads(backed_up.with_name(backed_up.name + MANIFEST_SUFFIX).read_text())
    assert facts["counts"]["registers_person"] == 2
    assert "registers_person" in facts["checksums"]
    assert backed_up.stat().st_mode & 0o077 == 0
    report = backup_restore_check(dump=backed_up)
    assert report.differences == []
    assert report.tables == len(facts["counts"])
    call_command("restore_check", str(backed_up))


def test_restore_check_fails_when_the_backup_does_not_hold_the_rows(backed_up: Path) -> None:
    manifest = backed_up.with_name(backed_up.name + MANIFEST_SUFFIX)
    facts = json.loads(manifest.read_text())
    facts["counts"]["registers_person"] = 3
    facts["checksums"]["registers_person"] = "0" * 64
    manifest.write_text(json.dumps(facts))
    with pytest.raises(CommandError, match="registers_person: 3 dòng"):
        call_command("restore_check", str(backed_up))
