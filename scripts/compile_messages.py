"""Compile the translation catalogues (``mch/locale/*/LC_MESSAGES/*.po`` and each app's own
``mch/<app>/locale/*/LC_MESSAGES/*.po``) to ``.mo``.

Uses polib, so no GNU gettext is needed. ``--check`` compiles in memory and exits with 1
when a committed ``.mo`` differs from its ``.po`` (CI and a test run it).

    python scripts/compile_messages.py [--check]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "mch"


def catalogues() -> list[Path]:
    """The project catalogue and every app's own (an app keeps its strings beside its code)."""
    return sorted(PACKAGE_DIR.glob("**/locale/*/LC_MESSAGES/*.po"))


def compiled(po_path: Path) -> bytes:
    """The .mo bytes for one catalogue; fuzzy and untranslated entries are left out."""
    catalogue = polib.pofile(str(po_path))
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "out.mo"
        catalogue.save_as_mofile(str(target))
        return target.read_bytes()


def stale() -> list[Path]:
    """Catalogues whose .mo is missing or differs from what their .po compiles to."""
    found = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != compiled(po_path):
            found.append(po_path)
    return found


def main(argv: list[str]) -> int:
    if "--check" in argv:
        out_of_date = stale()
        for po_path in out_of_date:
            print(f"out of date: {po_path.with_suffix('.mo')}", file=sys.stderr)
        return 1 if out_of_date else 0
    for po_path in catalogues():
        po_path.with_suffix(".mo").write_bytes(compiled(po_path))
        print(f"compiled {po_path.with_suffix('.mo')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
