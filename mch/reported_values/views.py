"""Pages of survey, policy and workforce values ("Số liệu khác"): lists per kind filtered
by unit and year in the user's scope, entry and edit forms, delete with confirmation, and
the import of a year's values. Each view parses, calls a selector or service, renders."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mch.accounts.models import Role

from . import access, imports, selectors, services
from .forms import PolicyForm, SurveyForm, WorkforceForm
from .models import PolicyValue, SurveyResult, WorkforceReport

ROWS_PER_PAGE = 50
KINDS = ("khao-sat", "chinh-sach", "nhan-luc")


def _year_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("nam", "").strip()
    if raw.isdigit() and services.YEARS[0] <= int(raw) <= services.YEARS[1]:
        return int(raw)
    return None


def _may_enter(user: Any, kind: str) -> bool:
    if not access.enters_anything(user):
        return False
    officer = bool(user.is_superuser or user.role == Role.PROVINCE_OFFICER)
    if kind == "khao-sat":
        return officer
    if kind == "chinh-sach":
        return officer or user.role == Role.COMMUNE_STAFF
    return True


def _list(request: HttpRequest, kind: str) -> HttpResponse:
    user = request.user
    unit = selectors.unit_find(user=user, pk=request.GET.get("don-vi"))
    year = _year_param(request)
    if kind == "khao-sat":
        rows: Any = selectors.surveys(user=user, unit=unit, year=year)
    elif kind == "chinh-sach":
        rows = selectors.policy_values(user=user, unit=unit, year=year)
    else:
        rows = selectors.workforce_reports(user=user, unit=unit, year=year)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("trang"))
    query = urlencode(
        {k: v for k, v in (("don-vi", unit.pk if unit else ""), ("nam", year or "")) if v}
    )
    this_year = timezone.localdate().year
    if kind == "khao-sat":
        editable = {r.pk for r in page if access.can_enter_survey(user, r.unit)}
    elif kind == "chinh-sach":
        editable = {r.pk for r in page if access.can_enter_policy(user, r.unit)}
    else:
        editable = {r.pk for r in page if access.can_enter_workforce(user, r.facility)}
    return render(
        request,
        "reported_values/list.html",
        {
            "nav_section": "reported",
            "kind": kind,
            "rows": page,
            "editable": editable,
            "unit": unit,
            "year": year,
            "years": list(range(this_year, 2020, -1)),
            "units": selectors.unit_choices(user=user),
            "query": query,
            "may_enter": _may_enter(user, kind),
            "may_import": access.enters_anything(user),
            "labels": services.WORKFORCE_LABELS,
            "names": selectors.indicator_names(
                {r.indicator.code for r in page} if kind != "nhan-luc" else set()
            ),
        },
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("reported-surveys")


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "khao-sat")


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "chinh-sach")


@login_required
def workforce_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "nhan-luc")


def _back(request: HttpRequest, name: str) -> str:
    """The list the user came from (its filters kept), else the kind's list."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    prefix = reverse(name)
    return target if target.startswith(prefix) else prefix


def _saved(request: HttpRequest, text: str) -> None:
    messages.success(request, text)


# ---------------------------------------------------------------- surveys


def _survey_form(request: HttpRequest, instance: SurveyResult | None) -> HttpResponse:
    user = request.user
    if instance is None and not _may_enter(user, "khao-sat"):
        raise PermissionDenied
    units = selectors.unit_choices(user=user, may_enter=access.can_enter_survey)
    initial = {}
    if instance is not None:
        initial = {
            "indicator": instance.indicator.code,
            "unit": str(instance.unit_id),
            "survey_name": instance.survey_name,
            "survey_date": f"{instance.survey_date:%d/%m/%Y}",
            "year": str(instance.year),
            "sample_size": str(instance.sample_size),
            "value": _dec(instance.value),
            "ci_low": "" if instance.ci_computed else _dec(instance.ci_low),
            "ci_high": "" if instance.ci_computed else _dec(instance.ci_high),
            "document_ref": instance.document_ref,
            "note": instance.note,
        }
    elif request.GET.get("don-vi"):
        initial["unit"] = request.GET["don-vi"]
    data = request.POST if request.method == "POST" else None
    form = SurveyForm(data, initial=initial, indicators=selectors.survey_indicators(), units=units)
    if data is not None:
        v = form.values()
        unit = selectors.unit_find(user=user, pk=v["unit"])
        try:
            if unit is None:
                raise ValidationError({"unit": _("Choose a unit.")})
            saved = services.survey_result_save(
                user=user,
                indicator_code=v["indicator"],
                unit=unit,
                survey_name=v["survey_name"],
                survey_date=v["survey_date"],
                sample_size=v["sample_size"],
                value=v["value"],
                ci_low=v["ci_low"] or None,
                ci_high=v["ci_high"] or None,
                year=v["year"] or None,
                document_ref=v["document_ref"],
                note=v["note"],
                via="form",
                instance=instance,
            )
        except ValidationError as exc:
            form.put_errors(exc)
        else:
            kind = _("Wilson, computed from n") if saved.ci_computed else _("the survey's own")
            _saved(
                request,
                _("Survey result saved: %(value)s%% (95%% interval %(low)s–%(high)s, %(kind)s).")
                % {
                    "value": _dec(saved.value),
                    "low": _dec(saved.ci_low, 1),
                    "high": _dec(saved.ci_high, 1),
                    "kind": kind,
                },
            )
            return redirect(_back(request, "reported-surveys"))
    return render(
        request,
        "reported_values/survey_form.html",
        {
            "nav_section": "reported",
            "form": form,
            "instance": instance,
            "next": _back(request, "reported-surveys"),
        },
    )


