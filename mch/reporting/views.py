"""Reporting pages: an agency's tasks and reports, the status board, the annual report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mch.plans.models import Plan
from mch.plans.selectors import plan_get, plan_list

from . import selectors as sel
from .forms import AnnualReportForm, TaskReportForm, figures_text
from .models import AnnualReportFile, TaskReportAttachment
from .permissions import can_report_on, can_see_board, can_write_annual_report
from .services import Upload, annual_report_defaults, annual_report_save, task_report_save

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _plan_year(request: HttpRequest, slug: str, year: int) -> Plan:
    plan = plan_get(user=request.user, slug=slug)
    if year not in sel.report_years(plan):
        raise Http404(_("The year is outside the plan's period."))
    return plan


@login_required
def reporting_index(request: HttpRequest) -> HttpResponse:
    """Plans with their reporting years; an agency's own tasks first."""
    today = timezone.localdate()
    rows = []
    for plan in plan_list(user=request.user).order_by("-period_end", "slug"):
        year = sel.report_default_year(plan, today)
        lines = sel.task_report_lines(user=request.user, plan=plan, year=year, today=today)
        if not lines:
            continue
        rows.append(
            {
                "plan": plan,
                "year": year,
                "deadline": sel.report_deadline(plan, year),
                "lines": lines,
                "submitted": sum(1 for ln in lines if ln.state.startswith("submitted")),
                "late": sum(1 for ln in lines if ln.state == sel.LATE),
            }
        )
    return render(
        request,
        "reporting/index.html",
        {"rows": rows, "board": can_see_board(request.user), "nav_section": "reporting"},
    )


