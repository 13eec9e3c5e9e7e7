"""Pages of the perinatal and child death review, the review board and the hospitals'
red-alert standards."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mch.accounts.models import User
from mch.accounts.scope import Scope
from mch.orgunits.models import Agency, Facility, OrgUnit
from mch.registers.models import AuditAction, Birth, BirthOutcome, Death
from mch.registers.services.audit import audit_log

from . import access, selectors, services
from .forms import ActionForm, ActionUpdateForm, PerinatalReviewForm, extra_values
from .models import BoardMember, PerinatalReview
from .views import _form_errors, _labelled, _lang, _period


def _require_reviews(user: Any) -> None:
    if not access.can_see_reviews(user):
        raise PermissionDenied(_("Reviews are confidential: this account does not see them."))


@login_required
def perinatal_list(request: HttpRequest) -> HttpResponse:
    _require_reviews(request.user)
    period = _period(request)
    spec = services.forms_current()[1]
    report = selectors.perinatal_report(user=request.user, period=period, spec=spec, lang=_lang())
    today = timezone.localdate()
    choices = [f"Q{q}/{today.year}" for q in range(1, 5)] + [
        f"6m/{today.year}",
        f"9m/{today.year}",
        str(today.year),
        str(today.year - 1),
    ]
    return render(
        request,
        "mpdsr/perinatal.html",
        {
            "report": report,
            "spec": spec,
            "period_choices": choices,
            "is_board": access.is_board_member_anywhere(request.user),
            "today": today,
            "units": list(request.user.units.all()),
        },
    )


def _subject(request: HttpRequest, kind: str, pk: int) -> Any:
    if not access.can_use_surveillance(request.user):
        raise PermissionDenied
    if kind not in ("thai-chet", "tu-vong"):
        raise Http404
    model = Birth if kind == "thai-chet" else Death
    qs = model.objects.filter(access.death_scope_q(request.user), pk=pk)
    if model is Birth:
        qs = qs.filter(outcome=BirthOutcome.STILLBIRTH)
    subject = qs.select_related("residence_unit", "facility").first()
    if subject is None:
        raise Http404
    return subject


def _board_members(subject: Any) -> Any:
    members = BoardMember.objects.filter(active=True).select_related("user", "province")
    return members.filter(
        pk__in=[m.pk for m in members if subject.residence_unit.path.startswith(m.province.path)]
    )


@login_required
def perinatal_review_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject = _subject(request, kind, pk)
    if not access.is_board_member(request.user, subject):
        raise PermissionDenied(_("Only members of the province's review board write reviews."))
    spec = services.forms_current()[1]
    case_kind = services.perinatal_kind(subject)
    lookup = {"birth": subject} if kind == "thai-chet" else {"death": subject}
    review = PerinatalReview.objects.filter(**lookup).first()
    initial: dict[str, Any] = {}
    if review is not None:
        initial = {
            "method": review.method,
            "meeting_date": review.meeting_date,
            "members": list(review.members.all()),
            "cause": review.cause,
            "maternal_condition": review.maternal_condition,
            "factors": review.factors,
            "avoidability": review.avoidability,
            "case_summary": review.case_summary,
            "complete": review.status == PerinatalReview.Status.DONE,
            **{f"x_{k}": v for k, v in review.fields.items()},
        }
    form = PerinatalReviewForm(
        request.POST or None,
        spec=spec,
        lang=_lang(),
        kind=case_kind,
        members=_board_members(subject),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.perinatal_review_save(
                user=request.user,
                subject=subject,
                method=data["method"],
                meeting_date=data["meeting_date"],
                members=list(data["members"]),
                cause=data["cause"],
                maternal_condition=data.get("maternal_condition", ""),
                factors=data["factors"],
                avoidability=data["avoidability"],
                case_summary=data["case_summary"],
                fields=extra_values(form),
                complete=data["complete"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Review saved."))
            return redirect("mpdsr-perinatal-review", pk=review.pk)
    return render(
        request,
        "mpdsr/perinatal_form.html",
        {"subject": subject, "kind": case_kind, "form": form, "review": review},
    )


def _perinatal(request: HttpRequest, pk: int) -> PerinatalReview:
    _require_reviews(request.user)
    review = (
        PerinatalReview.objects.filter(access.death_scope_q(request.user), pk=pk)
        .select_related("birth__mother", "death__person", "residence_unit", "facility")
        .first()
    )
    if review is None:
        raise Http404
    return review


@login_required
def perinatal_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _perinatal(request, pk)
    spec = services.forms_current()[1]
    lang = _lang()
    is_board = access.is_board_member(request.user, review)
    if is_board:
        audit_log(
            user=request.user,
            action=AuditAction.VIEW,
            instance=review,
            person_id=review.person.pk,
            note="Xem phiếu thẩm định chu sinh (định danh)",
        )
    scope = Scope.for_user(request.user)
    factor_labels = dict(spec.factor_choices(lang))
    causes = dict(spec.choices("icd_pm_groups", lang)) | dict(spec.choices("child_causes", lang))
    return render(
        request,
        "mpdsr/perinatal_review.html",
        {
            "review": review,
            "is_board": is_board,
            "method": spec.label("review_methods", review.method, lang),
            "timing": spec.label("icd_pm_timing", review.timing, lang) if review.timing else "",
            "cause": causes.get(review.cause, review.cause),
            "maternal": spec.label("icd_pm_maternal", review.maternal_condition, lang)
            if review.maternal_condition
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
            "p2_fields": _labelled(spec, "p2", review.fields),
            "actions": [
                (a, services.can_update_action(request.user, a))
                for a in review.actions.select_related("owner_agency", "owner_facility")
            ],
            "action_form": ActionForm(
                agencies=scope.filter(Agency.objects.all(), "unit").order_by("name"),
                facilities=scope.filter(Facility.objects.all(), "unit").order_by("name"),
            )
            if is_board
            else None,
            "update_form": ActionUpdateForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def perinatal_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _perinatal(request, pk)
    scope = Scope.for_user(request.user)
    form = ActionForm(
        request.POST,
        agencies=scope.filter(Agency.objects.all(), "unit"),
        facilities=scope.filter(Facility.objects.all(), "unit"),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(user=request.user, review=review, **data)
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
    return redirect("mpdsr-perinatal-review", pk=review.pk)


# -- the review board ---------------------------------------------------------------------------
def _province(request: HttpRequest) -> OrgUnit:
    provinces = [u for u in request.user.units.all() if u.level == "province"]
    wanted = request.GET.get("tinh") or request.POST.get("tinh")
    if request.user.is_superuser:
        qs = OrgUnit.objects.filter(level="province")
        if wanted:
            found = qs.filter(pk=wanted).first()
            if found:
                return found
        board = BoardMember.objects.select_related("province").first()
        if board:
            return board.province
        if provinces:
            return provinces[0]
        first = qs.order_by("name").first()
        if first is None:
            raise Http404
        return first
    if not provinces:
        # a commune or hospital user: the province above their unit
        unit = request.user.units.first()
        province = services.province_of(unit) if unit else None
        if province is None:
            raise Http404
        return province
    for p in provinces:
        if wanted and str(p.pk) == wanted:
            return p
    return provinces[0]


@login_required
def board(request: HttpRequest) -> HttpResponse:
    _require_reviews(request.user)
    province = _province(request)
    spec = services.forms_current()[1]
    lang = _lang()
    manage = services.can_manage_board(request.user, province)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("Only the province administrator manages the board."))
        action = request.POST.get("do", "")
        try:
            if action == "add":
                member = get_object_or_404(User, pk=request.POST.get("user"))
                services.board_member_add(
                    user=request.user, province=province, member=member, role=request.POST["role"]
                )
            elif action == "update":
                row = get_object_or_404(
                    BoardMember, pk=request.POST.get("member"), province=province
                )
                services.board_member_update(
                    user=request.user,
                    member=row,
                    role=request.POST.get("role") or None,
                    active=request.POST.get("active") == "1",
                )
            elif action == "settings":
                services.province_settings_save(
                    user=request.user,
                    province=province,
                    alert_emails=request.POST.get("alert_emails", ""),
                    email_board=request.POST.get("email_board") == "on",
                    review_under5=request.POST.get("review_under5") == "on",
                )
        except ValidationError as exc:
            for problems in exc.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, _("Saved."))
        return redirect(f"{request.path}?tinh={province.pk}")
    members = list(
        BoardMember.objects.filter(province=province)
        .select_related("user")
        .order_by("-active", "role", "user__last_name")
    )
    roles = spec.choices("board_roles", lang)
    role_label = dict(roles)
    candidates = (
        Scope.for_user(request.user)
        .filter(User.objects.filter(is_active=True), "units")
        .exclude(pk__in=[m.user_id for m in members])
        .distinct()
        .order_by("username")
        if manage
        else User.objects.none()
    )
    return render(
        request,
        "mpdsr/board.html",
        {
            "province": province,
            "members": [(m, role_label.get(m.role, m.role)) for m in members],
            "leads": [m for m in members if m.active and m.role == "lead_obstetrician"],
            "roles": roles,
            "manage": manage,
            "candidates": candidates,
            "settings": services.province_settings(province) if manage else None,
        },
    )


# -- red-alert standards ------------------------------------------------------------------------
@login_required
@require_POST
def red_alert_standard(request: HttpRequest) -> HttpResponse:
    facility = get_object_or_404(Facility, pk=request.POST.get("facility"))
    raw = request.POST.get("minutes", "").strip()
    try:
        minutes = int(raw) if raw else None
    except ValueError:
        minutes = -1
    try:
        services.red_alert_standard_set(user=request.user, facility=facility, minutes=minutes)
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("Standard saved."))
    return redirect(f"/bao-dong-do/?nam={request.POST.get('nam', '')}#by-hospital")
