"""Layouts: page geometry, styles, page templates and the look of each producer.

Every PDF producer has a look of its own (``PDF_LOOKS``): body and heading sizes,
justified or ragged text, "Sida 3 av 7" or a bare page number in the footer, and a
table of contents with or without dot leaders. The DOCX reports share Word's
default styles on an A4 page with a running header and a "Sida x av y" footer.
"""

from __future__ import annotations

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, TableStyle

from .plan import Spec
from .texts import PHRASES

# ---------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 68, 78, 64
FRAME_W = PAGE_W - 2 * MARGIN_X
COLUMN_GAP = 20
NO_PADDING = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

# PDF look per actor: body size, heading sizes, alignment, footer and TOC style.
PDF_LOOKS = {
    "skane": dict(body=10.5, h1=16, h2=13, align="justify", footer="of", toc="table"),
    "vgr": dict(body=10, h1=16, h2=12.5, align="left", footer="number", toc="dots"),
    "kronoberg": dict(body=10.5, h1=15, h2=13, align="justify", footer="of", toc="dots"),
    "varmland": dict(body=10.5, h1=16, h2=13, align="left", footer="of", toc="table"),
    "norrbotten": dict(body=10.5, h1=16, h2=13, align="left", footer="number", toc="table"),
    "kronoberg_kn": dict(body=11, h1=16, h2=13, align="justify", footer="of", toc="dots"),
}


class PdfDoc(BaseDocTemplate):
    """Records the page of every numbered heading for the table of contents."""

    def __init__(self, buffer, **kwargs):
        super().__init__(buffer, **kwargs)
        self.heading_pages: list[int] = []

    def afterFlowable(self, flowable):
        if getattr(flowable, "nv_heading", False):
            self.heading_pages.append(self.page)


def pdf_document(buffer, spec: Spec, header: tuple[str, str], look: dict, total: int) -> PdfDoc:
    """A document with a title page, one-column and two-column page templates.

    The body pages carry ``header`` (left and right) above a rule, and a footer with
    the page number, "of ``total``" if the look says so.
    """

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN_X, PAGE_H - 42, header[0])
        canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 42, header[1])
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, PAGE_H - 47, PAGE_W - MARGIN_X, PAGE_H - 47)
        footer = (
            PHRASES["footer_page_of"].format(page=doc.page, total=total)
            if look["footer"] == "of"
            else str(doc.page)
        )
        canvas.drawRightString(PAGE_W - MARGIN_X, 34, footer)
        canvas.restoreState()

    doc = PdfDoc(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=spec.title,
        author="",
        subject=spec.subtitle,
        creator="nvreport samples (reportlab)",
    )
    height = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    half = (FRAME_W - COLUMN_GAP) / 2
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_W, height, id="main", **NO_PADDING)
    doc.addPageTemplates(
        [
            PageTemplate("title", [frame]),
            PageTemplate("body", [frame], onPage=decorate),
            PageTemplate(
                "twocol",
                [
                    Frame(MARGIN_X, MARGIN_BOTTOM, half, height, id="left", **NO_PADDING),
                    Frame(
                        MARGIN_X + half + COLUMN_GAP,
                        MARGIN_BOTTOM,
                        half,
                        height,
                        id="right",
                        **NO_PADDING,
                    ),
                ],
                onPage=decorate,
            ),
        ]
    )
    return doc


def pdf_styles(look: dict) -> dict[str, ParagraphStyle]:
    body = look["body"]
    align = TA_JUSTIFY if look["align"] == "justify" else TA_LEFT
    base = ParagraphStyle(
        "body",
        fontName="Helvetica",
        fontSize=body,
        leading=body * 1.35,
        spaceAfter=7,
        alignment=align,
    )
    return {
        "body": base,
        "h1": ParagraphStyle(
            "h1",
            fontName="Helvetica-Bold",
            fontSize=look["h1"],
            leading=look["h1"] * 1.25,
            spaceBefore=14,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            fontName="Helvetica-Bold",
            fontSize=look["h2"],
            leading=look["h2"] * 1.25,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "item": ParagraphStyle("item", parent=base, spaceAfter=2, alignment=TA_LEFT),
        "cell": ParagraphStyle(
            "cell",
            parent=base,
            fontSize=body - 1,
            leading=body * 1.2,
            spaceAfter=0,
            alignment=TA_LEFT,
        ),
        "cellbold": ParagraphStyle(
            "cellbold", fontName="Helvetica-Bold", fontSize=body - 1, leading=body * 1.2
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName="Helvetica-Oblique",
            fontSize=body - 1,
            spaceBefore=4,
            spaceAfter=4,
        ),
        "toc": ParagraphStyle("toc", parent=base, spaceAfter=3, alignment=TA_LEFT),
        "title_actor": ParagraphStyle(
            "title_actor", fontName="Helvetica-Bold", fontSize=20, leading=26
        ),
        "title": ParagraphStyle(
            "title", fontName="Helvetica-Bold", fontSize=24, leading=30, spaceAfter=14
        ),
        "subtitle": ParagraphStyle(
            "subtitle", fontName="Helvetica", fontSize=13, leading=17, spaceAfter=40
        ),
        "meta": ParagraphStyle("meta", fontName="Helvetica", fontSize=11, leading=16),
    }


# Column widths of the money table, as parts of the frame.
MONEY_COLUMNS = (0.56, 0.22, 0.22)


def money_table_style(styles: dict[str, ParagraphStyle]) -> TableStyle:
    """A grid with a tinted header row, right-aligned amounts and a bold total row."""
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E2EC")),
            ("FONTNAME", (1, 1), (-1, -1), "Helvetica"),
            ("FONTNAME", (1, -1), (-1, -1), "Helvetica-Bold"),
            ("FONTSIZE", (1, 1), (-1, -1), styles["cell"].fontSize),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    )


def toc_table_style(styles: dict[str, ParagraphStyle]) -> TableStyle:
    """Headings on the left, page numbers flush right, no padding at the left."""
    return TableStyle(
        [
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("FONTNAME", (1, 0), (1, -1), "Helvetica"),
            ("FONTSIZE", (1, 0), (1, -1), styles["toc"].fontSize),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
    )


# ---------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------


def add_field(paragraph, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES) showing "1" until Word updates it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def docx_page(doc, header: str) -> None:
    """A4 with 2.5 cm margins, ``header`` right-aligned, "Sida x av y" centred below.

    The title page has neither header nor footer.
    """
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.text = header
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # "Sida {page} av {total}": the text between the slots as runs, the slots as fields
    fields = {"page": "PAGE", "total": "NUMPAGES"}
    for i, part in enumerate(re.split(r"\{(page|total)\}", PHRASES["footer_page_of"])):
        if i % 2:
            add_field(footer, fields[part])
        elif part:
            footer.add_run(part)
