"""Scoped reads: the surveillance list, the notification worklist, overdue actions, the
M5 report and the red-alert statistics. Every function takes the acting user."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone

from mch.accounts.scope import Scope
from mch.indicators.engine.periods import Period
from mch.indicators.engine.stats import interval, is_small
from mch.registers.models import Birth, BirthOutcome, Death, MaternalGroup, ReviewStatus

from . import access
from .models import Action, RedAlert, Review
from .registry import FormsSpec

NOTIFY_HOURS = 24
# Screening status of a death of a woman 15–49 (issue 10: maternal direct/indirect, not
# maternal, pending; late maternal deaths kept apart).
STATUSES = (
    "maternal_direct",
    "maternal_indirect",
    "maternal_unspecified",
    "late",
    "not_maternal",
    "pending",
)


def _age_years(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def screening_status(death: Death, review: Review | None = None) -> str:
    """What the surveillance says the death is, the completed review overriding the register."""
    if death.maternal_group == MaternalGroup.LATE:
        return "late"
    if review is not None and review.status == Review.Status.DONE and review.cause_kind:
        return {
            "direct": "maternal_direct",
            "indirect": "maternal_indirect",
            "unspecified": "maternal_unspecified",
        }.get(review.cause_kind, "not_maternal")
    if death.review_status == ReviewStatus.NOT_MATERNAL:
        return "not_maternal"
    if death.maternal_group == MaternalGroup.MATERNAL:
        return {"direct": "maternal_direct", "indirect": "maternal_indirect"}.get(
            death.maternal_cause, "pending"
        )
    if death.maternal_group == MaternalGroup.INCIDENTAL:
        return "not_maternal"
    if death.pregnancy_relation == "not_pregnant":
        return "not_maternal"
    return "pending"


def is_maternal(status: str) -> bool:
    return status.startswith("maternal_")


@dataclass
class SurveillanceRow:
    death: Death
    age: int | None
    status: str
    review: Review | None
    notification: Any

    @property
    def commune(self) -> Any:
        return self.death.residence_unit


def women_deaths(*, user: Any, start: dt.date, end: dt.date) -> list[SurveillanceRow]:
    """Deaths of women aged 15–49 between ``start`` and ``end`` in the user's units (by
    residence, unit of service or facility)."""
    if not access.can_use_surveillance(user):
        return []
    deaths = (
        Death.objects.filter(access.death_scope_q(user), person__sex="F", date__range=(start, end))
        .filter(age_days__gte=15 * 365, age_days__lt=50 * 366)
        .select_related("person", "residence_unit", "facility", "review", "mpdsr_notification")
        .order_by("-date", "id")
    )
    rows = []
    for death in deaths:
        age = _age_years(death.person.birth_date, death.date)
        if age is None or not 15 <= age <= 49:
            continue
        review = getattr(death, "review", None)
        rows.append(
            SurveillanceRow(
                death=death,
                age=age,
                status=screening_status(death, review),
                review=review,
                notification=getattr(death, "mpdsr_notification", None),
            )
        )
    return rows


def surveillance_summary(rows: list[SurveillanceRow]) -> list[dict[str, Any]]:
    """Counts by commune of residence and status, communes in name order. ``total`` is
    every death of a woman 15–49, late maternal deaths included (they have a column of
    their own and are never counted as maternal)."""
    by_commune: dict[int, dict[str, Any]] = {}
    for row in rows:
        unit = row.commune
        entry = by_commune.setdefault(
            unit.pk, {"unit": unit, "total": 0, **dict.fromkeys(STATUSES, 0)}
        )
        entry[row.status] += 1
        entry["total"] += 1
    return sorted(by_commune.values(), key=lambda e: e["unit"].name)


def surveillance_total(summary: list[dict[str, Any]]) -> dict[str, int]:
    """The total row of ``surveillance_summary``."""
    return {key: sum(e[key] for e in summary) for key in ("total", *STATUSES)}


# -- notification timeliness (M1 within 24 hours) ---------------------------------------------
def notified_in_time(notification: Any) -> bool:
    """The one rule: notified within 24 hours when the hours to notify (to 0.1 h, as the
    pages show them) are at most 24, so a death notified at exactly 24 hours is in time."""
    hours = getattr(notification, "hours_to_notify", None)
    return hours is not None and hours <= NOTIFY_HOURS


def due_for_notification(row: SurveillanceRow) -> bool:
    """A death the 24-hour notification applies to: a maternal death (up to 42 days), or a
    suspected one not yet screened out (flagged "to notify" or already notified). Late
    maternal deaths and deaths found not maternal are not counted."""
    if row.status in ("late", "not_maternal"):
        return False
    return (
        is_maternal(row.status)
        or row.notification is not None
        or row.death.review_status == ReviewStatus.TO_NOTIFY
    )


@dataclass(frozen=True)
class Timeliness:
    due: int  # maternal and suspected maternal deaths
    notified: int  # of them, notified (M1) at any time
    within: int  # of them, notified within 24 hours

    @property
    def not_notified(self) -> int:
        return self.due - self.notified

    @property
    def share(self) -> float | None:
        """Per cent notified within 24 hours; a death never notified counts as late."""
        return 100 * self.within / self.due if self.due else None


@dataclass(frozen=True)
class NotificationTimeliness:
    total: Timeliness
    by_commune: dict[int, Timeliness]  # commune of residence pk → its figures


def _timeliness(rows: list[SurveillanceRow]) -> Timeliness:
    due = [r for r in rows if due_for_notification(r)]
    return Timeliness(
        due=len(due),
        notified=sum(1 for r in due if r.notification is not None),
        within=sum(1 for r in due if notified_in_time(r.notification)),
    )


def _timeliness_of_rows(rows: list[SurveillanceRow]) -> NotificationTimeliness:
    communes: dict[int, list[SurveillanceRow]] = {}
    for row in rows:
        communes.setdefault(row.death.residence_unit_id, []).append(row)
    return NotificationTimeliness(
        total=_timeliness(rows),
        by_commune={pk: _timeliness(group) for pk, group in communes.items()},
    )


def notification_timeliness(*, user: Any, period: Period) -> NotificationTimeliness:
    """Share of the maternal (and suspected maternal) deaths of women resident in the
    user's units in ``period`` notified within 24 hours, in total and per commune of
    residence. The surveillance list and the M5 report both show this figure (counts
    only, like the M5, so it is not limited to those who see people)."""
    return _timeliness_of_rows(_residence_rows(user, period))


@dataclass
class PendingNotification:
    death: Death
    hours: float

    @property
    def late(self) -> bool:
        return self.hours > NOTIFY_HOURS


def notification_worklist(
    *, user: Any, now: dt.datetime | None = None
) -> list[PendingNotification]:
    """Possible maternal deaths not yet notified (M1), oldest first, with hours since the
    death was entered in the register."""
    if not access.can_use_surveillance(user):
        return []
    now = now or timezone.now()
    deaths = (
        Death.objects.filter(access.death_scope_q(user), review_status=ReviewStatus.TO_NOTIFY)
        .filter(mpdsr_notification__isnull=True)
        .select_related("person", "residence_unit", "facility")
        .order_by("created_at")
    )
    return [
        PendingNotification(d, round((now - d.created_at).total_seconds() / 3600, 1))
        for d in deaths
    ]


def actions_for(*, user: Any) -> Any:
    """Actions of reviews of deaths in the user's units (reviews' readers only)."""
    if not access.can_see_reviews(user):
        return Action.objects.none()
    return Action.objects.filter(
        access.death_scope_q(user, "review__death__")
        | access.death_scope_q(user, "perinatal_review__")
    ).select_related("review", "perinatal_review", "owner_agency", "owner_facility")


def overdue_actions(*, user: Any, today: dt.date | None = None) -> list[Action]:
    today = today or timezone.localdate()
    return list(
        actions_for(user=user)
        .filter(deadline__lt=today)
        .exclude(status__in=[Action.Status.DONE, Action.Status.DROPPED])
    )


# -- M5 -----------------------------------------------------------------------------------
@dataclass
class M5Report:
    period: Period
    rows: list[SurveillanceRow]
    maternal: list[SurveillanceRow]
    late: list[SurveillanceRow]
    live_births: int
    mmr: float | None
    mmr_low: float | None
    mmr_high: float | None
    small: bool
    timeliness: Timeliness
    reviewed: int
    avoidable: int
    causes: list[tuple[str, int]] = field(default_factory=list)
    delays: list[tuple[str, int]] = field(default_factory=list)
    factors: list[tuple[str, int]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def notified(self) -> int:
        return self.timeliness.notified

    @property
    def notified_24h(self) -> int:
        return self.timeliness.within

    @property
    def notified_24h_share(self) -> float | None:
        return self.timeliness.share

    @property
    def avoidable_share(self) -> float | None:
        return 100 * self.avoidable / self.reviewed if self.reviewed else None


def _deidentified(actions: Any) -> list[Action]:
    """The actions of a periodic report (M5, perinatal), de-identified: a name, ID or
    phone the board wrote into a recommendation or action is blanked out (these instances
    are for display only, never saved)."""
    from .report_section import deidentify, identifiers

    found = list(actions)
    for a in found:
        hidden = identifiers(a)
        a.recommendation = deidentify(a.recommendation, hidden)
        a.action = deidentify(a.action, hidden)
    return found


def m5_report(*, user: Any, period: Period, spec: FormsSpec, lang: str = "vi") -> M5Report:
    """The periodic maternal death report of the user's units: every death of a woman
    15–49, the maternal deaths, the MMR per 100,000 live births of the same period with
    its exact Poisson 95% interval (the indicator engine's), causes, delays, avoidable
    share of reviewed deaths, and the actions from the reviews of those deaths."""
    rows = _residence_rows(user, period)
    maternal = [r for r in rows if is_maternal(r.status)]
    births = (
        Scope.for_user(user)
        .filter(
            Birth.objects.filter(outcome=BirthOutcome.LIVE, date__range=(period.start, period.end)),
            "residence_unit",
        )
        .count()
    )
    n = len(maternal)
    low, high = interval("poisson_exact", n, births, 100_000)
    reviews = [r.review for r in maternal if r.review and r.review.status == Review.Status.DONE]
    causes = Counter(
        r.review.underlying_cause for r in maternal if r.review and r.review.underlying_cause
    )
    delays = Counter(d for review in reviews for d in review.delays)
    factors = Counter(f for review in reviews for f in review.factors)
    factor_labels = dict(spec.factor_choices(lang))
    actions = _deidentified(
        Action.objects.filter(review__in=[r.review for r in maternal if r.review])
        .select_related("review__death__person", "owner_agency", "owner_facility")
        .order_by("deadline", "id")
    )
    return M5Report(
        period=period,
        rows=rows,
        maternal=maternal,
        late=[r for r in rows if r.status == "late"],
        live_births=births,
        mmr=100_000 * n / births if births else None,
        mmr_low=low,
        mmr_high=high,
        small=is_small("poisson_exact", n, births),
        timeliness=_timeliness_of_rows(rows).total,
        reviewed=len(reviews),
        avoidable=sum(1 for r in reviews if r.avoidability in ("avoidable", "possibly")),
        causes=[(spec.label("icd_mm_groups", c, lang), k) for c, k in causes.most_common()],
        delays=[(spec.label("delays", d, lang), delays[d]) for d in sorted(delays)],
        factors=[(factor_labels.get(f, f), k) for f, k in factors.most_common()],
        actions=actions,
        by_status=dict(Counter(r.status for r in rows)),
    )


def _residence_rows(user: Any, period: Period) -> list[SurveillanceRow]:
    """Deaths of women 15–49 resident in the user's units (the area the live births of
    the denominator come from)."""
    scope = Scope.for_user(user)
    deaths = scope.filter(
        Death.objects.filter(person__sex="F", date__range=(period.start, period.end)),
        "residence_unit",
    ).select_related("person", "residence_unit", "review", "mpdsr_notification")
    rows = []
    for death in deaths:
        age = _age_years(death.person.birth_date, death.date)
        if age is not None and 15 <= age <= 49:
            review = getattr(death, "review", None)
            rows.append(
                SurveillanceRow(
                    death,
                    age,
                    screening_status(death, review),
                    review,
                    getattr(death, "mpdsr_notification", None),
                )
            )
    return rows


# -- red alert ----------------------------------------------------------------------------
def red_alerts(*, user: Any, start: dt.date, end: dt.date) -> Any:
    scope = Scope.for_user(user)
    return scope.filter(
        RedAlert.objects.filter(called_at__date__range=(start, end)), "facility__unit"
    ).select_related("facility", "person", "death")


def _quantile(values: list[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def within_standard(minutes: Any, standard: Any) -> bool | None:
    """The one rule of "response within the hospital's standard", for an activation and
    for a hospital's median and 90th percentile alike: ``True`` when the minutes from the
    call to the team at the bedside (to 0.1 min, as the pages show them) are at most the
    standard, so arriving exactly on the standard is within it; ``None`` (not judged, left
    out of the share) when the arrival time or the standard is missing. An arrival before
    the call is refused when the activation is recorded (``services.red_alert_record``)."""
    if minutes is None or not standard:
        return None
    return float(minutes) <= float(standard)


def alert_within_standard(alert: RedAlert) -> bool | None:
    """An activation against the hospital's standard in force when it was logged (its own
    target if the province had set one, else the level's minutes; kept on the row)."""
    return within_standard(alert.response_minutes, alert.standard_minutes)


