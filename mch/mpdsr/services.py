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
from .models import (
    Action,
    BoardMember,
    FormsVersion,
    Notification,
    PerinatalReview,
    ProvinceSettings,
    RedAlert,
    RedAlertStandard,
    Review,
)


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
    elif any(name not in version.data for name in registry.LISTS) or any(
        form not in version.data.get("forms", {}) for form in registry.FORM_CODES
    ):
        # A version saved before lists were added (the perinatal review): keep its content
        # and take the new lists and forms from the shipped file, as the next version.
        shipped = registry.load_forms_file().data
        data = {**shipped, **version.data}
        data["forms"] = {**shipped["forms"], **version.data.get("forms", {})}
        version = forms_version_save(
            spec=registry.FormsSpec(data), source="nâng cấp danh mục (upgrade)"
        )
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


def _require_board(user: Any, subject: Any) -> None:
    """``subject``: anything with a ``residence_unit`` (a death, a birth, a review)."""
    if not access.is_board_member(user, subject):
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
    review: Review | PerinatalReview,
    recommendation: str,
    deadline: dt.date,
    action: str = "",
    owner_agency: Agency | None = None,
    owner_facility: Facility | None = None,
) -> Action:
    """A recommendation of a maternal (M2) or perinatal/child review and its action."""
    perinatal = isinstance(review, PerinatalReview)
    _require_board(user, review if perinatal else review.death)  # type: ignore[union-attr]
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
        review=review if isinstance(review, Review) else None,
        perinatal_review=review if isinstance(review, PerinatalReview) else None,
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
        person_id=row.person_id,
        changes=diff({}, snapshot(row)),
        note=f"Khuyến nghị của {review.case_code}",
    )
    return row


def _action_subject(action: Action) -> Any:
    """What board membership is checked against: the death, or the perinatal review."""
    return action.review.death if action.review_id else action.perinatal_review  # type: ignore[union-attr]


def can_update_action(user: Any, action: Action) -> bool:
    """Board members, and users of the owning agency or facility."""
    if access.is_board_member(user, _action_subject(action)):
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
        person_id=action.person_id,
        changes=diff(before, snapshot(action)),
    )
    return action


# -- red alert ----------------------------------------------------------------------------
# Facilities that keep a red-alert log: where births and obstetric emergencies are handled.
RED_ALERT_KINDS = (
    "provincial_hospital",
    "specialised_hospital",
    "regional_health_centre",
    "district_health_centre",
    "private_hospital",
)


def standard_minutes(facility: Facility, level: str, spec: registry.FormsSpec) -> int | None:
    """The hospital's own target when it has set one, else the level's (forms file)."""
    own = RedAlertStandard.objects.filter(facility=facility).first()
    return own.minutes if own is not None else spec.level_minutes(level)


def can_set_standard(user: Any, facility: Facility) -> bool:
    """Province officers of the hospital's province (and superusers) set the standard."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or (
        user.role == "province_officer" and Scope.for_user(user).contains(facility.unit)
    )


@transaction.atomic
def red_alert_standard_set(
    *, user: Any, facility: Facility, minutes: int | None
) -> RedAlertStandard | None:
    """Set (or, with ``None``, remove) a hospital's target response time. Each alert keeps
    the standard in force when it was logged (its "within standard"); the page compares the
    median and 90th percentile with the hospital's standard in force now."""
    if not can_set_standard(user, facility):
        raise PermissionDenied("Chỉ cán bộ tỉnh đặt chuẩn thời gian đáp ứng của bệnh viện.")
    if minutes is not None and not 1 <= minutes <= 240:
        raise ValidationError({"minutes": "Chuẩn thời gian phải từ 1 đến 240 phút."})
    existing = RedAlertStandard.objects.filter(facility=facility).first()
    before = snapshot(existing) if existing else {}
    row: RedAlertStandard | None
    if minutes is None:
        if existing is not None:
            existing.delete()
        row = None
    else:
        row, _ = RedAlertStandard.objects.update_or_create(
            facility=facility, defaults={"minutes": minutes, "updated_by": user}
        )
    audit_log(
        user=user,
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        instance=row or facility,
        changes=diff(before, snapshot(row) if row else {}),
        note=f"Chuẩn báo động đỏ {facility}: {minutes if minutes else 'theo cấp'} phút",
    )
    return row


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
        standard_minutes=standard_minutes(facility, level, spec),
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


