from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from mch.indicators.models import Domain, Indicator
from mch.indicators.selectors import indicator_get, indicator_list


@login_required
def indicator_index(request: HttpRequest) -> HttpResponse:
    domain = request.GET.get("domain", "")
    if domain not in Domain.values:
        domain = ""
    search = request.GET.get("q", "").strip()[:100]
    indicators = indicator_list(domain=domain or None, search=search or None)
    page = Paginator(indicators, 50).get_page(request.GET.get("page"))
    template = "web/indicators/_rows.html" if request.htmx else "web/indicators/list.html"
    return render(
        request,
        template,
        {"page": page, "domains": Domain.choices, "domain": domain, "search": search},
    )


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        indicator = indicator_get(code)
    except Indicator.DoesNotExist as missing:
        raise Http404(str(missing)) from missing
    versions = list(indicator.versions.order_by("-version"))
    return render(
        request,
        "web/indicators/detail.html",
        {"indicator": indicator, "latest": indicator.latest_version, "versions": versions},
    )