@login_required
def task_list(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = _plan_year(request, slug, year)
    today = timezone.localdate()
    lines = sel.task_report_lines(user=request.user, plan=plan, year=year, today=today)
    deadline = sel.report_deadline(plan, year)
    return render(
        request,
        "reporting/tasks.html",
        {
            "plan": plan,
            "year": year,
            "years": sel.report_years(plan),
            "deadline": deadline,
            "days_left": (deadline - today).days,
            "lines": lines,
            "board": can_see_board(request.user),
            "nav_section": "reporting",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_report(request: HttpRequest, slug: str, year: int, task_id: int) -> HttpResponse:
    plan = _plan_year(request, slug, year)
    today = timezone.localdate()
    line = sel.task_report_line(
        user=request.user, plan=plan, year=year, task_id=task_id, today=today
    )
    report = line.report
    editable = can_report_on(request.user, line.task) and (
        report is None or report.status == report.Status.DRAFT
    )
    initial = {
        "narrative": report.narrative if report else "",
        "figures": figures_text(report.figures) if report else "",
    }
    form = TaskReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data.get("attachment")
            uploads = (
                [Upload(upload.name, upload.content_type or "", upload.read())] if upload else []
            )
            submit = "submit" in request.POST
            try:
                task_report_save(
                    user=request.user,
                    task=line.task,
                    year=year,
                    narrative=form.cleaned_data["narrative"],
                    figures=form.cleaned_data["figures"],
                    uploads=uploads,
                    submit=submit,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Report submitted.") if submit else _("Draft saved."))
                if submit:
                    return redirect("reporting-tasks", slug=plan.slug, year=year)
                return redirect(request.path)
    return render(
        request,
        "reporting/task_report.html",
        {
            "plan": plan,
            "year": year,
            "line": line,
            "report": report,
            "form": form,
            "editable": editable,
            "deadline": sel.report_deadline(plan, year),
            "nav_section": "reporting",
        },
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        TaskReportAttachment.objects.select_related("report__task__plan"), pk=pk
    )
    report = attachment.report
    plan = plan_get(user=request.user, slug=report.task.plan.slug)
    # the same visibility as the task itself (a department sees only its own tasks)
    sel.task_report_line(
        user=request.user,
        plan=plan,
        year=report.year,
        task_id=report.task_id,
        today=timezone.localdate(),
    )
    response = HttpResponse(
        bytes(attachment.data), content_type=attachment.content_type or "application/octet-stream"
    )
    response["Content-Disposition"] = f'attachment; filename="{attachment.name}"'
    return response


@login_required
def task_board(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    if not can_see_board(request.user):
        raise PermissionDenied
    plan = _plan_year(request, slug, year)
    today = timezone.localdate()
    board = sel.task_report_board(user=request.user, plan=plan, year=year, today=today)
    return render(
        request,
        "reporting/board.html",
        {
            "plan": plan,
            "year": year,
            "years": sel.report_years(plan),
            "board": board,
            "today": today,
            "states": sel.STATES,
            "nav_section": "reporting",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def annual_report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    if not can_see_board(request.user):
        raise PermissionDenied
    plan = _plan_year(request, slug, year)
    report = sel.annual_report_get(plan=plan, year=year)
    writable = can_write_annual_report(request.user)
    initial: dict[str, Any] = (
        {name: getattr(report, name) for name in AnnualReportForm.base_fields}
        if report
        else annual_report_defaults(plan=plan)
    )
    form = AnnualReportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        if form.is_valid():
            annual_report_save(user=request.user, plan=plan, year=year, **form.cleaned_data)
            if "generate" in request.POST:
                return annual_report_generate_view(request, slug, year)
            messages.success(request, _("Draft saved."))
            return redirect(request.path)
    files = {f.kind: f for f in report.files.all()} if report else {}
    return render(
        request,
        "reporting/annual.html",
        {
            **_generation_context(plan, year, request.user),
            "plan": plan,
            "year": year,
            "years": sel.report_years(plan),
            "form": form,
            "report": report,
            "files": files,
            "writable": writable,
            "nav_section": "reporting",
        },
    )


@login_required
@require_POST
def annual_report_generate_view(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    from .annual.jobs import annual_report_enqueue

    if not can_write_annual_report(request.user):
        raise PermissionDenied
    plan = _plan_year(request, slug, year)
    annual_report_enqueue(user=request.user, plan=plan, year=year)
    return redirect(reverse("reporting-annual", args=[plan.slug, year]) + "#generation")


def _generation_context(plan: Plan, year: int, user: Any) -> dict[str, Any]:
    from mch.jobs.models import Job

    from .annual.jobs import failure_text, generation_job

    job = generation_job(plan, year)
    running = job is not None and not job.finished
    queued = job is not None and job.status == Job.Status.QUEUED
    return {
        "plan": plan,
        "year": year,
        "job": job,
        "running": running,
        "queued": queued,
        "failure": failure_text(job) if job is not None and job.status == "failed" else "",
        "can_retry": can_write_annual_report(user),
    }


@login_required
def annual_report_progress(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The generation's progress (polled by the annual report page every second)."""
    if not can_see_board(request.user):
        raise PermissionDenied
    plan = _plan_year(request, slug, year)
    context = _generation_context(plan, year, request.user)
    response = render(request, "reporting/_generation.html", context)
    if context["job"] is not None and not context["running"] and request.GET.get("was") == "1":
        # It ended while the page watched it: reload the page for the new files.
        response["HX-Refresh"] = "true"
    return response


@login_required
def annual_report_preview(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The report as HTML, the same page the PDF is printed from."""
    from .annual.data import annual_report_data
    from .annual.html import annual_report_html

    if not can_see_board(request.user):
        raise PermissionDenied
    plan = _plan_year(request, slug, year)
    data = annual_report_data(user=request.user, plan=plan, year=year)
    return HttpResponse(annual_report_html(data))


@login_required
def annual_report_download(request: HttpRequest, slug: str, year: int, kind: str) -> HttpResponse:
    if not can_see_board(request.user):
        raise PermissionDenied
    plan = _plan_year(request, slug, year)
    report = sel.annual_report_get(plan=plan, year=year)
    found = report.files.filter(kind=kind).first() if report else None
    if found is None or kind not in CONTENT_TYPES:
        raise Http404(_("This file has not been generated yet."))
    stem = f"bao-cao-{plan.slug}-{year}" + (
        "-phu-luc-1" if kind == AnnualReportFile.Kind.XLSX else ""
    )
    response = HttpResponse(bytes(found.data), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
    return response


def _finding_rows(findings: list[Any], link: Callable[[Any], str]) -> list[dict[str, Any]]:
    """One row per finding, except a unit's months missing or late: one row per kind with
    a link per month (a year of missing reports is one line, not twelve)."""
    from . import quality as q

    rows: list[dict[str, Any]] = []
    grouped: dict[str, dict[str, Any]] = {}
    for f in findings:
        if f.kind in (q.COMPLETENESS, q.TIMELINESS) and f.month is not None:
            row = grouped.get(f.kind)
            if row is None:
                row = grouped[f.kind] = {"f": f, "months": []}
                rows.append(row)
            row["months"].append(
                {"label": f"{f.month[1]:02d}/{f.month[0]}", "link": link(f), "message": f.message}
            )
        else:
            rows.append({"f": f, "link": link(f), "months": []})
    return rows


@login_required
def data_quality(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Data quality for the plan's unit and year: of the register-derived values, or
    (``?nguon=bao-cao``) of the approved periodic reports."""
    from . import quality as q
    from . import quality_aggregate, quality_data

    if not can_see_board(request.user):
        raise PermissionDenied
    from mch.aggregate_data.periods import PeriodInvalid, period_from_token, period_label
    from mch.indicators.engine.periods import Period

    plan = _plan_year(request, slug, year)
    source = "bao-cao" if request.GET.get("nguon") == "bao-cao" else "so"
    token = request.GET.get("ky", "").strip()
    try:
        period = period_from_token(token) if token else Period.year(year)
    except PeriodInvalid as error:
        raise Http404(str(error)) from error
    if period.start.year != year:
        raise Http404(f"Kỳ {token} không thuộc năm {year}.")
    months = quality_data.period_months(period)
    if source == "bao-cao":
        page = quality_aggregate.aggregate_quality_page(
            user=request.user, unit=plan.scope_unit, year=year, months=months
        )

        def link(f: q.Finding) -> str:
            return quality_aggregate.fix_link(f, year, page.values)
    else:
        page = quality_data.quality_page(
            user=request.user, unit=plan.scope_unit, year=year, months=months
        )

        def link(f: q.Finding) -> str:
            return quality_data.fix_link(f, year)

    surveys = [
        {"c": c, "link": quality_data.survey_fix_link(c, period, source)}
        for c in quality_data.survey_comparisons(
            user=request.user, unit=plan.scope_unit, year=year, period=period, source=source
        )
    ]

    by_kind = {k: 0 for k in q.KIND_NAMES if source == "bao-cao" or k != q.TIMELINESS}
    for finding in [*page.review.findings, *(s["c"].finding for s in surveys if s["c"].finding)]:
        by_kind[finding.kind] += 1
    communes = [
        {
            "unit": unit,
            "score": score,
            "completeness": completeness,
            "findings": _finding_rows(score.findings, link),
        }
        for unit, score, completeness in page.ranked()
        if score.checks  # nothing due in the period: the commune did not exist then
    ]
    return render(
        request,
        "reporting/quality.html",
        {
            "plan": plan,
            "year": year,
            "years": sel.report_years(plan),
            "page": page,
            "communes": communes,
            "by_kind": [(q.KIND_NAMES[k], n) for k, n in by_kind.items()],
            "source": source,
            "thresholds": q.Thresholds(),
            "surveys": surveys,
            "period": period,
            "period_label": period_label(period),
            "token": token,
            "periods": _quality_periods(year, token),
            "nav_section": "reporting",
        },
    )


def _quality_periods(year: int, token: str) -> list[dict[str, Any]]:
    """The year and its quarters, for the data-quality page's period chips."""
    out = [{"token": "", "label": "Cả năm", "current": not token}]
    for n in range(1, 5):
        out.append(
            {"token": f"{year}-Q{n}", "label": f"Quý {n}", "current": token == f"{year}-Q{n}"}
        )
    return out
