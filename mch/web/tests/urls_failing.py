"""A URL that fails, for the server-error page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("hong/", broken)]
