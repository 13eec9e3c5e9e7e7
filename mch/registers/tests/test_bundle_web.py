"""The import, export and template pages, as a person uses them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mch.registers.models import AuditEntry, ImportBatch, Person, Pregnancy

from .bundle_helpers import basic_files, csv_text

pytestmark = pytest.mark.django_db(databases=["default", "jobs"])


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings, tmp_path) -> None:
    # The page queues the import for the worker; here it runs as it is queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def upload(name: str, rows) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(rows).encode("utf-8"), content_type="text/csv")


def test_upload_with_an_error_shows_it_and_saves_nothing(rw, client_for) -> None:
    persons = basic_files()["persons"]
    persons[1]["ngay_sinh"] = "30/02/2026"
    client = client_for(rw.staff)
    response = client.post(
        reverse("register-import"), {"file": upload("nguoi.csv", persons)}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-rejected"' in page
    assert "chưa lưu gì" in page
    assert "&#x27;30/02/2026&#x27; không phải ngày hợp lệ (dd/mm/yyyy)" in page
    assert '<td class="num">3</td><td>ngay_sinh</td>' in page
    assert not Person.objects.exists()
    assert ImportBatch.objects.get().status == "rejected"


def test_keep_valid_rows_from_the_page(rw, client_for) -> None:
    persons = basic_files()["persons"]
    persons[1]["ngay_sinh"] = "30/02/2026"
    client = client_for(rw.staff)
    response = client.post(
        reverse("register-import"),
        {"file": upload("nguoi.csv", persons), "keep_valid_rows": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert 'id="import-done"' in page and "1 bị từ chối" in page
    assert list(Person.objects.values_list("external_id", flat=True)) == ["ND-1"]


def test_a_good_upload_lands_on_its_result_and_the_status_fragment(rw, client_for) -> None:
    client = client_for(rw.staff)
    response = client.post(
        reverse("register-import"), {"file": upload("nguoi.csv", basic_files()["persons"])}
    )
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("register-import-batch", args=[batch.pk])
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="import-status"')
    assert "hx-trigger" not in fragment  # finished: the page stops polling
    assert "Đã nhập xong" in fragment
    assert Person.objects.count() == 2


def test_a_running_import_polls_its_progress_from_the_database(rw, client_for) -> None:
    from mch.jobs.models import Job
    from mch.registers.bundle.jobs import KIND, subject

    batch = ImportBatch.objects.create(created_by=rw.staff, file_name="lon.zip", rows_total=1000)
    Job.objects.create(
        kind=KIND,
        title="Nhập sổ: lon.zip",
        subject=subject(batch),
        status=Job.Status.RUNNING,
        worker="another-machine:1",  # alive as far as this process can tell
        heartbeat_at=timezone.now(),
        phase="ghi",
        done=1450,
        total=2000,
        percent=72,
        message="Đang ghi tệp Cân đo",
    )
    text = (
        client_for(rw.staff)
        .get(reverse("register-import-batch", args=[batch.pk]), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'hx-trigger="every 1s"' in text
    assert "Bước: ghi — Đang ghi tệp Cân đo" in text and "72%" in text


def test_a_failed_import_can_be_run_again_from_its_page(rw, client_for, settings) -> None:
    client = client_for(rw.staff)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.post(reverse("register-import"), {"file": upload("nguoi.csv", basic_files()["persons"])})
    batch = ImportBatch.objects.get()
    from mch.jobs.models import Job

    # The worker that took it was killed: nothing was written, the batch is left checking.
    Job.objects.filter(subject=f"registers.importbatch:{batch.pk}").update(
        status=Job.Status.RUNNING, worker="another-machine:1", heartbeat_at=None, phase="ghi"
    )
    page = client.get(reverse("register-import-batch", args=[batch.pk])).content.decode()
    assert 'id="import-failed"' in page and "dừng giữa chừng" in page
    assert ImportBatch.objects.get().status == "failed" and not Person.objects.exists()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = client.post(reverse("register-import-retry", args=[batch.pk]), follow=True)
    assert 'id="import-done"' in response.content.decode()
    assert ImportBatch.objects.get().status == "done" and Person.objects.count() == 2


def test_leaders_cannot_import_or_export(rw, client_for) -> None:
    client = client_for(rw.leader)
    assert client.get(reverse("register-import")).status_code == 403
    assert client.get(reverse("register-export-file", args=["nguoi", "csv"])).status_code == 403


def test_another_users_batch_is_not_shown(rw, client_for) -> None:
    batch = ImportBatch.objects.create(created_by=rw.staff, file_name="a.csv")
    assert (
        client_for(rw.other_staff)
        .get(reverse("register-import-batch", args=[batch.pk]))
        .status_code
        == 404
    )


def test_export_links_download_scoped_files_and_are_audited(rw, client_for, tmp_path) -> None:
    client = client_for(rw.staff)
    client.post(reverse("register-import"), {"file": upload("nguoi.csv", basic_files()["persons"])})
    page = client.get(reverse("register-export")).content.decode()
    assert reverse("register-export-file", args=["thai_ky", "xlsx"]) in page
    response = client.get(reverse("register-export-file", args=["nguoi", "csv"]))
    assert response.status_code == 200
    assert 'filename="nguoi.csv"' in response["Content-Disposition"]
    assert "Nguyễn Thị Lan" in response.content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(action="export", user=rw.staff).count() == 1
    other = client_for(rw.other_staff).get(reverse("register-export-file", args=["nguoi", "csv"]))
    assert "Nguyễn Thị Lan" not in other.content.decode("utf-8-sig")
    assert not Pregnancy.objects.exists()


def test_template_download(rw, client_for) -> None:
    response = client_for(rw.staff).get(reverse("register-template"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert "mau-nhap-so.xlsx" in response["Content-Disposition"]
