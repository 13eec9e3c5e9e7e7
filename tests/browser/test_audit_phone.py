"""The record access log on a phone (360 and 390 px): the filter form (user, person, dates)
fits the screen, each label above its field, and filtering works there."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from mch.core.testing_browser import new_page
from mch.registers.testing import build_register_world

from .test_worklists_phone import log_in, shot

SCREENS = os.environ.get("MCH_SCREENS", "")


@pytest.mark.browser
def test_access_log_filters_fit_a_phone(browser, live_server, transactional_db) -> None:
    rw = build_register_world()
    base = live_server.url
    for width in (360, 390):
        page = new_page(browser, {"width": width, "height": 800})
        context = page.context
        log_in(page, base, rw.officer.username)
        page.goto(base + reverse("audit-reads"))
        shot(page, f"audit-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        form = page.locator("#audit-filter")
        box = form.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        fields = form.locator("input, select, button").all()
        assert len(fields) >= 4
        for field in fields:
            edge = field.bounding_box()
            assert edge and edge["x"] >= 0 and edge["x"] + edge["width"] <= width, (width, edge)
        label = form.locator("label").first.bounding_box()
        first = form.locator("input, select").first.bounding_box()
        assert label and first and label["y"] + label["height"] <= first["y"] + 1  # above it
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/so/nhat-ky-truy-cap/**")
        context.close()
