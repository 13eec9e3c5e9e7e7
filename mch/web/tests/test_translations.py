from __future__ import annotations

import importlib.util
from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]


def _compile_script():
    spec = importlib.util.spec_from_file_location(
        "compile_messages", ROOT / "scripts" / "compile_messages.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_mo_files_match_their_po_files() -> None:
    script = _compile_script()
    assert script.catalogues(), "no translation catalogue found"
    assert script.stale() == [], "run: python scripts/compile_messages.py"


def test_every_vietnamese_message_is_translated() -> None:
    catalogue = polib.pofile(str(ROOT / "mch/locale/vi/LC_MESSAGES/django.po"))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_the_interface_speaks_vietnamese_by_default() -> None:
    with translation.override("vi"):
        assert translation.gettext("Plans") == "Kế hoạch"
        assert translation.gettext("Log out") == "Đăng xuất"