def _dec(value: Any, places: int | None = None) -> str:
    if value is None:
        return ""
    if places is not None:
        text = f"{float(value):.{places}f}"
    else:
        text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


@login_required
def survey_add(request: HttpRequest) -> HttpResponse:
    return _survey_form(request, None)


@login_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.survey_get(user=request.user, pk=pk)
    if not access.can_enter_survey(request.user, row.unit):
        raise PermissionDenied
    return _survey_form(request, row)


# ---------------------------------------------------------------- policy


def _policy_form(request: HttpRequest, instance: PolicyValue | None) -> HttpResponse:
    user = request.user
    if instance is None and not _may_enter(user, "chinh-sach"):
        raise PermissionDenied
    units = selectors.unit_choices(user=user, may_enter=access.can_enter_policy)
    initial: dict[str, str] = {"year": str(timezone.localdate().year)}
    if instance is not None:
        initial = {
            "indicator": instance.indicator.code,
            "unit": str(instance.unit_id),
            "year": str(instance.year),
            "answer": {True: "yes", False: "no"}.get(instance.answer, ""),  # type: ignore[arg-type]
            "numerator": _dec(instance.numerator),
            "denominator": _dec(instance.denominator),
            "number": _dec(instance.number),
            "document_ref": instance.document_ref,
            "note": instance.note,
        }
        if not any(u == str(instance.unit_id) for u, _label in units):
            units = [(str(instance.unit_id), selectors.unit_label(instance.unit)), *units]
    elif request.GET.get("don-vi"):
        initial["unit"] = request.GET["don-vi"]
    data = request.POST if request.method == "POST" else None
    form = PolicyForm(
        data,
        initial=initial,
        indicators=selectors.policy_indicators(),
        units=units,
        fixed=instance is not None,
    )
    if data is not None:
        v = form.values()
        if instance is not None:
            v |= {"indicator": instance.indicator.code, "unit": str(instance.unit_id)}
            v["year"] = str(instance.year)
        unit = selectors.unit_find(user=user, pk=v["unit"])
        try:
            if unit is None:
                raise ValidationError({"unit": _("Choose a unit.")})
            if form.answer_value() is None and not any(
                v[k] for k in ("numerator", "denominator", "number")
            ):
                raise ValidationError(
                    {"answer": _("Give a yes/no answer, a numerator and denominator, or a number.")}
                )
            services.policy_value_save(
                user=user,
                indicator_code=v["indicator"],
                unit=unit,
                year=v["year"],
                answer=form.answer_value(),
                numerator=v["numerator"] or None,
                denominator=v["denominator"] or None,
                number=v["number"] or None,
                document_ref=v["document_ref"],
                note=v["note"],
                via="form",
            )
        except ValidationError as exc:
            form.put_errors(exc)
        else:
            _saved(request, _("Policy item saved."))
            return redirect(_back(request, "reported-policy"))
    return render(
        request,
        "reported_values/policy_form.html",
        {
            "nav_section": "reported",
            "form": form,
            "instance": instance,
            "next": _back(request, "reported-policy"),
        },
    )


@login_required
def policy_add(request: HttpRequest) -> HttpResponse:
    return _policy_form(request, None)


@login_required
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.policy_get(user=request.user, pk=pk)
    if not access.can_enter_policy(request.user, row.unit):
        raise PermissionDenied
    return _policy_form(request, row)


# ---------------------------------------------------------------- workforce


