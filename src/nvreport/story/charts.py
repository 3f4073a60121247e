"""Charts of the story: the same bytes for the same figures, no script, no font file,
no external reference.

:func:`chapter_chart` draws, for each actor type, one pair of bars per theme: the
previous year above this year, each bar the number of actors with work in place
(dark) and with work only planned (light), against the number of actors with a
readable report (the thin frame). It is SVG, for the Markdown draft's chart files.

:func:`chapter_bars` draws the same chart as HTML for the HTML draft: the text is
text of the page, at the style sheet's sizes, and the bars are boxes whose widths
are shares of the row, so the chart reflows to any width (a theme's label above its
bars on a phone) instead of shrinking its text with the picture, and prints sharp.
The style sheet (``story.css``, rules under ``.bars``) draws the boxes.

Rows with no actor behind any bar ("0 av 0") are drawn by neither: see
:func:`shown_rows`. Labels are Swedish, written by the caller's :class:`ChartText`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from nvreport.analysis.phrasing import actor_noun
from nvreport.story.model import ChartBar, ChartRow

WIDTH = 720
LABEL_WIDTH = 290
BAR_HEIGHT = 14
BAR_GAP = 3
ROW_GAP = 12
PANEL_GAP = 22
TOP = 46
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"

ACTIVE_COLOUR = "#1f5f8b"
PLANNED_COLOUR = "#8fbcdb"
PREVIOUS_ACTIVE_COLOUR = "#6b6b6b"
PREVIOUS_PLANNED_COLOUR = "#c4c4c4"


@dataclass(frozen=True)
class ChartText:
    """The words of a chart, in the language of the story."""

    title: str
    active: str  # legend: "Pågående eller infört"
    planned: str  # legend: "Planerat"
    previous: str  # legend for the grey bars: "2021"
    panel: dict[str, str]  # actor type -> panel heading ("Regioner")


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def shown_rows(rows: Sequence[ChartRow]) -> tuple[ChartRow, ...]:
    """The rows worth a bar and a table row: those with at least one actor behind a
    bar. A row where every bar is zero of zero says nothing but that no report of the
    type could be read; the appendix of unreadable files says that."""
    return tuple(row for row in rows if any(bar.actors for bar in row.bars))


def chapter_chart(rows: Sequence[ChartRow], text: ChartText) -> str:
    """The SVG of one chapter's chart (an empty string when there are no rows)."""
    rows = shown_rows(rows)
    if not rows:
        return ""
    panels: dict[str, list[ChartRow]] = {}
    for row in rows:
        panels.setdefault(row.actor_type, []).append(row)
    bars_per_row = max(len(row.bars) for row in rows)
    row_height = bars_per_row * (BAR_HEIGHT + BAR_GAP) + ROW_GAP
    height = TOP + sum(24 + len(group) * row_height + PANEL_GAP for group in panels.values()) + 8
    plot = WIDTH - LABEL_WIDTH - 100
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" style="{FONT}">',
        f"<title>{escape(text.title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    legend = (
        (ACTIVE_COLOUR, text.active),
        (PLANNED_COLOUR, text.planned),
    )
    x = 0
    for colour, label in legend:
        parts.append(f'<rect x="{x}" y="12" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 17}" y="22" font-size="12">{escape(label)}</text>')
        x += 34 + 7 * len(label)
    if bars_per_row > 1:
        parts.append(
            f'<rect x="{x}" y="12" width="12" height="12" fill="{PREVIOUS_ACTIVE_COLOUR}"/>'
        )
        parts.append(f'<text x="{x + 17}" y="22" font-size="12">{escape(text.previous)}</text>')
    y = TOP
    for actor_type, group in panels.items():
        scale_max = max(max(bar.actors for bar in row.bars) for row in group) or 1
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="13" font-weight="bold">'
            f"{escape(text.panel.get(actor_type, actor_noun(actor_type).plural))}</text>"
        )
        y += 24
        for row in group:
            label_y = y + (len(row.bars) * (BAR_HEIGHT + BAR_GAP)) / 2 + 4
            parts.append(
                f'<text x="{LABEL_WIDTH - 8}" y="{_number(label_y)}" font-size="12" '
                f'text-anchor="end">{escape(row.theme)}</text>'
            )
            for number, bar in enumerate(row.bars):
                if not bar.actors:  # its slot stays empty: no "0 av 0"
                    y += BAR_HEIGHT + BAR_GAP
                    continue
                previous = number < len(row.bars) - 1
                active_colour = PREVIOUS_ACTIVE_COLOUR if previous else ACTIVE_COLOUR
                planned_colour = PREVIOUS_PLANNED_COLOUR if previous else PLANNED_COLOUR
                unit = plot / scale_max
                frame_width = bar.actors * unit
                active_width = bar.active * unit
                planned_width = bar.planned * unit
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y}" width="{_number(frame_width)}" '
                    f'height="{BAR_HEIGHT}" fill="none" stroke="#999" stroke-width="0.6"/>'
                )
                if bar.active:
                    parts.append(
                        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{_number(active_width)}" '
                        f'height="{BAR_HEIGHT}" fill="{active_colour}"/>'
                    )
                if bar.planned:
                    parts.append(
                        f'<rect x="{_number(LABEL_WIDTH + active_width)}" y="{y}" '
                        f'width="{_number(planned_width)}" height="{BAR_HEIGHT}" '
                        f'fill="{planned_colour}"/>'
                    )
                figures = bar_figures(bar)
                parts.append(
                    f'<text x="{_number(LABEL_WIDTH + max(frame_width, 1) + 5)}" '
                    f'y="{y + BAR_HEIGHT - 3}" font-size="11" fill="#333">'
                    f"{escape(figures)}</text>"
                )
                y += BAR_HEIGHT + BAR_GAP
            y += ROW_GAP
        y += PANEL_GAP
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def bar_figures(bar: ChartBar) -> str:
    """The figures written beside a bar: "2022: 4 + 1 av 6" (active + planned of all)."""
    figures = f"{bar.year}: {bar.active}"
    if bar.planned:
        figures += f" + {bar.planned}"
    return figures + f" av {bar.actors}"


