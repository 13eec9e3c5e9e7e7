"""Worklist pages: the overview with counts, one page per list, a print page (A4) and the
XLSX/CSV exports for village health workers (each export is written to the audit trail).

The lists themselves come from ``mch.registers.worklists``; this module parses the query
(commune, village, day, horizon, statuses), checks the user may see people, and renders.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mch.accounts.permissions import can_see_people
from mch.core.day_range import day_in_range
from mch.orgunits.models import OrgUnit
from mch.registers import worklists as lists
from mch.registers.models import AuditAction
from mch.registers.services import audit_log

PAGE_SIZE = 100
HORIZONS = (0, 7, 14, 30)
STATUSES = (lists.Urgency.OVERDUE, lists.Urgency.DUE, lists.Urgency.MISSED, lists.Urgency.UPCOMING)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Query:
    """What the page asks for, parsed from the URL."""

    as_of: dt.date
    units: list[OrgUnit]
    unit: OrgUnit | None
    village: str
    villages: list[str]
    horizon: int
    statuses: list[str] | None
    areas: list[OrgUnit]
    area: OrgUnit | None

    def params(self, **override: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "unit": self.unit.pk if self.unit else "",
            "area": self.area.pk if self.area and not self.unit else "",
            "village": self.village,
            "on": f"{self.as_of:%d/%m/%Y}",
            "horizon": self.horizon or "",
        }
        values.update(override)
        return {key: value for key, value in values.items() if value not in ("", None)}

    @property
    def qs(self) -> str:
        """The query string that keeps the same choices on another page."""
        params: dict[str, Any] = self.params()
        if self.statuses:
            params["status"] = self.statuses
        return urlencode(params, doseq=True)


def _day(raw: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(raw.strip(), pattern).date()
        except ValueError:
            continue
        if day_in_range(day):
            return day
    return timezone.localdate()


def _default_unit(request: HttpRequest, units: list[OrgUnit]) -> OrgUnit | None:
    """The user's own commune when they have one, else the only commune in scope."""
    by_pk = {unit.pk: unit for unit in units}
    for pk in request.user.units.values_list("pk", flat=True):  # type: ignore[union-attr]
        if pk in by_pk:
            return by_pk[pk]
    return units[0] if len(units) == 1 else None


def _query(request: HttpRequest) -> Query:
    if not can_see_people(request.user):
        raise PermissionDenied
    as_of = _day(request.GET.get("on", ""))
    units = lists.worklist_units(user=request.user, as_of=as_of)
    raw_unit = request.GET.get("unit", "")
    if raw_unit:
        unit = next((u for u in units if str(u.pk) == raw_unit), None)
        if unit is None:
            raise Http404(_("No such commune in your scope."))
    else:
        unit = _default_unit(request, units)
    areas = lists.worklist_areas(user=request.user, as_of=as_of)
    raw_area = request.GET.get("area", "")
    if raw_area:
        area = next((a for a in areas if str(a.pk) == raw_area), None)
        if area is None:
            raise Http404(_("No such unit in your scope."))
    else:
        area = _default_area(request, areas, unit)
    villages = lists.worklist_villages(user=request.user, unit=unit) if unit else []
    village = " ".join(request.GET.get("village", "").split())
    try:
        horizon = int(request.GET.get("horizon", "0"))
    except ValueError:
        horizon = 0
    chosen = [s for s in request.GET.getlist("status") if s in STATUSES]
    return Query(
        as_of=as_of,
        units=units,
        unit=unit,
        village=village,
        villages=villages,
        horizon=horizon if horizon in HORIZONS else 0,
        statuses=chosen or None,
        areas=areas,
        area=area,
    )


