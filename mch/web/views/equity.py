"""The equity view of an indicator for a unit: ethnic minority vs Kinh, especially
difficult communes and ethnic-minority areas vs the rest, by year, with the gap."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mch.indicators.equity import COMPARISONS, EquityPoint, equity_series
from mch.indicators.models import Indicator, PopulationGroup
from mch.indicators.selectors import indicator_get
from mch.indicators.values import Period

from .indicators import TREND_YEARS, _unit


def _plain(point: EquityPoint) -> dict[str, Any]:
    return {
        "label": point.period.label,
        "group": point.group.value,
        "group_low": point.group.ci_low,
        "group_high": point.group.ci_high,
        "versus": point.versus.value,
        "versus_low": point.versus.ci_low,
        "versus_high": point.versus.ci_high,
        "gap": point.gap,
    }


@login_required
def indicator_equity(request: HttpRequest, code: str) -> HttpResponse:
    try:
        indicator = indicator_get(code)
    except Indicator.DoesNotExist as missing:
        raise Http404(str(missing)) from missing
    latest = indicator.latest_version
    if latest is None or not latest.compute:
        raise Http404(_("This indicator is not computed from the registers."))
    unit = _unit(request)
    if unit is None:
        raise Http404(_("No unit in your scope."))
    year = timezone.localdate().year
    periods = [Period.year(y) for y in range(year - TREND_YEARS + 1, year + 1)]
    names = dict(PopulationGroup.objects.values_list("code", "name_vi"))
    sections = []
    for comparison in COMPARISONS:
        points = equity_series(
            user=request.user,
            indicator=code,
            unit=unit,
            periods=periods,
            comparison=comparison,
        )
        # Years before the registers hold anything for this indicator are left out.
        while points and not points[0].group.denominator and not points[0].versus.denominator:
            points.pop(0)
        versus = names.get(comparison.versus, comparison.versus) if comparison.versus else None
        sections.append(
            {
                "code": comparison.code,
                "data_id": f"equity-{comparison.code}",
                "group": names.get(comparison.group, comparison.group),
                "versus": versus or _("the rest of %(unit)s") % {"unit": unit.name},
                "points": points,
                "chart": [_plain(p) for p in points],
            }
        )
    return render(
        request,
        "web/indicators/equity.html",
        {
            "indicator": indicator,
            "latest": latest,
            "unit": unit,
            "sections": sections,
            "as_of": timezone.localtime(),
            "lower_is_better": latest.direction == "lower",
        },
    )
