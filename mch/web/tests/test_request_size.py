"""A request too large for the server's limits is refused with the limit named, in the
caller's language: 413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or the API's JSON
limit, 400 for too many fields. The API answers JSON with ``detail``; a page answers the styled
error page. Never a 500, never Django's English text, nothing saved."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from mch.core.parsers import MAX_BODY_BYTES
from mch.registers.models import Person

from .english import english_in, visible_text

pytestmark = pytest.mark.django_db

JSON_VI = "Nội dung gửi lên lớn hơn 1024 KB."


def _client(user, language: str = "vi") -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _over(limit: int) -> str:
    return "x" * (limit + 1024)


def _api_bodies(settings) -> dict[str, tuple[str, str, int]]:
    """name → (content type, body, expected status)."""
    form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    many = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    return {
        "json over the JSON limit": (
            "application/json",
            json.dumps({"full_name": _over(MAX_BODY_BYTES)}),
            413,
        ),
        "json over the upload limit": (
            "application/json",
            json.dumps({"full_name": _over(form_limit)}),
            413,
        ),
        "form over the upload limit": (
            "application/x-www-form-urlencoded",
            "full_name=" + _over(form_limit),
            413,
        ),
        "too many fields": ("application/x-www-form-urlencoded", many, 400),
    }


@pytest.mark.parametrize(
    ("path", "case"),
    [
        ("/api/registers/people/", "json over the JSON limit"),
        ("/api/registers/people/", "json over the upload limit"),
        ("/api/registers/people/", "form over the upload limit"),
        ("/api/registers/people/", "too many fields"),
        # The plan import reads files only (JSON is a 415): the form limits still hold.
        ("/api/plans/import/", "form over the upload limit"),
        ("/api/plans/import/", "too many fields"),
    ],
)
def test_the_api_refuses_a_too_large_body_in_vietnamese(world, settings, path, case) -> None:
    content_type, body, expected = _api_bodies(settings)[case]
    before = Person.objects.count()
    response = _client(world.officer).post(path, body, content_type=content_type)
    assert response.status_code == expected, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    detail = data["detail"]
    assert detail.startswith(("Nội dung gửi lên lớn hơn", "Yêu cầu gửi lên nhiều hơn")), detail
    assert not english_in(detail)
    assert data["errors"][0]["message"] == detail
    assert Person.objects.count() == before


def test_the_json_limit_is_named(world) -> None:
    body = json.dumps({"full_name": _over(MAX_BODY_BYTES)})
    response = _client(world.officer).post(
        "/api/registers/people/", body, content_type="application/json"
    )
    assert response.json()["detail"] == JSON_VI
    assert response.json()["errors"][0]["code"] == "too_large"


def test_the_api_says_it_in_english_when_asked(world, settings) -> None:
    response = _client(world.officer, "en").post(
        "/api/registers/people/",
        "full_name=" + _over(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request body is larger than")


@pytest.mark.parametrize("what", ["too large", "too many fields"])
def test_a_page_form_gets_the_styled_vietnamese_page(world, settings, what) -> None:
    if what == "too large":
        body, expected = "full_name=" + _over(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), 413
    else:
        count = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
        body, expected = "&".join(f"f{i}=1" for i in range(count)), 400
    before = Person.objects.count()
    response = _client(world.commune_n).post(
        "/nguoi/them/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == expected
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Biểu mẫu gửi lên quá lớn" in html
    assert ("Nội dung gửi lên lớn hơn" in html) == (what == "too large")
    assert ("Yêu cầu gửi lên nhiều hơn" in html) == (what == "too many fields")
    assert "Traceback" not in html
    assert english_in(visible_text(html)) == []
    assert Person.objects.count() == before
