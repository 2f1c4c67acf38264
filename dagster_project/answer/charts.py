"""Inline SVG charts for the HTML report: grouped horizontal bars and a heat map.

No library, no script: plain SVG elements with a <title> per mark (the browser
shows it as a tooltip). Sizes are estimated from the label lengths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

# Colour-blind-safe categorical palette (Okabe-Ito, without black and yellow).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#332288")
CHAR_WIDTH = 6.6  # px per character of the 12px sans-serif labels (an estimate)
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"

Value = float | int | None


def _svg(width: float, height: float, label: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" role="img" aria-label="{escape(label)}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'style="{FONT};font-size:12px">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def grouped_bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[Value]],
    fmt: Callable[[Value], str],
    *,
    muted: Sequence[str] = (),
    width: int = 760,
) -> str:
    """Horizontal bars: one group per category (e.g. province), one bar per series (e.g. year);
    ``values[i][j]`` is the value of category i and series j.

    Muted series (provisional years) are drawn lighter and hatched with a dashed outline.
    """
    bar, gap, group_gap = 11, 2, 12
    label_w = max((len(c) for c in categories), default=4) * CHAR_WIDTH + 12
    legend_rows = 1 + int(sum(len(s) * CHAR_WIDTH + 34 for s in series) // (width - 20))
    top = 10 + 18 * legend_rows
    group_h = len(series) * (bar + gap) - gap
    height = top + len(categories) * (group_h + group_gap) + 8
    vmax = max((float(v) for row in values for v in row if v is not None), default=0.0) or 1.0
    plot_w = width - label_w - 70
    body = []
    # Legend.
    x, y = 10.0, 14.0
    for i, s in enumerate(series):
        w = len(s) * CHAR_WIDTH + 34
        if x + w > width - 10:
            x, y = 10.0, y + 18
        style = _bar_style(i, s in muted)
        body.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="14" height="10" {style}/>')
        body.append(_text(x + 18, y, s))
        x += w
    # Groups.
    for gi, cat in enumerate(categories):
        gy = top + gi * (group_h + group_gap)
        body.append(_text(label_w - 8, gy + group_h / 2 + 4, cat, "end"))
        for si, s in enumerate(series):
            v = values[gi][si]
            by = gy + si * (bar + gap)
            w = 0.0 if v is None else max(float(v) / vmax * plot_w, 0.0)
            tip = f"{cat}, {s}: {fmt(v)}"
            body.append(
                f'<rect x="{label_w:.1f}" y="{by:.1f}" width="{w:.1f}" height="{bar}" '
                f"{_bar_style(si, s in muted)}><title>{escape(tip)}</title></rect>"
            )
            body.append(_text(label_w + w + 4, by + bar - 2, fmt(v), extra=' font-size="10" fill="#333"'))
    body.append(
        f'<line x1="{label_w:.1f}" y1="{top - 4}" x2="{label_w:.1f}" y2="{height - 6:.0f}" stroke="#666"/>'
    )
    return _svg(width, height, title, body)


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
    max_label: int = 44,
    sqrt_scale: bool = False,
) -> str:
    """Rows x columns of cells shaded by value (0 white, the maximum dark blue), value printed in the cell.

    ``values[i][j]`` is the value of row i and column j; None is drawn grey with a dash. With
    ``sqrt_scale`` the shade follows the square root of the value, so that small counts stay visible
    next to one large one.
    """
    labels = [r if len(r) <= max_label else r[: max_label - 1].rstrip() + "…" for r in rows]
    label_w = max((len(r) for r in labels), default=4) * CHAR_WIDTH + 12
    header_h = max((len(c) for c in columns), default=4) * CHAR_WIDTH * 0.6 + 16
    longest = max((len(c) for c in columns), default=4) * CHAR_WIDTH
    width = label_w + len(columns) * cell_w + longest * 0.82
    height = header_h + len(rows) * cell_h + 10
    vmax = max((float(v) for row in values for v in row if v is not None), default=0.0) or 1.0
    body = []
    for j, col in enumerate(columns):
        cx = label_w + j * cell_w + cell_w / 2
        body.append(
            _text(cx, header_h - 6, col, extra=f' transform="rotate(-35 {cx:.1f} {header_h - 6:.1f})"')
        )
    for i, label in enumerate(labels):
        y = header_h + i * cell_h
        tip = (row_tips or rows)[i]
        body.append(
            f'<text x="{label_w - 8:.1f}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end">'
            f"<title>{escape(tip)}</title>{escape(label)}</text>"
        )
        for j, col in enumerate(columns):
            v = values[i][j]
            t = 0.0 if v is None else max(float(v), 0.0) / vmax
            t = t**0.5 if sqrt_scale else t
            fill = "#e0e0e0" if v is None else _shade(t)
            x = label_w + j * cell_w
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w}" height="{cell_h}" fill="{fill}" '
                f'stroke="#fff"><title>{escape(f"{tip}, {col}: {fmt(v)}")}</title></rect>'
            )
            colour = "#fff" if t > 0.55 else "#222"
            body.append(
                _text(
                    x + cell_w / 2, y + cell_h / 2 + 4, fmt(v), "middle", f' font-size="11" fill="{colour}"'
                )
            )
    return _svg(width, height, title, body)
