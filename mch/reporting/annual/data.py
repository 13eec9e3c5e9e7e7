"""Everything the annual report prints, gathered once, so the .docx, the .xlsx annex, the
HTML and the PDF all show the same figures.

Figures come from the plan scorecard (``indicator_values`` through ``target_status``) for
the plan's unit: this year's value and status, and the previous year's value. Where the
registers cannot give an indicator (policy, survey indicators), the plan document's own
figure for that year is printed instead, labelled as such; the two series are never mixed
in one figure.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone, translation

from mch.documents.official import number_vi
from mch.orgunits.models import OrgUnit, UnitLineage
from mch.plans.budget import Budget, plan_budget
from mch.plans.models import Observation, Plan, Target, Task
from mch.plans.selectors import plan_target_rows
from mch.scorecards.assembly import NOT_COMPUTABLE, Scorecard, plan_scorecard

from ..models import AnnualReport, TaskReport
from ..selectors import submitted_task_reports
from ..services import annual_report_defaults
from .charts import Trend

SOURCE_REGISTERS = "Sổ đăng ký"
SOURCE_DOCUMENT = "Văn bản kế hoạch"
SOURCE_SURVEY = "Điều tra"
SOURCE_AGGREGATE = "Báo cáo định kỳ đã duyệt"
SOURCE_POLICY = "Báo cáo chính sách"
SOURCE_WORKFORCE = "Báo cáo nhân lực"
STATUS_VI = {
    "met": "Đạt",
    "not_met": "Không đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ không đạt",
    "no_data": "Chưa có số liệu",
    NOT_COMPUTABLE: "Chưa tính được",
}


@dataclass(frozen=True)
class Figure:
    value: float | None
    text: str  # as printed ("9,4", "88%" as the document wrote it, "—")
    source: str  # SOURCE_REGISTERS, SOURCE_SURVEY, …, SOURCE_DOCUMENT or ""
    # The source in full, as the report's numbered note prints it: the engine's indicator
    # version and data-as-of, the survey's name, date and n, the approved reports covered…
    note: str = ""


NO_FIGURE = Figure(None, "—", "")


@dataclass(frozen=True)
class ResultRow:
    number: int
    objective: str
    indicator_code: str
    name: str
    unit_symbol: str
    previous: Figure
    target_text: str
    target_year: int | None
    actual: Figure
    status: str
    targets_by_year: dict[int, str]  # the annex: every target year of the plan
    baseline: Figure = NO_FIGURE  # the document's figure for the year before the plan
    # (source label, number of its note in ``AnnualReportData.source_notes``), in the
    # order previous year, this year; one entry per distinct note.
    source_refs: tuple[tuple[str, int], ...] = ()
    # The year of the value the status was judged on when this year has no figure (a
    # survey of an earlier year): the status says so.
    judged_year: int | None = None

    @property
    def status_text(self) -> str:
        text = STATUS_VI.get(self.status, self.status)
        if self.judged_year is not None and self.status not in ("no_data", "not_computable"):
            text = f"{text} (theo số liệu năm {self.judged_year})"
        return text

    @property
    def source_text(self) -> str:
        """The source column: "Sổ đăng ký (1); Văn bản kế hoạch (2)", one label once
        ("Báo cáo định kỳ đã duyệt (1, 2)")."""
        numbers: dict[str, list[str]] = {}
        for label, n in self.source_refs:
            numbers.setdefault(label, []).append(str(n))
        return "; ".join(f"{label} ({', '.join(ns)})" for label, ns in numbers.items()) or "—"


@dataclass(frozen=True)
class AgencySummary:
    name: str
    reports: list[TaskReport]
    missing: list[Task]


@dataclass(frozen=True)
class BudgetFigures:
    planned_year: int | None
    spent_year: int | None
    planned_total: int
    spent_total: int | None

    @staticmethod
    def rate(spent: int | None, planned: int | None) -> str:
        if spent is None or not planned:
            return "—"
        return f"{number_vi(100 * spent / planned, 1)}%"


@dataclass(frozen=True)
class AnnualReportData:
    plan: Plan
    year: int
    report: AnnualReport
    parent_body: str
    issuing_body: str
    place: str
    unit_name: str
    unit_note: str
    as_of: dt.datetime
    rows: list[ResultRow]
    target_years: list[int]
    agencies: list[AgencySummary]
    budget: BudgetFigures
    budget_lines: Budget
    counts: dict[str, int] = field(default_factory=dict)
    trends: list[Trend] = field(default_factory=list)
    mpdsr_actions: list[Any] = field(default_factory=list)
    mpdsr_visible: bool = False
    source_notes: list[str] = field(default_factory=list)  # note n is source_notes[n - 1]

    def row_sources(self, row: ResultRow) -> str:
        """A row's sources in full (the annex's column): "(1) Sổ đăng ký: …"."""
        return "; ".join(f"({n}) {self.source_notes[n - 1]}" for _, n in row.source_refs) or "—"

    @property
    def number(self) -> str:
        return self.report.number or "      /BC-SYT"

    @property
    def summary(self) -> str:
        kind = self.plan.get_kind_display().split(" (")[-1].rstrip(")")
        number = self.plan.number if not self.plan.number.startswith("/") else ""
        title = self.plan.title[:1].lower() + self.plan.title[1:]
        head = f"{kind} {f'số {number} ' if number else ''}{title}"
        return f"Kết quả thực hiện {head}\nnăm {self.year}"

    @property
    def as_of_text(self) -> str:
        return timezone.localtime(self.as_of).strftime("%d/%m/%Y %H:%M")


def _province_on(unit: OrgUnit, day: dt.date) -> OrgUnit:
    """The unit, or the unit that took it over by ``day`` (Bắc Giang → Bắc Ninh)."""
    current = unit
    for _ in range(5):
        if current.is_valid_on(day):
            return current
        link = (
            UnitLineage.objects.filter(source=current, is_primary=True)
            .select_related("target")
            .first()
        )
        if link is None:
            return current
        current = link.target
    return current


def _place(unit: OrgUnit) -> str:
    name = unit.name
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _plan_cells(card: Scorecard) -> dict[tuple[str, str], Any]:
    unit = card.plan_unit
    if unit is None:
        return {}
    return {(r.indicator_code, r.population_code): r.cells.get(unit.unit_id) for r in card.rows}


def _document_figure(actuals: list[Observation], year: int, plan: Plan | None = None) -> Figure:
    for obs in actuals:
        if obs.year == year and (obs.value is not None or obs.value_text):
            from mch.web.templatetags.mch_web import observed_text

            plan = plan or obs.plan
            number = plan.number if plan.number and not plan.number.startswith("/") else ""
            kind = plan.get_kind_display().split(" (")[-1].rstrip(")")
            return Figure(
                float(obs.value) if obs.value is not None else None,
                observed_text(obs),
                SOURCE_DOCUMENT,
                f"{SOURCE_DOCUMENT}: số liệu in trong {kind}"
                f"{f' số {number}' if number else ''} của {plan.issuer_name}, dùng khi "
                "không có số liệu từ sổ đăng ký, báo cáo hay điều tra",
            )
    return NO_FIGURE


def source_label(source: str, code: str, data_source: str) -> str:
    """The report's word for a scorecard cell's series (``Cell.source``)."""
    from mch.reported_values import rules as rv

    if source == rv.SURVEY:
        return SOURCE_SURVEY
    if source == rv.APPROVED_AGGREGATE:
        return SOURCE_AGGREGATE
    if source == rv.REPORTED:
        return SOURCE_WORKFORCE if code in rv.WORKFORCE_INDICATORS else SOURCE_POLICY
    return SOURCE_REGISTERS


def _figure(
    cell: Any,
    actuals: list[Observation],
    year: int,
    *,
    code: str,
    version: Any,
    as_of_text: str,
    plan: Plan,
) -> Figure:
    """The scorecard's value (one decimal, as the scorecard shows it) with its series and
    how it was made, else the document's figure."""
    if cell is None or cell.value is None:
        return _document_figure(actuals, year, plan)
    label = source_label(cell.source, code, version.data_source if version else "")
    if label == SOURCE_REGISTERS:
        made = f"phiên bản {version.version}" if version else "định nghĩa hiện hành"
        note = (
            f"{SOURCE_REGISTERS}: hệ thống tính chỉ số “{code}” ({made}) từ sổ đăng ký "
            f"của các cơ sở y tế, số liệu đến {as_of_text}"
        )
    elif label == SOURCE_SURVEY:
        note = f"{SOURCE_SURVEY} (số liệu năm {year}): {cell.detail}"
    elif label == SOURCE_AGGREGATE:
        note = f"{SOURCE_AGGREGATE} năm {year}: {cell.detail or 'các kỳ báo cáo đã duyệt'}"
    else:
        note = f"{label} năm {year}" + (f": {cell.detail}" if cell.detail else "")
    return Figure(cell.value, number_vi(cell.value, 1), label, note)


