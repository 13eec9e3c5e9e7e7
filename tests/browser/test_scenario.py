"""What a provincial officer and a commune health worker do in a real browser: the officer
reads the five plans and switches language; the commune worker is refused another commune."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from mch.core.demo import DEMO_PASSWORD
from mch.core.testing_browser import log_in as shared_log_in
from mch.orgunits.models import OrgUnit
from mch.plans.models import Plan

from .conftest import require_chromium

# Set MCH_SCREENS to a directory to keep screenshots of the pages the scenario visits.
SCREENS = os.environ.get("MCH_SCREENS", "")


def log_in(page, base: str, username: str) -> None:
    shared_log_in(page, base, username, DEMO_PASSWORD)


def something_the_plan_states(plan: Plan) -> str:
    first = plan.targets.order_by("order").first() or plan.observations.order_by("order").first()
    assert first is not None, plan.slug
    return first.value_text


@pytest.mark.browser
def test_officer_reads_the_plans_and_a_commune_worker_only_their_commune(
    page, live_server, demo
) -> None:
    plans = list(Plan.objects.order_by("slug"))
    expected = {plan.slug: something_the_plan_states(plan) for plan in plans}
    assert len(plans) == 5
    base = live_server.url

    log_in(page, base, "quantri")
    assert page.locator("nav").get_by_text("Kế hoạch").is_visible()

    for plan in plans:
        page.goto(base + reverse("plan-detail", args=[plan.slug]))
        assert page.locator("h1").inner_text().strip() == plan.title.strip()
        tables = page.locator("table.targets")
        assert tables.count() >= 1, plan.slug
        assert tables.get_by_text(expected[plan.slug], exact=False).first.is_visible(), plan.slug
    if SCREENS:
        page.screenshot(path=os.path.join(SCREENS, "browser-plan.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Objectives and targets").is_visible()
    assert page.locator("nav").get_by_text("Plans", exact=True).is_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Tiếng Việt").click()
    assert page.get_by_role("heading", name="Mục tiêu và chỉ tiêu").is_visible()

    # The same demo (built once: it is the suite's longest set-up), a commune health worker.
    own = OrgUnit.objects.get(users__username="tram.phanrang")
    other = OrgUnit.objects.get(users__username="tram.bacai")
    log_in(page, base, "tram.phanrang")
    assert page.get_by_role("heading", name=own.name).is_visible()

    response = page.goto(base + reverse("unit-detail", args=[other.pk]))
    assert response is not None and response.status == 404
    assert other.name not in page.content()

    response = page.goto(base + reverse("unit-detail", args=[own.pk]))
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", name=own.name).is_visible()
    assert page.get_by_role("heading", name="Hình thành từ").is_visible()


def test_a_missing_chromium_fails_under_ci_and_skips_elsewhere(tmp_path) -> None:
    missing = tmp_path / "chromium"
    with pytest.raises(pytest.fail.Exception):
        require_chromium(missing, env={"CI": "true"})
    with pytest.raises(pytest.skip.Exception):
        require_chromium(missing, env={})
