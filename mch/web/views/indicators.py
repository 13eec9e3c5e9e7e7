from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mch.accounts.scope import Scope
from mch.indicators.adapter.profiles import ProfileMap
from mch.indicators.dimensions import disaggregation_label
from mch.indicators.jobs import rebuild_note
from mch.indicators.models import Domain, Indicator, IndicatorVersion, PopulationGroup
from mch.indicators.query import default_units
from mch.indicators.selectors import indicator_get, indicator_list
from mch.indicators.values import IndicatorValue, Period, indicator_values
from mch.orgunits.models import OrgUnit
from mch.plans.models import Plan, Target
from mch.plans.target_status import UnitCount, gap_contributions

TREND_YEARS = 6
ABSOLUTE = ("dat", "tren", "duoi", "xuong", "duy_tri", "bare")


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


def _unit(request: HttpRequest) -> OrgUnit | None:
    raw = request.GET.get("don-vi", "").strip()
    if not raw:
        units = default_units(request.user)
        return units[0] if units else None
    unit = OrgUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if unit is None or not Scope.for_user(request.user).contains(unit):
        raise Http404(_("No such unit in your scope."))
    return unit


def _point(value: IndicatorValue) -> dict[str, Any]:
    return {
        "label": value.period.label,
        "value": value.value,
        "ci_low": value.ci_low,
        "ci_high": value.ci_high,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "small": value.small_numbers,
    }


def _series(values: Callable[..., list[IndicatorValue]], periods: list[Period]):
    return [_point(values(period=p)[0]) for p in periods]


def _targets(indicator: Indicator, unit: OrgUnit) -> list[dict[str, Any]]:
    targets = (
        Target.objects.filter(
            indicator=indicator,
            plan__scope_unit=unit,
            value__isnull=False,
            change_unit="",
            comparator__in=ABSOLUTE,
            population__code="all",
        )
        .select_related("plan")
        .order_by("year", "plan__slug")
    )
    seen: set[tuple[int, int, float]] = set()
    out = []
    for t in targets:
        key = (t.plan_id, t.year, float(t.value))
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "year": t.year,
                "value": float(t.value),
                "comparator": t.get_comparator_display(),
                "plan": _plan_name(t.plan),
                "label": f"{_plan_name(t.plan)}: {t.year}",
            }
        )
    return out


def _holding_back(
    communes: list[IndicatorValue],
    names: dict[int, OrgUnit],
    targets: list[dict[str, Any]],
    year: int,
    latest: IndicatorVersion,
) -> dict[str, Any] | None:
    """The communes that hold the unit back from the plan's target of ``year`` (or the
    next milestone after it): each one's events beyond what the target allows, which add
    up to the unit's own (mch.plans.target_status.gap_contributions)."""
    ahead = [t for t in targets if t["year"] >= year] or targets[-1:]
    if not ahead or len(communes) < 2:
        return None
    target = ahead[0]
    breakdown = gap_contributions(
        [UnitCount(v.unit_id, v.numerator, v.denominator) for v in communes],
        threshold=target["value"],
        direction=latest.direction,
        multiplier=latest.multiplier,
    )
    behind = [c for c in breakdown.contributions if c.excess > 0.005]
    largest = max((c.excess for c in behind), default=0.0)
    return {
        "target": target,
        "excess": breakdown.excess,
        "rows": [
            {"unit": names[c.unit_id], "c": c, "bar": round(100 * c.excess / largest)}
            for c in behind
        ],
        "lower": latest.direction == "lower",
    }


def _plan_name(plan: Plan) -> str:
    """The document's number ("45/KH-UBND"); its slug when the number was left blank."""
    return plan.number if any(c.isdigit() for c in plan.number) else plan.slug


def _ranked(values: list[IndicatorValue], direction: str) -> list[IndicatorValue]:
    with_data = [v for v in values if v.value is not None]
    best_first = sorted(with_data, key=lambda v: v.value or 0.0, reverse=direction == "higher")
    return best_first + [v for v in values if v.value is None]


def _csv(
    indicator: Indicator, rows: list[dict[str, Any]], period: Period, kind: str = "xa"
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{indicator.code}-{period.label.replace('/', '-')}-{kind}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response)
    head = ["ma_xa", "ten_xa"] if kind == "xa" else ["ma_nhom", "ten_nhom"]
    writer.writerow([*head, "ky", "tu_so", "mau_so", "gia_tri", "ci_thap", "ci_cao", "it_so_lieu"])
    for row in rows:
        value: IndicatorValue = row["value"]
        writer.writerow(
            [
                row["unit"].code if kind == "xa" else row["code"],
                row["unit"].name if kind == "xa" else row["name"],
                period.label,
                _plain(value.numerator),
                _plain(value.denominator),
                _plain(value.value),
                _plain(value.ci_low),
                _plain(value.ci_high),
                "có" if value.small_numbers else "",
            ]
        )
    return response


