"""The project is Apache-2.0: no GPL or AGPL package may be installed with it.

LGPL is allowed for unmodified libraries used through their public interface (the
PostgreSQL driver psycopg); docs/licences.md records each such case.
"""

import re
from importlib import metadata

ALLOWED_LGPL = {"psycopg", "psycopg-binary"}
COPYLEFT = re.compile(r"\b(A?GPL|General Public License)\b", re.IGNORECASE)
LESSER = re.compile(r"\b(LGPL|Lesser General Public)\b", re.IGNORECASE)


def _licence_texts(dist: metadata.Distribution) -> list[str]:
    meta = dist.metadata
    texts = [meta.get("License") or "", meta.get("License-Expression") or ""]
    texts += [c for c in meta.get_all("Classifier") or [] if c.startswith("License")]
    return [t for t in texts if t]


def test_no_gpl_or_agpl_package_is_installed() -> None:
    offending = {}
    for dist in metadata.distributions():
        name = (dist.metadata.get("Name") or "").lower()
        for text in _licence_texts(dist):
            if LESSER.search(text) and name in ALLOWED_LGPL:
                continue
            if COPYLEFT.search(LESSER.sub("", text)) or (
                LESSER.search(text) and name not in ALLOWED_LGPL
            ):
                offending[name] = text[:80]
    assert offending == {}


def test_the_unit_data_package_is_installed_without_its_gpl_dependency() -> None:
    assert metadata.version("vietnamadminunits") == "1.0.4"
    installed = {(d.metadata.get("Name") or "").lower() for d in metadata.distributions()}
    assert "unidecode" not in installed
