"""The record access log (/so/nhat-ky-truy-cap/) as province officers use it, and the
retention of read entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mch.accounts.models import Role, User
from mch.accounts.services import user_create
from mch.core.testing import make_unit
from mch.registers import services
from mch.registers.models import AuditAction, AuditEntry, Person
from mch.registers.testing import PASSWORD, TODAY, RegisterWorld, build_register_world

URL = reverse("audit-reads")


@dataclass
class Two:
    rw: RegisterWorld
    lan: Person
    mai: Person  # lives in the other province
    far_staff: User
    far_officer: User


def _at(entry: AuditEntry, day: dt.date) -> None:
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())
    AuditEntry.objects.filter(pk=entry.pk).update(at=moment)


@pytest.fixture
def two(db) -> Two:
    rw = build_register_world()
    far = make_unit(code="15", name="Tỉnh Lào Cai", level="province", parent=rw.province.parent)
    far_commune = make_unit(code="02647", name="Xã Bản Lầu", level="commune", parent=far)

    def user(name: str, role: str, unit) -> User:
        return user_create(
            username=name,
            password=PASSWORD,
            role=role,
            units=[unit],
            full_name=name,
            validate=False,
        )

    far_staff = user("tram.banlau", Role.COMMUNE_STAFF, far_commune)
    lan = services.person_register(
        user=rw.staff,
        full_name="Pi Năng Thị Lan",
        sex="F",
        birth_date=dt.date(1998, 3, 4),
        residence_unit=rw.commune,
        today=TODAY,
    )
    mai = services.person_register(
        user=far_staff,
        full_name="Lò Thị Mai",
        sex="F",
        birth_date=dt.date(2000, 1, 2),
        residence_unit=far_commune,
        today=TODAY,
    )
    return Two(rw, lan, mai, far_staff, user("so.laocai", Role.PROVINCE_OFFICER, far))


def _rows(client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["staff", "leader"])
def test_only_province_officers_open_the_log(two, client, who) -> None:
    client.force_login(getattr(two.rw, who))
    response = client.get(URL)
    assert response.status_code == 403
    assert "Chỉ cán bộ chương trình cấp tỉnh" in response.content.decode()


def test_officer_sees_who_opened_a_record_of_the_province_not_another_province(two, client) -> None:
    client.force_login(two.rw.staff)
    assert client.get(reverse("person-detail", args=[two.lan.pk])).status_code == 200
    services.audit_view(user=two.far_staff, person_id=two.mai.pk)
    client.force_login(two.rw.officer)
    page = _rows(client)
    assert "Nhật ký truy cập hồ sơ" in page
    assert "Pi Năng Thị Lan" in page
    assert "tram.banlau" not in page
    assert "Lò Thị Mai" not in page
    client.force_login(two.far_officer)
    far_page = _rows(client)
    assert "Lò Thị Mai" in far_page
    assert "Pi Năng Thị Lan" not in far_page


def test_a_read_of_a_province_person_by_an_outsider_is_shown(two, client) -> None:
    services.audit_view(user=two.far_staff, person_id=two.lan.pk)
    client.force_login(two.rw.officer)
    page = _rows(client)
    assert "tram.banlau" in page
    assert "Pi Năng Thị Lan" in page


def test_filter_by_user_person_date_and_kind(two, client) -> None:
    rw = two.rw
    old = services.audit_view(user=rw.staff, person_id=two.lan.pk, note="mở hồ sơ cũ")
    _at(old, dt.date(2026, 1, 15))
    services.audit_view(user=rw.other_staff, person_id=two.lan.pk, note="mở hồ sơ mới")
    services.audit_log(
        user=rw.staff,
        action=AuditAction.VIEW,
        note="Xem danh sách việc cần làm tiem-chung",
        changes={"worklist": "tiem-chung", "people": [two.lan.pk + 1000, two.lan.pk]},
    )
    services.audit_log(
        user=rw.staff,
        action=AuditAction.EXPORT,
        note="Xuất nguoi.csv: 3 dòng",
        changes={"file": "nguoi", "rows": {"nguoi": 3}},
    )
    services.audit_log(user=rw.staff, action=AuditAction.UPDATE, person_id=two.lan.pk, note="sửa")
    client.force_login(rw.officer)

    everything = _rows(client)
    assert "4 mục" in everything
    assert "sửa" not in everything.split("audit-rows")[1]  # changes are not reads

    by_user = _rows(client, nguoi_dung=rw.other_staff.pk)
    assert "mở hồ sơ mới" in by_user and "mở hồ sơ cũ" not in by_user

    by_person = _rows(client, nguoi=two.lan.pk)
    assert "3 mục" in by_person
    assert "việc cần làm tiem-chung" in by_person
    assert "Xuất nguoi.csv" not in by_person

    january = _rows(client, tu="01/01/2026", den="31/01/2026")
    assert "1 mục" in january and "mở hồ sơ cũ" in january

    exports = _rows(client, loai="export")
    assert "1 mục" in exports and "3 dòng" in exports


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"nguoi": "abc"}, "Người (số hồ sơ)"),
        ({"tu": "31/02/2026"}, "dd/mm/yyyy"),
        ({"tu": "02/02/2026", "den": "01/02/2026"}, "Ngày bắt đầu sau ngày kết thúc"),
        ({"nguoi_dung": "999999"}, "Người dùng"),
    ],
)
def test_malformed_filters_are_explained_not_crashed(two, client, query, message) -> None:
    client.force_login(two.rw.officer)
    page = _rows(client, **query)
    assert "alert-error" in page
    assert message in page


def test_pages_of_fifty(two, client) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(
            user=two.rw.staff, action=AuditAction.VIEW, person_id=two.lan.pk, note=f"lần {n}"
        )
        for n in range(51)
    )
    client.force_login(two.rw.officer)
    first, second = _rows(client), _rows(client, trang=2)
    assert first.count("<tr>") == 51  # header + 50
    assert second.count("<tr>") == 2
    assert "2 / 2" in second


def test_prune_deletes_old_reads_only(two) -> None:
    rw = two.rw
    old_view = services.audit_view(user=rw.staff, person_id=two.lan.pk)
    old_change = services.audit_log(user=rw.staff, action=AuditAction.UPDATE, person_id=two.lan.pk)
    recent_view = services.audit_view(user=rw.staff, person_id=two.lan.pk)
    long_ago = timezone.localdate() - dt.timedelta(days=40)
    _at(old_view, long_ago)
    _at(old_change, long_ago)
    call_command("prune_audit", "--days", "30")
    kept = set(AuditEntry.objects.values_list("pk", flat=True))
    assert old_view.pk not in kept
    assert {old_change.pk, recent_view.pk} <= kept


def test_person_page_links_officers_to_its_reads(two, client) -> None:
    link = f"{URL}?nguoi={two.lan.pk}"
    client.force_login(two.rw.staff)
    assert link not in client.get(reverse("person-detail", args=[two.lan.pk])).content.decode()
    client.force_login(two.rw.officer)
    assert link in client.get(reverse("person-detail", args=[two.lan.pk])).content.decode()