def red_alert_stats(*, user: Any, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Per hospital: activations, median and 90th percentile of the team's response in
    minutes, the share within standard (``alert_within_standard`` of each activation, the
    ✓/✗ the log shows) and deaths of the mother."""
    by_facility: dict[int, list[RedAlert]] = {}
    facilities = {}
    for alert in red_alerts(user=user, start=start, end=end):
        by_facility.setdefault(alert.facility_id, []).append(alert)
        facilities[alert.facility_id] = alert.facility
    from .models import RedAlertStandard

    own = {
        s.facility_id: s.minutes
        for s in RedAlertStandard.objects.filter(facility_id__in=list(by_facility))
    }
    stats = []
    for pk, alerts in by_facility.items():
        timed = [a for a in alerts if a.response_minutes is not None]
        minutes = [float(a.response_minutes) for a in timed]  # type: ignore[arg-type]
        verdicts = [alert_within_standard(a) for a in alerts]
        judged = [v for v in verdicts if v is not None]
        # The hospital's own standard, else the median of the levels' standards its
        # alerts were logged under (the forms file's minutes).
        standard = own.get(pk) or _quantile(
            [float(a.standard_minutes) for a in timed if a.standard_minutes], 50
        )
        median, p90 = _quantile(minutes, 50), _quantile(minutes, 90)
        stats.append(
            {
                "facility": facilities[pk],
                "count": len(alerts),
                "timed": len(timed),
                "median": median,
                "p90": p90,
                "judged": len(judged),
                "within": sum(judged),
                "within_share": 100 * sum(judged) / len(judged) if judged else None,
                "mother_died": sum(1 for a in alerts if a.mother_outcome == "died"),
                "baby_died": sum(1 for a in alerts if a.baby_outcome == "died"),
                "linked_deaths": sum(1 for a in alerts if a.death_id),
                "own_standard": own.get(pk),
                "standard": standard,
                "median_ok": within_standard(median, standard),
                "p90_ok": within_standard(p90, standard),
            }
        )
    return sorted(stats, key=lambda s: s["facility"].name)


def deaths_for_linking(*, user: Any, person_id: int | None = None) -> Any:
    q = Q(possible_maternal=True) | ~Q(maternal_group="")
    deaths = Death.objects.filter(access.death_scope_q(user)).filter(q)
    if person_id:
        deaths = deaths.filter(person_id=person_id)
    return deaths.select_related("person").order_by("-date")[:50]


# -- perinatal and child deaths ---------------------------------------------------------------
@dataclass
class PerinatalCase:
    kind: str  # stillbirth | neonatal | under5
    subject: Any  # Birth or Death
    review: Any

    @property
    def date(self) -> dt.date:
        return self.subject.date


@dataclass
class PerinatalReport:
    period: Period
    cases: list[PerinatalCase]
    live_births: int
    stillbirths: int
    early_neonatal: int
    neonatal: int
    under5: int
    pmr: float | None
    pmr_low: float | None
    pmr_high: float | None
    sbr: float | None
    nmr: float | None
    nmr_low: float | None
    nmr_high: float | None
    small: bool
    reviewed: int
    avoidable: int
    timing: list[tuple[str, int]] = field(default_factory=list)
    causes: list[tuple[str, int]] = field(default_factory=list)
    delays: list[tuple[str, int]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    under5_reviewed: bool = False

    @property
    def avoidable_share(self) -> float | None:
        return 100 * self.avoidable / self.reviewed if self.reviewed else None


def _under5_provinces(user: Any) -> list[str]:
    from .models import ProvinceSettings

    return [
        row.province.path
        for row in ProvinceSettings.objects.filter(review_under5=True).select_related("province")
    ]


def perinatal_report(
    *, user: Any, period: Period, spec: FormsSpec, lang: str = "vi"
) -> PerinatalReport:
    """Stillbirths, neonatal deaths (and deaths under five where the province reviews them)
    of children of mothers resident in the user's units, with the perinatal mortality rate
    ((stillbirths + deaths at 0–6 days) / (live + stillbirths) × 1,000, exact Poisson 95%
    interval), the stillbirth and neonatal rates, ICD-PM timing and causes of the reviewed
    cases, delays, avoidable share and the actions."""
    from .models import PerinatalReview

    scope = Scope.for_user(user)
    births = scope.filter(
        Birth.objects.filter(date__range=(period.start, period.end)), "residence_unit"
    )
    live = births.filter(outcome=BirthOutcome.LIVE).count()
    still = list(
        births.filter(outcome=BirthOutcome.STILLBIRTH).select_related("residence_unit", "facility")
    )
    deaths = list(
        scope.filter(
            Death.objects.filter(date__range=(period.start, period.end), age_days__lt=5 * 365 + 1),
            "residence_unit",
        ).select_related("residence_unit", "facility", "person")
    )
    u5_paths = _under5_provinces(user)
    reviews_b = {r.birth_id: r for r in PerinatalReview.objects.filter(birth__in=still)}
    reviews_d = {r.death_id: r for r in PerinatalReview.objects.filter(death__in=deaths)}
    cases = [PerinatalCase("stillbirth", b, reviews_b.get(b.pk)) for b in still]
    neonatal = [d for d in deaths if d.age_days is not None and d.age_days < 28]
    early = [d for d in neonatal if d.age_days is not None and d.age_days < 7]
    under5 = [d for d in deaths if d.age_days is not None and d.age_days >= 28]
    cases += [PerinatalCase("neonatal", d, reviews_d.get(d.pk)) for d in neonatal]
    reviewed_u5 = bool(u5_paths)
    cases += [
        PerinatalCase("under5", d, reviews_d.get(d.pk))
        for d in under5
        if any(d.residence_unit.path.startswith(p) for p in u5_paths)
    ]
    cases.sort(key=lambda c: (c.date, c.kind), reverse=True)
    total = live + len(still)
    n_pm = len(still) + len(early)
    pm_low, pm_high = interval("poisson_exact", n_pm, total, 1000)
    nm_low, nm_high = interval("poisson_exact", len(neonatal), live, 1000)
    done = [c.review for c in cases if c.review and c.review.status == "done"]
    timing_labels = dict(spec.choices("icd_pm_timing", lang))
    cause_labels = dict(spec.choices("icd_pm_groups", lang)) | dict(
        spec.choices("child_causes", lang)
    )
    timing = Counter(r.timing for r in done if r.timing)
    causes = Counter(r.cause for r in done if r.cause)
    delays = Counter(d for r in done for d in r.delays)
    return PerinatalReport(
        period=period,
        cases=cases,
        live_births=live,
        stillbirths=len(still),
        early_neonatal=len(early),
        neonatal=len(neonatal),
        under5=len(under5),
        pmr=1000 * n_pm / total if total else None,
        pmr_low=pm_low,
        pmr_high=pm_high,
        sbr=1000 * len(still) / total if total else None,
        nmr=1000 * len(neonatal) / live if live else None,
        nmr_low=nm_low,
        nmr_high=nm_high,
        small=is_small("poisson_exact", n_pm, total),
        reviewed=len(done),
        avoidable=sum(1 for r in done if r.avoidability in ("avoidable", "possibly")),
        timing=[(timing_labels.get(t, t), timing[t]) for t in ("A", "I", "N") if timing[t]],
        causes=[(cause_labels.get(c, c), k) for c, k in causes.most_common()],
        delays=[(spec.label("delays", d, lang), delays[d]) for d in sorted(delays)],
        actions=_deidentified(
            Action.objects.filter(perinatal_review__in=[c.review for c in cases if c.review])
            .select_related(
                "perinatal_review__death__person__mother",
                "perinatal_review__birth__mother",
                "owner_agency",
                "owner_facility",
            )
            .order_by("deadline", "id")
        ),
        under5_reviewed=reviewed_u5,
    )
