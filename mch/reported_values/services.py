"""Every write of reported values: survey results, policy items, facility workforce.
Each checks the user's right on the unit, validates with Vietnamese messages, writes in
one transaction and leaves an audit entry with the changes (``registers.AuditEntry``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model

from mch.indicators.models import Indicator, IndicatorVersion
from mch.orgunits.models import Facility, OrgUnit
from mch.registers.models import AuditAction
from mch.registers.services.audit import audit_log, diff, snapshot

from . import access, rules
from .models import PolicyValue, SurveyResult, WorkforceReport

YEARS = (2015, 2035)
WORKFORCE_COUNTS = (
    "obstetric_level2",
    "obstetric_level1",
    "obstetric_oriented",
    "paediatric_level2",
    "paediatric_level1",
    "paediatric_oriented",
    "midwives",
    "village_midwives",
    "child_doctors",
    "child_doctors_trained",
    "trained_eenc",
    "trained_resuscitation",
    "trained_kangaroo",
)
_REQUIRED_COUNTS = WORKFORCE_COUNTS[:6]
LARGEST = Decimal(10) ** 9  # the columns hold 12 digits, 2 of them decimals


def latest_version(code: str) -> IndicatorVersion | None:
    return (
        IndicatorVersion.objects.filter(indicator__code=code)
        .select_related("indicator")
        .order_by("-version")
        .first()
    )


def survey_indicator_codes() -> list[str]:
    """Indicators a survey can estimate: every percentage outside policy and workforce."""
    latest = {}
    for v in IndicatorVersion.objects.select_related("indicator").order_by(
        "indicator_id", "version"
    ):
        latest[v.indicator.code] = v
    return sorted(
        code
        for code, v in latest.items()
        if v.multiplier == 100 and v.indicator.domain not in ("policy", "workforce")
    )


def policy_indicator_codes() -> list[str]:
    latest = {}
    for v in IndicatorVersion.objects.select_related("indicator").order_by(
        "indicator_id", "version"
    ):
        latest[v.indicator.code] = v
    return sorted(code for code, v in latest.items() if v.data_source == "policy")


def _year(value: Any, errors: dict[str, str], field: str = "year") -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors[field] = "Năm phải là số (ví dụ 2025)"
        return None
    if not YEARS[0] <= year <= YEARS[1]:
        errors[field] = f"Năm phải trong khoảng {YEARS[0]}–{YEARS[1]}"
        return None
    return year


def _decimal(value: Any, errors: dict[str, str], field: str, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        errors[field] = f"{label} phải là số (dấu phẩy thập phân: 62,5)"
        return None
    if not number.is_finite() or number < 0:
        errors[field] = f"{label} phải là số không âm"
        return None
    if number >= LARGEST:
        errors[field] = f"{label} quá lớn"
        return None
    return number


def _count(value: Any, errors: dict[str, str], field: str, label: str) -> int | None:
    number = _decimal(value, errors, field, label)
    if number is None:
        return None
    if number != number.to_integral_value():
        errors[field] = f"{label} phải là số nguyên"
        return None
    if number > 32767:
        errors[field] = f"{label} quá lớn"
        return None
    return int(number)


def _date(value: Any, errors: dict[str, str], field: str, label: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors[field] = f"{label} phải có dạng ngày/tháng/năm (ví dụ 15/06/2025)"
    return None


def _audit(user: Any, instance: Model, before: dict[str, Any] | None, note: str) -> None:
    after = snapshot(instance)
    if before is None:
        audit_log(user=user, action=AuditAction.CREATE, instance=instance, changes=after, note=note)
    elif changes := diff(before, after):
        audit_log(
            user=user, action=AuditAction.UPDATE, instance=instance, changes=changes, note=note
        )


# ---------------------------------------------------------------- surveys


@transaction.atomic
def survey_result_save(
    *,
    user: Any,
    indicator_code: str,
    unit: OrgUnit,
    survey_name: str,
    survey_date: Any,
    sample_size: Any,
    value: Any,
    ci_low: Any = None,
    ci_high: Any = None,
    year: Any = None,
    population_code: str = "all",
    document_ref: str = "",
    note: str = "",
    via: str = "form",
    instance: SurveyResult | None = None,
) -> SurveyResult:
    """Create or change one survey result. The interval is the survey's own when both
    ends are given, else the 95% Wilson interval from n and the value (``ci_computed``)."""
    if not access.can_enter_survey(user, unit):
        raise PermissionDenied("Bạn không có quyền nhập kết quả điều tra cho đơn vị này")
    errors: dict[str, str] = {}
    version = latest_version(indicator_code)
    if version is None or indicator_code not in survey_indicator_codes():
        errors["indicator"] = (
            f"Chỉ số '{indicator_code}' không nhận kết quả điều tra (phải là tỷ lệ %)"
        )
    name = (survey_name or "").strip()
    if not name:
        errors["survey_name"] = "Nhập tên cuộc điều tra"
    day = _date(survey_date, errors, "survey_date", "Ngày điều tra")
    n = _count(sample_size, errors, "sample_size", "Cỡ mẫu")
    if n is not None and n <= 0:
        errors["sample_size"] = "Cỡ mẫu phải lớn hơn 0"
    if sample_size in (None, ""):
        errors["sample_size"] = "Nhập cỡ mẫu"
    number = _decimal(value, errors, "value", "Giá trị")
    if number is None and "value" not in errors:
        errors["value"] = "Nhập giá trị (%)"
    if number is not None and number > 100:
        errors["value"] = "Tỷ lệ phải trong khoảng 0–100%"
    low = _decimal(ci_low, errors, "ci_low", "Cận dưới")
    high = _decimal(ci_high, errors, "ci_high", "Cận trên")
    for end, field in ((low, "ci_low"), (high, "ci_high")):
        if end is not None and end > 100:
            errors[field] = "Khoảng tin cậy phải trong khoảng 0–100%"
    the_year = _year(year if year not in (None, "") else (day.year if day else None), errors)
    interval = None
    if not errors and number is not None and n:
        try:
            interval = rules.survey_interval(
                float(number),
                n,
                float(low) if low is not None else None,
                float(high) if high is not None else None,
            )
        except ValueError as exc:
            errors["ci_low"] = str(exc)
    if errors:
        raise ValidationError(errors)
    assert interval is not None and version is not None and day is not None
    before = snapshot(instance) if instance is not None else None
    result = instance or SurveyResult(entered_by=user, entered_via=via)
    result.indicator = version.indicator
    result.unit = unit
    result.population_code = population_code or "all"
    result.year = the_year  # type: ignore[assignment]
    result.survey_name = name
    result.survey_date = day
    result.sample_size = n  # type: ignore[assignment]
    result.value = number  # type: ignore[assignment]
    result.ci_low = low if not interval.computed else Decimal(f"{interval.low:.3f}")  # type: ignore[assignment]
    result.ci_high = high if not interval.computed else Decimal(f"{interval.high:.3f}")  # type: ignore[assignment]
    result.ci_computed = interval.computed
    result.document_ref = (document_ref or "").strip()[:300]
    result.note = (note or "").strip()[:500]
    result.updated_by = user
    clash = SurveyResult.objects.filter(
        indicator=result.indicator,
        unit=unit,
        population_code=result.population_code,
        survey_name=name,
        survey_date=day,
    ).exclude(pk=result.pk)
    if clash.exists():
        raise ValidationError(
            {"survey_name": "Đã có kết quả của cuộc điều tra này (cùng ngày, chỉ số, đơn vị)"}
        )
    result.save()
    _audit(user, result, before, f"Kết quả điều tra ({via})")
    return result


# ---------------------------------------------------------------- policy


@transaction.atomic
def policy_value_save(
    *,
    user: Any,
    indicator_code: str,
    unit: OrgUnit,
    year: Any,
    answer: bool | None = None,
    numerator: Any = None,
    denominator: Any = None,
    number: Any = None,
    document_ref: str = "",
    note: str = "",
    via: str = "form",
) -> PolicyValue | None:
    """Set a unit's policy item for a year (one row per item, unit and year). Exactly one
    kind of value: a yes/no answer, a fraction (numerator of denominator) or a number.
    Nothing given removes the entry (audited) and returns None."""
    if not access.can_enter_policy(user, unit):
        raise PermissionDenied("Bạn không có quyền nhập chỉ tiêu chính sách cho đơn vị này")
    errors: dict[str, str] = {}
    if indicator_code not in policy_indicator_codes():
        errors["indicator"] = f"'{indicator_code}' không phải chỉ số chính sách"
    the_year = _year(year, errors)
    num = _decimal(numerator, errors, "numerator", "Tử số")
    den = _decimal(denominator, errors, "denominator", "Mẫu số")
    value = _decimal(number, errors, "number", "Số liệu")
    kinds = sum([answer is not None, num is not None or den is not None, value is not None])
    if kinds > 1:
        errors["answer"] = "Chỉ nhập một loại: có/không, hoặc tử số/mẫu số, hoặc một số"
    if (num is None) != (den is None):
        errors["denominator"] = "Nhập cả tử số và mẫu số"
    elif den is not None and num is not None:
        if den == 0:
            errors["denominator"] = "Mẫu số phải lớn hơn 0"
        elif num > den:
            errors["numerator"] = "Tử số không được lớn hơn mẫu số"
    version = latest_version(indicator_code)
    if value is not None and version is not None and version.multiplier == 100 and value > 100:
        errors["number"] = "Tỷ lệ phải trong khoảng 0–100%"
    if errors:
        raise ValidationError(errors)
    assert version is not None and the_year is not None
    existing = PolicyValue.objects.filter(
        indicator=version.indicator, unit=unit, year=the_year
    ).first()
    if kinds == 0:
        if existing is not None:
            audit_log(
                user=user,
                action=AuditAction.DELETE,
                instance=existing,
                changes=snapshot(existing),
                note=f"Xóa chỉ tiêu chính sách ({via})",
            )
            existing.delete()
        return None
    before = snapshot(existing) if existing is not None else None
    row = existing or PolicyValue(
        indicator=version.indicator, unit=unit, year=the_year, entered_by=user, entered_via=via
    )
    row.answer, row.numerator, row.denominator, row.number = answer, num, den, value
    row.document_ref = (document_ref or "").strip()[:300]
    row.note = (note or "").strip()[:500]
    row.updated_by = user
    row.save()
    _audit(user, row, before, f"Chỉ tiêu chính sách ({via})")
    return row


# ---------------------------------------------------------------- workforce


@transaction.atomic
def workforce_report_save(
    *,
    user: Any,
    facility: Facility,
    year: Any,
    as_of: Any,
    counts: dict[str, Any],
    document_ref: str = "",
    note: str = "",
    via: str = "form",
) -> WorkforceReport:
    """Set a facility's staff and training of a year (one row per facility and year)."""
    if not access.can_enter_workforce(user, facility):
        raise PermissionDenied("Bạn không có quyền nhập nhân lực cho cơ sở này")
    errors: dict[str, str] = {}
    the_year = _year(year, errors)
    day = _date(as_of, errors, "as_of", "Ngày báo cáo")
    values: dict[str, int | None] = {}
    for field in WORKFORCE_COUNTS:
        values[field] = _count(counts.get(field), errors, field, WORKFORCE_LABELS[field])
        if field in _REQUIRED_COUNTS and values[field] is None and field not in errors:
            values[field] = 0
    trained, doctors = values.get("child_doctors_trained"), values.get("child_doctors")
    if trained is not None and (doctors is None or trained > doctors):
        errors["child_doctors_trained"] = (
            "Số bác sỹ nhi đã đào tạo sơ sinh bệnh lý không được lớn hơn số bác sỹ làm CSSK trẻ em"
        )
    if errors:
        raise ValidationError(errors)
    assert the_year is not None
    existing = WorkforceReport.objects.filter(facility=facility, year=the_year).first()
    before = snapshot(existing) if existing is not None else None
    row = existing or WorkforceReport(
        facility=facility, year=the_year, entered_by=user, entered_via=via
    )
    row.as_of = day  # type: ignore[assignment]
    for field, value in values.items():
        setattr(row, field, value)
    row.document_ref = (document_ref or "").strip()[:300]
    row.note = (note or "").strip()[:500]
    row.updated_by = user
    row.save()
    _audit(user, row, before, f"Nhân lực, đào tạo ({via})")
    return row


