from __future__ import annotations

import pytest

from mch.registers.bundle.importer import bundle_import
from mch.registers.models import Person
from mch.registers.testing import TODAY

from .bundle_helpers import basic_files, write_bundle

pytestmark = pytest.mark.django_db


def test_smoke(rw, tmp_path) -> None:
    folder = write_bundle(tmp_path / "b", basic_files())
    result = bundle_import(source=folder, user=rw.staff, today=TODAY)
    for error in result.errors:
        print(error)
    assert not result.errors
    assert Person.objects.count() == 2
