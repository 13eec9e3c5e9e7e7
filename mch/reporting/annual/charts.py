"""Trend charts of the report: a few years of the key indicators against their targets.

Drawn as SVG in plain Python (no plotting library: the project has none, and a line of a few
points with its target needs little); the HTML/PDF embed the SVG, the .docx gets the same
SVG rasterised to PNG by the Chromium that prints the PDF (``pdf.svgs_to_png``)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from mch.documents.official import number_vi

WIDTH, HEIGHT = 620, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 34, 40


@dataclass(frozen=True)
class Trend:
    title: str
    unit_symbol: str
    years: list[int]
    values: list[float | None]  # the engine's (registers) value per year
    documents: list[float | None]  # the plan document's figure, where the registers give none
    targets: list[float | None]  # the plan's target per year (numeric ones only)

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in (*self.values, *self.documents))


def _ticks(low: float, high: float) -> list[float]:
    span = high - low or 1.0
    raw = span / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10, 20, 50) if m * magnitude >= raw)
    start = (low // step) * step
    ticks, value = [], start
    while value <= high + step * 0.01:
        ticks.append(round(value, 6))
        value += step
    return ticks


def trend_svg(trend: Trend) -> str:
    """The chart as a standalone SVG (fonts: Liberation Serif ~ Times New Roman)."""
    numbers = [v for v in (*trend.values, *trend.documents, *trend.targets) if v is not None]
    low = min([0.0, *numbers])
    high = max(numbers) * 1.1 if numbers and max(numbers) > 0 else 1.0
    ticks = _ticks(low, high)
    high = max(high, ticks[-1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(trend.years)

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / ((high - low) or 1))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Liberation Serif, Times New Roman, serif" '
        'font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{LEFT}" y="18" font-size="13" font-weight="bold">'
        f"{escape(trend.title)} ({escape(trend.unit_symbol)})</text>",
    ]
    for t in ticks:
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{number_vi(t, 1)}</text>'
        )
    for i, year in enumerate(trend.years):
        out.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{year}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        'stroke="#000"/>'
    )

    def polyline(series: list[float | None], style: str) -> None:
        points = [(x(i), y(v)) for i, v in enumerate(series) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            out.append(f'<polyline points="{path}" fill="none" {style}/>')

    polyline(trend.targets, 'stroke="#b03a2e" stroke-width="2" stroke-dasharray="6 4"')
    for i, v in enumerate(trend.targets):
        if v is not None:
            out.append(
                f'<rect x="{x(i) - 4:.1f}" y="{y(v) - 4:.1f}" width="8" height="8" fill="#b03a2e"/>'
            )
    polyline(trend.values, 'stroke="#0b4f8a" stroke-width="2.5"')
    for i, v in enumerate(trend.values):
        if v is not None:
            out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4.5" fill="#0b4f8a"/>')
            out.append(
                f'<text x="{x(i):.1f}" y="{y(v) - 9:.1f}" text-anchor="middle" '
                f'fill="#0b4f8a">{number_vi(v, 1)}</text>'
            )
    for i, v in enumerate(trend.documents):
        if v is not None and trend.values[i] is None:
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4.5" fill="#fff" '
                'stroke="#0b4f8a" stroke-width="2"/>'
                f'<text x="{x(i):.1f}" y="{y(v) - 9:.1f}" text-anchor="middle" '
                f'fill="#0b4f8a">{number_vi(v, 1)}</text>'
            )
    legend_x = LEFT + plot_w + 16
    out.append(
        f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{TOP + 10}" y2="{TOP + 10}" '
        'stroke="#0b4f8a" stroke-width="2.5"/>'
        f'<circle cx="{legend_x + 11}" cy="{TOP + 10}" r="4" fill="#0b4f8a"/>'
        f'<text x="{legend_x + 28}" y="{TOP + 14}">Thực hiện (sổ)</text>'
        f'<circle cx="{legend_x + 11}" cy="{TOP + 32}" r="4" fill="#fff" stroke="#0b4f8a" '
        'stroke-width="2"/>'
        f'<text x="{legend_x + 28}" y="{TOP + 36}">Văn bản kế hoạch</text>'
        f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{TOP + 54}" y2="{TOP + 54}" '
        'stroke="#b03a2e" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<rect x="{legend_x + 7}" y="{TOP + 50}" width="8" height="8" fill="#b03a2e"/>'
        f'<text x="{legend_x + 28}" y="{TOP + 58}">Chỉ tiêu</text>'
    )
    out.append("</svg>")
    return "".join(out)
