"""Every main page, for every role of the demo, and the API's errors, in Vietnamese: no English
interface text (mch.web.tests.english says how English is recognised).

The demo set-up is the data (its users are the roles; one person, plan, indicator, unit,
worklist and register of each kind stand for the parameterised pages). Each page is opened as
each role; refusals (403) and misses (404) are pages too and are read the same way.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from mch.accounts.models import User
from mch.aggregate_data import urls as aggregate_urls
from mch.core.demo import DEMO_USERS, demo_setup
from mch.indicators.models import Indicator
from mch.mpdsr import urls as mpdsr_urls
from mch.plans.models import Plan
from mch.registers.models import Person
from mch.registers.worklists import worklists
from mch.reported_values import urls as reported_urls
from mch.reporting import urls as reporting_urls
from mch.web import urls as web_urls
from mch.web.views.records.registers import BY_SLUG

from .english import english_in, visible_text

pytestmark = pytest.mark.django_db(databases=["default", "jobs"])

SKIPPED = {"logout", "register-template"}  # a POST; a download (not a page)
# One user of each role (and the administrator, who sees every unit).
WALKERS = (
    "quantri",
    "sokhanhhoa",
    "tram.bacai",
    "benhvien.khanhhoa",
    "taichinh.bacgiang",
    "lanhdao.khanhhoa",
)


def _fixed(patterns) -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names += _fixed(pattern.url_patterns)
        elif (
            isinstance(pattern, URLPattern)
            and not pattern.pattern.converters
            and pattern.name
            and pattern.name not in SKIPPED
        ):
            names.append(pattern.name)
    return names


def main_pages() -> list[str]:
    """The pages without parameters of the three page modules, then one of each kind."""
    fixed = [
        reverse(name)
        for module in (web_urls, reporting_urls, mpdsr_urls, aggregate_urls, reported_urls)
        for name in _fixed(module.urlpatterns)
    ]
    person = Person.objects.filter(residence_unit__code="22795").order_by("pk").first()
    plan = Plan.objects.order_by("slug").first()
    indicator = Indicator.objects.order_by("code").first()
    assert person and plan and indicator
    return [
        *fixed,
        reverse("person-detail", args=[person.pk]),
        reverse("person-edit", args=[person.pk]),
        reverse("plan-detail", args=[plan.slug]),
        reverse("plan-scorecard", args=[plan.slug]),
        reverse("indicator-detail", args=[indicator.code]),
        reverse("indicator-equity", args=[indicator.code]),
        reverse("unit-detail", args=[plan.scope_unit_id]),
        *[reverse("worklist", args=[w.slug]) for w in worklists()],
        *[reverse("register-list", args=[slug]) for slug in sorted(BY_SLUG)],
        reverse("reporting-tasks", args=[plan.slug, plan.period_start]),
        reverse("reporting-board", args=[plan.slug, plan.period_start]),
        reverse("reporting-annual", args=[plan.slug, plan.period_start]),
        reverse("reporting-quality", args=[plan.slug, plan.period_start]),
        reverse("plan-scorecard-unit", args=[plan.slug, plan.scope_unit_id]),
        reverse("aggregate-entry", args=["mch_month", person.residence_unit_id, "2026-10"]),
        *_reported_pages(),
    ]


def _reported_pages() -> list[str]:
    """The edit and delete pages of one demo value of each kind (mch.reported_values.demo)."""
    from mch.reported_values.models import PolicyValue, SurveyResult, WorkforceReport

    out = []
    for model, edit, kind in (
        (SurveyResult, "reported-survey-edit", "khao-sat"),
        (PolicyValue, "reported-policy-edit", "chinh-sach"),
        (WorkforceReport, "reported-workforce-edit", "nhan-luc"),
    ):
        row = model.objects.order_by("pk").first()
        assert row is not None, f"the demo has no {model.__name__}"
        out += [reverse(edit, args=[row.pk]), reverse("reported-delete", args=[kind, row.pk])]
    return out


def _read(client: Client, url: str) -> tuple[int, list[str]]:
    response = client.get(url)
    if response.status_code in {301, 302} or "html" not in response.get("Content-Type", ""):
        return response.status_code, []
    return response.status_code, english_in(visible_text(response.content.decode()))


@pytest.fixture
def demo(settings):
    # What this test checks (the words on the pages) does not depend on the database, and
    # the walk with its demo set-up is one of the suite's longest tests: it runs on SQLite,
    # so that CI's two suites stay inside their time (the pages' PostgreSQL behaviour is
    # covered by the page, form and fuzz tests, which run on both).
    if connection.vendor != "sqlite":
        pytest.skip("language walk runs on the SQLite suite only")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_setup()


def test_every_main_page_of_every_role_is_in_vietnamese(demo) -> None:
    pages = main_pages()
    found: dict[str, list[str]] = {}
    seen = 0
    assert {user.role for user in DEMO_USERS} == set(
        User.objects.filter(username__in=WALKERS).values_list("role", flat=True)
    )
    for username in WALKERS:
        client = Client()
        client.force_login(
            User.objects.get(username=username),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        for url in pages:
            status, english = _read(client, url)
            seen += bool(status)
            if english:
                found[f"{username} {url} ({status})"] = english
    anonymous = Client()
    for url in (reverse("login"), "/khong-co-trang-nay/"):
        status, english = _read(anonymous, url)
        if english:
            found[f"anonymous {url} ({status})"] = english
    assert seen >= len(WALKERS) * 40
    report = "\n".join(f"{page}: {english}" for page, english in found.items())
    assert not found, f"English on {len(found)} pages:\n{report}"
