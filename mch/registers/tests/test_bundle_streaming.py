"""Long files are checked and written a chunk at a time (``reader.STREAMED``): the same
rows, values, errors and all-or-nothing as when a file is held whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mch.registers.bundle import reader
from mch.registers.bundle.importer import bundle_import
from mch.registers.models import (
    AuditEntry,
    GrowthMeasurement,
    Immunisation,
    ImportBatch,
    Person,
    PostnatalContact,
)
from mch.registers.synthetic import MANIFEST_NAME, Manifest, Options
from mch.registers.synthetic.services import synthetic_generate

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 22)


def _options(**changes: object) -> Options:
    values = {"as_of": AS_OF, "births_per_year": 120, "years": 2, "seed": 5, "error_rate": 0.0}
    values.update(changes)
    return Options(**values)  # type: ignore[arg-type]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "CHUNK_ROWS", 40)


def _fingerprint() -> dict[str, list[tuple[object, ...]]]:
    return {
        "doses": sorted(
            Immunisation.objects.values_list(
                "external_id", "person__external_id", "date", "flags", "residence_unit_id"
            )
        ),
        "growth": sorted(
            GrowthMeasurement.objects.values_list("external_id", "haz", "stunting", "flags")
        ),
        "postnatal": sorted(
            PostnatalContact.objects.values_list("external_id", "delivery__external_id", "flags")
        ),
    }


def test_chunked_files_store_what_whole_files_store_and_import_again_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = synthetic_generate(directory=tmp_path, options=_options(), synthetic=7, communes=12)
    whole = bundle_import(source=tmp_path, user=None, today=AS_OF)
    expected = _fingerprint()
    assert whole.errors == []
    Immunisation.objects.all().delete()
    GrowthMeasurement.objects.all().delete()
    PostnatalContact.objects.all().delete()

    monkeypatch.setattr(reader, "CHUNK_ROWS", 40)
    chunked = bundle_import(source=tmp_path, user=None, today=AS_OF)
    again = bundle_import(source=tmp_path, user=None, today=AS_OF)

    assert manifest.rows["immunisations"] > 400  # many chunks of 40 rows and more
    assert chunked.errors == [] and chunked.status == ImportBatch.Status.DONE
    assert chunked.counts["immunisations"].created == manifest.rows["immunisations"]
    assert chunked.counts["persons"].unchanged == manifest.rows["persons"]
    assert _fingerprint() == expected
    assert again.count("unchanged") == sum(manifest.rows.values())


def test_chunked_errors_are_the_same_and_nothing_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synthetic_generate(
        directory=tmp_path, options=_options(error_rate=0.03), synthetic=7, communes=12
    )
    manifest = Manifest.load(tmp_path / MANIFEST_NAME)
    whole = bundle_import(source=tmp_path, user=None, today=AS_OF)
    monkeypatch.setattr(reader, "CHUNK_ROWS", 40)

    chunked = bundle_import(source=tmp_path, user=None, today=AS_OF)

    assert chunked.status == whole.status == ImportBatch.Status.REJECTED
    assert sorted(map(str, chunked.errors)) == sorted(map(str, whole.errors))
    assert not Person.objects.exists() and not Immunisation.objects.exists()
    assert not AuditEntry.objects.exclude(action="import").exists()

    kept = bundle_import(source=tmp_path, user=None, today=AS_OF, keep_valid_rows=True)

    # (misplaced-decimal measurements the rules now keep with a warning are not refused,
    # chunked or not: the manifest still lists them)
    refused = {error.id for error in kept.errors}
    assert refused == {error.id for error in whole.errors} and refused <= manifest.refused()
    assert kept.count("rejected") == len(refused)


def test_an_id_repeated_in_another_chunk_is_refused(tmp_path: Path, small_chunks: None) -> None:
    synthetic_generate(directory=tmp_path, options=_options(), synthetic=7, communes=12)
    path = tmp_path / "immunisations.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header, first, last = lines[0].split(","), lines[1].split(","), lines[-1].split(",")
    column = header.index("id")
    assert first[header.index("person_id")] != last[header.index("person_id")]
    last[column] = first[column]
    lines[-1] = ",".join(last)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = bundle_import(source=tmp_path, user=None, today=AS_OF)

    assert result.status == ImportBatch.Status.REJECTED
    # Chunks go by person in no set order: either row is the repeat of the other.
    assert [(e.row, e.column, e.message) for e in result.errors] in (
        [(len(lines), "id", f"Mã '{first[column]}' trùng với dòng 2.")],
        [(2, "id", f"Mã '{first[column]}' trùng với dòng {len(lines)}.")],
    )
    assert not Immunisation.objects.exists()
