"""The app's own Vietnamese catalogue (``mch/immunisation/locale``), found by Django's
per-app locale lookup."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polib
from django.utils import translation

from mch.immunisation.models import ScheduleEntry

APP = Path(__file__).resolve().parents[1]
ROOT = APP.parents[1]
PO = APP / "locale/vi/LC_MESSAGES/django.po"


def _compiled(po_path: Path) -> bytes:
    spec = importlib.util.spec_from_file_location(
        "compile_messages", ROOT / "scripts" / "compile_messages.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compiled(po_path)


def test_the_committed_mo_matches_the_po() -> None:
    assert PO.with_suffix(".mo").read_bytes() == _compiled(PO)


def test_every_message_is_translated() -> None:
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_the_schedule_speaks_vietnamese() -> None:
    with translation.override("vi"):
        assert str(ScheduleEntry._meta.verbose_name) == "dòng lịch tiêm"
        field = ScheduleEntry._meta.get_field("latest_age_days")
        assert str(field.verbose_name) == "tuổi muộn nhất (ngày)"
    with translation.override("en"):
        assert str(ScheduleEntry._meta.verbose_name) == "schedule entry"
