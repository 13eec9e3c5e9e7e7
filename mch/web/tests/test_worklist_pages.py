"""Worklist pages as a commune station uses them: counts, a list, printing and exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mch.registers import services
from mch.registers.models import AuditEntry, Person
from mch.registers.testing import TODAY, build_register_world

ON = f"on={TODAY:%d/%m/%Y}"
URL = "/so/viec-can-lam/"


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def rw(db):
    return build_register_world()


@pytest.fixture
def people(rw):
    """A woman overdue for antenatal care, a mother delivered 2 days ago, a child of 70
    days with no doses, in two villages of Xã Hòa Bình; and a child in the other commune."""

    def register(name, sex, born, village, unit=rw.commune, user=rw.staff, **extra):
        return services.person_register(
            user=user,
            full_name=name,
            sex=sex,
            birth_date=born,
            residence_unit=unit,
            village=village,
            allow_likely_duplicate=True,
            today=TODAY,
            **extra,
        )

    pregnant = register("Hà Thị Mai", "F", dt.date(1997, 5, 1), "Thôn Suối Đá", phone="0912000111")
    pregnancy = services.pregnancy_register(
        user=rw.staff, person=pregnant, date=days_ago(90), lmp=days_ago(140), today=TODAY
    )
    services.antenatal_visit_record(
        user=rw.staff, pregnancy=pregnancy, date=days_ago(50), today=TODAY
    )
    mother = register("Lò Thị Hoa", "F", dt.date(1999, 1, 2), "Bản Nà")
    services.delivery_record(
        user=rw.staff,
        person=mother,
        date=days_ago(2),
        place="home",
        attendant="midwife",
        babies=[services.BirthInput(sex="F", full_name="Lò Thị Na", birth_weight_g=3000)],
        today=TODAY,
    )
    baby = register("Hà Văn Tú", "M", days_ago(70), "Thôn Suối Đá")
    stranger = register(
        "Trần Văn Khác",
        "M",
        days_ago(70),
        "Khu phố 1",
        unit=rw.other_commune,
        user=rw.other_staff,
    )
    return {
        "pregnant": pregnant,
        "pregnancy": pregnancy,
        "mother": mother,
        "baby": baby,
        "stranger": stranger,
    }


def test_overview_counts_each_list(rw, people, as_user) -> None:
    response = as_user(rw.staff).get(f"{URL}?{ON}")
    assert response.status_code == 200
    counts = {item["worklist"].slug: item["counts"].total for item in response.context["summary"]}
    # The newborn Lò Thị Na (2 days, no doses) is on the immunisation list with Hà Văn Tú.
    assert counts == {
        "kham-thai": 1,
        "sau-sinh": 1,
        "tiem-chung": 2,
        "dinh-duong": 0,
        "tu-vong-me": 0,
    }
    html = response.content.decode()
    assert "Xã Hòa Bình" in html and "Việc cần làm" in html
    assert f'href="{URL}tiem-chung/?unit={rw.commune.pk}' in html


def test_list_page_shows_people_and_sees_the_list_change(rw, people, as_user) -> None:
    client = as_user(rw.staff)
    response = client.get(f"{URL}kham-thai/?{ON}")
    html = response.content.decode()
    assert f'<a href="/nguoi/{people["pregnant"].pk}/">Hà Thị Mai</a>' in html
    assert "0912000111" in html and "Thôn Suối Đá" in html and "quá hạn" in html
    services.antenatal_visit_record(
        user=rw.staff, pregnancy=people["pregnancy"], date=days_ago(1), today=TODAY
    )
    response = client.get(f"{URL}kham-thai/?{ON}")
    assert "Hà Thị Mai" not in response.content.decode()
    assert response.context["counts"].total == 0


def test_immunisation_page_lists_the_doses_and_filters(rw, people, as_user) -> None:
    client = as_user(rw.staff)
    html = client.get(f"{URL}tiem-chung/?{ON}").content.decode()
    assert "Hà Văn Tú" in html and "DPT-VGB-Hib mũi 1" in html and "Trần Văn Khác" not in html
    only_due = client.get(f"{URL}tiem-chung/?{ON}&status=due")
    statuses = {t.status for row in only_due.context["rows"] for t in row.tasks}
    assert statuses == {"due"}
    village = client.get(f"{URL}tiem-chung/?{ON}&village=Bản Nà")
    assert [row.name for row in village.context["rows"]] == ["Lò Thị Na"]


def test_postnatal_page_names_who_needs_the_visit(rw, people, as_user) -> None:
    html = as_user(rw.staff).get(f"{URL}sau-sinh/?{ON}").content.decode()
    assert "Lò Thị Hoa" in html and "Lò Thị Na" in html and "ngày thứ 2 sau sinh" in html


def test_print_page_has_title_and_no_navigation(rw, people, as_user) -> None:
    response = as_user(rw.staff).get(f"{URL}tiem-chung/in/?{ON}&village=Thôn Suối Đá")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xã Hòa Bình" in html and "Thôn Suối Đá" in html and "20/11/2026" in html
    assert "@page { size: A4" in html
    assert 'class="site-header' not in html and "Đăng xuất" not in html
    assert "Hà Văn Tú" in html and "Lò Thị Na" not in html


def test_xlsx_export_has_the_rows_and_is_audited(rw, people, as_user) -> None:
    response = as_user(rw.staff).get(f"{URL}tiem-chung/xuat.xlsx?{ON}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "viec-can-lam-tiem-chung-22795-20261120.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert "Xã Hòa Bình" in values[0][0] and "20/11/2026" in values[0][0]
    header, body = values[2], values[3:]
    assert header[:3] == ["STT", "Họ và tên", "Thôn/bản"]
    assert {row[1] for row in body} == {"Hà Văn Tú", "Lò Thị Na"}
    tu = next(row for row in body if row[1] == "Hà Văn Tú")
    assert "DPT-VGB-Hib mũi 1" in tu[5] and tu[6].date() <= TODAY
    entry = AuditEntry.objects.get(action="export")
    assert entry.user == rw.staff
    assert entry.changes["worklist"] == "tiem-chung" and entry.changes["rows"] == 2
    assert set(entry.changes["person_ids"]) == {
        people["baby"].pk,
        Person.objects.get(full_name="Lò Thị Na").pk,
    }


def test_csv_export_for_a_village(rw, people, as_user) -> None:
    response = as_user(rw.staff).get(f"{URL}kham-thai/xuat.csv?{ON}&village=Thôn Suối Đá")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][1] == "Họ và tên"
    assert [row[1] for row in rows[1:]] == ["Hà Thị Mai"]
    assert AuditEntry.objects.filter(action="export", changes__format="csv").count() == 1


@pytest.mark.parametrize(
    "path",
    [URL, f"{URL}tiem-chung/", f"{URL}tiem-chung/in/", f"{URL}tiem-chung/xuat.xlsx"],
)
def test_users_who_may_not_see_people_get_403(rw, as_user, path) -> None:
    assert as_user(rw.leader).get(f"{path}?{ON}").status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_another_commune_cannot_be_chosen(rw, people, as_user) -> None:
    client = as_user(rw.staff)
    response = client.get(f"{URL}tiem-chung/?{ON}&unit={rw.other_commune.pk}")
    assert response.status_code == 404
    choices = client.get(f"{URL}?{ON}").context["query"].units
    assert choices == [rw.commune]


def test_province_officer_sees_every_commune_with_its_counts(rw, people, as_user) -> None:
    client = as_user(rw.officer)
    response = client.get(f"{URL}?{ON}")
    summary = response.context["area_summary"]
    assert response.context["unit"] is None and summary.area == rw.province
    by_unit = {c.unit: c.lists for c in summary.communes}
    assert set(by_unit) == {rw.commune, rw.other_commune}
    station = as_user(rw.staff).get(f"{URL}?{ON}").context["summary"]
    assert {slug: c.total for slug, c in by_unit[rw.commune].items()} == {
        item["worklist"].slug: item["counts"].total for item in station
    }
    assert by_unit[rw.other_commune]["tiem-chung"].total == 1  # Trần Văn Khác
    assert summary.total.lists["tiem-chung"].total == 3
    html = response.content.decode()
    assert "Xã Hòa Bình" in html and "Tỉnh" in html
    # A count opens that commune's list, the commune its own overview.
    overdue = by_unit[rw.commune]["kham-thai"].by_status["overdue"]
    link = f'href="{URL}kham-thai/?unit={rw.commune.pk}&amp;on={TODAY:%d/%m/%Y}">{overdue}</a>'
    assert link in html
    assert f'href="{URL}?unit={rw.other_commune.pk}&amp;on=' in html
    other = as_user(rw.officer).get(f"{URL}tiem-chung/?{ON}&unit={rw.other_commune.pk}")
    assert [row.name for row in other.context["rows"]] == ["Trần Văn Khác"]


def test_a_station_has_no_province_view(rw, people, as_user) -> None:
    client = as_user(rw.staff)
    response = client.get(f"{URL}?{ON}")
    assert response.context["area_summary"] is None and response.context["unit"] == rw.commune
    assert client.get(f"{URL}?{ON}&area={rw.province.pk}").status_code == 404


def test_the_list_says_what_due_means_with_each_date(rw, people, as_user) -> None:
    html = as_user(rw.staff).get(f"{URL}kham-thai/?{ON}").content.decode()
    legend = html[html.index('id="legend"') : html.index("</section>")]
    assert "quá hạn" in legend and "30 ngày" in legend and "14 ngày" in legend
    # The last visit was 50 days ago: due 30 days after it, overdue 14 days after that.
    due, overdue = days_ago(20), days_ago(6)
    assert f"quá hạn từ {overdue:%d/%m/%Y} (hạn {due:%d/%m/%Y})" in html


def test_unknown_list_and_anonymous(rw, client, as_user) -> None:
    response = client.get(f"{URL}tiem-chung/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert as_user(rw.staff).get(f"{URL}khong-co/").status_code == 404


def test_opening_and_printing_a_worklist_is_logged(rw, client) -> None:
    mother = services.person_register(
        user=rw.staff,
        full_name="Lò Thị Xuân",
        sex="F",
        birth_date=dt.date(1996, 1, 1),
        residence_unit=rw.commune,
    )
    today = timezone.localdate()
    services.pregnancy_register(
        user=rw.staff,
        person=mother,
        date=today - dt.timedelta(days=60),
        lmp=today - dt.timedelta(days=100),
    )
    client.force_login(rw.staff)
    for url in (
        reverse("worklist", args=["kham-thai"]),
        reverse("worklist-print", args=["kham-thai"]),
    ):
        assert client.get(url).status_code == 200
    views = AuditEntry.objects.filter(action="view", changes__worklist="kham-thai")
    assert views.count() == 2
    assert all(entry.changes["people"] == [mother.pk] for entry in views)
