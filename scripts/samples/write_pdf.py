"""The PDF writer: a report's blocks as a reportlab document in its producer's look."""

from __future__ import annotations

import io
import re
import sys
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as RLTable

from .content import Block, Bullets, Columns, Heading, NewPage, Para, Table
from .layout import (
    COLUMN_GAP,
    FRAME_W,
    MONEY_COLUMNS,
    PAGE_H,
    PDF_LOOKS,
    money_table_style,
    pdf_document,
    pdf_styles,
    toc_table_style,
)
from .plan import ACTORS, SHORT_TITLES, Spec
from .texts import HYPHEN_MARK, PHRASES, plain

MAX_HYPHEN_INDENT = 40  # points; a ragged right edge hides this much


def _natural_right_indent(text: str, style: ParagraphStyle, width: float) -> float:
    """A right indent that makes the marked hyphen fall where a typesetter would break.

    Natural is a line that holds the first part of the word with its hyphen but not
    the whole word (for "hälso- och", not the next word too). The texts are written
    so that a small indent gives such a line; the break itself is forced with <br/>
    either way.
    """
    match = HYPHEN_MARK.search(text)
    if match is None:
        return 0
    stem, mark, space, rest = match.groups()
    head = stem + "-"
    whole = stem + rest if mark == "¬" else head + space + rest
    before = escape(plain(text[: match.start()]).strip())
    font, size = style.fontName, style.fontSize
    for indent in range(0, MAX_HYPHEN_INDENT):
        avail = width - indent
        last = ""
        if before:
            measure = Paragraph(before, style)
            measure.wrap(avail, PAGE_H)
            last = " ".join(measure.blPara.lines[-1][1]) + " "
        if stringWidth(last + head, font, size) <= avail < stringWidth(last + whole, font, size):
            return indent
    print(f"warning: {head!r} does not fall at a natural line end", file=sys.stderr)
    return 0


def _pdf_markup(text: str, hyphenate: bool) -> str:
    text = escape(text)
    if not hyphenate:
        return plain(text)
    return re.sub(r"-¦ ?", "-<br/>", text).replace("¬", "-<br/>")


def _pdf_paragraph(text: str, styles, hyphenate: bool, width: float) -> Paragraph:
    style = styles["body"]
    if hyphenate and ("¬" in text or "¦" in text):
        indent = _natural_right_indent(text, style, width)
        style = ParagraphStyle(f"body_r{indent}", parent=style, rightIndent=indent)
    return Paragraph(_pdf_markup(text, hyphenate), style)


def _pdf_table(table: Table, styles) -> list:
    header = [Paragraph(escape(h), styles["cellbold"]) for h in table.header]
    rows = [header]
    for i, row in enumerate(table.rows):
        style = styles["cellbold"] if i == len(table.rows) - 1 else styles["cell"]
        rows.append([Paragraph(escape(row[0]), style), *row[1:]])
    widths = [FRAME_W * part for part in MONEY_COLUMNS]
    rl_table = RLTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    rl_table.setStyle(money_table_style(styles))
    return [Paragraph(escape(table.caption), styles["caption"]), rl_table, Spacer(1, 8)]


def _toc_flowables(headings: list[Heading], pages: list[int], look, styles) -> list:
    out = [Paragraph(PHRASES["contents"], styles["h1"])]
    rows = []
    for heading, page in zip(headings, pages, strict=True):
        indent = 0 if heading.level == 1 else 16
        style = ParagraphStyle(f"toc{indent}", parent=styles["toc"], leftIndent=indent)
        label = f"{heading.number} {heading.text}"
        if look["toc"] == "dots":
            room = FRAME_W - 40 - indent - stringWidth(label, style.fontName, style.fontSize)
            dots = " ." * max(3, int(room / stringWidth(" .", style.fontName, style.fontSize)) - 2)
            label += dots
        rows.append([Paragraph(escape(label), style), str(page)])
    toc = RLTable(rows, colWidths=[FRAME_W - 40, 40], hAlign="LEFT")
    toc.setStyle(toc_table_style(styles))
    return [*out, toc, NextPageTemplate("body"), PageBreak()]


def _pdf_story(spec: Spec, blocks: list[Block], pages: list[int], styles, look) -> list:
    actor = ACTORS[spec.actor]
    hyphenate = "hyphenation" in spec.features
    story: list = [
        Spacer(1, 90),
        Paragraph(escape(actor.name), styles["title_actor"]),
        Spacer(1, 110),
        Paragraph(escape(spec.title), styles["title"]),
        Paragraph(escape(spec.subtitle), styles["subtitle"]),
        Paragraph(PHRASES["title_date"].format(date=spec.date), styles["meta"]),
        Paragraph(PHRASES["title_dnr"].format(dnr=escape(spec.dnr)), styles["meta"]),
        NextPageTemplate("body"),
        PageBreak(),
    ]
    headings = [b for b in blocks if isinstance(b, Heading)]
    story += _toc_flowables(headings, pages or [0] * len(headings), look, styles)
    column_width = FRAME_W
    for block in blocks:
        if isinstance(block, Heading):
            flowable = Paragraph(escape(f"{block.number} {block.text}"), styles[f"h{block.level}"])
            flowable.nv_heading = True
            story.append(flowable)
        elif isinstance(block, Para):
            story.append(_pdf_paragraph(block.text, styles, hyphenate, column_width))
        elif isinstance(block, Bullets):
            items = [ListItem(Paragraph(escape(i), styles["item"])) for i in block.items]
            story.append(
                ListFlowable(
                    items,
                    bulletType="bullet",
                    start="•",
                    leftIndent=16,
                    bulletFontName="Helvetica",
                    bulletFontSize=look["body"],
                    spaceAfter=8,
                )
            )
        elif isinstance(block, Table):
            story += _pdf_table(block, styles)
        elif isinstance(block, NewPage):
            story.append(PageBreak())
        elif isinstance(block, Columns):
            two = block.count == 2
            column_width = (FRAME_W - COLUMN_GAP) / 2 if two else FRAME_W
            story += [NextPageTemplate("twocol" if two else "body"), PageBreak()]
    return story


def render_pdf(spec: Spec, blocks: list[Block]) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages.

    Built until the page numbers of the table of contents and the page total in the
    footers agree with the layout (normally twice).
    """
    actor = ACTORS[spec.actor]
    look = PDF_LOOKS[spec.actor]
    styles = pdf_styles(look)
    header = (actor.name, SHORT_TITLES[spec.actor].format(y=spec.year))
    pages: list[int] = []
    total = 0
    for _ in range(4):
        buffer = io.BytesIO()
        doc = pdf_document(buffer, spec, header, look, total)
        doc.build(_pdf_story(spec, blocks, pages, styles, look))
        if doc.heading_pages == pages and doc.page == total:
            return buffer.getvalue(), total
        pages, total = doc.heading_pages, doc.page
    raise RuntimeError(f"{spec.relpath}: page numbers did not settle")
