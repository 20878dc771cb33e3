"""Charts drawn on the server as inline SVG: the admin works offline and behind strict
content policies, so no CDN and no JavaScript library. Every label goes through
format_html (a model name or a status label is escaped like any other text), and
every bar carries a <title>, which browsers show on hover and screen readers read.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join

# Colour-blind-safe (Okabe-Ito), one per series in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 80, 10, 10, 30
GRID_LINES = 4


def series_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal]  # one per column


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def stacked_columns_svg(*, columns: list[str], series: list[Series], axis_label,
                        title, tick_every: int = 5):
    """One column per entry of `columns` (oldest left), each series stacked in order.

    `axis_label(value)` writes a value for the axis and the bars' titles."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals = [sum((s.values[n] for s in series), Decimal(0)) for n in range(len(columns))]
    top = max(totals, default=Decimal(0)) or Decimal(1)
    step = Decimal(plot_width) / max(len(columns), 1)
    rects = []
    for n, column in enumerate(columns):
        base = Decimal(0)
        for index, line in enumerate(series):
            value = line.values[n]
            if not value:
                continue
            height = value / top * plot_height
            y = TOP + plot_height - (base + value) / top * plot_height
            rects.append((_px(LEFT + n * step + 1), _px(y), _px(step - 2), _px(height),
                          series_colour(index), column, line.name, axis_label(value)))
            base += value
    grid = [(TOP + plot_height - plot_height * k / GRID_LINES, top * k / GRID_LINES)
            for k in range(GRID_LINES + 1)]
    return format_html(
        "<svg xmlns='http://www.w3.org/2000/svg' class='chart' role='img' viewBox='0 0 {} {}' "
        "width='{}' height='{}'><title>{}</title>{}{}{}</svg>",
        WIDTH, HEIGHT, WIDTH, HEIGHT, title,
        format_html_join("", "<line x1='{}' x2='{}' y1='{}' y2='{}' stroke='#ccc'/>"
                         "<text x='{}' y='{}' text-anchor='end' font-size='11'>{}</text>",
                         ((LEFT, WIDTH - RIGHT, _px(y), _px(y), LEFT - 4, _px(y + 4),
                           axis_label(value)) for y, value in grid)),
        format_html_join("", "<rect x='{}' y='{}' width='{}' height='{}' fill='{}'>"
                         "<title>{} · {} · {}</title></rect>", rects),
        format_html_join("", "<text x='{}' y='{}' text-anchor='middle' font-size='11'>{}</text>",
                         ((_px(LEFT + (n + Decimal("0.5")) * step), HEIGHT - 10, column)
                          for n, column in enumerate(columns) if n % tick_every == 0)))


def bars_svg(*, bars: list[Bar], title):
    """One horizontal bar per entry, its count written at its end."""
    row, label_width = 24, 160
    plot_width = WIDTH - label_width - 60
    top = max((bar.value for bar in bars), default=0) or 1
    height = row * max(len(bars), 1) + 4
    return format_html(
        "<svg xmlns='http://www.w3.org/2000/svg' class='chart' role='img' viewBox='0 0 {} {}' "
        "width='{}' height='{}'><title>{}</title>{}</svg>",
        WIDTH, height, WIDTH, height, title,
        format_html_join(
            "", "<text x='{}' y='{}' text-anchor='end' font-size='12'>{}</text>"
                "<rect x='{}' y='{}' width='{}' height='{}' fill='{}'><title>{}: {}</title></rect>"
                "<text x='{}' y='{}' font-size='12'>{}</text>",
            ((label_width - 8, n * row + 17, bar.label,
              label_width, n * row + 4, _px(Decimal(bar.value) / top * plot_width), row - 6,
              series_colour(n), bar.label, bar.value,
              _px(label_width + Decimal(bar.value) / top * plot_width + 6), n * row + 17,
              bar.value)
             for n, bar in enumerate(bars))))


def _px(value) -> str:
    """A coordinate with at most one decimal, as SVG reads it."""
    return f"{Decimal(value):.1f}".removesuffix(".0")
