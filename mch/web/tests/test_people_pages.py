"""The people pages of the registers, through the URL, as commune staff use them."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from mch.registers import services
from mch.registers.models import AuditEntry, Person, Pregnancy
from mch.registers.testing import TODAY, RegisterWorld, build_register_world

D = dt.date
LAN_ID = "056198000123"


@pytest.fixture
def rw(db) -> RegisterWorld:
    return build_register_world()


def text(response) -> str:
    return response.content.decode()


def lan(rw, **extra) -> Person:
    return services.person_register(
        user=rw.staff,
        full_name="Pi Năng Thị Lan",
        sex="F",
        birth_date=D(1998, 3, 4),
        residence_unit=rw.commune,
        village="Thôn Suối Đá",
        ethnicity="21",
        today=TODAY,
        **extra,
    )


def mother_with_child(rw) -> tuple[Person, Person]:
    """Lan: a pregnancy with three visits, a delivery, her son weighed and vaccinated."""
    mother = lan(rw, national_id=LAN_ID)
    pregnancy = services.pregnancy_register(
        user=rw.staff, person=mother, date=D(2026, 2, 10), lmp=D(2026, 1, 5), today=TODAY
    )
    for day in (D(2026, 2, 10), D(2026, 5, 5), D(2026, 8, 1)):
        services.antenatal_visit_record(
            user=rw.staff,
            pregnancy=pregnancy,
            date=day,
            iron_tablets=30,
            facility=rw.station,
            today=TODAY,
        )
    delivery = services.delivery_record(
        user=rw.staff,
        person=mother,
        date=D(2026, 10, 1),
        place="facility",
        facility=rw.station,
        attendant="midwife",
        babies=[services.BirthInput(sex="M", birth_weight_g=3100)],
        today=TODAY,
    )
    child = Person.objects.get(mother=mother)
    services.postnatal_contact_record(
        user=rw.staff, delivery=delivery, person=mother, date=D(2026, 10, 4), place="home"
    )
    services.measurement_record(
        user=rw.staff,
        person=child,
        date=D(2026, 11, 1),
        weight_kg=4.2,
        length_cm=54.0,
        position="lying",
        today=TODAY,
    )
    services.dose_record(
        user=rw.staff, person=child, antigen="bcg", dose=1, date=D(2026, 10, 2), today=TODAY
    )
    return mother, child


def listed(person: Person) -> str:
    """A person's row in the search results starts with a link to their page."""
    return f'<th scope="row"><a href="{reverse("person-detail", args=[person.pk])}">'


def form_data(rw, **values) -> dict[str, str]:
    data = {
        "full_name": "Mấu Thị Hoa",
        "sex": "F",
        "birth_date": "12/05/2001",
        "ethnicity": "21",
        "national_id": "",
        "insurance_number": "",
        "phone": "0912 345 678",
        "residence_unit": str(rw.commune.pk),
        "village": "Thôn Suối Đá",
        "address": "",
        "poverty": "poor",
        "education": "primary",
    }
    data.update(values)
    return data


# ---------------------------------------------------------------------- search


def test_search_finds_lan_by_her_name_without_accents_and_by_national_id(rw, as_user) -> None:
    person = lan(rw, national_id=LAN_ID)
    client = as_user(rw.staff)
    by_name = text(client.get(reverse("person-list"), {"q": "lan"}))
    assert "Pi Năng Thị Lan" in by_name
    assert reverse("person-detail", args=[person.pk]) in by_name
    assert "Pi Năng Thị Lan" in text(client.get(reverse("person-list"), {"q": LAN_ID}))
    assert "Pi Năng Thị Lan" not in text(client.get(reverse("person-list"), {"q": "hoa"}))


def test_search_filters_women_and_children(rw, as_user) -> None:
    mother, child = mother_with_child(rw)
    client = as_user(rw.staff)
    children = text(client.get(reverse("person-list"), {"nhom": "tre-em"}))
    women = text(client.get(reverse("person-list"), {"nhom": "phu-nu"}))
    assert listed(child) in children and listed(mother) not in children
    assert listed(mother) in women and listed(child) not in women


def test_search_answers_htmx_with_the_rows_only(rw, as_user) -> None:
    lan(rw)
    page = text(as_user(rw.staff).get(reverse("person-list"), {"q": "lan"}, HTTP_HX_REQUEST="true"))
    assert "Pi Năng Thị Lan" in page
    assert "<html" not in page