def _percent(part: float, whole: float) -> str:
    return _number(100 * part / whole) + "%" if whole else "0%"


def chapter_bars(rows: Sequence[ChartRow], text: ChartText) -> str:
    """One chapter's chart as HTML (an empty string when there are no rows): a legend,
    then per actor type a heading and per theme its label and its bars.

    Each bar is a frame as wide as its actors are of the panel's largest count, filled
    by the active and then the planned share of those actors; the figures follow in a
    column of their own."""
    rows = shown_rows(rows)
    if not rows:
        return ""
    panels: dict[str, list[ChartRow]] = {}
    for row in rows:
        panels.setdefault(row.actor_type, []).append(row)
    compared = max(len(row.bars) for row in rows) > 1
    keys = [("active", text.active), ("planned", text.planned)]
    if compared:
        keys.append(("previous", text.previous))
    # the figures' column: as wide as the longest figures (a digit is 1ch wide)
    longest = max(len(bar_figures(bar)) for row in rows for bar in row.bars if bar.actors)
    parts = [f'<div class="bars" style="--figures:{longest}ch">', '<ul class="legend">']
    parts += [
        f'<li><span class="swatch {kind}"></span>{escape(label)}</li>' for kind, label in keys
    ]
    parts.append("</ul>")
    for actor_type, group in panels.items():
        scale_max = max(bar.actors for row in group for bar in row.bars)
        title = text.panel.get(actor_type, actor_noun(actor_type).plural)
        parts.append('<div class="panel">')
        parts.append(f'<p class="panel-title">{escape(title)}</p>')
        for row in group:
            parts.append('<div class="bar-row">')
            parts.append(f'<p class="bar-label">{escape(row.theme)}</p>')
            parts.append('<div class="bar-set">')
            for number, bar in enumerate(row.bars):
                if not bar.actors:
                    continue
                year = "previous" if number < len(row.bars) - 1 else "current"
                frame = quoteattr(f"width:{_percent(bar.actors, scale_max)}")
                active = quoteattr(f"width:{_percent(bar.active, bar.actors)}")
                planned = quoteattr(f"width:{_percent(bar.planned, bar.actors)}")
                parts.append(
                    f'<div class="bar {year}"><span class="track"><span class="frame" '
                    f'style={frame}><span class="active" style={active}></span>'
                    f'<span class="planned" style={planned}></span></span></span>'
                    f'<span class="figures">{escape(bar_figures(bar))}</span></div>'
                )
            parts.append("</div>")
            parts.append("</div>")
        parts.append("</div>")
    parts.append("</div>")
    return "\n".join(parts) + "\n"
