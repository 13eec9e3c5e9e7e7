"""Every write of maternal death surveillance and response, each audited.

Errors are ``django.core.exceptions.ValidationError`` with Vietnamese messages keyed by
field; nothing is saved when one is raised.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mch.accounts.scope import Scope
from mch.orgunits.models import Agency, Facility, OrgUnit
from mch.registers.models import AuditAction, Death, Delivery, Person, ReviewStatus
from mch.registers.services.audit import audit_log, diff, snapshot

from . import access, registry
from .models import Action, BoardMember, FormsVersion, Notification, RedAlert, Review


# -- forms as data ------------------------------------------------------------------------
@transaction.atomic
def forms_load(*, path: Path | str | None = None, user: Any = None) -> FormsVersion:
    """Load the forms file; a new version when its content differs from the one in force
    (idempotent). Raises ``registry.FormsError`` before writing when the file is malformed."""
    spec = registry.load_forms_file(path)
    return forms_version_save(spec=spec, source=Path(path or registry.FORMS_FILE).name, user=user)


def forms_version_save(*, spec: registry.FormsSpec, source: str, user: Any = None) -> FormsVersion:
    current = FormsVersion.objects.select_for_update().order_by("-number").first()
    if current is not None and current.digest == spec.digest:
        return current
    return FormsVersion.objects.create(
        number=(current.number + 1) if current else 1,
        data=spec.data,
        digest=spec.digest,
        source=source,
        loaded_by=user if getattr(user, "is_authenticated", False) else None,
    )


def forms_current() -> tuple[FormsVersion, registry.FormsSpec]:
    """The version in force (loading the shipped file the first time)."""
    version = FormsVersion.objects.order_by("-number").first()
    if version is None:
        version = forms_load()
    return version, registry.FormsSpec(version.data)


def _require(condition: bool, errors: dict[str, str], field: str, message: str) -> None:
    if not condition:
        errors[field] = message


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _require_death_access(user: Any, death: Death) -> None:
    if not access.can_use_surveillance(user):
        raise PermissionDenied("Tài khoản này không xem được danh sách tử vong.")
    if not Death.objects.filter(access.death_scope_q(user), pk=death.pk).exists():
        raise PermissionDenied("Ca tử vong này nằm ngoài phạm vi đơn vị của tài khoản.")


def _require_board(user: Any, death: Death) -> None:
    if not access.is_board_member(user, death):
        raise PermissionDenied("Chỉ thành viên Hội đồng thẩm định tử vong mẹ của tỉnh được làm.")


def _death_status_set(*, user: Any, death: Death, status: str, **values: Any) -> None:
    before = snapshot(death)
    death.review_status = status
    for name, value in values.items():
        setattr(death, name, value)
    death.save(update_fields=["review_status", *values, "updated_at"])
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=death,
        person_id=death.person_id,
        changes=diff(before, snapshot(death)),
        note="Giám sát tử vong mẹ",
    )


# -- board --------------------------------------------------------------------------------
@transaction.atomic
def board_member_add(*, user: Any, province: OrgUnit, member: Any, role: str) -> BoardMember:
    """Add a user to a province's review board (province officers of that province)."""
    if not (
        user.is_superuser
        or (Scope.for_user(user).contains(province) and user.role == "province_officer")
    ):
        raise PermissionDenied("Chỉ cán bộ tỉnh lập Hội đồng thẩm định.")
    _, spec = forms_current()
    _raise(
        {"role": "Vai trò không có trong danh mục."}
        if role not in spec.codes("board_roles")
        else {}
    )
    row, _ = BoardMember.objects.update_or_create(
        province=province, user=member, defaults={"role": role, "active": True}
    )
    audit_log(
        user=user, action=AuditAction.CREATE, instance=row, note=f"Hội đồng: {member} ({role})"
    )
    return row


