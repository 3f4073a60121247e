"""Charts of the story as self-contained SVG: no script, no font file, no external
reference, the same bytes for the same figures.

:func:`chapter_chart` draws, for each actor type, one pair of bars per theme: the
previous year above this year, each bar the number of actors with work in place
(dark) and with work only planned (light), against the number of actors with a
readable report (the thin frame). Labels and alt text are Swedish, written by the
caller's :class:`ChartText`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from nvreport.analysis.phrasing import actor_noun
from nvreport.story.model import ChartRow

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


def chapter_chart(rows: Sequence[ChartRow], text: ChartText) -> str:
    """The SVG of one chapter's chart (an empty string when there are no rows)."""
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
                figures = f"{bar.year}: {bar.active}"
                if bar.planned:
                    figures += f" + {bar.planned}"
                figures += f" av {bar.actors}"
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
