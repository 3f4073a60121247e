"""The DOCX writer: a report's blocks as a Word document, reproducible byte for byte."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Pt

from .content import Block, Bullets, Heading, NewPage, Para, Table
from .layout import docx_page
from .plan import ACTORS, SHORT_TITLES, Spec
from .texts import PHRASES, plain

FIXED_ZIP_DATE = (2023, 1, 1, 0, 0, 0)
FIXED_DOCX_DATE = dt.datetime(2023, 1, 1, 0, 0, 0)
DOCX_AUTHOR = "nvreport samples"
WORDS_PER_PAGE = 420  # Calibri 11 pt on A4 with 2.5 cm margins, headings and tables


def _estimate_pages(blocks: list[Block]) -> tuple[list[int], int]:
    """Estimated page of each heading and page total (title page and TOC first)."""
    words, pages = 0.0, []
    for block in blocks:
        if isinstance(block, Heading):
            words += 25 if block.level == 1 else 15
            pages.append(3 + int(words // WORDS_PER_PAGE))
        elif isinstance(block, Para):
            words += len(block.text.split()) + 6
        elif isinstance(block, Bullets):
            words += sum(len(i.split()) + 8 for i in block.items)
        elif isinstance(block, Table):
            words += 30 + 22 * len(block.rows)
        elif isinstance(block, NewPage):
            words += -words % WORDS_PER_PAGE
    return pages, 3 + int(words // WORDS_PER_PAGE)


def render_docx(spec: Spec, blocks: list[Block]) -> tuple[bytes, int]:
    """The DOCX bytes, normalised for reproducibility, and the estimated page count."""
    actor = ACTORS[spec.actor]
    doc = Document()
    docx_page(doc, f"{actor.name} – {SHORT_TITLES[spec.actor].format(y=spec.year)}")

    def big(text: str, size: float, bold: bool = True, space_before: float = 0) -> None:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(space_before)
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)

    big(actor.name, 20, space_before=60)
    big(spec.title, 24, space_before=120)
    big(spec.subtitle, 13, bold=False, space_before=6)
    big(PHRASES["title_date"].format(date=spec.date), 11, bold=False, space_before=60)
    big(PHRASES["title_dnr"].format(dnr=spec.dnr), 11, bold=False)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    pages, total = _estimate_pages(blocks)
    big(PHRASES["contents"], 16)
    headings = [b for b in blocks if isinstance(b, Heading)]
    for heading, page in zip(headings, pages, strict=True):
        paragraph = doc.add_paragraph(f"{heading.number} {heading.text}\t{page}")
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        paragraph.paragraph_format.space_after = Pt(2)
        if heading.level == 2:
            paragraph.paragraph_format.left_indent = Cm(0.6)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for block in blocks:
        if isinstance(block, Heading):
            doc.add_heading(f"{block.number} {block.text}", level=block.level)
        elif isinstance(block, Para):
            doc.add_paragraph(plain(block.text))
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            caption = doc.add_paragraph()
            caption.add_run(block.caption).italic = True
            table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.LEFT
            for r, row in enumerate((block.header, *block.rows)):
                for c, value in enumerate(row):
                    cell = table.cell(r, c).paragraphs[0]
                    run = cell.add_run(value)
                    run.bold = r == 0 or r == len(block.rows)
                    if c > 0:
                        cell.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            doc.add_paragraph()
        elif isinstance(block, NewPage):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    props = doc.core_properties
    props.author = props.last_modified_by = DOCX_AUTHOR
    props.created = props.modified = props.last_printed = FIXED_DOCX_DATE
    props.title, props.subject = spec.title, spec.subtitle
    props.comments, props.keywords, props.category = "", "", ""
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue()), total


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member dates and sorted member order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()