XLSX_HEAD = ["Kỳ", "Tử số", "Mẫu số", "Giá trị", "KTC 95% thấp", "KTC 95% cao", "Ít số liệu"]


def _xlsx(indicator: Indicator, context: dict[str, Any]) -> HttpResponse:
    """The page's two tables (communes ranked, population groups), numbers as numbers."""
    from openpyxl import Workbook

    period: Period = context["period"]
    book = Workbook()
    communes = book.active
    communes.title = "Xã"
    communes.append(["Mã xã", "Tên xã", *XLSX_HEAD])
    for row in context["ranked"]:
        communes.append([row["unit"].code, row["unit"].name, *_xlsx_cells(row["value"], period)])
    groups = book.create_sheet("Nhóm")
    groups.append(["Mã nhóm", "Nhóm", *XLSX_HEAD])
    for row in context["by_group"]:
        groups.append([row["code"], row["name"], *_xlsx_cells(row["value"], period)])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"{indicator.code}-{period.label.replace('/', '-')}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _xlsx_cells(value: IndicatorValue, period: Period) -> list[Any]:
    return [
        period.label,
        value.numerator,
        value.denominator,
        value.value,
        value.ci_low,
        value.ci_high,
        "có" if value.small_numbers else "",
    ]


def _plain(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else f"{number:.2f}".replace(".", ",")


def _figures(
    request: HttpRequest, indicator: Indicator, latest: IndicatorVersion
) -> dict[str, Any]:
    unit = _unit(request)
    if unit is None or not latest.compute:
        return {"unit": unit}
    as_of = timezone.now()
    year = timezone.localdate(as_of).year
    raw_year = request.GET.get("nam", "")
    chosen = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= year else year
    period = Period.year(chosen)
    user, code = request.user, indicator.code
    # One unit's values for the page's twenty-odd periods and groups, the group profiles
    # read once for all of them.
    values = partial(
        indicator_values,
        user=user,
        indicators=[code],
        units=[unit],
        as_of=as_of,
        profiles=ProfileMap(persist=False),
    )
    yearly = _series(values, [Period.year(y) for y in range(year - TREND_YEARS + 1, year + 1)])
    monthly = _series(values, list(Period.year(year).months())[: timezone.localdate(as_of).month])
    communes = values(period=period, by="commune")
    names = OrgUnit.objects.in_bulk({v.unit_id for v in communes})
    ranked = [
        {"unit": names[v.unit_id], "value": v}
        for v in _ranked(communes, latest.direction)
        if v.value is not None
    ]
    without_data = [names[v.unit_id] for v in communes if v.value is None]
    targets = _targets(indicator, unit)
    groups = [
        "all",
        *PopulationGroup.objects.exclude(code="all")
        .order_by("code")
        .values_list("code", flat=True),
    ]
    labels = dict(PopulationGroup.objects.values_list("code", "name_vi"))
    by_group = [
        {"code": v.group, "name": labels.get(v.group, v.group), "value": v}
        for v in values(period=period, groups=groups)
    ]
    return {
        "unit": unit,
        "period": period,
        "years": list(range(year - TREND_YEARS + 1, year + 1)),
        "chosen_year": chosen,
        "as_of": timezone.localtime(as_of),
        "ranked": ranked,
        "without_data": without_data,
        "by_group": by_group,
        "holding_back": _holding_back(communes, names, targets, chosen, latest),
        "chart": {
            "yearly": yearly,
            "monthly": monthly,
            "targets": targets,
            "unit_symbol": latest.unit_symbol,
            "year": year,
        },
    }


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        indicator = indicator_get(code)
    except Indicator.DoesNotExist as missing:
        raise Http404(str(missing)) from missing
    versions = list(indicator.versions.order_by("-version"))
    latest = indicator.latest_version
    context: dict[str, Any] = {
        "indicator": indicator,
        "latest": latest,
        "versions": versions,
        "disaggregations": [
            disaggregation_label(d) for d in (latest.disaggregations if latest else None) or []
        ],
    }
    if latest is not None:
        context |= _figures(request, indicator, latest)
        context["rebuild_note"] = rebuild_note(latest)
    export = request.GET.get("xuat")
    if export == "csv" and context.get("ranked") is not None:
        if request.GET.get("bang") == "nhom":
            return _csv(indicator, context["by_group"], context["period"], kind="nhom")
        return _csv(indicator, context["ranked"], context["period"])
    if export == "xlsx" and context.get("ranked") is not None:
        return _xlsx(indicator, context)
    return render(request, "web/indicators/detail.html", context)
