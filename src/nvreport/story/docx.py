"""The story as a Word document (``.docx``), for an editor to carry on in Word.

:func:`render_docx` writes the same draft as the Markdown: the text is the Markdown
template's (``story.md.j2`` and ``sentences.j2``, an analyst's own ``--templates``
included), rendered from the :class:`~nvreport.story.model.Story`, and laid out as a
Word document rather than parsed back from HTML:

* headings in Word's own styles: the title ``Title``, chapters and appendices
  ``Heading 1``, themes ``Heading 2`` (so the navigation pane and a table of contents
  work);
* lists as ``List Bullet`` paragraphs, bold and italic as runs;
* tables as Word tables (style ``Table Grid``, the header row repeated on each page,
  numbers right-aligned as in the Markdown);
* each chapter's chart as a PNG picture, drawn from the chapter's figures by
  :func:`chart_png` with the same bars, colours and words as the SVG, its
  description as the picture's alternative text and its caption in ``Caption``;
* each quote in the ``Quote`` style with a reference number, and at the end a list
  of sources: the actor, file and page (or section) of every quote, from the
  story's :class:`~nvreport.story.model.Quote`, never from the text.

The same story gives the same bytes: the core properties carry the draft's date,
and the zip's members have fixed dates and a fixed order. The charts are drawn
with matplotlib: it installs from PyPI alone with its own font (DejaVu Sans, with
å, ä and ö), where cairosvg needs the system's cairo library and Pillow's bundled
font has no Swedish letters.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from markdown_it import MarkdownIt
from markdown_it.token import Token

from nvreport.analysis.phrasing import actor_noun
from nvreport.store.files import check_output_file, written_together
from nvreport.story.charts import (
    ACTIVE_COLOUR,
    PLANNED_COLOUR,
    PREVIOUS_ACTIVE_COLOUR,
    PREVIOUS_PLANNED_COLOUR,
    ChartText,
    bar_figures,
    shown_rows,
)
from nvreport.story.model import ChartRow, Quote, Story
from nvreport.story.render import (
    _chart_text,
    chart_file,
    page_reference,
    render_story,
    without_empty_rows,
)

#: Word's styles for the Markdown heading levels.
HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
#: Width of a chart in the document.
CHART_WIDTH = Cm(16)
#: Zip member date of every part (the earliest a zip can store).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SOURCES_TITLE = "Källor till citaten"
SOURCES_INTRO = (
    "Citaten återges ordagrant ur redovisningarna. Siffran efter varje citat hänvisar "
    "till listan nedan, som anger aktör, fil och sida eller avsnitt."
)


# --------------------------------------------------------------------- the charts

#: The SVG chart's geometry (:mod:`nvreport.story.charts`), in its units: the PNG is
#: laid out in the same units, 100 to the inch, and saved at :data:`DPI`.
_WIDTH, _LABEL_WIDTH = 720, 290
_BAR_HEIGHT, _BAR_GAP, _ROW_GAP, _PANEL_GAP, _TOP = 14, 3, 12, 22, 46
_UNITS_PER_INCH = 100
DPI = 200


def _size(units: float) -> float:
    """A font size in points from the SVG's font-size in its units."""
    return units * 72 / _UNITS_PER_INCH


