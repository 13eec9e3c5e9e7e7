"""The register forms and lists, driven through the URLs as a commune station uses them."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from mch.registers import services
from mch.registers.models import (
    AntenatalVisit,
    Birth,
    CheckUp,
    Death,
    Delivery,
    GrowthMeasurement,
    Illness,
    Immunisation,
    Person,
    PostnatalContact,
    Pregnancy,
)
from mch.registers.testing import TODAY, RegisterWorld, build_register_world

D = dt.date


@pytest.fixture
def rw(db) -> RegisterWorld:
    return build_register_world()


@pytest.fixture
def staff(client: Client, rw: RegisterWorld) -> Client:
    client.force_login(rw.staff, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _mother(rw: RegisterWorld, *, commune=None, user=None, name="Pi Năng Thị Lan") -> Person:
    return services.person_register(
        user=user or rw.staff,
        full_name=name,
        sex="F",
        birth_date=D(1998, 3, 4),
        residence_unit=commune or rw.commune,
        village="Thôn Suối Đá",
        ethnicity="21",
        allow_likely_duplicate=True,
        today=TODAY,
    )


def _pregnant(rw: RegisterWorld, **kwargs) -> Pregnancy:
    mother = _mother(rw, **kwargs)
    return services.pregnancy_register(
        user=kwargs.get("user") or rw.staff,
        person=mother,
        date=D(2026, 2, 10),
        lmp=D(2026, 1, 5),
        today=TODAY,
    )


def _delivered(rw: RegisterWorld, babies: int = 1) -> Delivery:
    pregnancy = _pregnant(rw)
    return services.delivery_record(
        user=rw.staff,
        person=pregnancy.person,
        date=D(2026, 10, 1),
        place="facility",
        facility=rw.station,
        attendant="midwife",
        babies=[
            services.BirthInput(sex="MF"[i % 2], birth_weight_g=2900 + i) for i in range(babies)
        ],
        today=TODAY,
    )


def _child(rw: RegisterWorld) -> Person:
    delivery = _delivered(rw)
    return delivery.births.get().person


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _saved(response, person: Person) -> None:
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"/nguoi/{person.pk}/"


def _text(response) -> str:
    return response.content.decode()


class _Controls(HTMLParser):
    """Form controls, the labels pointing at them, and the submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.wrapped: set[str] = set()
        self.open_labels = 0
        self.buttons: list[str] = []
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "label":
            self.open_labels += 1
            if values.get("for"):
                self.label_for.add(values["for"])
        if tag in ("input", "select", "textarea") and values.get("type") != "hidden":
            self.controls.append(values)
            if self.open_labels and values.get("id"):
                self.wrapped.add(values["id"])
        if tag == "button" and values.get("type", "submit") == "submit":
            self._button = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1
        if tag == "button" and self._button is not None:
            self.buttons.append("".join(self._button).strip())
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.append(data)


def _form_controls(response) -> _Controls:
    text = _text(response)
    main = text[text.index('<main id="main"') :]
    parser = _Controls()
    parser.feed(main)
    return parser


# ---------------------------------------------------------------------- every form


def _form_urls(rw: RegisterWorld) -> list[str]:
    pregnancy = _pregnant(rw)
    delivery = _delivered(rw)
    child = delivery.births.get().person
    return [
        f"/so/thai-ky/them/?nguoi={_mother(rw, name='Hà Thị Mai').pk}",
        f"/so/thai-ky/{pregnancy.pk}/ket-thuc/",
        f"/so/kham-thai/them/?thai_ky={pregnancy.pk}",
        f"/so/de/them/?thai_ky={pregnancy.pk}",
        f"/so/sau-sinh/them/?de={delivery.pk}",
        f"/so/kham-dinh-ky/them/?nguoi={child.pk}",
        f"/so/can-do/them/?nguoi={child.pk}",
        f"/so/tiem-chung/them/?nguoi={child.pk}",
        f"/so/benh/them/?nguoi={child.pk}",
        f"/so/tu-vong/them/?nguoi={child.pk}",
    ]


