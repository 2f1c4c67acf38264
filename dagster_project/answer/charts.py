"""Inline SVG charts for the HTML report: grouped horizontal bars and a heat map.

No library, no script: plain SVG elements with a <title> per mark (the browser
shows it as a tooltip). Sizes follow from the text: label widths are estimated with the
advance widths of DejaVu Sans (Debian's default sans-serif, as wide as Verdana and wider
than Arial, Segoe UI or Roboto), so a label fits in the space reserved for it in any of
these fonts. Text colours are set on the elements themselves (inline style), so no rule
of the page can override them; the number in a heat-map cell is dark or white, whichever
contrasts most with the cell's colour (at least 4.5:1, WCAG AA).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from html import escape

from .model import MISSING, SUPPRESSED_LEGEND, SUPPRESSED_MARK, SUPPRESSED_MEANING, Suppressed

# Colour-blind-safe categorical palette (Okabe-Ito, without black and yellow).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#332288")
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"
INK = "#1d2733"
MUTED_INK = "#5b6775"
WHITE = "#ffffff"
BLACK = "#000000"
NO_DATA_FILL = "#ececec"  # a cell without a figure (a dash)
SUPPRESSED_FILL = "#cfcfcf"  # a cell hidden by disclosure control (x)
SUPPRESSED_NOTE = SUPPRESSED_LEGEND
NO_DATA_MEANING = "geen cijfer"
MIN_CONTRAST = 4.5

Value = float | int | Suppressed | None

# Advance widths of DejaVu Sans in 1/1000 em, characters 32 (space) to 126 (~).
_ASCII_WIDTHS = (
    *(318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337),
    *(636,) * 10,
    *(337, 337, 838, 838, 838, 531, 1000),
    *(684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695),
    *(635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500),
    *(613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411),
    *(521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838),
)
_WIDTHS = {chr(32 + i): w for i, w in enumerate(_ASCII_WIDTHS)} | {
    "\u2013": 500,  # en dash
    "\u2014": 1000,  # em dash
    "\u2026": 1000,  # ellipsis
    "\u00b7": 318,
    "\u00d7": 838,
    "\u20ac": 636,
    "\u2018": 318,
    "\u2019": 318,
}
BOLD = 1.14  # DejaVu Sans Bold is about 13.5 % wider
SAFETY = 1.04


def text_width(text: str, size: float = 12.0, bold: bool = False) -> float:
    """The estimated width in px of ``text`` at ``size`` px: DejaVu Sans, with a margin of 4 %."""
    total = 0
    for ch in text:
        width = _WIDTHS.get(ch)
        if width is None:  # an accented letter as its base letter; anything else as wide
            width = _WIDTHS.get(unicodedata.normalize("NFKD", ch)[:1], 1000)
        total += width
    return total / 1000 * size * (BOLD if bold else 1.0) * SAFETY


def wrap(text: str, max_width: float, size: float = 12.0, max_lines: int = 2) -> list[str]:
    """``text`` in lines of at most ``max_width`` px (a single longer word keeps its own line);
    beyond ``max_lines`` the last line ends in an ellipsis (the full text is in the tooltip)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        words = " ".join(lines[max_lines - 1 :]).split()
        while len(words) > 1 and text_width(" ".join(words) + "\u2026", size) > max_width:
            words.pop()  # drop whole words; a single word too long stays whole
        lines = [*lines[: max_lines - 1], " ".join(words).rstrip(",;:") + "\u2026"]
    return lines or [""]


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2) of a #rrggbb colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """Contrast ratio (WCAG 2) of two #rrggbb colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: str) -> str:
    """Dark ink or white on ``fill``, whichever contrasts most; black or white near the middle of
    the ramp, where the ink would come close to 4.5:1 (black or white always reaches 4.58:1)."""
    best = max((INK, WHITE), key=lambda c: contrast(c, fill))
    if contrast(best, fill) >= MIN_CONTRAST + 0.25:
        return best
    return max((BLACK, WHITE), key=lambda c: contrast(c, fill))