def chart_png(rows: Sequence[ChartRow], text: ChartText) -> bytes:
    """One chapter's chart as PNG bytes (empty when there are no rows), laid out as
    the SVG (:func:`nvreport.story.charts.chapter_chart`): for each actor type a pair
    of bars per theme, the previous year above this year, active (dark) and planned
    (light) against the actors with a readable report (the frame), the figures beside
    each bar. Drawn by matplotlib with its own DejaVu Sans, so the same figures give
    the same bytes on every machine (no date or version in the file)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    rows = shown_rows(rows)
    if not rows:
        return b""
    panels: dict[str, list[ChartRow]] = {}
    for row in rows:
        panels.setdefault(row.actor_type, []).append(row)
    bars_per_row = max(len(row.bars) for row in rows)
    row_height = bars_per_row * (_BAR_HEIGHT + _BAR_GAP) + _ROW_GAP
    height = _TOP + sum(24 + len(group) * row_height + _PANEL_GAP for group in panels.values())
    height += 8
    figure = Figure(figsize=(_WIDTH / _UNITS_PER_INCH, height / _UNITS_PER_INCH))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, _WIDTH)
    axes.set_ylim(height, 0)
    axes.set_axis_off()
    font = {"family": "DejaVu Sans"}

    def box(x: float, y: float, width: float, colour: str) -> None:
        if width > 0:
            axes.add_patch(Rectangle((x, y), width, _BAR_HEIGHT, facecolor=colour, linewidth=0))

    legend = [(ACTIVE_COLOUR, text.active), (PLANNED_COLOUR, text.planned)]
    if bars_per_row > 1:
        legend.append((PREVIOUS_ACTIVE_COLOUR, text.previous))
    x = 0.0
    for colour, label in legend:
        axes.add_patch(Rectangle((x, 12), 12, 12, facecolor=colour, linewidth=0))
        axes.text(x + 17, 18, label, fontsize=_size(12), va="center", fontdict=font)
        x += 34 + 7 * len(label)
    y = float(_TOP)
    for actor_type, group in panels.items():
        scale_max = max(bar.actors for row in group for bar in row.bars) or 1
        unit = (_WIDTH - _LABEL_WIDTH - 125) / scale_max
        title = text.panel.get(actor_type, actor_noun(actor_type).plural)
        axes.text(0, y + 9, title, fontsize=_size(13), weight="bold", va="center", fontdict=font)
        y += 24
        for row in group:
            middle = y + len(row.bars) * (_BAR_HEIGHT + _BAR_GAP) / 2 - _BAR_GAP / 2
            axes.text(
                _LABEL_WIDTH - 8, middle, row.theme, fontsize=_size(12), ha="right",
                va="center", fontdict=font,
            )  # fmt: skip
            for number, bar in enumerate(row.bars):
                if bar.actors:
                    previous = number < len(row.bars) - 1
                    axes.add_patch(
                        Rectangle(
                            (_LABEL_WIDTH, y), bar.actors * unit, _BAR_HEIGHT,
                            facecolor="none", edgecolor="#999999", linewidth=0.5,
                        )
                    )  # fmt: skip
                    active = PREVIOUS_ACTIVE_COLOUR if previous else ACTIVE_COLOUR
                    planned = PREVIOUS_PLANNED_COLOUR if previous else PLANNED_COLOUR
                    box(_LABEL_WIDTH, y, bar.active * unit, active)
                    box(_LABEL_WIDTH + bar.active * unit, y, bar.planned * unit, planned)
                    axes.text(
                        _LABEL_WIDTH + max(bar.actors * unit, 1) + 5, y + _BAR_HEIGHT / 2,
                        bar_figures(bar), fontsize=_size(11), color="#333333", va="center",
                        fontdict=font,
                    )  # fmt: skip
                y += _BAR_HEIGHT + _BAR_GAP
            y += _ROW_GAP
        y += _PANEL_GAP
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


# ------------------------------------------------------------- Markdown to Word


@dataclass
class _Sources:
    """The story's quotes by their text, and the order they are cited in."""

    waiting: dict[str, list[Quote]]
    cited: list[Quote] = field(default_factory=list)

    @classmethod
    def of(cls, story: Story) -> _Sources:
        waiting: dict[str, list[Quote]] = {}
        for chapter in story.chapters:
            for section in chapter.sections:
                for quote in (*section.examples, *getattr(section, "obstacle_examples", ())):
                    waiting.setdefault(" ".join(quote.text.split()), []).append(quote)
        return cls(waiting)

    def cite(self, text: str) -> int | None:
        """The reference number of the quote whose text ``text`` starts with (the
        quote in ”…” marks), or None when it is no quote of the story."""
        body = text.strip()
        if not body.startswith("”"):
            return None
        body = body[1:]
        end = body.find("”")
        candidates = self.waiting.get(" ".join(body[:end].split()) if end >= 0 else "")
        if not candidates:
            return None
        self.cited.append(candidates.pop(0))
        return len(self.cited)


