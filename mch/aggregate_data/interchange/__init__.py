"""Files in and out: CSV/XLSX of a period's values, ADX (XML) and DHIS2 ``dataValueSets``
JSON. Every parser gives ``services.ImportRow`` lists (imported through
``services.values_import``); every writer reads through ``export_rows``. Codes and their
DHIS2/ADX mapping: docs/aggregate-data.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mch.indicators.engine.periods import Period

from .. import registry
from ..models import PeriodicReport, ReportStatus
from ..periods import period_token
from ..selectors import reports_visible
from ..services import definitions_of


@dataclass(frozen=True)
class ExportGroup:
    report: PeriodicReport
    form: registry.Form
    defs: registry.Definitions
    values: list[tuple[registry.Element, registry.Cell, int]]

    @property
    def token(self) -> str:
        return period_token(
            Period(self.report.period_start, self.report.period_end, self.report.period_kind)
        )


def export_groups(
    *,
    user: Any,
    form_code: str,
    periods: Sequence[Period],
    approved_only: bool = False,
    unit_id: int | None = None,
) -> list[ExportGroup]:
    """The reports of ``form_code`` for ``periods`` that the user sees, with their values
    (``unit_id``: only that unit's, e.g. the province's own report for the national DHIS2)."""
    reports = reports_visible(user=user).filter(
        form_code=form_code, period_start__in=[p.start for p in periods]
    )
    if unit_id is not None:
        reports = reports.filter(unit_id=unit_id)
    if approved_only:
        reports = reports.filter(status=ReportStatus.APPROVED)
    out = []
    for report in reports.order_by("unit__code", "period_start").prefetch_related("values"):
        defs = definitions_of(report.version_id)
        form = defs.form(form_code)
        stored = {(v.element, v.cell): v.value for v in report.values.all()}
        values = [
            (element, cell, stored[(element.code, cell.code)])
            for element in defs.form_elements(form)
            for cell in element.cells
            if (element.code, cell.code) in stored
        ]
        out.append(ExportGroup(report, form, defs, values))
    return out


class FileInvalid(ValueError):
    pass
