"""The yearly report's section on the "R" of MPDSR: the actions taken on the review boards'
recommendations in the year (issue 10 §4), de-identified.

Which actions: those of maternal and perinatal reviews of deaths in the reader's units
(``selectors.actions_for``: review readers only) that were done in the year, fell due in
the year, or were set in the year, whatever their status (but not those done in an
earlier year). Each row: the review's case code
(never the woman's name), the recommendation, the action, its owner, the deadline, the
status and the day it was done. Free text a board wrote may name the woman: her full name,
national ID and phone are blanked out ("[…]") wherever they appear.

Used by ``mch.reporting.annual`` (data → docx/html) and by the M5 exports (the same
status labels and blanking); pure reading, no writes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from . import access
from .models import Action

REDACTED = "[…]"
STATUS_VI = {
    "planned": "Đã lập kế hoạch",
    "in_progress": "Đang thực hiện",
    "done": "Đã hoàn thành",
    "dropped": "Không thực hiện",
}
COLUMNS = [
    "TT",
    "Mã ca",
    "Khuyến nghị",
    "Hành động",
    "Đơn vị thực hiện",
    "Hạn",
    "Tình trạng",
    "Ngày hoàn thành",
]
WIDTHS_CM = (0.8, 2.2, 4.2, 3.4, 2.6, 1.8, 1.9, 1.9)


@dataclass(frozen=True)
class ActionRow:
    case_code: str
    recommendation: str
    action: str
    owner: str
    deadline: dt.date
    status: str
    done_on: dt.date | None
    overdue: bool

    @property
    def status_text(self) -> str:
        return STATUS_VI.get(self.status, self.status)


def identifiers(action: Action) -> list[str]:
    """The strings that would identify the woman (or the child's mother) in free text."""
    people: list[Any] = []
    if action.review_id and action.review is not None:
        people.append(action.review.death.person)
    review = action.perinatal_review
    if review is not None:
        if review.death_id and review.death is not None:
            people.append(review.death.person)
            people.append(review.death.person.mother)
        if review.birth_id and review.birth is not None:
            people.append(getattr(review.birth, "mother", None))
    found: list[str] = []
    for person in filter(None, people):
        for value in (person.full_name, person.national_id, person.phone):
            if value and len(value.strip()) >= 4:
                found.append(value.strip())
    return sorted(set(found), key=len, reverse=True)


def deidentify(text: str, hidden: list[str]) -> str:
    """``text`` with each of ``hidden`` (case-insensitive) replaced by "[…]"."""
    result = (text or "").strip()
    for value in hidden:
        result = re.sub(re.escape(value), REDACTED, result, flags=re.IGNORECASE)
    return result


def year_actions(
    *, user: Any, year: int, today: dt.date | None = None, territory: Q | None = None
) -> tuple[list[ActionRow], bool]:
    """(rows, visible): the year's actions as the report prints them, oldest deadline
    first, only those matching ``territory`` when given (a plan's area); ``visible`` is
    False for a user who may not read reviews (nothing listed)."""
    if not access.can_see_reviews(user):
        return [], False
    from django.utils import timezone

    from .selectors import actions_for

    today = today or timezone.localdate()
    actions = (
        actions_for(user=user)
        .filter(Q(done_on__year=year) | Q(deadline__year=year) | Q(created_at__year=year))
        .exclude(done_on__lt=dt.date(year, 1, 1))  # done in an earlier year: that year's
        .filter(territory if territory is not None else Q())
        .select_related(
            "review__death__person",
            "perinatal_review__death__person__mother",
            "perinatal_review__birth__mother",
        )
        .order_by("deadline", "pk")
    )
    rows = []
    for a in actions:
        hidden = identifiers(a)
        code = a.review.case_code if a.review_id else a.perinatal_review.case_code  # type: ignore[union-attr]
        rows.append(
            ActionRow(
                case_code=code,
                recommendation=deidentify(a.recommendation, hidden),
                action=deidentify(a.action, hidden),
                owner=a.owner or "",
                deadline=a.deadline,
                status=a.status,
                done_on=a.done_on,
                overdue=a.deadline < today and a.status not in ("done", "dropped"),
            )
        )
    return rows, True


def table_rows(rows: list[ActionRow]) -> list[list[Any]]:
    """The section's table, one list per action (columns ``COLUMNS``)."""
    return [
        [
            i,
            r.case_code,
            r.recommendation,
            r.action or "—",
            r.owner or "—",
            f"{r.deadline:%d/%m/%Y}",
            r.status_text + (" (quá hạn)" if r.overdue else ""),
            f"{r.done_on:%d/%m/%Y}" if r.done_on else "—",
        ]
        for i, r in enumerate(rows, 1)
    ]


def summary_text(rows: list[ActionRow], visible: bool, year: int) -> str:
    if not visible:
        return (
            "Người lập báo cáo không có quyền xem thẩm định tử vong mẹ: "
            "không liệt kê các hành động."
        )
    if not rows:
        return f"Năm {year} không có hành động nào sau thẩm định tử vong mẹ, chu sinh."
    done = sum(1 for r in rows if r.status == "done" and r.done_on and r.done_on.year == year)
    overdue = sum(1 for r in rows if r.overdue)
    return (
        f"Năm {year} có {len(rows)} hành động thực hiện khuyến nghị của Hội đồng thẩm định "
        f"tử vong mẹ, chu sinh (đặt ra, đến hạn hoặc hoàn thành trong năm), trong đó {done} "
        f"đã hoàn thành trong năm, {overdue} quá hạn chưa xong. Các ca ghi bằng mã, không "
        f"định danh."
    )
