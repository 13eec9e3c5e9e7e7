"""The API answers in Vietnamese by default and with ``Accept-Language: vi``, in English with
``Accept-Language: en``: its errors (400, 401, 403, 404, 405, 429) included, and never in a
mix of the two."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from .english import english_in

pytestmark = pytest.mark.django_db

VIETNAMESE = {None: True, "vi": True, "vi-VN,vi;q=0.9": True, "en": False, "en-US,en;q=0.8": False}


CODE_KEYS = {"field", "code"}  # machine names, in English by design


def messages(data: object) -> str:
    """Every message string of a JSON answer (not its keys, field names or error codes)."""
    if isinstance(data, dict):
        return " ".join(messages(v) for k, v in data.items() if k not in CODE_KEYS)
    if isinstance(data, list):
        return " ".join(messages(item) for item in data)
    return str(data)


def _errors(world, settings, language: str | None) -> dict[int, str]:
    """One answer of each error status, as text (the JSON body)."""
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    settings.AXES_FAILURE_LIMIT = 1
    officer, leader = Client(**headers), Client(**headers)
    officer.force_login(world.officer, backend="django.contrib.auth.backends.ModelBackend")
    leader.force_login(world.leader, backend="django.contrib.auth.backends.ModelBackend")
    token = base64.b64encode(f"{world.commune_m.username}:sai".encode()).decode()
    answers = {
        400: officer.post(
            "/api/registers/people/",
            {"full_name": "x" * 300, "sex": "moon", "birth_date": "31/02/2020"},
            content_type="application/json",
        ),
        401: Client(**headers).get("/api/plans/"),
        403: leader.get(f"/api/plans/{world.plan.slug}/export/"),
        404: officer.get("/api/plans/khong-co/"),
        405: officer.delete("/api/units/"),
        429: Client(**headers).get("/api/plans/", HTTP_AUTHORIZATION=f"Basic {token}"),
    }
    for status, response in answers.items():
        assert response.status_code == status, (status, response.content)
        assert response["Content-Type"].startswith("application/json")
    return {status: messages(response.json()) for status, response in answers.items()}


@pytest.mark.parametrize("language", list(VIETNAMESE))
def test_api_errors_speak_the_asked_language(world, settings, language) -> None:
    answers = _errors(world, settings, language)
    if VIETNAMESE[language]:
        english = {status: english_in(text) for status, text in answers.items()}
        assert {status: found for status, found in english.items() if found} == {}
        assert "200" in answers[400] and "moon" in answers[400]  # the values, in Vietnamese words
    else:
        assert "Authentication credentials were not provided" in answers[401]
        assert "not a valid choice" in answers[400]
        assert "try again in 15 minutes" in answers[429]


def test_the_answer_says_its_language_and_that_it_depends_on_the_header(world, as_user) -> None:
    client = as_user(world.officer)
    english = client.get("/api/plans/", HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = client.get("/api/plans/")
    assert english["Content-Language"] == "en"
    assert vietnamese["Content-Language"] == "vi"
    assert "Accept-Language" in english["Vary"]


def test_pages_stay_vietnamese_whatever_the_browser_asks(world, as_user) -> None:
    page = as_user(world.officer).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "vi"


def test_the_detector_sees_an_untranslated_message() -> None:
    from .english import visible_text

    broken = visible_text(
        '<html lang="vi"><p>Too many failed log-in attempts, so log-in is locked for this '
        "account: try again in 5 minutes.</p>"
        "<code>the_code</code><span lang='en'>English name</span></html>"
    )
    found = english_in(broken)
    assert (
        "Too many failed log-in attempts, so log-in is locked for this account: try again in"
        in found
    )
    assert "word 'minutes'" in found
    assert not [item for item in found if "the" in item or "English" in item]
    assert english_in(visible_text("<p>Phải là một số nguyên</p><script>the</script>")) == []
