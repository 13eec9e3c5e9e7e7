"""The browser tests of the whole system, against pytest-django's live server. The browser and
its page fixtures are the root conftest's (mch.core.testing_browser), shared with every app."""

from __future__ import annotations

import pytest

from mch.core.testing_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "require_chromium"]


@pytest.fixture
def demo(transactional_db) -> None:
    """The real reference data, catalogue, five plans and demo users."""
    from mch.core.demo import demo_setup

    demo_setup()