def _svg(width: float, height: float, label: str, body: list[str], kind: str) -> str:
    return (
        f'<svg class="chart {kind}" role="img" aria-label="{escape(label)}" '
        f'width="{math.ceil(width)}" height="{math.ceil(height)}" '
        f'viewBox="0 0 {math.ceil(width)} {math.ceil(height)}" '
        f'style="{FONT};font-size:12px;fill:{INK}">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )


def _text(
    x: float, y: float, text: str, anchor: str = "start", size: float | None = None, colour: str | None = None
) -> str:
    style = ";".join(
        s for s in (f"font-size:{size:g}px" if size else "", f"fill:{colour}" if colour else "") if s
    )
    extra = f' style="{style}"' if style else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#666"/>'


def _lines(x: float, y_mid: float, lines: Sequence[str], anchor: str, tip: str, line_h: float = 13.0) -> str:
    """A label of one or more lines, vertically centred on ``y_mid`` (12 px text)."""
    y0 = y_mid + 4 - (len(lines) - 1) * line_h / 2
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y0 + i * line_h:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text class="label" text-anchor="{anchor}"><title>{escape(tip)}</title>{spans}</text>'


def _numbers(values: Sequence[Sequence[Value]]) -> list[float]:
    return [float(v) for row in values for v in row if v is not None and not isinstance(v, Suppressed)]


def _has_suppressed(values: Sequence[Sequence[Value]]) -> bool:
    return any(isinstance(v, Suppressed) for row in values for v in row)


def grouped_bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[Value]],
    fmt: Callable[[Value], str],
    *,
    muted: Sequence[str] = (),
    width: int = 760,
    max_label: float = 240.0,
) -> str:
    """Horizontal bars: one group per category (e.g. province), one bar per series (e.g. year);
    ``values[i][j]`` is the value of category i and series j.

    Muted series (provisional years) are drawn lighter with a dashed outline. A suppressed value
    has no bar: an ``x`` marks its place and a line under the legend explains it. Category labels
    longer than ``max_label`` px wrap onto a second line.
    """
    bar, gap, group_gap, line_h = 11, 2, 12, 13
    labels = [wrap(c, max_label) for c in categories]
    label_w = max((text_width(line) for lines in labels for line in lines), default=24.0) + 16
    value_w = max((text_width(fmt(v), 10) for row in values for v in row), default=20.0) + 8
    plot_w = max(width - label_w - value_w - 10, 120.0)
    width = max(width, label_w + plot_w + value_w + 10)
    # Legend: swatches and series names, wrapped over as many rows as needed.
    legend: list[tuple[float, float, int, str]] = []
    x, y = 10.0, 14.0
    for i, s in enumerate(series):
        w = text_width(s) + 34
        if x > 10 and x + w > width - 10:
            x, y = 10.0, y + 18
        legend.append((x, y, i, s))
        x += w
    suppressed = _has_suppressed(values)
    if suppressed:
        y += 18
    top = y + 14
    groups = [max(len(series) * (bar + gap) - gap, len(lines) * line_h) for lines in labels]
    height = top + sum(g + group_gap for g in groups) + 8
    vmax = max(_numbers(values), default=0.0) or 1.0
    body = []
    for x, y, i, s in legend:
        style = _bar_style(i, s in muted)
        body.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="14" height="10" {style}/>')
        body.append(_text(x + 18, y, s))
    if suppressed:
        body.append(_text(10, y + 18, SUPPRESSED_NOTE, size=11))
    gy = top
    for gi, cat in enumerate(categories):
        group_h = len(series) * (bar + gap) - gap
        first = gy + (groups[gi] - group_h) / 2
        body.append(_lines(label_w - 8, gy + groups[gi] / 2, labels[gi], "end", cat))
        for si, s in enumerate(series):
            v = values[gi][si]
            by = first + si * (bar + gap)
            tip = escape(f"{cat}, {s}: {fmt(v)}")
            if isinstance(v, Suppressed):
                body.append(
                    f'<rect x="{label_w:.1f}" y="{by:.1f}" width="12" height="{bar}" '
                    f'fill="{SUPPRESSED_FILL}"><title>{tip} ({SUPPRESSED_MEANING})</title></rect>'
                )
                body.append(_text(label_w + 6, by + bar - 2, fmt(v), "middle", 10, INK))
                continue
            w = 0.0 if v is None else max(float(v) / vmax * plot_w, 0.0)
            body.append(
                f'<rect x="{label_w:.1f}" y="{by:.1f}" width="{w:.1f}" height="{bar}" '
                f"{_bar_style(si, s in muted)}><title>{tip}</title></rect>"
            )
            body.append(_text(label_w + w + 4, by + bar - 2, fmt(v), size=10, colour="#333333"))
        gy += groups[gi] + group_gap
    body.append(_line(label_w, top - 4, label_w, height - 6))
    return _svg(width, height, title, body, "bars")