# -- M1 notification ----------------------------------------------------------------------
@transaction.atomic
def notification_record(
    *,
    user: Any,
    death: Death,
    notified_at: dt.datetime,
    reporter_name: str,
    place: str,
    circumstances: str,
    reporter_position: str = "",
    died_at: dt.datetime | None = None,
    fields: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Notification:
    """Form M1 for a death of a woman in or after pregnancy; marks the death notified."""
    _require_death_access(user, death)
    now = now or timezone.now()
    version, spec = forms_current()
    errors: dict[str, str] = {}
    _require(not hasattr(death, "mpdsr_notification"), errors, "death", "Ca này đã được thông báo.")
    _require(bool(reporter_name.strip()), errors, "reporter_name", "Cần ghi người thông báo.")
    _require(bool(place.strip()), errors, "place", "Cần ghi nơi tử vong.")
    _require(bool(circumstances.strip()), errors, "circumstances", "Cần ghi hoàn cảnh tử vong.")
    _require(notified_at <= now, errors, "notified_at", "Thời điểm thông báo ở tương lai.")
    _require(
        notified_at.date() >= death.date if notified_at else True,
        errors,
        "notified_at",
        f"Thời điểm thông báo trước ngày tử vong {death.date:%d/%m/%Y}.",
    )
    if died_at is not None:
        _require(
            died_at.date() == death.date, errors, "died_at", "Giờ tử vong phải thuộc ngày tử vong."
        )
        _require(died_at <= notified_at, errors, "died_at", "Giờ tử vong sau thời điểm thông báo.")
    allowed = {f["code"] for f in spec.form_fields("m1")}
    extra = {k: v for k, v in (fields or {}).items() if k in allowed and v not in ("", None)}
    _raise(errors)
    reference = died_at or death.created_at
    hours = Decimal(str(round((notified_at - reference).total_seconds() / 3600, 1)))
    notification = Notification.objects.create(
        death=death,
        forms_version=version,
        died_at=died_at,
        notified_at=notified_at,
        hours_to_notify=max(hours, Decimal("0")),
        reporter_name=reporter_name.strip(),
        reporter_position=reporter_position.strip(),
        place=place.strip(),
        circumstances=circumstances.strip(),
        fields=extra,
        recorded_by=user,
    )
    audit_log(
        user=user,
        action=AuditAction.CREATE,
        instance=notification,
        person_id=death.person_id,
        changes={"notified_at": [None, notified_at.isoformat()], "hours": [None, str(hours)]},
        note="Thông báo tử vong mẹ (M1)",
    )
    if death.review_status in ("", ReviewStatus.TO_NOTIFY):
        _death_status_set(
            user=user,
            death=death,
            status=ReviewStatus.NOTIFIED,
            notified_on=timezone.localtime(notified_at).date(),
        )
    return notification


# -- M2 review ----------------------------------------------------------------------------
def _case_code(death: Death) -> str:
    year = death.date.year
    count = Review.objects.filter(case_code__startswith=f"TVM-{year}-").count()
    return f"TVM-{year}-{count + 1:04d}"


@transaction.atomic
def review_save(
    *,
    user: Any,
    death: Death,
    method: str,
    meeting_date: dt.date | None = None,
    members: list[BoardMember] | None = None,
    underlying_cause: str = "",
    contributing: str = "",
    delays: list[str] | None = None,
    factors: list[str] | None = None,
    avoidability: str = "",
    case_summary: str = "",
    fields: dict[str, Any] | None = None,
    complete: bool = False,
    today: dt.date | None = None,
) -> Review:
    """Open or update the review (M2) of a death; board members only. Completing it
    needs the meeting date, the underlying cause and the avoidability, and sets the
    death's status (reviewed, or not maternal when the cause is coincidental)."""
    _require_death_access(user, death)
    _require_board(user, death)
    today = today or timezone.localdate()
    existing = Review.objects.filter(death=death).first()
    version, spec = forms_current()
    delays = sorted(set(delays or []))
    factors = sorted(set(factors or []))
    errors: dict[str, str] = {}
    _require(method in spec.codes("review_methods"), errors, "method", "Chọn hình thức thẩm định.")
    _require(
        not underlying_cause or underlying_cause in spec.codes("icd_mm_groups"),
        errors,
        "underlying_cause",
        "Nhóm nguyên nhân không có trong danh mục ICD-MM.",
    )
    _require(
        not avoidability or avoidability in spec.codes("avoidability"),
        errors,
        "avoidability",
        "Khả năng tránh được không có trong danh mục.",
    )
    _require(set(delays) <= spec.codes("delays"), errors, "delays", "Chậm trễ không hợp lệ.")
    valid_factors = {code for code, _ in spec.factor_choices()}
    _require(set(factors) <= valid_factors, errors, "factors", "Yếu tố chậm trễ không hợp lệ.")
    delays = sorted(set(delays) | {f.split(".")[0] for f in factors})
    if meeting_date is not None:
        _require(meeting_date <= today, errors, "meeting_date", "Ngày họp ở tương lai.")
        _require(meeting_date >= death.date, errors, "meeting_date", "Ngày họp trước ngày tử vong.")
    if complete:
        _require(meeting_date is not None, errors, "meeting_date", "Cần ngày họp thẩm định.")
        _require(bool(underlying_cause), errors, "underlying_cause", "Cần nguyên nhân chính.")
        _require(bool(avoidability), errors, "avoidability", "Cần đánh giá khả năng tránh được.")
    _raise(errors)
    review = existing or Review(death=death, case_code=_case_code(death), created_by=user)
    before = snapshot(review) if existing else {}
    review.forms_version = version
    review.method = method
    review.meeting_date = meeting_date
    review.underlying_cause = underlying_cause
    review.cause_kind = spec.mm_kind(underlying_cause) if underlying_cause else ""
    review.contributing = contributing.strip()
    review.delays = delays
    review.factors = factors
    review.avoidability = avoidability
    review.case_summary = case_summary.strip()
    allowed = {f["code"] for f in spec.form_fields("m2")}
    review.fields = {
        k: v for k, v in (fields or {}).items() if k in allowed and v not in ("", None)
    }
    review.status = Review.Status.DONE if complete else Review.Status.OPEN
    review.save()
    if members is not None:
        review.members.set(members)
    changes = diff(before, snapshot(review))
    changes.pop("case_summary", None)  # the narrative stays out of the trail's diff
    audit_log(
        user=user,
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        instance=review,
        person_id=death.person_id,
        changes=changes,
        note="Thẩm định tử vong mẹ (M2)",
    )
    if complete:
        status = (
            ReviewStatus.NOT_MATERNAL
            if review.cause_kind == "coincidental"
            else ReviewStatus.REVIEWED
        )
        if death.review_status != status:
            _death_status_set(user=user, death=death, status=status)
    return review


# -- response: recommendations and actions -------------------------------------------------
@transaction.atomic
def action_add(
    *,
    user: Any,
    review: Review,
    recommendation: str,
    deadline: dt.date,
    action: str = "",
    owner_agency: Agency | None = None,
    owner_facility: Facility | None = None,
) -> Action:
    _require_board(user, review.death)
    errors: dict[str, str] = {}
    _require(bool(recommendation.strip()), errors, "recommendation", "Cần nội dung khuyến nghị.")
    _require(
        owner_agency is not None or owner_facility is not None,
        errors,
        "owner",
        "Cần đơn vị chịu trách nhiệm (cơ quan hoặc cơ sở y tế).",
    )
    _raise(errors)
    row = Action.objects.create(
        review=review,
        recommendation=recommendation.strip(),
        action=action.strip(),
        owner_agency=owner_agency,
        owner_facility=owner_facility,
        deadline=deadline,
    )
    audit_log(
        user=user,
        action=AuditAction.CREATE,
        instance=row,
        person_id=review.death.person_id,
        changes=diff({}, snapshot(row)),
        note=f"Khuyến nghị của {review.case_code}",
    )
    return row


def can_update_action(user: Any, action: Action) -> bool:
    """Board members, and users of the owning agency or facility."""
    if access.is_board_member(user, action.review.death):
        return True
    if action.owner_agency_id and getattr(user, "agency_id", None) == action.owner_agency_id:
        return True
    return bool(
        action.owner_facility_id and getattr(user, "facility_id", None) == action.owner_facility_id
    )


@transaction.atomic
def action_update(
    *,
    user: Any,
    action: Action,
    status: str,
    done_on: dt.date | None = None,
    progress_note: str = "",
    today: dt.date | None = None,
) -> Action:
    if not can_update_action(user, action):
        raise PermissionDenied("Tài khoản này không cập nhật được hành động này.")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    _require(status in Action.Status.values, errors, "status", "Trạng thái không hợp lệ.")
    if status == Action.Status.DONE:
        done_on = done_on or today
        _require(done_on <= today, errors, "done_on", "Ngày hoàn thành ở tương lai.")
    else:
        done_on = None
    _raise(errors)
    before = snapshot(action)
    action.status = status
    action.done_on = done_on
    action.progress_note = progress_note.strip()[:300]
    action.save()
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=action,
        person_id=action.review.death.person_id,
        changes=diff(before, snapshot(action)),
    )
    return action


