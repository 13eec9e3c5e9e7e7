"""Worklists: who in a commune (or one of its villages) is due for what on a given day.

Five lists, each a function of the acting user, the commune, an optional village and the
"as of" day (never today's date read here; views pass it):

- ``antenatal_due``: open pregnancies whose next visit is due or overdue, and women near
  or past the expected date of delivery with no delivery recorded;
- ``postnatal_due``: deliveries of the last 7 days where the mother or a live-born newborn
  has had no home visit yet (the first-week home visit is the indicator, domain.md §2);
- ``immunisation_due``: children under 6 with doses due, overdue or missed (and, with a
  horizon, doses coming due), from ``mch.immunisation.engine.due_list``;
- ``growth_followup``: children under 5 whose latest measurement shows stunting, wasting
  or oedema and who have not been measured again within ``followup_days``;
- ``maternal_deaths_to_notify``: possible maternal deaths not yet notified.

``worklist_summary`` counts every list for each commune of a province (``area``);
``worklist_legend`` says what due, overdue, missed and coming up mean on each list.

People are those of the user's scope (``people_scope_q``) whose current commune of
residence is the chosen unit. Each list runs a fixed, small number of queries whatever
the number of people (the immunisation list: children, their doses, the schedule), then
works in Python.

``maternal`` holds the lists of women, ``child`` those of children, ``common`` the rows,
urgency, the people filter and ages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .area import AreaSummary, CommuneCounts, worklist_areas, worklist_summary
from .child import growth_followup, immunisation_due
from .common import (
    URGENCY_ORDER,
    Counts,
    Row,
    Task,
    Urgency,
    age_text,
    urgency_label,
    worklist_units,
    worklist_villages,
)
from .legend import worklist_legend
from .maternal import antenatal_due, maternal_deaths_to_notify, postnatal_due

__all__ = [
    "AreaSummary",
    "CommuneCounts",
    "URGENCY_ORDER",
    "Counts",
    "Row",
    "Task",
    "Urgency",
    "Worklist",
    "age_text",
    "antenatal_due",
    "count_rows",
    "growth_followup",
    "immunisation_due",
    "maternal_deaths_to_notify",
    "postnatal_due",
    "urgency_label",
    "worklist_units",
    "worklist_areas",
    "worklist_legend",
    "worklist_summary",
    "worklist_villages",
    "worklists",
]


# ---------------------------------------------------------------------- all lists


@dataclass(frozen=True)
class Worklist:
    slug: str
    title: str
    function: Callable[..., list[Row]]
    horizon: bool = False
    status_filter: bool = False


def worklists() -> list[Worklist]:
    """The lists in the order pages show them (titles in the active language)."""
    return [
        Worklist("kham-thai", _("Antenatal visits"), antenatal_due, horizon=True),
        Worklist("sau-sinh", _("Postnatal home visits, first week"), postnatal_due),
        Worklist(
            "tiem-chung", _("Immunisation"), immunisation_due, horizon=True, status_filter=True
        ),
        Worklist("dinh-duong", _("Malnutrition follow-up"), growth_followup, horizon=True),
        Worklist("tu-vong-me", _("Possible maternal deaths to notify"), maternal_deaths_to_notify),
    ]


def count_rows(rows: Iterable[Row]) -> Counts:
    by_status: dict[str, int] = defaultdict(int)
    total = 0
    for row in rows:
        total += 1
        by_status[row.status] += 1
    return Counts(total=total, by_status=dict(by_status))
