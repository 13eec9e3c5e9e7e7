"""Vietnamese first: the browser's Accept-Language is ignored on pages, honoured on the API.

Many staff run browsers set to English; the interface should still open in Vietnamese
and switch to English only when the user asks (the language cookie set by set_language).
A program calling the API asks with ``Accept-Language`` (``en`` gives English messages);
without a supported language there, the API speaks as the pages do (cookie, else Vietnamese).
Use in place of ``django.middleware.locale.LocaleMiddleware``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


def _asked_language(request: HttpRequest, supported: set[str]) -> str | None:
    """The first supported language of the Accept-Language header, by its q order."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:1000]):
        base = code.lower().split("-")[0]
        if base in supported:
            return base
    return None


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        supported = {code for code, _ in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        if request.path_info.startswith(API_PREFIX):
            language = _asked_language(request, supported) or language
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
