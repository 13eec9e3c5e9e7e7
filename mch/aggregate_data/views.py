"""Pages of periodic aggregate reports: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mch.orgunits.models import OrgUnit
from mch.registers.models import AuditAction
from mch.registers.services.audit import audit_log

from . import access, imports, selectors, services
from .interchange import FileInvalid, adx, dhis2, export_groups, tabular
from .periods import PeriodInvalid, period_from_token, period_label, period_token, periods_ended

PERIOD_COUNT = 6
ROWS_PER_PAGE = 100


def _form_code(request: HttpRequest) -> str:
    _, defs = services.definitions_current()
    code = request.GET.get("bieu", "mch_month")
    return code if code in defs.forms else "mch_month"


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Units × periods of a form: on time, late, missing; each cell opens the report."""
    _, defs = services.definitions_current()
    form_code = _form_code(request)
    form = defs.form(form_code)
    periods = periods_ended(form.period, timezone.localdate(), PERIOD_COUNT)
    table = selectors.timeliness_table(user=request.user, form_code=form_code, periods=periods)
    upper = selectors.timeliness_table(
        user=request.user,
        form_code=form_code,
        periods=periods,
        units=selectors.rollup_units(user=request.user, periods=periods),
    )
    current = list(periods_ended(form.period, timezone.localdate() + _one_period(form.period), 1))
    # A national or province-wide scope holds thousands of communes: the totals count them
    # all, the table shows them a page at a time.
    rows = Paginator(table.rows, ROWS_PER_PAGE).get_page(request.GET.get("trang"))
    query = urlencode({"bieu": form_code})
    return render(
        request,
        "aggregate_data/overview.html",
        {
            "nav_section": "aggregate",
            "defs": defs,
            "form": form,
            "table": table,
            "rows": rows,
            "query": query,
            "upper": upper,
            "labels": [(period_label(p), period_token(p)) for p in periods],
            "current": [(period_label(p), period_token(p)) for p in current if p not in periods],
            "can_import": getattr(request.user, "role", "") in ("province_officer", "commune_staff")
            or request.user.is_superuser,
        },
    )


def _one_period(kind: str) -> Any:
    import datetime as dt

    return dt.timedelta(days={"month": 31, "quarter": 92}.get(kind, 366))


def _entry_args(request: HttpRequest, form: str, unit_id: int, token: str) -> tuple[Any, Any]:
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    if not access.can_read(request.user, unit):
        raise Http404
    try:
        period = period_from_token(token)
    except PeriodInvalid as exc:
        raise Http404(str(exc)) from exc
    _, defs = services.definitions_current()
    if form not in defs.forms or defs.forms[form].period != period.kind:
        raise Http404
    return unit, period


@login_required
def entry(request: HttpRequest, form: str, unit_id: int, token: str) -> HttpResponse:
    unit, period = _entry_args(request, form, unit_id, token)
    posted: dict[str, str] | None = None
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "save")
        report = selectors.report_find(user=request.user, form_code=form, unit=unit, period=period)
        try:
            if action in ("save", "submit"):
                page = selectors.entry_page(
                    user=request.user, form_code=form, unit=unit, period=period
                )
                keys = [c.key for s in page.sections for e in s.elements for c in e.cells]
                values = {tuple(k.split("/", 1)): request.POST.get(k, "") for k in keys}
                registers = {
                    tuple(c.key.split("/", 1)): c.register
                    for s in page.sections
                    for e in s.elements
                    for c in e.cells
                    if c.register is not None
                }
                services.report_values_save(
                    user=request.user,
                    form_code=form,
                    unit=unit,
                    period=period,
                    values=values,
                    register_values=registers,
                    submit=action == "submit",  # type: ignore[arg-type]
                )
                messages.success(
                    request,
                    _("Periodic report submitted.") if action == "submit" else _("Draft saved."),
                )
            elif action == "rollup":
                services.report_values_from_communes(
                    user=request.user, form_code=form, unit=unit, period=period
                )
                messages.success(request, _("Values replaced by the sums of the communes."))
            elif action == "approve" and report is not None:
                report = services.report_approve(user=request.user, report=report)
                messages.success(
                    request,
                    _("Periodic report approved.")
                    if report.status == "approved"
                    else _("Checked for the district; now waiting for the province."),
                )
            elif action == "reopen" and report is not None:
                services.report_reopen(
                    user=request.user, report=report, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Periodic report reopened."))
            else:
                raise Http404
            return redirect(request.path)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
                posted = dict(request.POST.items())
                messages.error(request, _("Nothing was saved: correct the values marked in red."))
            else:
                messages.error(request, " ".join(exc.messages))
    page = selectors.entry_page(
        user=request.user, form_code=form, unit=unit, period=period, posted=posted, errors=errors
    )
    history = selectors.report_history(user=request.user, report=page.report) if page.report else []
    return render(
        request,
        "aggregate_data/entry.html",
        {
            "nav_section": "aggregate",
            "page": page,
            "label": period_label(period),
            "token": token,
            "history": history,
            "errors": errors,
        },
    )


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    _, defs = services.definitions_current()
    problems: list[str] = []
    summary = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose a file.")]
        else:
            try:
                summary = imports.file_import(
                    user=request.user,
                    name=upload.name or "",
                    content=upload.read(),
                    form=request.POST.get("bieu", ""),
                    period=request.POST.get("ky", ""),
                )
            except services.ImportRefused as exc:
                problems = exc.problems
    return render(
        request,
        "aggregate_data/import.html",
        {"nav_section": "aggregate", "defs": defs, "problems": problems, "summary": summary},
    )


FORMATS = {
    "xml": ("application/adx+xml", "adx"),
    "json": ("application/json", "dhis2"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


@login_required
def export(request: HttpRequest, form: str, token: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    try:
        period = period_from_token(token)
    except PeriodInvalid as exc:
        raise Http404(str(exc)) from exc
    groups = export_groups(
        user=request.user,
        form_code=form,
        periods=[period],
        approved_only=request.GET.get("da-duyet") == "1",
        unit_id=int(request.GET["don-vi"]) if request.GET.get("don-vi", "").isdigit() else None,
    )
    try:
        if fmt == "xml":
            body = adx.adx_write(groups, exported=timezone.now())
        elif fmt == "json":
            body = dhis2.dhis2_write(groups)
        else:
            body = tabular.csv_write(groups)
    except FileInvalid as exc:
        messages.error(request, str(exc))
        return redirect(reverse("aggregate-overview") + f"?bieu={form}")
    audit_log(
        user=request.user,
        action=AuditAction.EXPORT,
        changes={"form": form, "period": token, "format": fmt, "reports": len(groups)},
        note=f"Xuất báo cáo định kỳ {form} {token} ({FORMATS[fmt][1]})",
    )
    response = HttpResponse(body, content_type=FORMATS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{form}-{token}.{fmt}"'
    return response