# -- board and province settings ------------------------------------------------------------
def can_manage_board(user: Any, province: OrgUnit) -> bool:
    """The province administrator: a province officer of that province (or a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or (
        user.role == "province_officer" and Scope.for_user(user).contains(province)
    )


@transaction.atomic
def board_member_update(
    *, user: Any, member: BoardMember, role: str | None = None, active: bool | None = None
) -> BoardMember:
    """Change a member's role or (de)activate them: an inactive member no longer sees the
    identifiable parts of reviews nor writes them, from the next request on."""
    if not can_manage_board(user, member.province):
        raise PermissionDenied("Chỉ cán bộ tỉnh quản lý Hội đồng thẩm định.")
    _, spec = forms_current()
    if role is not None and role not in spec.codes("board_roles"):
        raise ValidationError({"role": "Vai trò không có trong danh mục."})
    before = snapshot(member)
    if role is not None:
        member.role = role
    if active is not None:
        member.active = active
    member.save()
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=member,
        changes=diff(before, snapshot(member)),
        note=f"Hội đồng: {member.user}",
    )
    return member


def province_settings(province: OrgUnit) -> ProvinceSettings:
    row, _ = ProvinceSettings.objects.get_or_create(province=province)
    return row


@transaction.atomic
def province_settings_save(
    *,
    user: Any,
    province: OrgUnit,
    alert_emails: str,
    email_board: bool,
    review_under5: bool,
) -> ProvinceSettings:
    if not can_manage_board(user, province):
        raise PermissionDenied("Chỉ cán bộ tỉnh đổi thiết lập giám sát tử vong của tỉnh.")
    row = province_settings(province)
    before = snapshot(row)
    from django.core.validators import validate_email

    bad = []
    for address in ProvinceSettings(alert_emails=alert_emails).addresses():
        try:
            validate_email(address)
        except ValidationError:
            bad.append(address)
    if bad:
        raise ValidationError({"alert_emails": f"Địa chỉ không hợp lệ: {', '.join(bad)}"})
    row.alert_emails = "\n".join(ProvinceSettings(alert_emails=alert_emails).addresses())
    row.email_board = email_board
    row.review_under5 = review_under5
    row.save()
    audit_log(
        user=user,
        action=AuditAction.UPDATE,
        instance=row,
        changes=diff(before, snapshot(row)),
        note="Thiết lập giám sát tử vong",
    )
    return row


def province_of(unit: OrgUnit) -> OrgUnit | None:
    """The province a commune (or any unit) belongs to, by path."""
    ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    return OrgUnit.objects.filter(pk__in=ids, level="province").first()


# -- e-mail alert of a suspected maternal death ---------------------------------------------
def alert_recipients(province: OrgUnit) -> list[str]:
    row = ProvinceSettings.objects.filter(province=province).first()
    if row is None:
        return []
    addresses = row.addresses()
    if row.email_board:
        addresses += [
            m.user.email
            for m in BoardMember.objects.filter(province=province, active=True).select_related(
                "user"
            )
            if m.user.email
        ]
    return sorted(set(addresses))


def alert_email_text(death: Death) -> tuple[str, str]:
    """Subject and body. What the e-mail may say (docs/mpdsr.md): the commune of residence,
    the date of death, the facility where she died and the link to the case; never her
    name, age, national ID, address, village, phone or the circumstances — those stay
    behind the login (the case page, where each view is logged)."""
    from django.conf import settings as dj_settings
    from django.urls import reverse

    base = getattr(dj_settings, "MCH_SITE_URL", "").rstrip("/")
    where = death.facility.name if death.facility else death.get_place_display()
    subject = f"[MCH] Nghi tử vong mẹ cần thông báo (M1) — {death.residence_unit.name}"
    body = "\n".join(
        [
            "Sổ tử vong vừa ghi một ca nghi tử vong mẹ cần thông báo trong 24 giờ (mẫu M1).",
            "",
            f"Xã/phường cư trú: {death.residence_unit.name}",
            f"Ngày tử vong: {death.date:%d/%m/%Y}",
            f"Nơi tử vong: {where}",
            f"Ghi sổ lúc: {timezone.localtime(death.created_at):%d/%m/%Y %H:%M}",
            "",
            f"Xem và thông báo (cần đăng nhập): {base}{reverse('mpdsr-case', args=[death.pk])}",
            "",
            "Thư này không chứa thông tin định danh; chi tiết chỉ xem được sau khi đăng nhập.",
        ]
    )
    return subject, body


def alert_email_send(death: Death) -> bool:
    """E-mail the province of residence about a suspected maternal death, once per death.
    Nothing is sent (and nothing recorded) when no mail server is set (``MCH_EMAIL_HOST``,
    as for the reporting reminders) or the province has no recipient."""
    from django.conf import settings as dj_settings
    from django.core.mail import send_mail

    from .models import AlertEmail

    if (
        death.review_status != ReviewStatus.TO_NOTIFY
        or AlertEmail.objects.filter(death=death).exists()
    ):
        return False
    province = province_of(death.residence_unit)
    recipients = alert_recipients(province) if province is not None else []
    if not recipients:
        return False
    with transaction.atomic():
        row, created = AlertEmail.objects.get_or_create(
            death=death, defaults={"recipients": recipients}
        )
        if not created:
            return False
        subject, body = alert_email_text(death)
        send_mail(
            subject,
            body,
            getattr(dj_settings, "DEFAULT_FROM_EMAIL", None),
            recipients,
            fail_silently=False,
        )
    return True


def alert_emails_sweep() -> int:
    """Send the alerts not sent yet (deaths imported in bulk skip the save signal)."""
    from .models import AlertEmail

    sent = 0
    deaths = Death.objects.filter(review_status=ReviewStatus.TO_NOTIFY).exclude(
        pk__in=AlertEmail.objects.values("death_id")
    )
    for death in deaths.select_related("residence_unit", "facility"):
        sent += int(alert_email_send(death))
    return sent


# -- perinatal and child death review --------------------------------------------------------
UNDER5_DAYS = 5 * 365 + 1
NEONATAL_DAYS = 28


def perinatal_kind(subject: Any) -> str:
    """``stillbirth`` for a stillborn baby, ``neonatal`` for a death at 0–27 days,
    ``under5`` for a death at 28 days – 4 years; ``""`` otherwise."""
    from mch.registers.models import Birth, BirthOutcome

    if isinstance(subject, Birth):
        return "stillbirth" if subject.outcome == BirthOutcome.STILLBIRTH else ""
    if subject.age_days is None:
        return ""
    if subject.age_days < NEONATAL_DAYS:
        return "neonatal"
    return "under5" if subject.age_days < UNDER5_DAYS else ""


def under5_reviewed(unit: OrgUnit) -> bool:
    province = province_of(unit)
    row = ProvinceSettings.objects.filter(province=province).first() if province else None
    return bool(row and row.review_under5)


def _perinatal_code(kind: str, day: dt.date) -> str:
    prefix = "TVTE" if kind == "under5" else "TVCS"
    count = PerinatalReview.objects.filter(case_code__startswith=f"{prefix}-{day.year}-").count()
    return f"{prefix}-{day.year}-{count + 1:04d}"


@transaction.atomic
def perinatal_review_save(
    *,
    user: Any,
    subject: Any,
    method: str,
    meeting_date: dt.date | None = None,
    members: list[BoardMember] | None = None,
    cause: str = "",
    maternal_condition: str = "",
    factors: list[str] | None = None,
    avoidability: str = "",
    case_summary: str = "",
    fields: dict[str, Any] | None = None,
    complete: bool = False,
    today: dt.date | None = None,
) -> PerinatalReview:
    """Open or update the review of a stillbirth (a ``Birth``) or of a neonatal or under-5
    death (a ``Death``); board members only, in scope. The ICD-PM timing follows the cause
    group (A antepartum, I intrapartum for stillbirths; N neonatal). Deaths of children
    aged 28 days–4 years only when the province reviews them (its setting)."""
    from mch.registers.models import Birth

    scope_model = Birth if isinstance(subject, Birth) else Death
    if (
        not access.can_use_surveillance(user)
        or not scope_model.objects.filter(access.death_scope_q(user), pk=subject.pk).exists()
    ):
        raise PermissionDenied("Ca này nằm ngoài phạm vi đơn vị của tài khoản.")
    _require_board(user, subject)
    kind = perinatal_kind(subject)
    errors: dict[str, str] = {}
    _require(
        bool(kind), errors, "subject", "Chỉ thẩm định thai chết lưu, tử vong sơ sinh, trẻ dưới 5."
    )
    if kind == "under5" and not under5_reviewed(subject.residence_unit):
        errors["subject"] = "Tỉnh không chọn thẩm định tử vong trẻ 1–59 tháng (thiết lập của tỉnh)."
    today = today or timezone.localdate()
    version, spec = forms_current()
    factors = sorted(set(factors or []))
    allowed_causes = (
        spec.codes("child_causes")
        if kind == "under5"
        else {c for c, _ in spec.pm_choices("AI" if kind == "stillbirth" else "N")}
    )
    _require(method in spec.codes("review_methods"), errors, "method", "Chọn hình thức thẩm định.")
    _require(
        not cause or cause in allowed_causes, errors, "cause", "Nhóm nguyên nhân không phù hợp."
    )
    _require(
        not maternal_condition or maternal_condition in spec.codes("icd_pm_maternal"),
        errors,
        "maternal_condition",
        "Tình trạng của mẹ không có trong danh mục ICD-PM.",
    )
    _require(
        not avoidability or avoidability in spec.codes("avoidability"),
        errors,
        "avoidability",
        "Khả năng tránh được không có trong danh mục.",
    )
    valid_factors = {code for code, _ in spec.factor_choices()}
    _require(set(factors) <= valid_factors, errors, "factors", "Yếu tố chậm trễ không hợp lệ.")
    if meeting_date is not None:
        _require(meeting_date <= today, errors, "meeting_date", "Ngày họp ở tương lai.")
        _require(meeting_date >= subject.date, errors, "meeting_date", "Ngày họp trước ngày mất.")
    if complete:
        _require(meeting_date is not None, errors, "meeting_date", "Cần ngày họp thẩm định.")
        _require(bool(cause), errors, "cause", "Cần nhóm nguyên nhân.")
        _require(bool(avoidability), errors, "avoidability", "Cần đánh giá khả năng tránh được.")
    _raise(errors)
    lookup = {"birth": subject} if scope_model is Birth else {"death": subject}
    existing = PerinatalReview.objects.filter(**lookup).first()
    review = existing or PerinatalReview(
        **lookup, kind=kind, case_code=_perinatal_code(kind, subject.date), created_by=user
    )
    before = snapshot(review) if existing else {}
    review.date = subject.date
    review.residence_unit_id = subject.residence_unit_id
    review.service_unit_id = subject.service_unit_id
    review.facility_id = subject.facility_id
    review.forms_version = version
    review.method = method
    review.meeting_date = meeting_date
    review.cause = cause
    review.timing = spec.pm_timing(cause) if kind != "under5" else ""
    review.maternal_condition = maternal_condition if kind != "under5" else ""
    review.factors = factors
    review.delays = sorted({f.split(".")[0] for f in factors})
    review.avoidability = avoidability
    review.case_summary = case_summary.strip()
    allowed = {f["code"] for f in spec.form_fields("p2")}
    review.fields = {
        k: v for k, v in (fields or {}).items() if k in allowed and v not in ("", None)
    }
    review.status = PerinatalReview.Status.DONE if complete else PerinatalReview.Status.OPEN
    review.save()
    if members is not None:
        review.members.set(members)
    changes = diff(before, snapshot(review))
    changes.pop("case_summary", None)
    audit_log(
        user=user,
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        instance=review,
        person_id=review.person.pk,
        changes=changes,
        note="Thẩm định tử vong chu sinh/trẻ em",
    )
    return review