def _bar_style(index: int, muted: bool) -> str:
    colour = PALETTE[index % len(PALETTE)]
    if muted:
        return f'fill="{colour}" fill-opacity="0.35" stroke="{colour}" stroke-dasharray="3 2"'
    return f'fill="{colour}"'


def _shade(t: float) -> str:
    """White (t = 0) to dark blue (t = 1)."""
    lo, hi = (247, 251, 255), (8, 48, 107)
    t = min(max(t, 0.0), 1.0)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(lo, hi, strict=True))


def _nice(value: float) -> float:
    """``value`` rounded to 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8 or 10 times a power of ten."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    steps = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 10)
    return min(steps, key=lambda s: abs(s * power - value)) * power


def _ticks(vmax: float, kind: str, sqrt_scale: bool) -> list[float]:
    """Values to label on the colour legend: 0, the maximum, and three rounded values between,
    evenly spread over the colour ramp."""
    unit = 0.01 if kind == "pct" else 1.0  # percentages: round in whole percents
    ticks = [0.0]
    for f in (0.25, 0.5, 0.75):
        v = vmax * (f * f if sqrt_scale else f)
        nice = _nice(v / unit) * unit
        if kind != "pct":
            nice = float(round(nice))
        if ticks[-1] < nice < vmax * 0.9:
            ticks.append(nice)
    return [*ticks, vmax]


def _colour_legend(
    x0: float,
    y0: float,
    vmax: float | None,
    kind: str,
    sqrt_scale: bool,
    fmt: Callable[[Value], str],
    notes: Sequence[tuple[str, str, str]],
) -> tuple[list[str], float, float]:
    """The colour ramp with labelled ticks (when there are figures), then a swatch per kind of grey
    cell present: the SVG elements, their width and height."""
    ramp_w, ramp_h, steps = 240.0, 10.0, 40
    body = [_text(x0, y0 + 9, "kleur:", size=11, colour=MUTED_INK)]
    rx = x0 + text_width("kleur:", 11) + 8
    right, height = rx, 0.0
    if vmax:
        for k in range(steps):
            body.append(
                f'<rect class="ramp" x="{rx + k * ramp_w / steps:.2f}" y="{y0:.1f}" '
                f'width="{ramp_w / steps + 0.3:.2f}" height="{ramp_h}" fill="{_shade((k + 0.5) / steps)}"/>'
            )
        body.append(
            f'<rect x="{rx:.1f}" y="{y0:.1f}" width="{ramp_w}" height="{ramp_h}" fill="none" stroke="#999"/>'
        )
        ticks: list[tuple[float, str, float]] = []  # position, label, half its width
        for value in _ticks(vmax, kind, sqrt_scale):
            t = value / vmax
            tick = (rx + (t**0.5 if sqrt_scale else t) * ramp_w, fmt(value), text_width(fmt(value), 11) / 2)
            while ticks and ticks[-1][0] + ticks[-1][2] + 4 > tick[0] - tick[2]:
                ticks.pop()  # too close to this one (the maximum is always labelled)
            ticks.append(tick)
        for tx, label, half in ticks:
            body.append(_line(tx, y0 + ramp_h, tx, y0 + ramp_h + 3))
            body.append(_text(tx, y0 + ramp_h + 14, label, "middle", 11, INK))
            right = max(right, rx + ramp_w, tx + half)
        height = ramp_h + 18
    for fill, mark, text in notes:
        y = y0 + height + (4 if height else 0)
        body.append(
            f'<g class="cell"><rect x="{rx:.1f}" y="{y:.1f}" width="24" height="14" fill="{fill}" '
            f'stroke="#999"/>{_text(rx + 12, y + 11, mark, "middle", 11, text_colour(fill))}</g>'
        )
        body.append(_text(rx + 30, y + 11, text, size=11, colour=INK))
        right = max(right, rx + 30 + text_width(text, 11))
        height = y - y0 + 14
    return body, right - x0, height


def heatmap(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[Value]],
    fmt: Callable[[Value], str],
    *,
    row_tips: Sequence[str] | None = None,
    cell_w: int = 66,
    cell_h: int = 20,
    max_label: float = 250.0,
    sqrt_scale: bool = False,
    kind: str = "int",
) -> str:
    """Rows x columns of cells shaded by value (0 white, the maximum dark blue), value printed in
    the cell, with a colour legend under the cells.

    ``values[i][j]`` is the value of row i and column j; None is drawn light grey with a dash, a
    suppressed value grey with an x. With ``sqrt_scale`` the shade follows the square root of the
    value, so that small counts stay visible next to one large one. Row labels longer than
    ``max_label`` px wrap onto a second line (all rows then get room for two).
    """
    sin, cos = math.sin(math.radians(35)), math.cos(math.radians(35))
    labels = [wrap(r, max_label) for r in rows]
    if any(len(lines) > 1 for lines in labels):
        cell_h = max(cell_h, 30)
    label_w = max((text_width(line) for lines in labels for line in lines), default=24.0) + 16
    cell_w = max(cell_w, round(max((text_width(fmt(v), 11) for r in values for v in r), default=0) + 10))
    col_w = [text_width(c) for c in columns]
    header_h = max((w * sin for w in col_w), default=0.0) + 16
    grid_right = label_w + len(columns) * cell_w
    right = max(
        (label_w + j * cell_w + cell_w / 2 + w * cos + 4 for j, w in enumerate(col_w)), default=grid_right
    )
    grid_bottom = header_h + len(rows) * cell_h
    numbers = _numbers(values)
    vmax = max(numbers, default=0.0) or 1.0
    body = []
    for j, col in enumerate(columns):
        cx = label_w + j * cell_w + cell_w / 2
        body.append(
            f'<text x="{cx:.1f}" y="{header_h - 6:.1f}" text-anchor="start" '
            f'transform="rotate(-35 {cx:.1f} {header_h - 6:.1f})">{escape(col)}</text>'
        )
    for i, lines in enumerate(labels):
        y = header_h + i * cell_h
        tip = (row_tips or rows)[i]
        body.append(_lines(label_w - 8, y + cell_h / 2, lines, "end", tip))
        for j, col in enumerate(columns):
            v = values[i][j]
            if isinstance(v, Suppressed):
                fill, state = SUPPRESSED_FILL, f" ({SUPPRESSED_MEANING})"
            elif v is None:
                fill, state = NO_DATA_FILL, ""
            else:
                t = max(float(v), 0.0) / vmax
                fill, state = _shade(t**0.5 if sqrt_scale else t), ""
            x = label_w + j * cell_w
            cell_tip = escape(f"{tip}, {col}: {fmt(v)}{state}")
            body.append(
                f'<g class="cell"><rect x="{x:.1f}" y="{y:.1f}" width="{cell_w}" height="{cell_h}" '
                f'fill="{fill}" stroke="#fff"><title>{cell_tip}</title></rect>'
                + _text(x + cell_w / 2, y + cell_h / 2 + 4, fmt(v), "middle", 11, text_colour(fill))
                + "</g>"
            )
    notes = []
    flat = [v for r in values for v in r]
    if any(v is None for v in flat):
        notes.append((NO_DATA_FILL, MISSING, NO_DATA_MEANING))
    if any(isinstance(v, Suppressed) for v in flat):
        notes.append((SUPPRESSED_FILL, SUPPRESSED_MARK, SUPPRESSED_MEANING))
    legend, legend_w, legend_h = _colour_legend(
        label_w, grid_bottom + 14, vmax if numbers else None, kind, sqrt_scale, fmt, notes
    )
    body += legend
    width = max(right, grid_right, label_w + legend_w) + 8
    height = grid_bottom + 14 + legend_h + 6
    return _svg(width, height, title, body, "heatmap")
