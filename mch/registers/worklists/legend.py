"""What due, overdue, missed and coming up mean on each list, with the province's own
numbers (``RegisterSettings``) and the schedule's grace: the legend a page shows above
its rows, in the active language. docs/ui.md says the same in prose."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mch.orgunits.models import OrgUnit

from ..derive import settings_for
from .common import Urgency, urgency_label
from .maternal import DEATH_NOTIFY_DAYS, EDD_NEAR_DAYS, PNC_LAST_DAY, PNC_OVERDUE_DAY


def _upcoming(horizon: int, what: str) -> str:
    return ngettext(
        "due within the next %(days)d day: %(what)s, with its date.",
        "due within the next %(days)d days: %(what)s, with its date.",
        horizon,
    ) % {"days": horizon, "what": what}


def worklist_legend(
    *, slug: str, unit: OrgUnit | None, horizon: int = 0
) -> list[tuple[str, str, str]]:
    """(status, its label, its definition) for the list ``slug``, most urgent first; "coming up" only
    when the page looks ahead (``horizon`` > 0)."""
    from mch.immunisation.engine import DEFAULT_GRACE_DAYS

    settings = settings_for(unit)
    entries: list[tuple[Urgency, str]] = []
    ahead = ""
    if slug == "kham-thai":
        entries = [
            (
                Urgency.OVERDUE,
                _(
                    "more than %(overdue)d days after the visit fell due and still no visit, "
                    "or past the expected delivery date with no delivery recorded."
                )
                % {"overdue": settings.anc_overdue_days},
            ),
            (
                Urgency.DUE,
                _(
                    "%(revisit)d days have passed since the last antenatal visit (or the "
                    "registration, before any visit); also a woman within %(near)d days of "
                    "her expected delivery date (check the birth plan)."
                )
                % {"revisit": settings.anc_revisit_days, "near": EDD_NEAR_DAYS},
            ),
        ]
        ahead = _("the next antenatal visit falls due within these days")
    elif slug == "sau-sinh":
        entries = [
            (
                Urgency.OVERDUE,
                _(
                    "days %(first)d to %(last)d after the birth and still no home visit; after "
                    "day %(last)d the first-week visit can no longer be made and the row "
                    "leaves the list."
                )
                % {"first": PNC_OVERDUE_DAY, "last": PNC_LAST_DAY},
            ),
            (
                Urgency.DUE,
                _(
                    "born 0 to %(day)d days ago; the mother or a live-born baby has had no "
                    "home visit yet."
                )
                % {"day": PNC_OVERDUE_DAY - 1},
            ),
        ]
    elif slug == "tiem-chung":
        entries = [
            (
                Urgency.OVERDUE,
                _(
                    "more than %(grace)d days after the dose's day and not given, the child "
                    "still young enough for it."
                )
                % {"grace": DEFAULT_GRACE_DAYS},
            ),
            (
                Urgency.DUE,
                _(
                    "the dose's day has come: the age in the schedule (or the minimum "
                    "interval after the previous dose, when later), at most %(grace)d days ago."
                )
                % {"grace": DEFAULT_GRACE_DAYS},
            ),
            (
                Urgency.MISSED,
                _(
                    "the child is past the dose's latest age (for example IPV before age 1) "
                    "without it; a late dose can still be recorded."
                ),
            ),
        ]
        ahead = _(
            "the dose's day falls within these days (“may be given from” when the child "
            "has already reached its minimum age)"
        )
    elif slug == "dinh-duong":
        entries = [
            (
                Urgency.OVERDUE,
                _("another %(days)d days later and still not measured again.")
                % {"days": settings.followup_days},
            ),
            (
                Urgency.DUE,
                _(
                    "%(days)d days after a measurement showing stunting, wasting or oedema, "
                    "and not measured since."
                )
                % {"days": settings.followup_days},
            ),
        ]
        ahead = _("the follow-up measurement falls due within these days")
    elif slug == "tu-vong-me":
        entries = [
            (
                Urgency.OVERDUE,
                _("from the second day after the death and not yet notified."),
            ),
            (
                Urgency.DUE,
                ngettext(
                    "on the day of the death and the next %(days)d day (notify within 24 hours).",
                    "on the day of the death and the next %(days)d days (notify within 24 hours).",
                    DEATH_NOTIFY_DAYS,
                )
                % {"days": DEATH_NOTIFY_DAYS},
            ),
        ]
    if ahead and horizon > 0:
        entries.append((Urgency.UPCOMING, _upcoming(horizon, ahead)))
    return [(str(status), urgency_label(status), text) for status, text in entries]
