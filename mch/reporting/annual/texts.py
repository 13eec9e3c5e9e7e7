"""The report's sentences and small tables, shared by the .docx and the HTML/PDF."""

from __future__ import annotations

from mch.documents.official import number_vi

from .data import AnnualReportData


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def opening_text(data: AnnualReportData) -> str:
    plan = data.plan
    kind = plan.get_kind_display().split(" (")[-1].rstrip(")")
    number = plan.number if plan.number and not plan.number.startswith("/") else ""
    title = plan.title[:1].lower() + plan.title[1:]
    return (
        f"Thực hiện {kind}{f' số {number}' if number else ''} của {plan.issuer_name} "
        f"về {title}, Sở Y tế báo cáo kết quả thực hiện năm {data.year} như sau:"
    )


def sources_text(data: AnnualReportData) -> str:
    count = data.counts.get
    unit = data.unit_name + (f" ({data.unit_note})" if data.unit_note else "")
    return (
        f"Số liệu của {unit}, đến {data.as_of_text}; nguồn của từng số liệu ghi ở cột "
        f"“Nguồn số liệu” và các chú thích đánh số dưới Bảng 1 (sổ đăng ký, báo cáo định kỳ "
        f"đã duyệt, điều tra, báo cáo chính sách hoặc nhân lực; “Văn bản kế hoạch” khi không "
        f"có nguồn nào khác cho chỉ tiêu đó). Chỉ tiêu của năm đích "
        f"sau năm {data.year} được đánh giá theo xu hướng. Năm {data.year}, trong "
        f"{len(data.rows)} chỉ tiêu: {count('met', 0)} đạt, {count('on_track', 0)} đúng tiến "
        f"độ, {count('at_risk', 0)} có nguy cơ không đạt, {count('not_met', 0)} không đạt, "
        f"{count('no_data', 0) + count('not_computable', 0)} chưa có số liệu hoặc chưa tính "
        f"được từ sổ."
    )


def missing_agencies(data: AnnualReportData) -> list[str]:
    return [a.name for a in data.agencies if a.missing and not a.reports]


def _amount(value: int | None) -> str:
    return number_vi(value) if value is not None else "—"


def budget_rows(data: AnnualReportData) -> list[list[str]]:
    b = data.budget
    plan = data.plan
    return [
        [
            f"Năm {data.year}",
            _amount(b.planned_year),
            _amount(b.spent_year),
            b.rate(b.spent_year, b.planned_year),
        ],
        [
            f"Cả giai đoạn {plan.period_start}–{plan.period_end} (lũy kế đến năm {data.year})",
            _amount(b.planned_total or None),
            _amount(b.spent_total),
            b.rate(b.spent_total, b.planned_total),
        ],
    ]


def closing_text(data: AnnualReportData) -> str:
    return f"Trên đây là báo cáo kết quả thực hiện năm {data.year} của Sở Y tế"
