"""Pages as a user sees them, through the URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_pages_need_a_log_in(client, world) -> None:
    for url in [reverse("home"), reverse("unit-tree"), reverse("plan-list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_log_in_page_is_in_vietnamese(client) -> None:
    page = text(client.get(reverse("login")))
    assert "Đăng nhập" in page
    assert "Tên đăng nhập" in page
    assert "Mật khẩu" in page


def test_log_in_with_the_password_leads_home(client, world) -> None:
    from .factories import PASSWORD

    response = client.post(
        reverse("login"), {"username": "tram.phuocha", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Xã Phước Hà" in text(response)


def test_log_out_is_a_post(as_user, world) -> None:
    client = as_user(world.leader)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_home_shows_unit_role_and_plans(as_user, world) -> None:
    page = text(as_user(world.commune_n).get(reverse("home")))
    assert "Xã Phước Hà" in page
    assert "Nhân viên trạm y tế xã" in page
    assert world.plan.title in page
    assert world.other_plan.title not in page


def test_unit_tree_today_shows_the_new_communes(as_user, world) -> None:
    page = text(as_user(world.officer).get(reverse("unit-tree"), {"on": "2025-08-01"}))
    assert "Xã Thuận Nam" in page
    assert "Huyện Ninh Phước" not in page


def test_unit_tree_before_the_reform_shows_districts(as_user, world) -> None:
    client = as_user(world.officer)
    page = text(client.get(reverse("unit-tree"), {"on": "2025-06-30"}))
    assert "Huyện Ninh Phước" in page
    assert "Xã Thuận Nam" not in page
    fragment = text(
        client.get(reverse("unit-children", args=[world.district.pk]), {"on": "2025-06-30"})
    )
    assert "Xã Nhị Hà" in fragment


def test_a_new_commune_before_the_reform_is_shown_through_its_old_communes(as_user, world) -> None:
    page = text(as_user(world.commune_n).get(reverse("unit-tree"), {"on": "2024-01-01"}))
    assert "Xã Nhị Hà" in page
    assert "Xã Thuận Nam" not in page


def test_unit_page_shows_what_it_was_formed_from(as_user, world) -> None:
    page = text(as_user(world.commune_n).get(reverse("unit-detail", args=[world.new_n.pk])))
    assert "Hình thành từ" in page
    assert "Xã Nhị Hà" in page
    assert "Sáp nhập" in page
    assert "01/07/2025" in page
    assert "Nghị quyết số 1676/NQ-UBTVQH15" in page
    assert "Trạm Y tế xã Phước Hà" in page
    assert "III" in page


def test_old_unit_page_shows_what_it_became_with_its_share(as_user, world) -> None:
    page = text(as_user(world.officer).get(reverse("unit-detail", args=[world.old_c.pk])))
    assert "Xã Thuận Nam" in page
    assert "60%" in page
    assert "30/06/2025" in page


def test_plan_page_shows_the_header_as_written(as_user, world) -> None:
    page = text(as_user(world.leader).get(reverse("plan-detail", args=[world.plan.slug])))
    assert "45/KH-UBND" in page
    assert "Ninh Thuận, ngày 14 tháng 01 năm 2022" in page
    assert "14/01/2022" in page
    assert "2022–2030" in page
    assert "Quyết định số 1493/QĐ-TTg" in page
    assert "Trần Quốc Nam" in page
    assert "10/12" in page


def test_plan_page_shows_targets_with_the_decimal_comma(as_user, world) -> None:
    page = text(as_user(world.leader).get(reverse("plan-detail", args=[world.plan.slug])))
    assert "xuống 10‰" in page
    assert "dưới 18,5‰" in page
    assert "tăng 15% so với 2020" in page
    assert "11,2‰" in page
    assert "10,4‰" in page
    assert "Trẻ em dân tộc thiểu số" in page


def test_plan_page_flags_the_body_annex_conflict_with_both_values(as_user, world) -> None:
    page = text(as_user(world.leader).get(reverse("plan-detail", args=[world.plan.slug])))
    assert 'id="conflicts"' in page
    assert "xuống 9‰" in page
    assert "&lt;9,5" in page
    assert "mâu thuẫn" in page


def test_plan_budget_uses_dot_thousands(as_user, world) -> None:
    page = text(as_user(world.leader).get(reverse("plan-detail", args=[world.plan.slug])))
    assert "378.940.000" in page


def test_department_sees_only_its_own_tasks(as_user, world) -> None:
    page = text(as_user(world.department).get(reverse("plan-detail", args=[world.plan.slug])))
    assert "Lồng ghép giáo dục dinh dưỡng" in page
    assert "Chủ trì, hướng dẫn các đơn vị" not in page


def test_officer_sees_every_task(as_user, world) -> None:
    page = text(as_user(world.officer).get(reverse("plan-detail", args=[world.plan.slug])))
    assert "Lồng ghép giáo dục dinh dưỡng" in page
    assert "Chủ trì, hướng dẫn các đơn vị" in page


def test_plan_page_is_printable(as_user, world) -> None:
    page = text(as_user(world.leader).get(reverse("plan-detail", args=[world.plan.slug])))
    assert "window.print()" in page
    css = (
        pytest.importorskip("pathlib").Path(__file__).parents[1] / "static/web/mch.css"
    ).read_text()
    assert "@media print" in css


def test_plan_of_another_province_is_not_found(as_user, world) -> None:
    client = as_user(world.commune_m)
    assert client.get(reverse("plan-detail", args=[world.other_plan.slug])).status_code == 404


def test_indicator_catalogue_filters_by_domain_and_search(as_user, world) -> None:
    client = as_user(world.leader)
    page = text(client.get(reverse("indicator-list"), {"domain": "nutrition"}))
    assert "Tỷ lệ trẻ được bú mẹ hoàn toàn" in page
    assert "Tỷ suất tử vong trẻ sơ sinh" not in page
    page = text(client.get(reverse("indicator-list"), {"q": "so sinh"}))
    assert "Tỷ suất tử vong trẻ sơ sinh" in page
    assert "bú mẹ" not in page


def test_indicator_page_shows_the_latest_definition_and_history(as_user, world) -> None:
    page = text(as_user(world.leader).get(reverse("indicator-detail", args=["neonatal_mortality"])))
    assert "phiên bản 2" in page
    assert "Làm rõ cách tính tuổi" in page
    assert "deaths where age_days &lt; 28" in page


def test_english_is_one_switch_away(as_user, world) -> None:
    client = as_user(world.leader)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    page = text(client.get(reverse("home")))
    assert "Plans that concern your unit" in page
    assert "Leader (read only)" in page
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("home")})
    assert "Kế hoạch liên quan đến đơn vị" in text(client.get(reverse("home")))


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(
    client, world, settings
) -> None:
    settings.MIDDLEWARE = [
        "mch.web.middleware.VietnameseFirstLocaleMiddleware"
        if name == "django.middleware.locale.LocaleMiddleware"
        else name
        for name in settings.MIDDLEWARE
    ]
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("written", "shown"),
    [("18.5", "18,5"), (">75.0", "&gt;75,0"), ("99.9%", "99,9%"), ("30/100.000", "30/100.000")],
)
def test_annex_cells_typed_with_a_point_show_the_decimal_comma(
    as_user, world, written, shown
) -> None:
    from mch.plans.models import Target

    Target.objects.filter(plan=world.plan, year=2025, indicator__code="u5_mortality").update(
        value_text=written, comparator="bare"
    )
    page = text(as_user(world.leader).get(reverse("plan-detail", args=[world.plan.slug])))
    assert shown in page


def test_unit_tree_accepts_a_typed_day_first_date(as_user, world) -> None:
    page = text(as_user(world.officer).get(reverse("unit-tree"), {"on": "30/06/2025"}))
    assert "Huyện Ninh Phước" in page
    assert 'value="30/06/2025"' in page