def _default_area(
    request: HttpRequest, areas: list[OrgUnit], unit: OrgUnit | None
) -> OrgUnit | None:
    """The province above the chosen commune; else the user's own unit above communes
    (a province officer's province); else the only one in scope."""
    if unit is not None:
        return next((a for a in reversed(areas) if unit.path.startswith(a.path)), None)
    own = set(request.user.units.values_list("pk", flat=True))  # type: ignore[union-attr]
    mine = [a for a in areas if a.pk in own]
    if mine:
        return mine[0]
    return areas[0] if len(areas) == 1 else None


def _worklist(slug: str) -> lists.Worklist:
    for worklist in lists.worklists():
        if worklist.slug == slug:
            return worklist
    raise Http404(_("There is no such list."))


def _rows(request: HttpRequest, worklist: lists.Worklist, query: Query) -> list[lists.Row]:
    assert query.unit is not None
    kwargs: dict[str, Any] = {
        "user": request.user,
        "unit": query.unit,
        "as_of": query.as_of,
        "village": query.village,
    }
    if worklist.horizon:
        kwargs["horizon_days"] = query.horizon
    if worklist.status_filter and query.statuses:
        kwargs["statuses"] = query.statuses
    return worklist.function(**kwargs)


def _base_context(query: Query) -> dict[str, Any]:
    return {
        "query": query,
        "as_of": query.as_of,
        "unit": query.unit,
        "village": query.village,
        "horizons": HORIZONS,
        "statuses": [(s, lists.urgency_label(s)) for s in STATUSES],
        "nav_section": "worklists",
    }


@login_required
def worklist_overview(request: HttpRequest) -> HttpResponse:
    query = _query(request)
    summary = []
    if query.unit is not None:
        for worklist in lists.worklists():
            counts = lists.count_rows(_rows(request, worklist, query))
            summary.append(
                {
                    "worklist": worklist,
                    "counts": counts,
                    "cells": [
                        (counts.by_status.get(s, 0), lists.urgency_label(s)) for s in STATUSES
                    ],
                }
            )
    area_summary = None
    if query.unit is None and query.area is not None:
        area_summary = lists.worklist_summary(user=request.user, area=query.area, as_of=query.as_of)
    context = _base_context(query) | {
        "summary": summary,
        "area_summary": area_summary,
        "area_columns": _area_columns(),
        "legend": [
            (worklist, lists.worklist_legend(slug=worklist.slug, unit=query.unit or query.area))
            for worklist in lists.worklists()
        ],
    }
    return render(request, "web/worklists/overview.html", context)


def _area_columns() -> list[dict[str, Any]]:
    """The province table's columns: each list with the statuses it can hold."""
    columns = []
    for worklist in lists.worklists():
        statuses = [lists.Urgency.OVERDUE, lists.Urgency.DUE]
        if worklist.status_filter:
            statuses.append(lists.Urgency.MISSED)
        columns.append(
            {
                "worklist": worklist,
                "statuses": [(str(s), lists.urgency_label(s)) for s in statuses],
            }
        )
    return columns