WORKFORCE_LABELS = {
    "obstetric_level2": "BS sản CKII/thạc sĩ/tiến sĩ",
    "obstetric_level1": "BS sản CKI",
    "obstetric_oriented": "BS đa khoa định hướng sản",
    "paediatric_level2": "BS nhi CKII/thạc sĩ/tiến sĩ",
    "paediatric_level1": "BS nhi CKI",
    "paediatric_oriented": "BS đa khoa định hướng nhi",
    "midwives": "Hộ sinh",
    "village_midwives": "Cô đỡ thôn bản đang hoạt động",
    "child_doctors": "BS làm công tác CSSK trẻ em",
    "child_doctors_trained": "…trong đó đã đào tạo sơ sinh bệnh lý",
    "trained_eenc": "Số người được đào tạo EENC trong năm",
    "trained_resuscitation": "Số người được đào tạo hồi sức sơ sinh trong năm",
    "trained_kangaroo": "Số người được đào tạo chăm sóc bà mẹ kangaroo trong năm",
}


@transaction.atomic
def reported_value_delete(*, user: Any, instance: SurveyResult | WorkforceReport) -> None:
    unit = instance.unit if isinstance(instance, SurveyResult) else instance.facility.unit
    allowed = (
        access.can_enter_survey(user, unit)
        if isinstance(instance, SurveyResult)
        else access.can_enter_workforce(user, instance.facility)
    )
    if not allowed:
        raise PermissionDenied("Bạn không có quyền xóa số liệu này")
    audit_log(
        user=user,
        action=AuditAction.DELETE,
        instance=instance,
        changes=snapshot(instance),
        note="Xóa số liệu báo cáo/điều tra",
    )
    instance.delete()


def indicator_of(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()
