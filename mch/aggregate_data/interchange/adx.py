"""ADX (IHE QRPH Aggregate Data Exchange, namespace urn:ihe:qrph:adx:2015).

One ``group`` per report: ``orgUnit`` (unit code), ``period`` (ISO 8601 start/duration:
``2026-03-01/P1M``, ``/P3M``, ``/P6M``, ``/P9M``, ``/P1Y``), ``dataSet`` (form's DHIS2
code), ``completeDate`` (approval or submission day). One ``dataValue`` per cell:
``dataElement`` (element's DHIS2 code) and one attribute per category (category code =
option code), then ``value``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from lxml import etree

from .. import registry
from ..periods import period_token
from ..services import ImportRow
from . import ExportGroup, FileInvalid

NS = "urn:ihe:qrph:adx:2015"
DURATIONS = {"month": "P1M", "quarter": "P3M", "half": "P6M", "9m": "P9M", "year": "P1Y"}
_KIND = {v: k for k, v in DURATIONS.items()}


def adx_period(group: ExportGroup) -> str:
    return f"{group.report.period_start.isoformat()}/{DURATIONS[group.report.period_kind]}"


def adx_write(groups: Sequence[ExportGroup], *, exported: dt.datetime) -> bytes:
    root = etree.Element(f"{{{NS}}}adx", nsmap={None: NS})
    root.set("exported", exported.replace(microsecond=0).isoformat())
    for group in groups:
        report = group.report
        node = etree.SubElement(root, f"{{{NS}}}group")
        node.set("orgUnit", report.unit.code)
        node.set("period", adx_period(group))
        node.set("dataSet", group.form.dhis2)
        done = report.approved_at or report.submitted_at
        if done is not None:
            node.set("completeDate", done.date().isoformat())
        for element, cell, value in group.values:
            dv = etree.SubElement(node, f"{{{NS}}}dataValue")
            dv.set("dataElement", element.dhis2)
            for category, option in zip(element.categories, cell.options, strict=True):
                dv.set(category.dhis2, option.dhis2)
            dv.set("value", str(value))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _parser() -> etree.XMLParser:
    # No entities, no network, no huge trees: a file from outside cannot reach anything.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _token(period: str, where: str) -> str:
    try:
        start_text, duration = period.split("/")
        start = dt.date.fromisoformat(start_text)
        kind = _KIND[duration]
    except (ValueError, KeyError):
        raise FileInvalid(
            f"{where}: kỳ ADX '{period}' không hợp lệ (ví dụ 2026-03-01/P1M)"
        ) from None
    from mch.indicators.engine.periods import Period

    if kind == "month":
        return period_token(Period.month(start.year, start.month))
    if kind == "quarter":
        return period_token(Period.quarter(start.year, (start.month + 2) // 3))
    return period_token(
        {
            "half": Period.first_months(start.year, 6),
            "9m": Period.first_months(start.year, 9),
            "year": Period.year(start.year),
        }[kind]
    )


def adx_read(content: bytes, defs: registry.Definitions) -> list[ImportRow]:
    try:
        root = etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise FileInvalid(f"Tệp ADX không phải XML hợp lệ: {exc}") from exc
    if root.tag != f"{{{NS}}}adx":
        raise FileInvalid("Tệp không phải ADX (thiếu phần tử adx của urn:ihe:qrph:adx:2015)")
    forms = {f.dhis2: f for f in defs.forms.values()}
    elements = {e.dhis2: e for e in defs.elements.values()}
    rows: list[ImportRow] = []
    for g, group in enumerate(root.iter(f"{{{NS}}}group"), 1):
        where = f"nhóm {g}"
        form = forms.get(group.get("dataSet", ""))
        if form is None:
            raise FileInvalid(f"{where}: không có biểu mẫu mã DHIS2 '{group.get('dataSet')}'")
        token = _token(group.get("period", ""), where)
        for v, node in enumerate(group.iter(f"{{{NS}}}dataValue"), 1):
            line = f"{g}.{v}"
            code = node.get("dataElement", "")
            element = elements.get(code)
            cell = _cell_from_attrs(element, dict(node.attrib)) if element else ""
            rows.append(
                ImportRow(
                    line=line,
                    form=form.code,
                    unit=group.get("orgUnit", ""),
                    period=token,
                    element=element.code if element else code,
                    cell=cell,
                    value=node.get("value"),
                )
            )
    return rows


def _cell_from_attrs(element: registry.Element, attrs: dict[str, Any]) -> str:
    if not element.categories:
        return registry.TOTAL
    parts = []
    for category in element.categories:
        wanted = attrs.get(category.dhis2)
        option = next((o for o in category.options if o.dhis2 == wanted), None)
        parts.append(option.code if option else f"?{category.dhis2}={wanted}")
    return ".".join(parts)