def _judged_earlier(cell: Any, year: int) -> int | None:
    """The year of the value a status was judged on, when it is not the report's year
    because the year has no figure (the latest survey was of an earlier year)."""
    if cell is None or cell.value is not None:
        return None
    judged = getattr(cell, "judged_year", None)
    return judged if judged is not None and judged != year else None


def _with_notes(rows: list[ResultRow]) -> tuple[list[ResultRow], list[str]]:
    """Number each distinct source note in the order the table meets it."""
    notes: list[str] = []
    out = []
    for row in rows:
        refs: list[tuple[str, int]] = []
        for figure in (row.previous, row.actual):
            if not figure.note:
                continue
            if figure.note not in notes:
                notes.append(figure.note)
            ref = (figure.source, notes.index(figure.note) + 1)
            if ref not in refs:
                refs.append(ref)
        out.append(replace(row, source_refs=tuple(refs)))
    return out, notes


def annual_report_data(
    *, user: Any, plan: Plan, year: int, as_of: dt.datetime | None = None
) -> AnnualReportData:
    from mch.web.templatetags.mch_web import target_text

    as_of = as_of or timezone.now()
    report = AnnualReport.objects.filter(plan=plan, year=year).first() or AnnualReport(
        plan=plan, year=year, **annual_report_defaults(plan=plan)
    )
    card = plan_scorecard(user=user, plan=plan, year=year, as_of=as_of, plan_unit_only=True)
    previous_card = plan_scorecard(
        user=user, plan=plan, year=year - 1, as_of=as_of, plan_unit_only=True
    )
    this_year, last_year = _plan_cells(card), _plan_cells(previous_card)
    target_years, target_rows = plan_target_rows(plan=plan)
    versions = _versions({r.indicator_code for r in target_rows})
    as_of_text = timezone.localtime(as_of).strftime("%d/%m/%Y %H:%M")

    rows: list[ResultRow] = []
    chart_rows: list[tuple[ResultRow, Any]] = []

    def figure_args(row: Any) -> dict[str, Any]:
        code = row.indicator_code
        return {"code": code, "version": versions.get(code), "as_of_text": as_of_text, "plan": plan}

    with translation.override("vi"):
        for number, (row, score) in enumerate(zip(target_rows, card.rows, strict=True), 1):
            key = (score.indicator_code, score.population_code)
            target: Target | None = score.target
            name = row.indicator_name
            if score.population_code != "all":
                name = f"{name} ({row.population})"
            rows.append(
                ResultRow(
                    number=number,
                    objective=row.objective.title if row.objective else "",
                    indicator_code=row.indicator_code,
                    name=name,
                    unit_symbol=row.unit_symbol,
                    previous=_figure(last_year.get(key), row.actuals, year - 1, **figure_args(row)),
                    target_text=target_text(target, row.unit_symbol) if target else "—",
                    target_year=target.year if target else None,
                    actual=_figure(this_year.get(key), row.actuals, year, **figure_args(row)),
                    status=this_year[key].status if this_year.get(key) else "no_data",
                    judged_year=_judged_earlier(this_year.get(key), year),
                    baseline=_document_figure(
                        [*row.actuals, *row.baselines], plan.period_start - 1, plan
                    ),
                    targets_by_year={
                        y: target_text(items[0], row.unit_symbol)
                        for y, items in row.targets.items()
                    },
                )
            )
            if score.population_code == "all" and rows[-1].actual.source == SOURCE_REGISTERS:
                chart_rows.append((rows[-1], row))
    rows, notes = _with_notes(rows)
    chart_rows = [(rows[r.number - 1], row) for r, row in chart_rows]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1

    submitted = submitted_task_reports(plan=plan, year=year)
    by_agency: OrderedDict[int, AgencySummary] = OrderedDict()
    reported = {r.task_id for r in submitted}
    for task in plan.tasks.select_related("agency").order_by("agency__name", "order"):
        summary = by_agency.setdefault(task.agency_id, AgencySummary(task.agency.name, [], []))
        if task.pk in reported:
            summary.reports.append(next(r for r in submitted if r.task_id == task.pk))
        else:
            summary.missing.append(task)

    lines = plan_budget(plan=plan)
    spent_years = list(
        AnnualReport.objects.filter(plan=plan, year__lte=year, budget_spent_vnd__isnull=False)
        .exclude(year=year)
        .values_list("budget_spent_vnd", flat=True)
    )
    spent_total = None
    if report.budget_spent_vnd is not None or spent_years:
        spent_total = sum(int(v) for v in spent_years if v is not None) + (
            report.budget_spent_vnd or 0
        )
    budget = BudgetFigures(
        planned_year=lines.by_year.get(year),
        spent_year=report.budget_spent_vnd,
        planned_total=lines.total,
        spent_total=spent_total,
    )

    cards = {year: this_year, year - 1: last_year}
    trends = _trends(user, plan, year, chart_rows[:TRENDS], as_of, cards)
    actions, visible = _mpdsr_actions(user, plan, year)

    day = report.report_date or timezone.localdate()
    province = _province_on(plan.issuer_unit, day)
    unit = card.plan_unit
    return AnnualReportData(
        plan=plan,
        year=year,
        report=report,
        parent_body=f"UBND {province.name.upper()}",
        issuing_body="SỞ Y TẾ",
        place=_place(province),
        unit_name=unit.name if unit else plan.scope_unit.name,
        unit_note=unit.note if unit else "",
        as_of=as_of,
        rows=rows,
        target_years=target_years,
        agencies=list(by_agency.values()),
        budget=budget,
        budget_lines=lines,
        counts=counts,
        trends=trends,
        mpdsr_actions=actions,
        mpdsr_visible=visible,
        source_notes=notes,
    )


