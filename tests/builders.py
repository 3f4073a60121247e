"""Builders of small report files for the tests (PDF with reportlab)."""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

rl_config.invariant = 1

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=8)
H1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=8)
H2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=13, leading=17, spaceAfter=6)
BOLD = ParagraphStyle("bold", parent=BODY, fontName="Helvetica-Bold")
TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=24, leading=30, spaceAfter=20)

HEADER_TEXT = "Region Testberga – Redovisning God och nära vård"


def bullets(*items: str) -> ListFlowable:
    return ListFlowable(
        [ListItem(Paragraph(item, BODY), leftIndent=18) for item in items],
        bulletType="bullet",
        start="•",
        leftIndent=18,
    )


def ruled_table(rows: list[list[str]]) -> Table:
    return Table(rows, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))


def build_pdf(
    path: Path, story: list, *, header: str = HEADER_TEXT, two_columns: bool = False
) -> Path:
    """Write a PDF with a running header and a "Sida N" footer on every page.

    Put ``NextPageTemplate("two")`` and ``PageBreak()`` in the story to switch to a
    two-column page; ``two_columns`` starts with one.
    """

    def decorate(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, A4[1] - 40, header)
        canvas.drawRightString(A4[0] - 72, 30, f"Sida {document.page}")
        canvas.restoreState()

    width, height = A4
    inner = width - 144
    one = Frame(72, 60, inner, height - 140, id="one")
    left = Frame(72, 60, inner / 2 - 8, height - 140, id="left")
    right = Frame(72 + inner / 2 + 8, 60, inner / 2 - 8, height - 140, id="right")
    templates = [
        PageTemplate("one", [one], onPage=decorate),
        PageTemplate("two", [left, right], onPage=decorate),
    ]
    if two_columns:
        templates.reverse()
    BaseDocTemplate(str(path), pagesize=A4, pageTemplates=templates).build(story)
    return path


__all__ = [
    "BODY",
    "BOLD",
    "H1",
    "H2",
    "HEADER_TEXT",
    "TITLE",
    "NextPageTemplate",
    "PageBreak",
    "Paragraph",
    "Spacer",
    "bullets",
    "ruled_table",
]