def _workforce_form(request: HttpRequest, instance: WorkforceReport | None) -> HttpResponse:
    user = request.user
    facilities = selectors.facilities_for_entry(user=user)
    if instance is None and not facilities:
        raise PermissionDenied
    initial: dict[str, str] = {
        "year": str(timezone.localdate().year),
        "as_of": f"{timezone.localdate():%d/%m/%Y}",
    }
    if instance is not None:
        initial = {
            "facility": str(instance.facility_id),
            "year": str(instance.year),
            "as_of": f"{instance.as_of:%d/%m/%Y}",
            "document_ref": instance.document_ref,
            "note": instance.note,
        }
        for name in services.WORKFORCE_COUNTS:
            value = getattr(instance, name)
            initial[name] = "" if value is None else str(value)
    elif request.GET.get("co-so"):
        initial["facility"] = request.GET["co-so"]
    data = request.POST if request.method == "POST" else None
    form = WorkforceForm(data, initial=initial, facilities=facilities, fixed=instance is not None)
    if data is not None:
        v = form.values()
        if instance is not None:
            v |= {"facility": str(instance.facility_id), "year": str(instance.year)}
        facility = next((f for f in facilities if str(f.pk) == v["facility"]), None)
        try:
            if facility is None:
                raise ValidationError({"facility": _("Choose a health facility.")})
            services.workforce_report_save(
                user=user,
                facility=facility,
                year=v["year"],
                as_of=v["as_of"],
                counts={name: v[name] for name in services.WORKFORCE_COUNTS},
                document_ref=v["document_ref"],
                note=v["note"],
                via="form",
            )
        except ValidationError as exc:
            form.put_errors(exc)
        else:
            _saved(request, _("Workforce report saved."))
            return redirect(_back(request, "reported-workforce"))
    return render(
        request,
        "reported_values/workforce_form.html",
        {
            "nav_section": "reported",
            "form": form,
            "instance": instance,
            "next": _back(request, "reported-workforce"),
        },
    )


@login_required
def workforce_add(request: HttpRequest) -> HttpResponse:
    return _workforce_form(request, None)


@login_required
def workforce_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.workforce_get(user=request.user, pk=pk)
    if not access.can_enter_workforce(request.user, row.facility):
        raise PermissionDenied
    return _workforce_form(request, row)


# ---------------------------------------------------------------- delete


def _describe(row: Any) -> str:
    if isinstance(row, SurveyResult):
        return (
            f"{row.survey_name} ({row.survey_date:%d/%m/%Y}) · {row.unit.name} · "
            f"{_dec(row.value)}%, n = {row.sample_size}"
        )
    if isinstance(row, PolicyValue):
        return f"{row.unit.name} · {row.year}"
    return f"{row.facility.name} · {row.year}"


@login_required
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = request.user
    if kind not in KINDS:
        raise Http404
    if kind == "khao-sat":
        row: Any = selectors.survey_get(user=user, pk=pk)
        allowed, back = access.can_enter_survey(user, row.unit), "reported-surveys"
    elif kind == "chinh-sach":
        row = selectors.policy_get(user=user, pk=pk)
        allowed, back = access.can_enter_policy(user, row.unit), "reported-policy"
    else:
        row = selectors.workforce_get(user=user, pk=pk)
        allowed, back = access.can_enter_workforce(user, row.facility), "reported-workforce"
    if not allowed:
        raise PermissionDenied
    if request.method == "POST":
        if isinstance(row, PolicyValue):
            services.policy_value_save(
                user=user, indicator_code=row.indicator.code, unit=row.unit, year=row.year
            )
        else:
            services.reported_value_delete(user=user, instance=row)
        messages.success(request, _("Deleted."))
        return redirect(_back(request, back))
    names = selectors.indicator_names({row.indicator.code} if hasattr(row, "indicator") else set())
    return render(
        request,
        "reported_values/delete.html",
        {
            "nav_section": "reported",
            "kind": kind,
            "row": row,
            "what": _describe(row),
            "indicator": names.get(getattr(getattr(row, "indicator", None), "code", ""), ""),
            "next": _back(request, back),
        },
    )


# ---------------------------------------------------------------- import


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.enters_anything(user):
        raise PermissionDenied
    problems: list[str] = []
    summary = None
    year = str(timezone.localdate().year)
    if request.method == "POST":
        year = request.POST.get("nam", "").strip()
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose a file.")]
        elif upload.size and upload.size > imports.MAX_BYTES:
            problems = [_("The file is larger than 5 MB.")]
        else:
            try:
                summary = imports.file_import(
                    user=user,
                    name=upload.name or "",
                    content=upload.read(),
                    year=year,
                    kind=request.POST.get("loai", ""),
                )
            except imports.ImportRefused as exc:
                problems = exc.problems
    return render(
        request,
        "reported_values/import.html",
        {
            "nav_section": "reported",
            "problems": problems,
            "summary": summary,
            "year": year,
            "kinds": imports.KIND_NAMES,
            "chosen": request.POST.get("loai", ""),
        },
    )


@login_required
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise Http404
    if fmt == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="mau-so-lieu-khac.xlsx"'
        return response
    kind = request.GET.get("loai", "khao_sat")
    if kind not in imports.KIND_NAMES:
        kind = "khao_sat"
    response = HttpResponse(imports.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.csv"'
    return response
