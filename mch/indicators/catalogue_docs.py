"""Render the catalogue as Markdown for docs/indicators.md (no Django).

Run ``python -m mch.indicators.catalogue_docs > docs/indicators.md`` after changing a
catalogue file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mch.indicators import registry

DOMAIN_TITLES = {
    "mortality": "Tử vong / Mortality",
    "coverage": "Bao phủ dịch vụ / Service coverage",
    "nutrition": "Dinh dưỡng / Nutrition",
    "behaviour": "Hành vi và kiến thức / Behaviour and knowledge",
    "policy": "Chính sách và hệ thống / Policy and system",
    "workforce": "Nhân lực / Workforce",
}
MULTIPLIER_TEXT = {1: "1 (số đếm)", 100: "100 (%)", 1000: "1.000 (‰)", 100000: "100.000"}

HEADER = """# Indicators

Generated from `mch/indicators/catalogue/*.yaml` by
`python -m mch.indicators.catalogue_docs > docs/indicators.md`; do not edit by hand.
The file format and the list of core codes are in `indicator-catalogue.md`; the loader and
the versioning rules in `mch/indicators/README.md`.

Rules shared by every rate: Σ numerator / Σ denominator over the units and the period (never
an average of unit rates); an event belongs to the period of its date; "women who delivered"
counts deliveries (twins are one delivery); "live births" counts babies. Mortality at commune
level or below a year is shown with counts, a confidence interval and a small-number flag;
routine (register) and survey/census values are separate series.
"""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(catalogue: registry.Catalogue) -> str:
    lines = [HEADER]
    lines.append(
        f"{len(catalogue.indicators)} indicators in {len(catalogue.files)} files "
        f"({', '.join(catalogue.files)}); {len(catalogue.population_groups)} population groups.\n"
    )
    for domain in registry.DOMAINS:
        specs = [s for s in catalogue.indicators if s.domain == domain]
        if not specs:
            continue
        lines.append(f"## {DOMAIN_TITLES[domain]}\n")
        lines.append(
            "| code | tên / name | tử số / numerator | mẫu số / denominator | × | tốt hơn khi / better | nguồn / source | tệp / file |"
        )
        lines.append("|---|---|---|---|---|---|---|---|")
        for s in specs:
            better = "thấp / lower" if s.direction == "lower" else "cao / higher"
            lines.append(
                f"| `{s.code}` | {_cell(s.name_vi)}<br>*{_cell(s.name_en)}* | {_cell(s.numerator)} "
                f"| {_cell(s.denominator) or '—'} | {MULTIPLIER_TEXT[s.multiplier]} | {better} "
                f"| {s.data_source} | {s.source} |"
            )
        lines.append("")
    lines.append("## Definitions and notes\n")
    for s in catalogue.indicators:
        lines.append(f"### `{s.code}` — {s.name_vi}\n")
        lines.append(
            f"*{s.name_en}*. Unit {s.unit_symbol or '(count)'}; disaggregations: "
            f"{', '.join(s.disaggregations) or '—'}.\n"
        )
        for text in (s.definition_vi, s.definition_en, s.notes):
            if text:
                lines.append(_cell(text) + "\n")
    lines.append("## Population groups\n")
    lines.append("| code | tên / name | filter | file |")
    lines.append("|---|---|---|---|")
    for g in catalogue.population_groups:
        lines.append(
            f"| `{g.code}` | {g.name_vi}<br>*{g.name_en}* | `{_json(g.definition)}` | {g.source} |"
        )
    lines.append("")
    lines.append(
        "Filter grammar: `{}` everyone; `{attr: value}` equality; `{attr: {in: [...]}}` or "
        "`{attr: {not_in: [...]}}`; several attributes must all hold; `{any: [filter, ...]}` "
        "one of them holds. An attribute unknown for a record never matches. Unit attributes "
        "(`ethnic_minority_area`, `zone`, `especially_difficult`, `mountainous`) are read as "
        "valid on the event date; `ethnicity` is the person's official ethnic group code "
        "(Kinh = `01`).\n"
    )
    return "\n".join(lines)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    directory = Path(args[0]) if args else None
    sys.stdout.write(render(registry.load_catalogue(directory)))


if __name__ == "__main__":
    main()