@login_required
def worklist_page(request: HttpRequest, slug: str) -> HttpResponse:
    worklist = _worklist(slug)
    query = _query(request)
    if query.unit is None:
        return worklist_overview(request)
    rows = _rows(request, worklist, query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _log_view(request, worklist, query, [row.person_id for row in page.object_list])
    context = _base_context(query) | {
        "worklist": worklist,
        "rows": page.object_list,
        "page": page,
        "counts": lists.count_rows(rows),
        "first_number": page.start_index(),
        "legend": lists.worklist_legend(
            slug=worklist.slug,
            unit=query.unit,
            horizon=query.horizon if worklist.horizon else 0,
        ),
    }
    return render(request, "web/worklists/list.html", context)


@login_required
def worklist_print(request: HttpRequest, slug: str) -> HttpResponse:
    worklist = _worklist(slug)
    query = _query(request)
    if query.unit is None:
        raise Http404(_("Choose a commune before printing."))
    rows = _rows(request, worklist, query)
    _log_view(request, worklist, query, [row.person_id for row in rows], printed=True)
    context = _base_context(query) | {"worklist": worklist, "rows": rows, "first_number": 1}
    return render(request, "web/worklists/print.html", context)


def _log_view(
    request: HttpRequest,
    worklist: lists.Worklist,
    query: Query,
    person_ids: list[int],
    *,
    printed: bool = False,
) -> None:
    """A worklist names people: who saw (or printed) which ones is logged, one entry per
    page (Law 91/2025/QH15)."""
    if query.unit is None:
        return
    audit_log(
        user=request.user,
        action=AuditAction.VIEW,
        note=("In danh sách" if printed else "Xem danh sách")
        + f" việc cần làm {worklist.slug}, {query.unit.name}"
        + (f", {query.village}" if query.village else ""),
        changes={"worklist": worklist.slug, "unit": query.unit.pk, "people": person_ids},
    )


def _headers() -> list[str]:
    return [
        pgettext("worklist", "No."),
        _("Full name"),
        _("Village"),
        _("Phone"),
        _("Age / weeks pregnant"),
        _("To do"),
        _("Date"),
        _("Status"),
        _("Note"),
        pgettext("worklist", "Done"),
    ]


def _task_lines(row: lists.Row) -> str:
    return "\n".join(f"{task.label} — {task.when}" for task in row.tasks)


def _title(worklist: lists.Worklist, query: Query) -> str:
    assert query.unit is not None
    place = query.unit.name + (f", {query.village}" if query.village else "")
    return f"{worklist.title} — {place} — {_('as of')} {query.as_of:%d/%m/%Y}"


def _xlsx(worklist: lists.Worklist, query: Query, rows: list[lists.Row]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    # Write-only mode streams rows: an export of thousands of children stays quick.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(worklist.slug)
    for column, width in zip("ABCDEFGHIJ", (5, 26, 16, 13, 16, 48, 11, 11, 24, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"

    def cell(value: Any, **style: Any) -> WriteOnlyCell:
        made = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(made, name, setting)
        return made

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([cell(_title(worklist, query), font=Font(bold=True, size=13))])
    sheet.append([])
    sheet.append([cell(header, font=bold) for header in _headers()])
    for number, row in enumerate(rows, start=1):
        sheet.append(
            [
                number,
                row.name,
                row.village,
                row.phone,
                row.age_text,
                cell(_task_lines(row), alignment=wrap),
                cell(row.since, number_format="dd/mm/yyyy"),
                row.status_label,
                row.note,
                "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[lists.Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    for number, row in enumerate(rows, start=1):
        writer.writerow(
            [
                number,
                row.name,
                row.village,
                row.phone,
                row.age_text,
                _task_lines(row).replace("\n", "; "),
                f"{row.since:%d/%m/%Y}",
                row.status_label,
                row.note,
                "",
            ]
        )
    # A byte-order mark so that spreadsheet programs read the Vietnamese letters right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@login_required
def worklist_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    worklist = _worklist(slug)
    query = _query(request)
    if query.unit is None:
        raise Http404(_("Choose a commune before exporting."))
    rows = _rows(request, worklist, query)
    if fmt == "xlsx":
        response = HttpResponse(_xlsx(worklist, query, rows), content_type=XLSX)
    else:
        response = HttpResponse(_csv(rows), content_type="text/csv; charset=utf-8")
    name = f"viec-can-lam-{worklist.slug}-{query.unit.code}-{query.as_of:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit_log(
        user=request.user,
        action=AuditAction.EXPORT,
        note=f"Danh sách việc cần làm {worklist.slug}, {query.unit.name}"
        + (f", {query.village}" if query.village else "")
        + f", ngày {query.as_of:%d/%m/%Y} ({fmt})",
        changes={
            "worklist": worklist.slug,
            "unit": query.unit.pk,
            "village": query.village,
            "as_of": query.as_of.isoformat(),
            "format": fmt,
            "rows": len(rows),
            "person_ids": [row.person_id for row in rows],
        },
    )
    return response
