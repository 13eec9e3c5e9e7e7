"""A commune health station records a mother and her baby in a real browser: registration,
pregnancy, antenatal visits, delivery, vaccines, growth and a death, and the worklists
follow."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mch.registers.models import Death, Delivery, GrowthMeasurement, Immunisation, Person
from mch.registers.testing import PASSWORD, build_register_world

SCREENS = os.environ.get("MCH_SCREENS", "")


def ddmmyyyy(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def world(transactional_db):
    return build_register_world()


def log_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(base + reverse("home"))


def save(page) -> None:
    """Submit the form and wait for the answer page: the click alone returns before the
    server has saved, and reading the database then races the request."""
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu", exact=True).click()


def on_worklist(page, base: str, slug: str, name: str) -> bool:
    page.goto(base + reverse("worklist", args=[slug]))
    return page.locator("table.worklist").get_by_text(name, exact=True).count() > 0


def person_id(page) -> int:
    match = re.search(r"/nguoi/(\d+)/", page.url)
    assert match, page.url
    return int(match.group(1))


@pytest.mark.browser
def test_station_records_a_mother_and_child(page, live_server, world) -> None:
    today = timezone.localdate()
    delivered = today - dt.timedelta(days=3)
    lmp = delivered - dt.timedelta(days=275)
    base = live_server.url
    log_in(page, base, "tram")

    # Register the woman.
    page.goto(base + reverse("person-register"))
    page.fill("#id_full_name", "Pi Năng Thị Hoa")
    page.select_option("#id_sex", "F")
    page.fill("#id_birth_date", "04/03/1998")
    page.select_option("#id_ethnicity", "21")
    page.fill("#id_village", "Thôn Suối Đá")
    page.get_by_role("button", name="Đăng ký phụ nữ").click()
    page.wait_for_url(re.compile(r".*/nguoi/\d+/$"))
    mother_id = person_id(page)
    assert page.get_by_role("heading", name="Pi Năng Thị Hoa").is_visible()

    # A pregnancy with its last period, then two antenatal visits.
    page.goto(base + reverse("record-pregnancy-add") + f"?nguoi={mother_id}")
    page.fill("#id_date", ddmmyyyy(lmp + dt.timedelta(days=50)))
    page.fill("#id_lmp", ddmmyyyy(lmp))
    save(page)
    pregnancy = Person.objects.get(pk=mother_id).pregnancies.get()
    assert on_worklist(page, base, "kham-thai", "Pi Năng Thị Hoa")
    for weeks in (8, 36):
        page.goto(base + reverse("record-antenatal-add") + f"?thai_ky={pregnancy.pk}")
        page.fill("#id_date", ddmmyyyy(lmp + dt.timedelta(weeks=weeks)))
        page.fill("#id_iron_tablets", "30")
        save(page)
    pregnancy.refresh_from_db()
    assert (pregnancy.anc_visits, pregnancy.anc_trimesters) == (2, "13")

    # A visit before the last period is refused with a Vietnamese message.
    page.goto(base + reverse("record-antenatal-add") + f"?thai_ky={pregnancy.pk}")
    page.fill("#id_date", ddmmyyyy(lmp - dt.timedelta(days=3)))
    save(page)
    assert page.get_by_text("trước ngày kinh cuối").first.is_visible()

    # The delivery at the station, one live baby.
    page.goto(base + reverse("record-delivery-add") + f"?thai_ky={pregnancy.pk}")
    page.fill("#id_date", ddmmyyyy(delivered))
    page.locator("input[name=place][value=facility]").check()
    page.select_option("#id_attendant", "midwife")
    baby = page.locator("#baby-1")
    baby.locator("input[type=radio][value=M]").check()
    baby.locator("input[name$=birth_weight_g]").fill("3100")
    save(page)
    delivery = Delivery.objects.get(person_id=mother_id)
    assert delivery.skilled and delivery.live_births == 1
    child = Person.objects.get(mother_id=mother_id)

    # The worklists follow: no longer pregnant, now due a home postnatal visit; the baby
    # is due the birth doses.
    assert not on_worklist(page, base, "kham-thai", "Pi Năng Thị Hoa")
    assert on_worklist(page, base, "sau-sinh", "Pi Năng Thị Hoa")
    assert on_worklist(page, base, "tiem-chung", child.full_name)
    page.goto(base + reverse("record-postnatal-add") + f"?de={delivery.pk}")
    for box in page.locator("input[name=people]").all():
        box.check()
    page.fill("#id_date", ddmmyyyy(today))
    page.locator("input[name=place][value=home]").check()
    save(page)
    assert not on_worklist(page, base, "sau-sinh", "Pi Năng Thị Hoa")

    # Vaccines at birth, then a growth measurement.
    for antigen in ("hepb_birth", "bcg"):
        page.goto(base + reverse("record-dose-add") + f"?nguoi={child.pk}")
        page.select_option("#id_antigen", antigen)
        page.fill("#id_dose", "1")
        page.fill("#id_date", ddmmyyyy(delivered))
        save(page)
    assert set(Immunisation.objects.filter(person=child).values_list("antigen", flat=True)) == {
        "hepb_birth",
        "bcg",
    }
    assert not on_worklist(page, base, "tiem-chung", child.full_name)
    page.goto(base + reverse("record-growth-add") + f"?nguoi={child.pk}")
    page.fill("#id_date", ddmmyyyy(today))
    page.fill("#id_weight_kg", "3,3")
    page.fill("#id_length_cm", "50,5")
    page.locator("input[name=position][value=lying]").check()
    save(page)
    measurement = GrowthMeasurement.objects.get(person=child)
    assert measurement.waz is not None
    assert page.get_by_text(f"{measurement.waz:.2f}".replace(".", ",")).first.is_visible()
    if SCREENS:
        page.screenshot(path=os.path.join(SCREENS, "browser-child.png"), full_page=True)

    # The mother's page shows the handbook: visits and the child.
    page.goto(base + reverse("person-detail", args=[mother_id]))
    assert page.get_by_text(child.full_name).first.is_visible()

    # The baby dies on day 3: a neonatal death.
    page.goto(base + reverse("record-death-add") + f"?nguoi={child.pk}")
    page.fill("#id_date", ddmmyyyy(today))
    page.locator("input[name=place][value=home]").check()
    save(page)
    death = Death.objects.get(person=child)
    assert death.age_group == "neonatal" and death.age_days == 3
