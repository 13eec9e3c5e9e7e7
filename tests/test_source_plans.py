"""The five source documents, loaded through the real set-up, read as their text says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
import yaml
from django.db import transaction

from mch.accounts.models import User
from mch.core.demo import demo_setup
from mch.plans.models import Plan, Target
from mch.plans.selectors import plan_conflicts, plan_list
from mch.plans.services import plan_export, plan_import


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                demo_setup()
                yield
                raise _Rollback
        except _Rollback:
            pass


pytestmark = pytest.mark.django_db

SLUGS = [
    "bac-giang-kh-bmte-2024",
    "binh-thuan-kh-sksss-2024",
    "lao-cai-kh-1493-2026",
    "ninh-thuan-ct-2024",
    "ninh-thuan-kh-1493-2022",
]


def test_all_five_documents_are_loaded(loaded) -> None:
    assert sorted(Plan.objects.values_list("slug", flat=True)) == SLUGS


@pytest.mark.parametrize(
    ("slug", "indicator", "year", "source", "comparator", "value"),
    [
        ("ninh-thuan-kh-1493-2022", "neonatal_mortality", 2025, "body", "xuong", "10"),
        ("ninh-thuan-kh-1493-2022", "neonatal_mortality", 2030, "body", "xuong", "9"),
        ("bac-giang-kh-bmte-2024", "neonatal_mortality", 2024, "annex", "duoi", "9.5"),
        ("bac-giang-kh-bmte-2024", "maternal_mortality", 2025, "body", "duoi", "30"),
        ("bac-giang-kh-bmte-2024", "anc4_3trimesters", 2024, "annex", "bare", "88"),
        ("bac-giang-kh-bmte-2024", "stunting_u5", 2025, "annex", "bare", "18.5"),
    ],
)
def test_targets_read_as_the_document_writes_them(
    loaded, slug, indicator, year, source, comparator, value
) -> None:
    target = Target.objects.get(
        plan__slug=slug, indicator__code=indicator, year=year, source_part=source
    )

    assert (target.comparator, target.value) == (comparator, Decimal(value))


def test_bac_giang_body_and_annex_disagree_on_exactly_three_targets(loaded) -> None:
    plan = Plan.objects.get(slug="bac-giang-kh-bmte-2024")

    conflicts = {(row.indicator_code, year) for row, year in plan_conflicts(plan=plan)}

    assert conflicts == {
        ("skilled_birth_attendance", 2025),
        ("iron_supplement_full", 2025),
        ("eenc", 2025),
    }


def test_bac_giang_budget_is_stated_in_total_and_per_year(loaded) -> None:
    lines = {
        b.year: b.amount_vnd
        for b in Plan.objects.get(slug="bac-giang-kh-bmte-2024").budget_lines.all()
    }

    assert lines == {None: 745_880_000, 2024: 378_940_000, 2025: 366_940_000}


def test_bac_giang_plan_page_totals_the_budget_once_and_says_no_null(loaded, client) -> None:
    client.force_login(User.objects.get(username="sobacninh"))

    page = client.get("/ke-hoach/bac-giang-kh-bmte-2024/").content.decode()

    budget = page[page.index('id="budget"') :]
    budget = budget[: budget.index("</table>")]
    assert "745.880.000" in budget.split("<tfoot>")[1]
    assert "1.491.760.000" not in page
    assert "null" not in page


def test_a_khanh_hoa_commune_reads_the_ninh_thuan_plans_but_not_lam_dong_ones(loaded) -> None:
    visible = set(
        plan_list(user=User.objects.get(username="tram.phanrang")).values_list("slug", flat=True)
    )

    assert visible == {"ninh-thuan-kh-1493-2022", "ninh-thuan-ct-2024"}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_source_plan_exports_and_reimports_unchanged(loaded, slug) -> None:
    exported = plan_export(plan=Plan.objects.get(slug=slug))

    again = plan_import(
        content=yaml.safe_dump(json.loads(json.dumps(exported)), allow_unicode=True)
    )

    assert plan_export(plan=again) == exported


def test_the_department_of_finance_reports_only_on_its_own_bac_giang_tasks(loaded, client) -> None:
    client.force_login(User.objects.get(username="taichinh.bacgiang"))

    page = client.get("/bao-cao/bac-giang-kh-bmte-2024/2025/nhiem-vu/").content.decode()

    rows = page[page.index('id="tasks"') :].split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 2
    assert rows.count("<td>Sở Tài chính<div") == 2
    assert "Sở Giáo dục" not in rows