def _versions(codes: set[str]) -> dict[str, Any]:
    """The latest version of each indicator: the one the scorecard computes."""
    from mch.indicators.models import IndicatorVersion

    return {
        v.indicator.code: v
        for v in IndicatorVersion.objects.filter(indicator__code__in=codes)
        .select_related("indicator")
        .order_by("indicator_id", "version")
    }


TRENDS = 4  # key indicators charted: the first ones the registers give
TREND_YEARS = 4


def _trends(
    user: Any,
    plan: Plan,
    year: int,
    chart_rows: list[tuple[ResultRow, Any]],
    as_of: dt.datetime,
    cards: dict[int, dict[tuple[str, str], Any]],
) -> list[Trend]:
    """A few years of each key indicator against its numeric targets: the same scorecard
    cells as the results table (for a dissolved province, the communes now in its area)."""
    if not chart_rows:
        return []
    years = list(range(year - TREND_YEARS + 1, year + 1))
    for y in years:
        if y not in cards:
            card = plan_scorecard(user=user, plan=plan, year=y, as_of=as_of, plan_unit_only=True)
            cards[y] = _plan_cells(card)
    by_year: dict[tuple[str, int], float | None] = {}
    for y in years:
        for (code, population), cell in cards[y].items():
            if population == "all" and cell is not None:
                by_year[(code, y)] = cell.value
    trends = []
    for result, row in chart_rows:
        targets: list[float | None] = []
        for y in years:
            items = [t for t in row.targets.get(y, []) if t.value is not None and not t.change_unit]
            targets.append(float(items[0].value) if items else None)
        documents = [_document_figure(row.actuals, y, plan).value for y in years]
        trends.append(
            Trend(
                title=result.name,
                unit_symbol=result.unit_symbol,
                years=years,
                values=[by_year.get((result.indicator_code, y)) for y in years],
                documents=documents,
                targets=targets,
            )
        )
    return [t for t in trends if t.has_data]


def _mpdsr_actions(user: Any, plan: Plan, year: int) -> tuple[list[Any], bool]:
    """Actions answering the maternal and perinatal death reviews of the plan's territory
    (its unit's area, or the communes that now hold it), set, due or done in the year,
    de-identified (``mch.mpdsr.report_section.year_actions``: only a reader of reviews
    sees them)."""
    from django.db.models import Q

    from mch.indicators.adapter.units import successor_communes
    from mch.mpdsr.report_section import year_actions

    unit = plan.scope_unit
    end = dt.date(year, 12, 31)
    roots = [unit.path]
    if not unit.is_valid_on(end):
        roots += [c.path for c in successor_communes(unit, end)]
    territory = Q()
    for root in roots:
        for death in ("review__death__", "perinatal_review__"):
            for field_name in ("residence_unit", "service_unit", "facility__unit"):
                territory |= Q(**{f"{death}{field_name}__path__startswith": root})
    return year_actions(user=user, year=year, territory=territory)