def test_every_form_has_labels_autofocus_and_a_save_button(rw, staff) -> None:
    for url in _form_urls(rw):
        response = staff.get(url)
        assert response.status_code == 200, url
        page = _form_controls(response)
        unlabelled = [
            c.get("name")
            for c in page.controls
            if c.get("id") not in page.label_for | page.wrapped
            and c.get("type") not in ("submit",)
            and c.get("name") not in ("language",)
        ]
        assert unlabelled == [], url
        assert page.buttons[-1] == "Lưu", url
        focused = [c.get("name") for c in page.controls if "autofocus" in c]
        assert focused, url
        assert 'placeholder="dd/mm/yyyy"' in _text(response), url


def test_date_defaults_to_today_and_facility_to_the_users_station(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    text = _text(staff.get(f"/so/kham-thai/them/?thai_ky={pregnancy.pk}"))
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in text
    assert f'<option value="{rw.station.pk}" selected>' in text
    # The provincial hospital is offered too (births and visits there), never another
    # commune's station (write scope: the station records its own services).
    assert rw.hospital.name in text
    assert rw.other_station.name not in text


def test_forms_speak_english_when_chosen(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    staff.cookies["django_language"] = "en"
    text = _text(staff.get(f"/so/kham-thai/them/?thai_ky={pregnancy.pk}"))
    assert "Visit date" in text and "Negative" in text and ">Save<" in text
    refused = staff.post(f"/so/kham-thai/them/?thai_ky={pregnancy.pk}", {"date": "30/12/2025"})
    assert "is before the last menstrual period" in _text(refused)


# ---------------------------------------------------------------------- pregnancy


def test_pregnancy_form_registers_and_computes_the_due_date(rw, staff) -> None:
    mother = _mother(rw)
    response = staff.post(
        f"/so/thai-ky/them/?nguoi={mother.pk}",
        {
            "date": "10/02/2026",
            "lmp": "05/01/2026",
            "edd": "",
            "gravida": "2",
            "para": "1",
            "risk_factors": ["anaemia", "age_over_35"],
            "facility": rw.station.pk,
        },
    )
    _saved(response, mother)
    pregnancy = Pregnancy.objects.get(person=mother)
    assert pregnancy.edd == D(2026, 10, 12)
    assert pregnancy.risk_factors == ["anaemia", "age_over_35"]
    assert (pregnancy.gravida, pregnancy.para, pregnancy.facility) == (2, 1, rw.station)
    assert any("12/10/2026" in m for m in _messages(response))


def test_gestation_is_computed_live(rw, staff) -> None:
    response = staff.get("/so/tuoi-thai/", {"lmp": "05/01/2026", "date": "10/02/2026"})
    text = _text(response)
    assert "12/10/2026" in text
    assert "5 tuần 1 ngày" in text
    pregnancy = _pregnant(rw)
    text = _text(staff.get("/so/tuoi-thai/", {"thai_ky": pregnancy.pk, "date": "05/05/2026"}))
    assert "17 tuần" in text and "quý 2" in text


def test_pregnancy_correction_keeps_one_row(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    form = _text(staff.get(f"/so/thai-ky/{pregnancy.pk}/sua/"))
    assert 'value="05/01/2026"' in form
    response = staff.post(
        f"/so/thai-ky/{pregnancy.pk}/sua/",
        {"date": "10/02/2026", "lmp": "12/01/2026", "facility": ""},
    )
    _saved(response, pregnancy.person)
    pregnancy.refresh_from_db()
    assert pregnancy.lmp == D(2026, 1, 12) and Pregnancy.objects.count() == 1


def test_pregnancy_ends_without_delivery(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    response = staff.post(
        f"/so/thai-ky/{pregnancy.pk}/ket-thuc/",
        {"outcome": "miscarriage", "outcome_date": "20/03/2026"},
    )
    _saved(response, pregnancy.person)
    pregnancy.refresh_from_db()
    assert (pregnancy.outcome, pregnancy.outcome_date) == ("miscarriage", D(2026, 3, 20))


def test_a_delivered_pregnancy_cannot_be_ended_again(rw, staff) -> None:
    delivery = _delivered(rw)
    response = staff.post(
        f"/so/thai-ky/{delivery.pregnancy_id}/ket-thuc/",
        {"outcome": "miscarriage", "outcome_date": "20/03/2026"},
    )
    assert response.status_code == 200
    assert "Thai kỳ này đã kết thúc (01/10/2026)." in _text(response)
    assert Pregnancy.objects.get().outcome == "live_birth"


# ---------------------------------------------------------------------- antenatal visits


def test_antenatal_visit_saves_and_shows_gestational_week(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    url = f"/so/kham-thai/them/?thai_ky={pregnancy.pk}"
    assert "Tuổi thai" in _text(staff.get(url))
    response = staff.post(
        url,
        {
            "date": "05/05/2026",
            "facility": rw.station.pk,
            "weight_kg": "52,5",
            "bp_systolic": "110",
            "bp_diastolic": "70",
            "iron_tablets": "30",
            "mmn_tablets": "0",
            "tetanus_dose": "1",
            "hiv_test": "negative",
            "syphilis_test": "negative",
            "hepb_test": "",
            "preeclampsia_screened": "on",
            "danger_signs": ["swelling"],
        },
    )
    _saved(response, pregnancy.person)
    visit = AntenatalVisit.objects.get()
    assert (visit.weight_kg, visit.gestational_weeks, visit.trimester) == (52.5, 17, 2)
    assert visit.preeclampsia_screened and visit.danger_signs == ["swelling"]
    assert visit.hiv_test == "negative" and visit.hepb_test == ""
    assert any("17 tuần" in m for m in _messages(response))


@pytest.mark.parametrize(
    ("day", "message"),
    [("30/12/2025", "trước ngày kinh cuối"), ("01/01/2099", "ở tương lai")],
)
def test_antenatal_visit_refused_with_the_reason_beside_the_date(rw, staff, day, message) -> None:
    pregnancy = _pregnant(rw)
    response = staff.post(
        f"/so/kham-thai/them/?thai_ky={pregnancy.pk}", {"date": day, "iron_tablets": "0"}
    )
    assert response.status_code == 200
    text = _text(response)
    assert message in text
    assert 'id="field-date"' in text and "has-error" in text
    assert AntenatalVisit.objects.count() == 0


def test_antenatal_visit_is_corrected(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    visit = services.antenatal_visit_record(
        user=rw.staff, pregnancy=pregnancy, date=D(2026, 5, 5), iron_tablets=30, today=TODAY
    )
    response = staff.post(
        f"/so/kham-thai/{visit.pk}/sua/",
        {"date": "05/05/2026", "iron_tablets": "60", "mmn_tablets": "0"},
    )
    _saved(response, pregnancy.person)
    visit.refresh_from_db()
    pregnancy.refresh_from_db()
    assert visit.iron_tablets == 60 and pregnancy.iron_tablets == 60


# ---------------------------------------------------------------------- delivery


def _delivery_post(rw: RegisterWorld, babies: list[dict[str, str]], **fields: str) -> dict:
    data = {
        "date": "01/10/2026",
        "time": "08:30",
        "place": "facility",
        "facility": str(rw.station.pk),
        "attendant": "midwife",
        "mode": "vaginal",
        "mother_outcome": "well",
        "tre-TOTAL_FORMS": str(len(babies)),
        "tre-INITIAL_FORMS": "0",
        "tre-MIN_NUM_FORMS": "1",
        "tre-MAX_NUM_FORMS": "3",
    }
    data.update(fields)
    for index, baby in enumerate(babies):
        values = {"outcome": "live", "sex": "F", "birth_weight_g": "3.100"} | baby
        data.update({f"tre-{index}-{key}": value for key, value in values.items()})
    return data


def test_delivery_saves_the_child_and_closes_the_pregnancy(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    response = staff.post(
        f"/so/de/them/?nguoi={pregnancy.person_id}",
        _delivery_post(
            rw,
            [
                {
                    "full_name": "Pi Năng Thị Hoa",
                    "eenc_dried": "1",
                    "eenc_skin_to_skin": "1",
                    "eenc_cord_delayed": "0",
                    "eenc_breastfed_1h": "1",
                    "hepb_birth_24h": "1",
                }
            ],
        ),
    )
    _saved(response, pregnancy.person)
    delivery = Delivery.objects.get()
    assert (delivery.facility, delivery.skilled, delivery.live_births) == (rw.station, True, 1)
    assert delivery.time == dt.time(8, 30)
    birth = Birth.objects.get()
    assert birth.birth_weight_g == 3100 and birth.gestational_weeks == 38
    assert (birth.eenc_dried, birth.eenc_cord_delayed, birth.vitamin_k1) == (True, False, None)
    assert birth.person.full_name == "Pi Năng Thị Hoa" and birth.person.mother == pregnancy.person
    pregnancy.refresh_from_db()
    assert pregnancy.outcome == "live_birth"


def test_twins_create_two_children(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    response = staff.post(
        f"/so/de/them/?thai_ky={pregnancy.pk}",
        _delivery_post(rw, [{"sex": "F"}, {"sex": "M", "birth_weight_g": "2800"}]),
    )
    _saved(response, pregnancy.person)
    delivery = Delivery.objects.get()
    assert delivery.live_births == 2
    children = Person.objects.filter(mother=pregnancy.person).order_by("birth__birth_order")
    assert [c.sex for c in children] == ["F", "M"]
    register = _text(staff.get("/so/tre-sinh/"))
    assert register.index(f"/nguoi/{children[0].pk}/") < register.index(f"/nguoi/{children[1].pk}/")


def test_an_added_baby_left_empty_is_ignored(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    data = _delivery_post(rw, [{"sex": "M"}])
    data.update({"tre-TOTAL_FORMS": "2", "tre-1-outcome": "live"})
    _saved(staff.post(f"/so/de/them/?thai_ky={pregnancy.pk}", data), pregnancy.person)
    assert Birth.objects.count() == 1


def test_add_baby_control_returns_the_next_baby(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    text = _text(staff.get(f"/so/de/them/?thai_ky={pregnancy.pk}"))
    assert "Thêm trẻ (sinh đôi)" in text
    fragment = _text(staff.get("/so/de/them-tre/", {"n": "1"}))
    assert 'name="tre-1-birth_weight_g"' in fragment
    assert 'name="tre-TOTAL_FORMS" value="2"' in fragment
    last = _text(staff.get("/so/de/them-tre/", {"n": "2"}))
    assert 'name="tre-2-sex"' in last and "Thêm trẻ" not in last


@pytest.mark.parametrize(
    ("babies", "fields", "message"),
    [
        ([{"birth_weight_g": "32"}], {}, "Cân nặng sơ sinh 32 g nằm ngoài khoảng 300–7.000 g"),
        ([{"sex": "F"}, {"sex": "M", "birth_weight_g": "32"}], {}, "300–7.000 g"),
        ([{}], {"facility": ""}, "Sinh tại cơ sở y tế cần chọn cơ sở."),
        ([{}], {"date": "01/01/2099"}, "ở tương lai"),
        ([{"sex": ""}], {}, "Chọn giới tính"),
    ],
)
def test_invalid_delivery_saves_nothing(rw, staff, babies, fields, message) -> None:
    pregnancy = _pregnant(rw)
    response = staff.post(
        f"/so/de/them/?thai_ky={pregnancy.pk}", _delivery_post(rw, babies, **fields)
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert Delivery.objects.count() == 0 and Birth.objects.count() == 0
    assert not Person.objects.filter(mother=pregnancy.person).exists()
    pregnancy.refresh_from_db()
    assert pregnancy.outcome == ""


def test_a_babys_error_is_shown_once_and_focused(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    response = staff.post(
        f"/so/de/them/?thai_ky={pregnancy.pk}",
        _delivery_post(rw, [{"sex": "F"}, {"sex": "M", "birth_weight_g": "32"}]),
    )
    text = _text(response)
    assert text.count("Cân nặng sơ sinh 32 g nằm ngoài khoảng") == 2  # summary + field
    field = text[text.index('name="tre-1-birth_weight_g"') :]
    assert "autofocus" in field[: field.index(">")]
    assert "Trẻ thứ 2" in text


def test_gestational_age_out_of_range_is_shown_once(rw, staff) -> None:
    pregnancy = services.pregnancy_register(
        user=rw.staff, person=_mother(rw), date=D(2026, 1, 10), lmp=D(2025, 12, 20), today=TODAY
    )
    response = staff.post(
        f"/so/de/them/?thai_ky={pregnancy.pk}",
        _delivery_post(rw, [{"sex": "F"}, {"sex": "M"}], date="20/11/2026"),
    )
    # The rule fails for the delivery date and for each baby's computed age: said once.
    assert _text(response).count("Tuổi thai 47 tuần nằm ngoài khoảng 20–45 tuần") == 2
    assert Delivery.objects.count() == 0


# ---------------------------------------------------------------------- postnatal care


def test_one_visit_records_mother_and_newborns(rw, staff) -> None:
    delivery = _delivered(rw, babies=2)
    children = [b.person_id for b in delivery.births.order_by("birth_order")]
    url = f"/so/sau-sinh/them/?de={delivery.pk}"
    assert "Mẹ: Pi Năng Thị Lan" in _text(staff.get(url))
    response = staff.post(
        url,
        {
            "people": [delivery.person_id, *children],
            "date": "04/10/2026",
            "place": "home",
            "provider": "midwife",
        },
    )
    _saved(response, delivery.person)
    contacts = PostnatalContact.objects.order_by("subject", "person_id")
    assert [(c.subject, c.day_after_birth) for c in contacts] == [
        ("mother", 3),
        ("newborn", 3),
        ("newborn", 3),
    ]


def test_postnatal_visit_before_delivery_saves_nothing(rw, staff) -> None:
    delivery = _delivered(rw)
    response = staff.post(
        f"/so/sau-sinh/them/?de={delivery.pk}",
        {"people": [delivery.person_id], "date": "20/09/2026", "place": "home"},
    )
    assert response.status_code == 200
    assert "trước ngày sinh con" in _text(response)
    assert PostnatalContact.objects.count() == 0


def test_postnatal_visit_is_corrected(rw, staff) -> None:
    delivery = _delivered(rw)
    contact = services.postnatal_contact_record(
        user=rw.staff,
        delivery=delivery,
        person=delivery.person,
        date=D(2026, 10, 4),
        place="home",
        today=TODAY,
    )
    response = staff.post(
        f"/so/sau-sinh/{contact.pk}/sua/", {"date": "05/10/2026", "place": "facility"}
    )
    _saved(response, delivery.person)
    contact.refresh_from_db()
    assert (contact.day_after_birth, contact.place) == (4, "facility")


# ---------------------------------------------------------------------- child records


def test_checkup_saves(rw, staff) -> None:
    child = _child(rw)
    response = staff.post(
        f"/so/kham-dinh-ky/them/?nguoi={child.pk}",
        {
            "date": "01/11/2026",
            "has_health_record": "on",
            "exclusive_breastfeeding": "1",
            "vitamin_a": "0",
        },
    )
    _saved(response, child)
    checkup = CheckUp.objects.get()
    assert checkup.has_health_record and checkup.exclusive_breastfeeding
    assert checkup.vitamin_a is False and checkup.continued_breastfeeding is None


def test_measurement_shows_z_scores_after_saving(rw, staff) -> None:
    child = _child(rw)
    response = staff.post(
        f"/so/can-do/them/?nguoi={child.pk}",
        {"date": "01/11/2026", "weight_kg": "4,2", "length_cm": "54", "position": "lying"},
    )
    _saved(response, child)
    measurement = GrowthMeasurement.objects.get()
    assert measurement.weight_kg == 4.2 and measurement.age_days == 31
    shown = " ".join(_messages(response))
    assert "WAZ" in shown and "HAZ" in shown and "WHZ" in shown
    assert f"{measurement.waz:.2f}".replace(".", ",") in shown


def test_implausible_measurement_is_saved_with_a_who_warning(rw, staff) -> None:
    child = _child(rw)
    response = staff.post(
        f"/so/can-do/them/?nguoi={child.pk}",
        {"date": "01/11/2026", "weight_kg": "12", "length_cm": "54", "position": "lying"},
    )
    _saved(response, child)
    assert GrowthMeasurement.objects.get().flags
    assert any("WHO coi là hợp lý" in m for m in _messages(response))


def test_dose_form_lists_due_doses_first(rw, staff) -> None:
    child = _child(rw)
    text = _text(staff.get(f"/so/tiem-chung/them/?nguoi={child.pk}"))
    assert "Mũi cần tiêm" in text
    assert text.index("Mũi cần tiêm") < text.index('name="antigen"')


def test_dose_saves(rw, staff) -> None:
    child = _child(rw)
    response = staff.post(
        f"/so/tiem-chung/them/?nguoi={child.pk}",
        {"antigen": "bcg", "dose": "1", "date": "05/10/2026", "is_epi": "on"},
    )
    _saved(response, child)
    dose = Immunisation.objects.get()
    assert (dose.antigen, dose.dose, dose.is_epi, dose.flags) == ("bcg", 1, True, [])


def test_dose_before_minimum_age_is_saved_and_flagged_in_yellow(rw, staff) -> None:
    child = _child(rw)
    response = staff.post(
        f"/so/tiem-chung/them/?nguoi={child.pk}",
        {"antigen": "dpt_hepb_hib", "dose": "1", "date": "15/10/2026", "is_epi": "on"},
    )
    _saved(response, child)
    dose = Immunisation.objects.get()
    assert "dose_before_min_age" in dose.flags
    warnings = [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any("trước tuổi tối thiểu" in str(m) for m in warnings)
    assert all("alert-warn" in m.tags for m in warnings)


def test_dose_before_birth_saves_nothing(rw, staff) -> None:
    child = _child(rw)
    response = staff.post(
        f"/so/tiem-chung/them/?nguoi={child.pk}",
        {"antigen": "bcg", "dose": "1", "date": "20/09/2026", "is_epi": "on"},
    )
    assert response.status_code == 200
    assert "trước ngày sinh" in _text(response)
    assert Immunisation.objects.count() == 0


def test_injury_needs_its_type(rw, staff) -> None:
    child = _child(rw)
    url = f"/so/benh/them/?nguoi={child.pk}"
    refused = staff.post(url, {"date": "01/11/2026", "kind": "injury", "injury_type": ""})
    assert refused.status_code == 200
    assert "Tai nạn thương tích cần ghi loại tai nạn." in _text(refused)
    assert Illness.objects.count() == 0
    _saved(staff.post(url, {"date": "01/11/2026", "kind": "injury", "injury_type": "burn"}), child)
    assert Illness.objects.get().injury_type == "burn"


def test_illness_other_than_injury_drops_the_injury_type(rw, staff) -> None:
    child = _child(rw)
    response = staff.post(
        f"/so/benh/them/?nguoi={child.pk}",
        {"date": "01/11/2026", "kind": "pneumonia", "injury_type": "burn", "antibiotic": "1"},
    )
    _saved(response, child)
    illness = Illness.objects.get()
    assert (illness.injury_type, illness.antibiotic, illness.severe) == ("", True, None)


def test_death_before_birth_saves_nothing(rw, staff) -> None:
    child = _child(rw)
    response = staff.post(
        f"/so/tu-vong/them/?nguoi={child.pk}", {"date": "01/09/2026", "place": "home"}
    )
    assert response.status_code == 200
    assert "trước ngày sinh" in _text(response)
    assert Death.objects.count() == 0
    assert "pregnancy_relation" not in _text(response)


def test_death_of_a_pregnant_woman_warns_to_notify(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    url = f"/so/tu-vong/them/?nguoi={pregnancy.person_id}"
    assert 'name="pregnancy_relation"' in _text(staff.get(url))
    response = staff.post(
        url, {"date": "01/06/2026", "place": "home", "cause_group": "haemorrhage"}
    )
    _saved(response, pregnancy.person)
    assert Death.objects.get().possible_maternal
    assert "Có thể là tử vong mẹ — cần thông báo" in _messages(response)


# ---------------------------------------------------------------------- who may


def test_another_communes_staff_cannot_open_or_write(rw, client) -> None:
    pregnancy = _pregnant(rw)
    client.force_login(rw.other_staff, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/so/kham-thai/them/?thai_ky={pregnancy.pk}").status_code == 404
    assert client.get(f"/so/thai-ky/them/?nguoi={pregnancy.person_id}").status_code == 404
    response = client.post(f"/so/kham-thai/them/?thai_ky={pregnancy.pk}", {"date": "05/05/2026"})
    assert response.status_code == 404
    assert AntenatalVisit.objects.count() == 0


def test_leader_gets_a_vietnamese_403(rw, client) -> None:
    pregnancy = _pregnant(rw)
    client.force_login(rw.leader, backend="django.contrib.auth.backends.ModelBackend")
    for url in (f"/so/kham-thai/them/?thai_ky={pregnancy.pk}", "/so/kham-thai/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Không được phép" in _text(response)


def test_anonymous_user_is_sent_to_log_in(rw, client) -> None:
    response = client.get("/so/thai-ky/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


# ---------------------------------------------------------------------- register lists


def test_register_list_shows_only_rows_in_scope(rw, staff, client) -> None:
    here = _pregnant(rw)
    there = _pregnant(rw, commune=rw.other_commune, user=rw.other_staff, name="Trần Thị Biển")
    text = _text(staff.get("/so/thai-ky/"))
    assert here.person.full_name in text and there.person.full_name not in text
    assert f'href="/nguoi/{here.person_id}/"' in text
    assert "/so/xuat/pregnancies.csv" in text and "/so/xuat/pregnancies.xlsx" in text

    client.force_login(rw.officer, backend="django.contrib.auth.backends.ModelBackend")
    text = _text(client.get("/so/thai-ky/"))
    assert here.person.full_name in text and there.person.full_name in text
    text = _text(client.get("/so/thai-ky/", {"xa": rw.other_commune.pk}))
    assert here.person.full_name not in text and there.person.full_name in text


def test_register_list_filters_by_dates(rw, staff) -> None:
    pregnancy = _pregnant(rw)
    for day in (D(2026, 3, 10), D(2026, 6, 10)):
        services.antenatal_visit_record(
            user=rw.staff, pregnancy=pregnancy, date=day, iron_tablets=30, today=TODAY
        )
    text = _text(staff.get("/so/kham-thai/", {"tu": "01/05/2026", "den": "30/06/2026"}))
    assert "10/06/2026" in text and "10/03/2026" not in text
    export = "/so/xuat/antenatal_visits.csv?tu=01%2F05%2F2026&amp;den=30%2F06%2F2026"
    assert export in text
    exported = staff.get("/so/xuat/antenatal_visits.csv", {"tu": "01/05/2026", "den": "30/06/2026"})
    assert exported.status_code == 200
    assert "10/06/2026" in exported.content.decode("utf-8-sig")
    assert "10/03/2026" not in exported.content.decode("utf-8-sig")
    refused = _text(staff.get("/so/kham-thai/", {"tu": "01/07/2026", "den": "30/06/2026"}))
    assert "Ngày kết thúc trước ngày bắt đầu" in refused


@pytest.mark.parametrize(
    "slug",
    [
        "thai-ky",
        "kham-thai",
        "de",
        "tre-sinh",
        "sau-sinh",
        "kham-dinh-ky",
        "can-do",
        "tiem-chung",
        "benh",
        "tu-vong",
    ],
)
def test_every_register_list_opens(rw, staff, slug) -> None:
    child = _child(rw)
    services.measurement_record(
        user=rw.staff, person=child, date=D(2026, 11, 1), weight_kg=4.2, today=TODAY
    )
    response = staff.get(f"/so/{slug}/")
    assert response.status_code == 200
    assert "<table" in _text(response) or "Không có bản ghi" in _text(response)
