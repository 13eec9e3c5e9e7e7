"""A user reaching outside their units by URL finds nothing there."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_commune_user_gets_404_for_another_communes_unit_page(as_user, world) -> None:
    client = as_user(world.commune_n)
    assert client.get(reverse("unit-detail", args=[world.new_m.pk])).status_code == 404
    assert client.get(reverse("unit-detail", args=[world.old_c.pk])).status_code == 404
    assert client.get(reverse("unit-children", args=[world.district.pk])).status_code == 404


def test_commune_user_reads_its_own_commune_and_the_communes_it_was_formed_from(
    as_user, world
) -> None:
    client = as_user(world.commune_n)
    for unit in [world.new_n, world.old_a, world.old_b]:
        assert client.get(reverse("unit-detail", args=[unit.pk])).status_code == 200


def test_units_above_are_named_but_not_linked(as_user, world) -> None:
    page = as_user(world.commune_n).get(reverse("unit-detail", args=[world.new_n.pk]))
    assert "Tỉnh Ninh Thuận" in page.content.decode()
    assert reverse("unit-detail", args=[world.province.pk]) not in page.content.decode()


def test_commune_user_gets_404_for_another_communes_unit_in_the_api(as_user, world) -> None:
    client = as_user(world.commune_n)
    assert client.get(f"/api/units/{world.new_m.pk}/").status_code == 404
    assert client.get(f"/api/units/{world.province.pk}/").status_code == 404
    assert client.get(f"/api/units/{world.new_n.pk}/").status_code == 200


def test_unit_list_in_the_api_holds_only_units_in_scope(as_user, world) -> None:
    response = as_user(world.commune_n).get("/api/units/")
    names = {unit["name"] for unit in response.json()["results"]}
    assert names == {"Xã Phước Hà", "Xã Nhị Hà"}


def test_plan_of_another_province_is_404_in_the_api(as_user, world) -> None:
    client = as_user(world.commune_m)
    assert client.get(f"/api/plans/{world.other_plan.slug}/").status_code == 404
    slugs = [plan["slug"] for plan in client.get("/api/plans/").json()["results"]]
    assert slugs == [world.plan.slug]


def test_a_user_without_units_sees_no_unit(as_user, world) -> None:
    from mch.accounts.services import user_create

    nobody = user_create(
        username="chua.phan", password="x", role="leader", units=[], validate=False
    )
    client = as_user(nobody)
    assert client.get(reverse("unit-detail", args=[world.province.pk])).status_code == 404
    assert client.get("/api/units/").json()["results"] == []
    assert client.get("/api/plans/").json()["results"] == []
