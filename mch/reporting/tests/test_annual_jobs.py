"""The annual report generated as a job: queued from the page and the command, progress
polled, files kept and downloadable, a failure said in Vietnamese."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from mch.jobs.models import Job
from mch.reporting.annual import generate
from mch.reporting.annual.jobs import generation_job
from mch.reporting.models import AnnualReportFile
from mch.scorecards.tests.builders import YEAR, build_province
from tests.browser.conftest import require_chromium

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator:
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield build_province(tmp_path_factory.mktemp("registers"))
                raise _Rollback
        except _Rollback:
            pass


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.django_db(databases=["default", "jobs"])
def test_the_page_queues_the_generation_and_keeps_the_files(province, settings) -> None:
    require_chromium()
    settings.TASKS = IMMEDIATE
    client = _client(province.officer)
    plan = province.plan

    response = client.post(reverse("reporting-annual-generate", args=[plan.slug, YEAR]))

    assert response.status_code == 302 and response["Location"].endswith("#generation")
    job = generation_job(plan, YEAR)
    assert job is not None and job.status == Job.Status.DONE and job.percent == 100
    assert job.phase == generate.PHASES[-1]
    assert set(job.result) == {"docx", "xlsx", "pdf"}
    kept = AnnualReportFile.objects.filter(report__plan=plan, report__year=YEAR)
    assert sorted(kept.values_list("kind", flat=True)) == ["docx", "pdf", "xlsx"]
    page = client.get(reverse("reporting-annual", args=[plan.slug, YEAR])).content.decode()
    assert 'id="generation-done"' in page and f"#{job.pk}" in page
    pdf = client.get(reverse("reporting-download", args=[plan.slug, YEAR, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # the page polled while it ran is told to reload once the job is over
    polled = client.get(reverse("reporting-annual-progress", args=[plan.slug, YEAR]) + "?was=1")
    assert polled["HX-Refresh"] == "true"


@pytest.mark.django_db(databases=["default", "jobs"])
def test_a_failed_generation_says_why_in_vietnamese(province, settings, monkeypatch) -> None:
    settings.TASKS = IMMEDIATE

    def broken(html: str) -> bytes:
        raise FileNotFoundError("/usr/bin/chromium")

    monkeypatch.setattr(generate, "html_to_pdf", broken)
    client = _client(province.officer)
    plan = province.plan

    client.post(reverse("reporting-annual-generate", args=[plan.slug, YEAR]))

    job = generation_job(plan, YEAR)
    assert job is not None and job.status == Job.Status.FAILED and job.phase == "in PDF"
    status = client.get(reverse("reporting-annual-progress", args=[plan.slug, YEAR]))
    text = status.content.decode()
    assert 'id="generation-failed"' in text
    assert "Không in được PDF: không tìm thấy trình duyệt Chromium" in text
    assert "FileNotFoundError" not in text and "GenerationFailed" not in text


@pytest.mark.django_db(databases=["default", "jobs"])
def test_a_failed_generation_can_be_retried_from_the_page(province, settings, monkeypatch) -> None:
    require_chromium()
    settings.TASKS = IMMEDIATE
    real = generate.html_to_pdf

    def broken(html: str) -> bytes:
        raise FileNotFoundError("/usr/bin/chromium")

    monkeypatch.setattr(generate, "html_to_pdf", broken)
    client = _client(province.officer)
    plan = province.plan
    client.post(reverse("reporting-annual-generate", args=[plan.slug, YEAR]))
    failed = generation_job(plan, YEAR)
    assert failed is not None and failed.status == Job.Status.FAILED

    page = client.get(reverse("reporting-annual", args=[plan.slug, YEAR])).content.decode()
    assert "Không in được PDF" in page
    retry = page[page.index('id="generation-retry"') :]
    retry = retry[: retry.index("</form>")]
    action = reverse("reporting-annual-generate", args=[plan.slug, YEAR])
    assert f'action="{action}"' in page and "Thử lại" in retry
    # the printer is back: the retry queues a new job, which ends with the three files
    monkeypatch.setattr(generate, "html_to_pdf", real)
    response = client.post(action)

    assert response.status_code == 302
    again = generation_job(plan, YEAR)
    assert again is not None and again.pk != failed.pk and again.status == Job.Status.DONE
    kinds = AnnualReportFile.objects.filter(report__plan=plan, report__year=YEAR)
    assert sorted(kinds.values_list("kind", flat=True)) == ["docx", "pdf", "xlsx"]
    page = client.get(reverse("reporting-annual", args=[plan.slug, YEAR])).content.decode()
    assert 'id="generation-failed"' not in page and 'id="generation-done"' in page


@pytest.mark.django_db(databases=["default", "jobs"])
def test_the_command_runs_it_on_the_queue_and_writes_the_files(
    province, settings, tmp_path
) -> None:
    require_chromium()
    settings.TASKS = IMMEDIATE
    out = io.StringIO()

    call_command(
        "annual_report",
        province.plan.slug,
        str(YEAR),
        "--user",
        province.officer.username,
        "--background",
        "--follow",
        "--out",
        str(tmp_path),
        stdout=out,
    )

    job = Job.objects.get(subject__startswith="reporting.annual:")
    assert f"Đã xếp hàng: việc #{job.pk}" in out.getvalue()
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".pdf", ".xlsx"]


@pytest.mark.django_db(databases=["default", "jobs"])
def test_a_commune_user_cannot_queue_or_watch_it(province, settings) -> None:
    settings.TASKS = IMMEDIATE
    client = _client(province.commune_user)
    plan = province.plan
    assert (
        client.post(reverse("reporting-annual-generate", args=[plan.slug, YEAR])).status_code == 403
    )
    assert (
        client.get(reverse("reporting-annual-progress", args=[plan.slug, YEAR])).status_code == 403
    )
    assert not Job.objects.exists()