# -- red alert ----------------------------------------------------------------------------
def _require_facility(user: Any, facility: Facility) -> None:
    own = user.is_superuser or getattr(user, "facility_id", None) == facility.pk
    province = user.role == "province_officer" and Scope.for_user(user).contains(facility.unit)
    if not (own or province):
        raise PermissionDenied("Chỉ bệnh viện (hoặc cán bộ tỉnh) ghi sổ báo động đỏ của viện.")


@transaction.atomic
def red_alert_record(
    *,
    user: Any,
    facility: Facility,
    called_at: dt.datetime,
    level: str,
    emergency: str,
    mother_outcome: str,
    baby_outcome: str,
    team_arrived_at: dt.datetime | None = None,
    procedures: str = "",
    person: Person | None = None,
    delivery: Delivery | None = None,
    death: Death | None = None,
    now: dt.datetime | None = None,
) -> RedAlert:
    """Log one red-alert activation; the response time and the level's standard are stored."""
    _require_facility(user, facility)
    now = now or timezone.now()
    version, spec = forms_current()
    errors: dict[str, str] = {}
    _require(level in spec.codes("red_alert_levels"), errors, "level", "Chọn cấp báo động.")
    _require(emergency in spec.codes("red_alert_emergencies"), errors, "emergency", "Chọn cấp cứu.")
    outcomes = spec.codes("red_alert_outcomes")
    _require(mother_outcome in outcomes, errors, "mother_outcome", "Chọn kết quả cho mẹ.")
    _require(baby_outcome in outcomes, errors, "baby_outcome", "Chọn kết quả cho con.")
    _require(called_at <= now, errors, "called_at", "Thời điểm gọi ở tương lai.")
    if team_arrived_at is not None:
        _require(team_arrived_at >= called_at, errors, "team_arrived_at", "Kíp đến trước khi gọi.")
    if delivery is not None and person is None:
        person = delivery.person
    if delivery is not None and delivery.person_id != getattr(person, "pk", None):
        errors["delivery"] = "Cuộc đẻ không phải của người phụ nữ này."
    if death is not None:
        if person is None:
            person = death.person
        if death.person_id != person.pk:
            errors["death"] = "Ca tử vong không phải của người phụ nữ này."
    _raise(errors)
    minutes = (
        Decimal(str(round((team_arrived_at - called_at).total_seconds() / 60, 1)))
        if team_arrived_at
        else None
    )
    alert = RedAlert.objects.create(
        facility=facility,
        forms_version=version,
        called_at=called_at,
        level=level,
        emergency=emergency,
        team_arrived_at=team_arrived_at,
        response_minutes=minutes,
        standard_minutes=spec.level_minutes(level),
        procedures=procedures.strip(),
        mother_outcome=mother_outcome,
        baby_outcome=baby_outcome,
        person=person,
        delivery=delivery,
        death=death,
        recorded_by=user,
    )
    audit_log(
        user=user,
        action=AuditAction.CREATE,
        instance=alert,
        person_id=person.pk if person else None,
        changes=diff({}, snapshot(alert)),
        note="Báo động đỏ",
    )
    return alert


@transaction.atomic
def red_alert_link_death(*, user: Any, alert: RedAlert, death: Death) -> RedAlert:
    """Link a maternal death to the red alert that preceded it."""
    _require_death_access(user, death)
    errors: dict[str, str] = {}
    _require(alert.person_id in (None, death.person_id), errors, "death", "Khác người phụ nữ.")
    _require(alert.called_at.date() <= death.date, errors, "death", "Báo động sau ngày tử vong.")
    _raise(errors)
    before = snapshot(alert)
    alert.death = death
    alert.person_id = death.person_id
    alert.save(update_fields=["death", "person"])
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=alert,
        person_id=death.person_id,
        changes=diff(before, snapshot(alert)),
        note="Liên kết báo động đỏ – tử vong mẹ",
    )
    return alert