class _Writer:
    """Walks the Markdown's tokens and adds paragraphs, lists, tables and pictures."""

    def __init__(self, document, charts: dict[str, bytes], sources: _Sources) -> None:
        self.document = document
        self.charts = charts
        self.sources = sources

    # inline text ------------------------------------------------------------------

    def inline(self, paragraph, token: Token, *, line_breaks: bool = False) -> None:
        bold = italic = False
        for child in token.children or []:
            if child.type == "strong_open":
                bold = True
            elif child.type == "strong_close":
                bold = False
            elif child.type == "em_open":
                italic = True
            elif child.type == "em_close":
                italic = False
            elif child.type in ("text", "code_inline", "html_inline"):
                run = paragraph.add_run(child.content)
                run.bold, run.italic = bold or None, italic or None
            elif child.type in ("softbreak", "hardbreak"):
                if line_breaks or child.type == "hardbreak":
                    paragraph.add_run().add_break()
                else:
                    paragraph.add_run(" ")
            elif child.type == "image":
                self.picture(paragraph, child)

    @staticmethod
    def plain(token: Token) -> str:
        return "".join(
            child.content if child.type != "softbreak" else " " for child in token.children or []
        )

    def picture(self, paragraph, image: Token) -> None:
        source = str(image.attrs.get("src", ""))
        png = self.charts.get(source)
        alt = "".join(child.content for child in image.children or []) or image.content
        if not png:  # no chart drawn for it: say what it was
            paragraph.add_run(alt)
            return
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(png), width=CHART_WIDTH)
        properties = shape._inline.docPr  # the alternative text screen readers read
        properties.set("descr", alt)
        properties.set("title", alt[:120])

    # blocks -----------------------------------------------------------------------

    def write(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            index = self.block(tokens, index)

    def block(self, tokens: list[Token], index: int) -> int:
        token = tokens[index]
        if token.type == "heading_open":
            level = int(token.tag[1])
            text = self.plain(tokens[index + 1])
            style = HEADING_STYLES.get(level, "Heading 3")
            self.document.add_paragraph(text, style=style)
            return index + 3
        if token.type == "paragraph_open":
            self.paragraph(tokens[index + 1])
            return index + 3
        if token.type == "bullet_list_open":
            return self.bullet_list(tokens, index)
        if token.type == "blockquote_open":
            return self.blockquote(tokens, index)
        if token.type == "table_open":
            return self.table(tokens, index)
        if token.type == "hr":
            self.document.add_paragraph("")
        return index + 1

    def paragraph(self, inline: Token, style: str | None = None) -> None:
        children = inline.children or []
        only_image = [c for c in children if c.type not in ("softbreak",)]
        if len(only_image) == 1 and only_image[0].type == "image":
            self.inline(self.document.add_paragraph(), inline)
            return
        emphasised = (
            len(children) >= 3 and children[0].type == "em_open" and children[-1].type == "em_close"
        )
        if emphasised and style is None:  # a whole paragraph in italics: a caption or subtitle
            previous = self.document.paragraphs[-1] if self.document.paragraphs else None
            after_picture = previous is not None and bool(
                previous._p.xpath(".//pic:pic")  # python-docx has no API for it
            )
            style = "Caption" if after_picture else "Subtitle"
        paragraph = self.document.add_paragraph(style=style)
        self.inline(paragraph, inline)

    def bullet_list(self, tokens: list[Token], index: int, style: str = "List Bullet") -> int:
        depth = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "bullet_list_open":
                depth += 1
            elif token.type == "bullet_list_close":
                depth -= 1
                if depth == 0:
                    return index + 1
            elif token.type == "inline":
                level = "" if depth <= 1 else f" {min(depth, 3)}"
                self.inline(self.document.add_paragraph(style=style + level), token)
            index += 1
        return index

    def blockquote(self, tokens: list[Token], index: int) -> int:
        """A quote from a report (``Quote`` style, with its reference number), or a
        fact box (``Intense Quote`` title, its list as bullets)."""
        depth, end = 0, index
        while end < len(tokens):
            if tokens[end].type == "blockquote_open":
                depth += 1
            elif tokens[end].type == "blockquote_close":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        inner = tokens[index + 1 : end]
        first = next((t for t in inner if t.type == "inline"), None)
        number = self.sources.cite(self.plain(first)) if first is not None else None
        if number is not None:
            paragraph = self.document.add_paragraph(style="Quote")
            self.inline(paragraph, first, line_breaks=True)
            reference = paragraph.add_run(f" [{number}]")
            reference.font.superscript = True
            return end + 1
        position = 0
        while position < len(inner):
            token = inner[position]
            if token.type == "paragraph_open":
                style = "Intense Quote" if position == 0 else None
                paragraph = self.document.add_paragraph(style=style)
                self.inline(paragraph, inner[position + 1])
                position += 3
            elif token.type == "bullet_list_open":
                position = self.bullet_list(inner, position)
            else:
                position = self.block(inner, position)
        return end + 1

    def table(self, tokens: list[Token], index: int) -> int:
        rows: list[list[tuple[Token, str]]] = []
        row: list[tuple[Token, str]] = []
        header_rows = 0
        in_head = False
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close":
                rows.append(row)
                header_rows += in_head
            elif token.type in ("th_open", "td_open"):
                align = str(token.attrs.get("style", ""))
                row.append((tokens[index + 1], "right" if "right" in align else ""))
            index += 1
        if not rows:
            return index + 1
        columns = max(len(r) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        widths = _column_widths([align for _, align in rows[0]] + [""] * (columns - len(rows[0])))
        table.autofit = False
        for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            grid_column.w = width  # Word and LibreOffice lay out by the grid
        for number, (word_row, cells) in enumerate(zip(table.rows, rows, strict=True)):
            # the row's own cells: table.cell() walks the whole table on every call
            word_cells = [_Cell(tc, table) for tc in word_row._tr.tc_lst]
            for (inline, align), cell, width in zip(cells, word_cells, widths, strict=False):
                cell.width = width
                paragraph = cell.paragraphs[0]
                self.inline(paragraph, inline)
                if align == "right":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    if number < header_rows:
                        run.bold = True
        for number in range(header_rows):  # the header row again on every page
            properties = table.rows[number]._tr.get_or_add_trPr()
            properties.append(OxmlElement("w:tblHeader"))
        self.document.add_paragraph()
        return index + 1


def _column_widths(aligns: list[str]) -> list[int]:
    """Widths of a table's columns on the page: a number column (right-aligned in
    the Markdown) narrow, the text columns sharing the rest."""
    numbers = sum(1 for align in aligns if align == "right")
    texts = len(aligns) - numbers
    number_width = Cm(1.3) if texts else Cm(16) // max(numbers, 1)
    text_width = (Cm(16) - numbers * number_width) // texts if texts else 0
    return [number_width if align == "right" else text_width for align in aligns]


# ---------------------------------------------------------------------- document


def _swedish(document) -> None:
    """Swedish as the language of the text (spelling and hyphenation in Word)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if properties is None:
        return
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), "sv-SE")


def _normalised(data: bytes) -> bytes:
    """The package with fixed member dates and members in name order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = source.namelist()
        # [Content_Types].xml first, as Word writes it; the rest by name
        for name in sorted(names, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def render_docx(
    story: Story, *, templates: Path | None = None, stem: str = "arsberattelse"
) -> bytes:
    """The story as the bytes of a Word document (see the module docstring)."""
    rendered = render_story(story, "md", templates=templates, stem=stem)
    shown = without_empty_rows(story)
    charts = {
        chart_file(stem, chapter): png
        for chapter in shown.chapters
        if (png := chart_png(chapter.chart, _chart_text(shown, chapter)))
    }
    document = Document()
    _swedish(document)
    for section in document.sections:  # A4, as Swedish public administration prints
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
    sources = _Sources.of(story)
    parser = MarkdownIt("commonmark").enable("table")
    _Writer(document, charts, sources).write(parser.parse(rendered.text))
    if sources.cited:
        document.add_paragraph(SOURCES_TITLE, style="Heading 1")
        document.add_paragraph(SOURCES_INTRO)
        for number, quote in enumerate(sources.cited, start=1):
            where = page_reference(quote)
            paragraph = document.add_paragraph()  # numbered by hand: [n] as in the text
            paragraph.add_run(f"[{number}] ").bold = True
            paragraph.add_run(f"{quote.actor}, {quote.file}" + (f", {where}" if where else ""))
            if quote.section and quote.page is not None:
                paragraph.add_run(f", avsnitt ”{quote.section}”").italic = True
    title = document.paragraphs[0].text if document.paragraphs else ""
    moment = dt.datetime.combine(story.date, dt.time(0, 0))
    properties = document.core_properties
    properties.title = title
    properties.subject = "Utkast till årsberättelse"
    properties.author = properties.last_modified_by = "nvreport"
    properties.created = properties.modified = properties.last_printed = moment
    properties.comments = f"Skapad med nvreport {story.nvreport_version}"
    properties.keywords = properties.category = ""
    properties.language = "sv-SE"
    properties.revision = 1
    properties.identifier = ""
    properties.version = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalised(buffer.getvalue())


def write_docx(story: Story, target: Path, *, templates: Path | None = None) -> list[Path]:
    """Render and write the story to ``target`` atomically; returns the file written."""
    check_output_file(target)
    data = render_docx(story, templates=templates, stem=target.stem)
    with written_together(target.parent) as stage:
        stage(target.name).write_bytes(data)
    return [target]
