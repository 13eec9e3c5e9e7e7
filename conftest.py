"""Test set-up shared by every test folder."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):  # type: ignore[no-untyped-def]
    # On PostgreSQL the jobs alias is a second connection to the same test database
    # (mch/jobs/database.py); it must be closed before that database is dropped.
    yield
    from django.db import connections

    connections.close_all()
