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
    return "\n".join(lines) + EXAMPLES + REGISTER_RULES


# Written by hand, kept at the end of the generated page.
EXAMPLES = """
## Examples: values from the command line and the API

`mch indicators` and `GET /api/indicators/values/` read the same parameters (one parser,
`mch/indicators/query.py`) and return the same rows, always inside the caller's units.

| parameter | values |
|---|---|
| `indicator` | codes, comma-separated: `facility_birth,neonatal_mortality` |
| `unit` | unit codes or ids, comma-separated: `56` (province), `22795` (commune). A code names the unit holding it at the end of the period; a number that is no unit's code is an id. Default: the user's own units |
| `period` | `2026` year · `2026-Q1` quarter · `2026-03` month · `2026-6M`, `2026-9M` first 6 / 9 months · `2021..2025` several years (`Q1/2026`, `03/2026`, `6m/2026`, `2021-2025` are read too) |
| `group` | population groups, comma-separated: `all` (default), `ethnic_minority`, `ethnicity_01`, `kinh+especially_difficult_area` (both at once) |
| `attribution` | `residence` (default: where the person lived) or `service` (where the care was given) |
| `by` | `unit`: one row per commune inside each unit · `group`: one row per population group of the catalogue · `unit,group` |

Each row: `indicator, version, unit_id, unit_code, unit_name, period, period_start,
period_end, group, attribution, numerator, denominator, value, ci_low, ci_high, ci_method,
small_numbers, unit_symbol, as_of, note`. `value` is numerator / denominator × multiplier,
empty without data; `note` says why a value is partial (a split whose share is unknown, a
definition being rebuilt).

```bash
# facility births of every commune of Khánh Hòa in 2025, as a province officer sees them
mch indicators --indicator facility_birth --unit 56 --period 2025 --by unit --user sokhanhhoa

# neonatal and infant mortality, 2021-2025, ethnic minority vs Kinh, as JSON
mch indicators --indicator neonatal_mortality,infant_mortality --unit 56 \\
  --period 2021..2025 --group ethnic_minority,kinh --format json

# the first quarter by place of service
mch indicators --indicator skilled_birth_attendance --unit 22795 --period 2026-Q1 --attribution service
```

```bash
curl -u sokhanhhoa:demo-MCH-2026 \\
  'http://127.0.0.1:8000/api/indicators/values/?indicator=facility_birth&unit=56&period=2025&by=unit'
```

```json
[{"indicator": "facility_birth", "version": 1, "unit_id": 12916, "unit_code": "22411",
  "unit_name": "Phường Bắc Cam Ranh", "period": "2025", "period_start": "2025-01-01",
  "period_end": "2025-12-31", "group": "all", "attribution": "residence",
  "numerator": 14, "denominator": 14, "value": 100.0, "ci_low": 78.47, "ci_high": 100.0,
  "ci_method": "wilson", "small_numbers": true, "unit_symbol": "%",
  "as_of": "2026-12-07T11:04:30+07:00", "note": ""}]
```

Input that cannot be read is refused with 400 and a message per parameter, in Vietnamese
unless English is chosen (`{"period": ["Không hiểu kỳ '2025-13': …"]}`); a unit outside
the caller's units with 403. The command prints the same messages and exits with 1.
`--user` limits the command to that user's units; without it, it sees everything. The
OpenAPI schema (`/api/schema/`, `/api/docs/`) documents every parameter and field.
"""


