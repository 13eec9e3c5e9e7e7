"""Pages of maternal death surveillance and response: parse, call a service or selector,
render. Scope and roles are checked in ``access``/``services``/``selectors``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mch.accounts.scope import Scope
from mch.indicators.engine.periods import Period
from mch.orgunits.models import Agency, Facility
from mch.registers.models import AuditAction, Death, Person
from mch.registers.services.audit import audit_log

from . import access, exports, selectors, services
from .forms import (
    ActionForm,
    ActionUpdateForm,
    NotificationForm,
    RedAlertForm,
    ReviewForm,
    extra_values,
)
from .models import Action, BoardMember, RedAlert, Review

MONTHS = (3, 6, 9, 12)
ALERTS_SHOWN = 300


def _lang() -> str:
    return translation.get_language() or "vi"


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("nam", ""))
    except ValueError:
        return timezone.localdate().year


def _months(request: HttpRequest) -> int:
    try:
        months = int(request.GET.get("thang", "12"))
    except ValueError:
        months = 12
    return months if months in MONTHS else 12


def _death(request: HttpRequest, pk: int) -> Death:
    if not access.can_use_surveillance(request.user):
        raise PermissionDenied(_("This account does not see the death surveillance list."))
    death = (
        Death.objects.filter(access.death_scope_q(request.user), pk=pk)
        .select_related("person", "residence_unit", "facility")
        .first()
    )
    if death is None:
        raise Http404
    return death


def _form_errors(form: Any, exc: ValidationError) -> None:
    for field, problems in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
def surveillance(request: HttpRequest) -> HttpResponse:
    if not access.can_use_surveillance(request.user):
        raise PermissionDenied(_("This account does not see the death surveillance list."))
    year, months = _year(request), _months(request)
    period = Period.first_months(year, months)
    rows = selectors.women_deaths(user=request.user, start=period.start, end=period.end)
    main = [r for r in rows if r.status != "late"]
    summary = selectors.surveillance_summary(rows)
    timeliness = selectors.notification_timeliness(user=request.user, period=period)
    for entry in summary:
        entry["timeliness"] = timeliness.by_commune.get(entry["unit"].pk)
    spec = services.forms_current()[1]
    return render(
        request,
        "mpdsr/surveillance.html",
        {
            "year": year,
            "months": months,
            "month_choices": MONTHS,
            "period": period,
            "rows": main,
            "late": [r for r in rows if r.status == "late"],
            "summary": summary,
            "total": selectors.surveillance_total(summary),
            "timeliness": timeliness.total,
            "pending": selectors.notification_worklist(user=request.user),
            "overdue": selectors.overdue_actions(user=request.user),
            "sees_reviews": access.can_see_reviews(request.user),
            "spec": spec,
            "notify_hours": selectors.NOTIFY_HOURS,
        },
    )


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    death = _death(request, pk)
    spec = services.forms_current()[1]
    notification = getattr(death, "mpdsr_notification", None)
    form = None
    if notification is None:
        form = NotificationForm(
            request.POST or None,
            spec=spec,
            lang=_lang(),
            initial={
                "notified_at": timezone.localtime().replace(second=0, microsecond=0),
                "reporter_name": request.user.get_full_name(),
                "place": death.facility.name if death.facility else death.get_place_display(),
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.notification_record(
                    user=request.user,
                    death=death,
                    notified_at=data["notified_at"],
                    died_at=data["died_at"],
                    reporter_name=data["reporter_name"],
                    reporter_position=data["reporter_position"],
                    place=data["place"],
                    circumstances=data["circumstances"],
                    fields=extra_values(form),
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Notification (M1) recorded."))
                return redirect("mpdsr-case", pk=death.pk)
    audit_log(
        user=request.user,
        action=AuditAction.VIEW,
        instance=death,
        person_id=death.person_id,
        note="Ca tử vong (giám sát)",
    )
    review = Review.objects.filter(death=death).first()
    return render(
        request,
        "mpdsr/case.html",
        {
            "death": death,
            "age": selectors._age_years(death.person.birth_date, death.date),
            "status": selectors.screening_status(death, review),
            "notification": notification,
            "m1_fields": _labelled(spec, "m1", notification.fields if notification else {}),
            "form": form,
            "review": review if access.can_see_reviews(request.user) else None,
            "sees_reviews": access.can_see_reviews(request.user),
            "is_board": access.is_board_member(request.user, death),
            "red_alerts": RedAlert.objects.filter(
                Q(death=death) | Q(person=death.person)
            ).select_related("facility"),
            "spec": spec,
        },
    )


def _labelled(spec: Any, form: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    lang = _lang()
    key = "name_en" if lang.startswith("en") else "name_vi"
    out = []
    for item in spec.form_fields(form):
        value = values.get(item["code"])
        if value in (None, ""):
            continue
        if item["kind"] == "choice":
            value = {o["code"]: o[key] for o in item["options"]}.get(value, value)
        if item["kind"] == "yesno":
            value = _("Yes") if value == "yes" else _("No")
        out.append((item[key], str(value)))
    return out


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    death = _death(request, pk)
    if not access.is_board_member(request.user, death):
        raise PermissionDenied(_("Only members of the province's review board write reviews."))
    spec = services.forms_current()[1]
    review = Review.objects.filter(death=death).first()
    members = BoardMember.objects.filter(active=True).select_related("user", "province")
    members = members.filter(
        pk__in=[m.pk for m in members if death.residence_unit.path.startswith(m.province.path)]
    )
    initial: dict[str, Any] = {}
    if review is not None:
        initial = {
            "method": review.method,
            "meeting_date": review.meeting_date,
            "members": list(review.members.all()),
            "underlying_cause": review.underlying_cause,
            "contributing": review.contributing,
            "factors": review.factors,
            "avoidability": review.avoidability,
            "case_summary": review.case_summary,
            "complete": review.status == Review.Status.DONE,
            **{f"x_{k}": v for k, v in review.fields.items()},
        }
    form = ReviewForm(
        request.POST or None, spec=spec, lang=_lang(), members=members, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_save(
                user=request.user,
                death=death,
                method=data["method"],
                meeting_date=data["meeting_date"],
                members=list(data["members"]),
                underlying_cause=data["underlying_cause"],
                contributing=data["contributing"],
                factors=data["factors"],
                avoidability=data["avoidability"],
                case_summary=data["case_summary"],
                fields=extra_values(form),
                complete=data["complete"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Review (M2) saved."))
            return redirect("mpdsr-review", pk=review.pk)
    return render(
        request, "mpdsr/review_form.html", {"death": death, "form": form, "review": review}
    )


def _review(request: HttpRequest, pk: int) -> Review:
    if not access.can_see_reviews(request.user):
        raise PermissionDenied(_("Reviews are confidential: this account does not see them."))
    review = (
        Review.objects.filter(access.death_scope_q(request.user, "death__"), pk=pk)
        .select_related("death__person", "death__residence_unit", "death__facility")
        .first()
    )
    if review is None:
        raise Http404
    return review


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    death = review.death
    spec = services.forms_current()[1]
    lang = _lang()
    is_board = access.is_board_member(request.user, death)
    if is_board:
        audit_log(
            user=request.user,
            action=AuditAction.VIEW,
            instance=review,
            person_id=death.person_id,
            note="Xem phiếu thẩm định (định danh)",
        )
    province_units = Scope.for_user(request.user)
    agencies = province_units.filter(Agency.objects.all(), "unit").order_by("name")
    facilities = province_units.filter(Facility.objects.all(), "unit").order_by("name")
    factor_labels = dict(spec.factor_choices(lang))
    return render(
        request,
        "mpdsr/review.html",
        {
            "review": review,
            "death": death,
            "age": selectors._age_years(death.person.birth_date, death.date),
            "is_board": is_board,
            "method": spec.label("review_methods", review.method, lang),
            "cause": spec.label("icd_mm_groups", review.underlying_cause, lang)
            if review.underlying_cause
            else "",
            "avoidability": spec.label("avoidability", review.avoidability, lang)
            if review.avoidability
            else "",
            "delays": [spec.label("delays", d, lang) for d in review.delays],
            "factors": [factor_labels.get(f, f) for f in review.factors],
            "members": [
                (m, spec.label("board_roles", m.role, lang))
                for m in review.members.select_related("user")
            ],
            "m2_fields": _labelled(spec, "m2", review.fields),
            "actions": [
                (a, services.can_update_action(request.user, a))
                for a in review.actions.select_related("owner_agency", "owner_facility")
            ],
            "action_form": ActionForm(agencies=agencies, facilities=facilities)
            if is_board
            else None,
            "update_form": ActionUpdateForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    scope = Scope.for_user(request.user)
    form = ActionForm(
        request.POST,
        agencies=scope.filter(Agency.objects.all(), "unit"),
        facilities=scope.filter(Facility.objects.all(), "unit"),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                user=request.user,
                review=review,
                recommendation=data["recommendation"],
                action=data["action"],
                owner_agency=data["owner_agency"],
                owner_facility=data["owner_facility"],
                deadline=data["deadline"],
            )
        except ValidationError as exc:
            for problems in exc.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, _("Recommendation and action added."))
    else:
        messages.error(
            request, _("Check the recommendation: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("mpdsr-review", pk=review.pk)


@login_required
@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("review__death"), pk=pk)
    if action.perinatal_review_id:
        from .views_extra import _perinatal

        target = _perinatal(request, action.perinatal_review_id)
        back = redirect("mpdsr-perinatal-review", pk=target.pk)
    else:
        review = _review(request, action.review_id)  # type: ignore[arg-type]
        back = redirect("mpdsr-review", pk=review.pk)
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.action_update(user=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            for problems in exc.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, _("Action updated."))
    return back


def _period(request: HttpRequest) -> Period:
    today = timezone.localdate()
    default = f"Q{(today.month + 2) // 3}/{today.year}"
    try:
        return Period.parse(request.GET.get("ky", default))
    except ValueError:
        return Period.parse(default)


@login_required
def m5(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    spec = services.forms_current()[1]
    report = selectors.m5_report(user=request.user, period=period, spec=spec, lang=_lang())
    today = timezone.localdate()
    choices = [f"Q{q}/{today.year}" for q in range(1, 5)] + [
        f"6m/{today.year}",
        f"9m/{today.year}",
        str(today.year),
        str(today.year - 1),
    ]
    return render(
        request,
        "mpdsr/m5.html",
        {
            "report": report,
            "spec": spec,
            "ky": request.GET.get("ky", ""),
            "period_choices": choices,
            "units": list(request.user.units.all()),
            "today": today,
        },
    )


@login_required
def m5_export(request: HttpRequest, fmt: str) -> HttpResponse:
    period = _period(request)
    spec = services.forms_current()[1]
    report = selectors.m5_report(user=request.user, period=period, spec=spec, lang=_lang())
    units = list(request.user.units.all())
    audit_log(
        user=request.user,
        action=AuditAction.EXPORT,
        note=f"M5 {period.label} ({fmt}, không định danh)",
    )
    name = f"M5-{period.label.replace('/', '-').replace(' ', '-')}"
    if fmt == "xlsx":
        data = exports.m5_xlsx(report, spec)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data = exports.m5_docx(report, spec, units=units, user=request.user)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _alert_facilities(user: Any) -> Any:
    hospitals = Facility.objects.filter(kind__in=services.RED_ALERT_KINDS)
    if user.is_superuser or user.role == "province_officer":
        return Scope.for_user(user).filter(hospitals, "unit").order_by("name")
    return Facility.objects.filter(pk=getattr(user, "facility_id", None))


@login_required
def red_alert_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    spec = services.forms_current()[1]
    lang = _lang()
    facilities = _alert_facilities(request.user)
    form = None
    if facilities.exists():
        form = RedAlertForm(
            request.POST or None,
            spec=spec,
            lang=lang,
            facilities=facilities,
            initial={"facility": facilities.first()},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            person = None
            if data["person_id"]:
                person = (
                    Scope.for_user(request.user)
                    .filter(Person.objects.all(), "residence_unit")
                    .filter(pk=data["person_id"])
                    .first()
                )
                if person is None:
                    form.add_error(
                        "person_id", _("No registered woman with this number in your units.")
                    )
            if not form.errors:
                try:
                    services.red_alert_record(
                        user=request.user,
                        facility=data["facility"],
                        called_at=data["called_at"],
                        level=data["level"],
                        emergency=data["emergency"],
                        team_arrived_at=data["team_arrived_at"],
                        procedures=data["procedures"],
                        mother_outcome=data["mother_outcome"],
                        baby_outcome=data["baby_outcome"],
                        person=person,
                        death=getattr(person, "death", None) if person else None,
                    )
                except ValidationError as exc:
                    _form_errors(form, exc)
                else:
                    messages.success(request, _("Red alert recorded."))
                    return redirect(f"{request.path}?nam={year}")
    alerts = selectors.red_alerts(user=request.user, start=start, end=end)
    sees_people = access.can_use_surveillance(request.user)
    return render(
        request,
        "mpdsr/red_alerts.html",
        {
            "year": year,
            "form": form,
            "stats": selectors.red_alert_stats(user=request.user, start=start, end=end),
            "alerts": [
                {
                    "alert": a,
                    "level": spec.label("red_alert_levels", a.level, lang),
                    "emergency": spec.label("red_alert_emergencies", a.emergency, lang),
                    "mother": spec.label("red_alert_outcomes", a.mother_outcome, lang),
                    "baby": spec.label("red_alert_outcomes", a.baby_outcome, lang),
                    "within": selectors.alert_within_standard(a),
                }
                for a in alerts[:ALERTS_SHOWN]
            ],
            "alerts_total": alerts.count(),
            "alerts_shown": ALERTS_SHOWN,
            "sees_people": sees_people,
            "can_set_standard": request.user.is_superuser
            or request.user.role == "province_officer",
            "levels": spec.items("red_alert_levels"),
            "lang": lang,
        },
    )


@login_required
@require_POST
def red_alert_link(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(
        Scope.for_user(request.user).filter(RedAlert.objects.all(), "facility__unit"), pk=pk
    )
    death = _death(request, int(request.POST.get("death", "0") or 0))
    try:
        services.red_alert_link_death(user=request.user, alert=alert, death=death)
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("Red alert linked to the death."))
    return redirect("mpdsr-case", pk=death.pk)