def test_the_village_choices_are_in_natural_order(rw, as_user) -> None:
    for village in ("Thôn 10", "Thôn 2", "Thôn 1"):
        services.person_register(
            user=rw.staff,
            full_name=f"Lò Thị {village}",
            sex="F",
            residence_unit=rw.commune,
            village=village,
            today=TODAY,
        )
    html = text(as_user(rw.staff).get(reverse("person-list")))
    datalist = html[html.index('<datalist id="villages">') :].split("</datalist>")[0]
    assert re.findall(r'value="([^"]+)"', datalist) == ["Thôn 1", "Thôn 2", "Thôn 10"]


def test_another_communes_staff_neither_finds_nor_opens_the_person(rw, as_user) -> None:
    person = lan(rw, national_id=LAN_ID)
    client = as_user(rw.other_staff)
    assert "Pi Năng Thị Lan" not in text(client.get(reverse("person-list"), {"q": "lan"}))
    assert "Pi Năng Thị Lan" not in text(client.get(reverse("person-list"), {"q": LAN_ID}))
    assert client.get(reverse("person-detail", args=[person.pk])).status_code == 404
    assert client.get(reverse("person-edit", args=[person.pk])).status_code == 404


def test_a_leader_gets_a_vietnamese_refusal(rw, as_user) -> None:
    person = lan(rw)
    client = as_user(rw.leader)
    for url in (
        reverse("person-list"),
        reverse("person-register"),
        reverse("person-detail", args=[person.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "không được mở hồ sơ cá nhân" in text(response)
    assert not AuditEntry.objects.filter(action="view").exists()


def test_the_pages_need_a_log_in(client) -> None:
    response = client.get(reverse("person-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_navigation_links_to_the_people_pages(rw, as_user) -> None:
    page = text(as_user(rw.staff).get(reverse("home")))
    assert f'href="{reverse("person-list")}"' in page
    assert "Sổ sách / Người" in page


# ---------------------------------------------------------------------- register


def test_register_a_woman_with_labelled_fields(rw, as_user) -> None:
    client = as_user(rw.staff)
    form = text(client.get(reverse("person-register")))
    for field in ("full_name", "birth_date", "national_id", "residence_unit", "village"):
        assert f'<label for="id_{field}">' in form
    assert "Đăng ký phụ nữ" in form
    response = client.post(reverse("person-register"), form_data(rw))
    hoa = Person.objects.get(full_name="Mấu Thị Hoa")
    assert response["Location"] == reverse("person-detail", args=[hoa.pk])
    assert (hoa.birth_date, hoa.phone, hoa.poverty) == (D(2001, 5, 12), "0912 345 678", "poor")
    assert hoa.registered_unit == rw.commune


def test_an_invalid_national_id_is_explained_in_vietnamese_and_nothing_saved(rw, as_user) -> None:
    response = as_user(rw.staff).post(
        reverse("person-register"), form_data(rw, national_id="12345")
    )
    assert response.status_code == 200
    assert "Số CCCD phải gồm đúng 12 chữ số (đã nhập: 12345)" in text(response)
    assert not Person.objects.exists()


def test_a_likely_duplicate_is_offered_then_registered_when_confirmed(rw, as_user) -> None:
    first = lan(rw)
    client = as_user(rw.staff)
    same = form_data(rw, full_name="PI NANG THI LAN", birth_date="04/03/1998")
    offered = text(client.post(reverse("person-register"), same))
    assert "Người này có thể đã có trong sổ" in offered
    assert reverse("person-detail", args=[first.pk]) in offered
    assert "Đây là người khác, vẫn đăng ký" in offered
    assert Person.objects.count() == 1
    response = client.post(reverse("person-register"), {**same, "allow_likely_duplicate": "on"})
    second = Person.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("person-detail", args=[second.pk])


def test_register_a_child_of_a_mother(rw, as_user) -> None:
    mother = lan(rw)
    client = as_user(rw.staff)
    url = f"{reverse('person-register')}?me={mother.pk}"
    assert "Con của Pi Năng Thị Lan" in text(client.get(url))
    response = client.post(
        url, form_data(rw, full_name="Pi Năng Văn Tú", sex="M", birth_date="01/09/2025")
    )
    child = Person.objects.get(full_name="Pi Năng Văn Tú")
    assert response["Location"] == reverse("person-detail", args=[child.pk])
    assert child.mother == mother


# ---------------------------------------------------------------------- the handbook page


def test_the_mothers_page_shows_her_visits_delivery_and_child(rw, as_user) -> None:
    mother, child = mother_with_child(rw)
    page = text(as_user(rw.staff).get(reverse("person-detail", args=[mother.pk])))
    assert "Mang thai và khám thai" in page
    for day in ("10/02/2026", "05/05/2026", "01/08/2026"):
        assert day in page
    # gestational weeks of the three visits (LMP 05/01/2026) and the tablets taken
    visit_weeks = re.findall(r'<td class="num">(\d+)</td>\s*<td class="num">([123])</td>', page)
    assert visit_weeks == [("5", "1"), ("17", "2"), ("29", "3")]
    assert "90 viên sắt/đa vi chất" in page
    assert reverse("person-detail", args=[child.pk]) in page
    assert "Trạm Y tế xã Hòa Bình" in page
    assert "•••••••••123" in page and LAN_ID not in page
    assert f"/so/kham-thai/them/?nguoi={mother.pk}" not in page  # the pregnancy has ended
    assert f"/so/de/them/?nguoi={mother.pk}" in page


def test_the_childs_page_shows_z_scores_with_a_decimal_comma_and_the_chart_data(
    rw, as_user
) -> None:
    _, child = mother_with_child(rw)
    measurement = child.measurements.get()
    page = text(as_user(rw.staff).get(reverse("person-detail", args=[child.pk])))
    waz = f"{measurement.waz:.2f}".replace(".", ",")
    haz = f"{measurement.haz:.2f}".replace(".", ",")
    assert waz in page and haz in page
    assert "4,20" in page  # weight in kg
    assert "BCG" in page and f"/so/tiem-chung/them/?nguoi={child.pk}" in page
    data = json.loads(
        re.search(r'<script id="growth-data" type="application/json">(.*?)</script>', page, re.S)[1]
    )
    weight = next(chart for chart in data["charts"] if chart["id"] == "wfa")
    assert weight["points"] == [{"x": 1.02, "y": 4.2, "date": "01/11/2026"}]
    assert set(weight["lines"]) == {"-3", "-2", "0", "2", "3"}
    assert len(weight["x"]) == len(weight["lines"]["0"])
    assert 3.2 < weight["lines"]["0"][0] < 3.4  # WHO median birth weight of boys, 3.3 kg
    assert "web/vendor/chart.umd.min.js" in page and "web/growth-chart.js" in page
    # no inline script or handler, so a strict Content-Security-Policy stays possible
    scripts = re.findall(r"<script([^>]*)>", page)
    assert all("src=" in attrs or "application/json" in attrs for attrs in scripts)
    assert not re.search(r"\son[a-z]+=", page)


def test_the_page_shows_the_history_of_a_correction(rw, as_user) -> None:
    person = lan(rw)
    client = as_user(rw.staff)
    response = client.post(
        reverse("person-edit", args=[person.pk]),
        form_data(rw, full_name="Pi Năng Thị Lan", birth_date="04/03/1998", village="Thôn Ba Cụm"),
    )
    assert response["Location"] == reverse("person-detail", args=[person.pk])
    page = text(client.get(reverse("person-detail", args=[person.pk])))
    assert "Lịch sử thay đổi" in page
    assert "Thôn/bản: Thôn Suối Đá → Thôn Ba Cụm" in page
    assert "tram" in page  # who


def test_a_correction_with_a_bad_phone_is_refused_in_vietnamese(rw, as_user) -> None:
    person = lan(rw)
    response = as_user(rw.staff).post(
        reverse("person-edit", args=[person.pk]),
        form_data(rw, full_name="Pi Năng Thị Lan", phone="12"),
    )
    assert "Số điện thoại không hợp lệ (đã nhập: 12)" in text(response)
    person.refresh_from_db()
    assert person.phone == ""


def test_each_view_of_a_person_is_logged(rw, as_user) -> None:
    person = lan(rw)
    client = as_user(rw.staff)
    client.get(reverse("person-detail", args=[person.pk]))
    client.get(reverse("person-detail", args=[person.pk]))
    views = AuditEntry.objects.filter(action="view", person_id=person.pk)
    assert views.count() == 2
    assert {entry.user_id for entry in views} == {rw.staff.pk}


def test_the_person_page_reads_a_fixed_number_of_queries(
    rw, as_user, django_assert_max_num_queries
) -> None:
    mother, child = mother_with_child(rw)
    client = as_user(rw.staff)
    for person in (mother, child):
        client.get(reverse("person-detail", args=[person.pk]))  # warm the session and caches
        with django_assert_max_num_queries(24):
            assert client.get(reverse("person-detail", args=[person.pk])).status_code == 200


def test_a_warning_shows_as_a_yellow_badge_and_danger_signs_as_a_yellow_box(rw, as_user) -> None:
    person = lan(rw)
    pregnancy = services.pregnancy_register(
        user=rw.staff, person=person, date=D(2026, 9, 1), lmp=D(2026, 7, 1), today=TODAY
    )
    services.antenatal_visit_record(
        user=rw.staff,
        pregnancy=pregnancy,
        date=D(2026, 11, 2),
        danger_signs=["bleeding"],
        today=TODAY,
    )
    Pregnancy.objects.filter(pk=pregnancy.pk).update(flags=["lmp_edd_mismatch"])
    client = as_user(rw.staff)
    page = text(client.get(reverse("person-detail", args=[person.pk])))
    assert "Cần đến cơ sở y tế" in page
    assert "Ra máu" in page
    assert '<span class="badge warn">Ngày dự sinh không khớp với kỳ kinh cuối</span>' in page
    add_visit = f"/so/kham-thai/them/?nguoi={person.pk}&thai_ky={pregnancy.pk}"
    assert add_visit.replace("&", "&amp;") in page
    assert client.get(add_visit).status_code == 200  # the register form it leads to
    visit = pregnancy.visits.get()
    assert f'href="{reverse("record-antenatal-edit", args=[visit.pk])}"' in page


# ---------------------------------------------------------------------- move and merge


def test_moving_to_another_commune_hands_the_person_over(rw, as_user) -> None:
    person = lan(rw)
    response = as_user(rw.staff).post(
        reverse("person-move", args=[person.pk]),
        {"residence_unit": rw.other_commune.pk, "village": "Tổ 3", "moved_on": "01/10/2026"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.residence_unit == rw.other_commune
    assert list(person.residences.values_list("unit_id", "valid_to")) == [
        (rw.commune.pk, D(2026, 9, 30)),
        (rw.other_commune.pk, None),
    ]
    assert rw.other_staff.units.get() == rw.other_commune
    client = as_user(rw.other_staff)
    assert client.get(reverse("person-detail", args=[person.pk])).status_code == 200


def test_merge_moves_the_pregnancy_and_marks_the_duplicate(rw, as_user) -> None:
    keep = lan(rw)
    duplicate = lan(rw, national_id=LAN_ID, allow_likely_duplicate=True)
    pregnancy = services.pregnancy_register(
        user=rw.staff, person=duplicate, date=D(2026, 2, 10), lmp=D(2026, 1, 5), today=TODAY
    )
    client = as_user(rw.staff)
    url = reverse("person-merge", args=[keep.pk])
    choose = text(client.get(url))
    assert f'value="{duplicate.pk}"' in choose
    confirm = text(client.post(url, {"trung": duplicate.pk}))
    assert "Xác nhận gộp" in confirm
    assert "Thai kỳ: 1" in confirm
    pregnancy.refresh_from_db()
    assert pregnancy.person_id == duplicate.pk  # nothing moves before the confirmation
    response = client.post(url, {"trung": duplicate.pk, "confirm": "1"})
    assert response["Location"] == reverse("person-detail", args=[keep.pk])
    pregnancy.refresh_from_db()
    duplicate.refresh_from_db()
    assert pregnancy.person_id == keep.pk
    assert duplicate.merged_into_id == keep.pk
    opened = client.get(reverse("person-detail", args=[duplicate.pk]))
    assert opened["Location"] == reverse("person-detail", args=[keep.pk])


def test_chart_js_is_served_locally_with_its_licence() -> None:
    from django.contrib.staticfiles import finders

    script = finders.find("web/vendor/chart.umd.min.js")
    licence = finders.find("web/vendor/chart.js-LICENSE.md")
    assert script and licence
    with open(script, encoding="utf-8") as handle:
        assert "Chart.js v4" in handle.read(300)
    with open(licence, encoding="utf-8") as handle:
        assert "The MIT License" in handle.read()
    assert finders.find("web/growth-chart.js")