# Written by hand: the rules of the registers every value above relies on.
REGISTER_RULES = """
## Register rules the values rely on

One rule each, applied identically by the forms, the API and the bulk import
(`mch/registers/rules.py`, `mch/registers/services/child.py`,
`mch/registers/bundle/checks/child.py`); tests: `mch/registers/tests/test_consistency.py`.

- **Plausibility of a length/height or weight.** A value no child can have — a length
  outside 20–230 cm, a weight outside 0.2–200 kg, almost always a slip of unit — refuses
  the record. Every other value is judged against the child's age and sex by WHO's flags
  on the rounded z-score: HAZ outside −6..+6, WAZ outside −6..+5, WHZ and BAZ outside
  −5..+5. A flagged value is kept with the warning `z_implausible`, its classification is
  "implausible", and it is left out of the numerator and denominator of stunting,
  underweight, wasting and overweight. So 152 cm and 41 cm at two years are both kept with
  that warning and neither counts.
- **The last day with z-scores is day 1,826** (1,826 / 30.4375 = 59.99 months; WHO's daily
  tables end there; WHO's older igrowup macros went on to day 1,856). A measurement at
  1,826 days gets its z-scores and no age warning; at 1,827 days it gets no z-scores and
  the warning "5 years or more: no z-scores". The nutrition indicators' under-5 window is
  the same: age 0–1,826 days on the measurement date. Deaths under 5 are a different
  rule: by the calendar fifth birthday (29 February → 1 March).
- **Z-scores are rounded to 2 decimals and classified on the rounded value**, as WHO's
  own software does (R `anthro`, the igrowup macros): prevalence then agrees with WHO's
  tools and with the value a health worker reads on the child's page. An unrounded HAZ of
  −2.0046 is stored as −2.00 and is not stunting (< −2 is false); the implausibility
  flags use the same rounded value.
- **Lying or standing (the 0.7 cm rule).** Under 731 days a child is measured lying; one
  measured standing gets +0.7 cm. From 731 days standing; one measured lying gets
  −0.7 cm. The converted length is used for HAZ, WHZ and BMI, so at 800 days 82.7 cm
  lying is HAZ −2.20 (stunting) and standing −1.99 (not); at 600 days 77.7 cm standing is
  −1.98 (not) and lying −2.23 (stunting). A child under 9 months recorded as standing is
  taken as position unknown (no conversion) and flagged.
- **Which measurement counts.** Each child counts once in a period, with its latest
  measurement of the period that has a plausible z-score for the indicator; an
  implausible (flagged) latest measurement is passed over for the one before it, never
  counted as a deficit.
- **The village of an event** is the one of the person's residence on the event date (the
  `Residence` history), whether or not the commune is named; never her current village
  after a move.
- **Commune classifications by date.** An event takes the classification valid on its
  date: 01/01/2016–03/06/2021 the 2016–2020 list (zones I/II/III by QĐ 582/QĐ-TTg of 2017
  and its amendments); 04/06/2021–31/12/2025 the 2021–2025 lists (QĐ 33/2020/QĐ-TTg,
  QĐ 861/QĐ-TTg); communes of the 2025 map 01/07/2025–31/12/2025 the classification of
  the communes merged into them; from 01/01/2026 the 2026–2030 lists (Nghị định
  272/2025/NĐ-CP, QĐ 60 and 104/QĐ-BDTTG). The lists shipped are demo values (see
  `docs/data-sources.md`); before 01/01/2016 no classification is held and an event has
  no area group.
- **EENC steps** (`eenc`): a live birth in a facility counts when every step listed in the
  indicator's `compute.numerator` was done; the catalogue's default lists the four steps
  (immediate drying, skin-to-skin ≥ 90 minutes, delayed cord clamping, breastfeeding
  within 1 hour). A province changes the steps by editing the definition (a file of the
  catalogue or the admin's "new version"): that is a new version of the indicator, and
  values keep the version they were computed with.
- **Per-population rates** (`under5_injury_mortality`, `compute.denominator:
  {population: "0-4"}`; groups `0`, `1-4`, `0-4`, `15-49`): the denominator is the
  mid-year population of the unit's communes valid on 1 July (`mch import_population`,
  see `docs/data-sources.md`), summed over the years the period touches (person-years for
  several years; a quarter or month uses its year's mid-year population, not annualised).
  If any commune lacks a figure for any of those years the value is empty with the note
  "chưa có số liệu dân số", never a number from part of the area. The population file
  holds communes × year × sex × age group only, so a per-population rate has no
  breakdown by group (ethnic minority vs Kinh, ethnic group, the commune's classification,
  mother's age or education, poverty): such a value is empty with the note "không có
  mẫu số", never a rate over the whole population. A unit of the 2025 map asked for an
  earlier year takes the population of the units it was formed from (shares applied).
  Interval: exact Poisson.
- **Stillbirths and wrong death rows.** Live births are the live-born babies of the
  delivery register, nothing else: registering a person never makes a live birth. A
  death counts in neonatal, infant and under-5 mortality only for a live-born child. A
  death is not a live-born child's when the person is linked to a stillbirth, or has no
  birth record of their own while their mother has a stillbirth dated on their birth
  date — a stillborn baby someone registered as a person and then recorded as dead. Such
  a row counts nowhere (the forms and the import already refuse a death for a person
  linked to a stillbirth, and a stillbirth with a person; the form, the API and the
  import keep such a person with the warning `stillbirth_as_person`, shown on the
  person's page). Twins, one live-born dying on day 0 and one stillborn with such a row:
  one live birth, one neonatal death.
- **A mother who moves between antenatal care and delivery.** Each antenatal visit stays
  in the commune of residence on its date (and at its place of service) in the register.
  ANC4+ (`anc4_3trimesters`) is a property of the woman who delivered: its numerator and
  denominator are the same deliveries, so both go to the commune of residence on the
  delivery date and to the period of the delivery, with all her visits of that pregnancy
  counted, wherever and whenever they happened (visits in 2024 in commune A, delivery in
  January 2025 in commune B: 1/1 for B in 2025, nothing for A in either year). Splitting
  the woman between communes would put her in one commune's numerator and another's
  denominator, and a commune's coverage could exceed 100%.
- **A commune merged mid-year.** Events keep the commune of residence on their date: the
  old communes before the merger, the new one after (people's residence moves on the
  merger date). The new commune's value for any period is the sum of its own events and
  those of the communes it was formed from (lineage, shares); an old commune's values
  stop at the merger date; the province counts each event once. Tested with two
  communes merged on 01/04/2025 (`mch/indicators/tests/test_edge_cases.py`, on the values
  from the records and from the stored cells, and reconciled).
"""


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    directory = Path(args[0]) if args else None
    sys.stdout.write(render(registry.load_catalogue(directory)))


if __name__ == "__main__":
    main()
