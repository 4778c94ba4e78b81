"""Charts as SVG text, drawn from plain values: the same picture on the page, in the SVG
and PNG downloads and in the PDF report, with no script and no external resource.

Every chart is an `<svg role="img">` with a `<title>` and a `<desc>`; the pages put the
data table beside it, so nothing is known only from the picture. Text is escaped; the
font family is a parameter, so the PDF can name the font it embeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

DEFAULT_FONT = "'IPAexGothic', 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif"
# A qualitative palette readable by people with the common colour-vision deficiencies
# (Okabe–Ito), then greys for the rest.
PALETTE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#666666",
    "#BBBBBB",
)
FLAG_COLOR = "#C00000"


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _pct(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    number = Decimal(str(value)).normalize()
    return f"{number:f}%"


def _shade(share: Decimal | None) -> str:
    """White (0 %) to deep red (100 %)."""
    if share is None:
        return "#F4F4F4"
    t = max(0.0, min(1.0, float(share) / 100))
    red = round(255 - t * (255 - 160))
    green_blue = round(255 - t * 255)
    return f"#{red:02X}{green_blue:02X}{green_blue:02X}"


@dataclass(frozen=True)
class MatrixCell:
    share: Decimal | None
    flagged: bool = False


@dataclass
class Matrix:
    """Rows (sectors) × columns (countries) of shares, some flagged 特定国依存."""

    title: str
    description: str
    rows: list[str]
    columns: list[str]
    cells: dict[tuple[int, int], MatrixCell] = field(default_factory=dict)
    flag_label: str = ""


def matrix_svg(matrix: Matrix, *, font_family: str = DEFAULT_FONT) -> str:
    label_width, cell_w, cell_h, top = 200, 64, 34, 96
    width = label_width + cell_w * max(len(matrix.columns), 1) + 20
    height = top + cell_h * max(len(matrix.rows), 1) + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{_text(font_family)}" font-size="12">',
        f"<title>{_text(matrix.title)}</title><desc>{_text(matrix.description)}</desc>",
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
        f'<text x="10" y="22" font-size="15" font-weight="bold">{_text(matrix.title)}</text>',
    ]
    for j, column in enumerate(matrix.columns):
        x = label_width + j * cell_w + cell_w / 2
        parts.append(
            f'<text x="{x:.0f}" y="{top - 10}" text-anchor="middle">{_text(column)}</text>'
        )
    for i, row in enumerate(matrix.rows):
        y = top + i * cell_h
        parts.append(f'<text x="10" y="{y + cell_h / 2 + 4:.0f}">{_text(row)}</text>')
        for j in range(len(matrix.columns)):
            cell = matrix.cells.get((i, j), MatrixCell(None))
            x = label_width + j * cell_w
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{_shade(cell.share)}" stroke="#DDDDDD"/>'
            )
            if cell.share is None:
                continue
            dark = float(cell.share) >= 55
            parts.append(
                f'<text x="{x + cell_w / 2 - 1:.0f}" y="{y + cell_h / 2 + 4:.0f}" '
                f'text-anchor="middle" fill="{"#FFFFFF" if dark else "#000000"}">'
                f"{_text(_pct(cell.share))}</text>"
            )
            if cell.flagged:
                # The plan's own picture: a red dot marks a sector dependent on one country.
                parts.append(
                    f'<circle cx="{x + cell_w - 10}" cy="{y + 8}" r="5" fill="{FLAG_COLOR}" '
                    'stroke="#FFFFFF" stroke-width="1.5"/>'
                )
    legend_y = top + cell_h * max(len(matrix.rows), 1) + 24
    parts.append(
        f'<circle cx="16" cy="{legend_y - 4}" r="5" fill="{FLAG_COLOR}"/>'
        f'<text x="28" y="{legend_y}">{_text(matrix.flag_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class Series:
    name: str
    values: dict[int, Decimal]  # year → share


@dataclass
class ShareBars:
    """One product: its suppliers' shares, stacked per year, with the threshold line."""

    title: str
    description: str
    years: list[int]
    series: list[Series]
    threshold: Decimal
    threshold_label: str = ""
    axis_label: str = "%"


def share_bars_svg(chart: ShareBars, *, font_family: str = DEFAULT_FONT) -> str:
    left, top, plot_h, bar_w, gap = 56, 48, 240, 44, 28
    plot_w = max(len(chart.years), 1) * (bar_w + gap) + gap
    legend_x = left + plot_w + 24
    width = legend_x + 190
    height = top + plot_h + 56
    scale = plot_h / 100

    def y_of(pct: float) -> float:
        return top + plot_h - pct * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{_text(font_family)}" font-size="12">',
        f"<title>{_text(chart.title)}</title><desc>{_text(chart.description)}</desc>",
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
        f'<text x="10" y="22" font-size="15" font-weight="bold">{_text(chart.title)}</text>',
    ]
    for tick in range(0, 101, 25):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#E0E0E0"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}%</text>'
        )
    colors = {s.name: PALETTE[i % len(PALETTE)] for i, s in enumerate(chart.series)}
    for k, year in enumerate(chart.years):
        x = left + gap + k * (bar_w + gap)
        base = 0.0
        for s in chart.series:
            share = s.values.get(year)
            if not share:
                continue
            h = float(share) * scale
            parts.append(
                f'<rect x="{x}" y="{y_of(base) - h:.1f}" width="{bar_w}" height="{h:.1f}" '
                f'fill="{colors[s.name]}" stroke="#FFFFFF"><title>{_text(s.name)} {year}: '
                f"{_text(_pct(share))}</title></rect>"
            )
            if h >= 14:
                parts.append(
                    f'<text x="{x + bar_w / 2}" y="{y_of(base) - h / 2 + 4:.1f}" '
                    f'text-anchor="middle" font-size="10">{_text(_pct(share))}</text>'
                )
            base += float(share)
        parts.append(
            f'<text x="{x + bar_w / 2}" y="{top + plot_h + 18}" text-anchor="middle">{year}</text>'
        )
    threshold_y = y_of(float(chart.threshold))
    parts.append(
        f'<line x1="{left}" y1="{threshold_y:.1f}" x2="{left + plot_w}" y2="{threshold_y:.1f}" '
        f'stroke="{FLAG_COLOR}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{left + plot_w + 4}" y="{threshold_y + 4:.1f}" fill="{FLAG_COLOR}" '
        f'font-size="11">{_text(chart.threshold_label)}</text>'
    )
    for i, s in enumerate(chart.series):
        y = top + 24 + i * 20
        parts.append(
            f'<rect x="{legend_x}" y="{y - 10}" width="12" height="12" fill="{colors[s.name]}"/>'
            f'<text x="{legend_x + 18}" y="{y}">{_text(s.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def series_from_rows(
    rows: Sequence[tuple[str, int, Decimal]], *, top: int = 6, others: str = "…"
) -> list[Series]:
    """(country name, year, share) rows as series, the largest suppliers first; countries
    beyond `top` are drawn together as one last series named `others`."""
    by_country: dict[str, dict[int, Decimal]] = {}
    for name, year, share in rows:
        by_country.setdefault(name, {})[year] = share
    ranked = sorted(by_country.items(), key=lambda item: -max(item[1].values(), default=0))
    return [Series(name, values) for name, values in ranked[:top]] + (
        [] if len(ranked) <= top else _rest(ranked[top:], others)
    )


def _rest(items: list[tuple[str, dict[int, Decimal]]], others: str) -> list[Series]:
    total: dict[int, Decimal] = {}
    for _name, values in items:
        for year, share in values.items():
            total[year] = total.get(year, Decimal(0)) + share
    return [Series(others, total)]
