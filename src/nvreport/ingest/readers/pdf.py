"""PDF reader: pdfium's text layer and geometry, ruled tables included.

pdfium (through pypdfium2) gives the text of a page in content order with its line
breaks, at hundreds of pages per second. From it we take one :class:`Line` per
printed line, with its box, rendered font size (the ``Tf`` size times the text
matrix: :meth:`_CharGeometry.size`) and weight (boxes as the page is displayed:
the crop box's corner is the origin, turned by the page's /Rotate: :func:`_turn`;
looked up through a map on the rare page where pdfium's character indices are
not the text's: :func:`_page_text`), and then do the layout work ourselves, in
plain functions over lines:

1. split lines at wide gaps, so that producers that write two columns line by line
   across the page still give one line per column, put back word spaces the
   producer left as gaps, drop glyphs drawn over themselves, and put right-to-left
   text stored in display order in reading order (:func:`_page_lines`);
2. keep what a reader sees: no line outside the crop box, none drawn twice at the
   same place, no word made only of unmapped glyphs, each counted
   (:func:`_visible`);
3. drop running headers and footers: lines in the top or bottom eighth of the page
   that repeat at the same height, digits folded, on at least a third of the pages,
   and page numbers (:func:`_drop_running_lines`);
4. put pages of two or more columns in column order (:func:`_column_order`);
5. replace the lines of ruled tables by their rows, cells in order, on the pages
   that have enough ruling lines to hold a table (:func:`_page_tables`, with the
   lattice method of :mod:`nvreport.ingest.readers.pdf_tables`);
6. group lines into headings (by font size and weight, numbered or not),
   paragraphs and list items, joining words hyphenated across lines
   (:func:`_blocks`).

What was left out is counted per page and reason in the result's
:class:`~nvreport.models.TextAccount`.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise, repeat
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from nvreport.errors import EncryptedDocumentError, NoTextError, UnreadableDocumentError
from nvreport.ingest.normalize import BULLET, count_words, normalize_text, number_depth
from nvreport.ingest.readers.hyphenation import join_hyphenated
from nvreport.ingest.readers.pdf_forms import MAX_DRAWINGS, overloaded_pages
from nvreport.ingest.readers.pdf_tables import (
    MAX_SEGMENTS,
    SAME_LINE,
    Char,
    Edge,
    bounding_box,
    cell_lines,
    cell_texts,
    cells,
    intersections,
    merge_edges,
    table_rows,
    tables,
)
from nvreport.ingest.readers.pdf_tables import Box as _Box
from nvreport.models import CELL_SEPARATOR, Block, BlockKind, ReadResult, TextAccount

# pdfium's marker for a hyphen at a line break: it joins the two lines and puts this
# character where the hyphen was.
_LINE_BREAK_HYPHEN = "\ufffe"
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_MARGIN_SHARE = 1 / 8  # running headers and footers live in the top and bottom eighth
_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|page|s\.)\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:\(|av|/|of)\s*\d{1,4}\s*\)?)?$",
    re.IGNORECASE,
)
# What may stand before a wide gap and still belong to the text after it: a bullet,
# a list number or a section number ("2.1   Fast vårdkontakt").
_MARKER = re.compile(r"^(?:[•\-–—*►▶✓o]|\d{1,2}[.)]|[a-zåäö][.)]|\d+(?:\.\d+)*\.?)$")
_BULLET_START = re.compile(r"^(?:[•\-–—*►▶✓o]|\d{1,2}[.)]|[a-zåäö][.)])\s+")
_SENTENCE_END = (".", "!", "?", ":", ";")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_FORCE_BOLD_FLAG = 1 << 18  # PDF font descriptor flag ForceBold (bit 19)
_MIN_RULINGS_FOR_TABLE = 4

MAX_PAGES = 5000
# PDF points: 200 inches, far beyond any poster; larger pages are broken or hostile
_MAX_PAGE_SIDE = 14_400


def _untyped(function: Any, restype: Any) -> Any:
    """A pypdfium2 raw binding called without argument types.

    The readers call pdfium thousands of times a page (a page Chromium prints has
    one object per glyph), and ctypes's checking and converting of typed
    arguments cost more than pdfium's work; untyped, a call takes about 0.21 µs
    instead of 0.34. The callers pass every pointer as a ctypes object made once
    (a :class:`_Handle`, a ``c_void_p`` of an address), an ``unsigned long`` as a
    ``c_ulong``, and only ``int`` parameters as Python ints (which ctypes passes
    as C ints)."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype)(address)


class _Handle(ctypes.c_void_p):
    """A pointer pdfium returns, kept as a ctypes object (a subclass, so ctypes does
    not turn it into an int): passed on to pdfium as it is, false when NULL."""


_INT, _DOUBLE = ctypes.c_int, ctypes.c_double
_GET_OBJECT = _untyped(pdfium_c.FPDFPage_GetObject, _Handle)
_OBJECT_TYPE = _untyped(pdfium_c.FPDFPageObj_GetType, _INT)
_CHAR_BOX = _untyped(pdfium_c.FPDFText_GetCharBox, _INT)
_LOOSE_CHAR_BOX = _untyped(pdfium_c.FPDFText_GetLooseCharBox, _INT)
_COUNT_RECTS = _untyped(pdfium_c.FPDFText_CountRects, _INT)
_FONT_SIZE = _untyped(pdfium_c.FPDFText_GetFontSize, _DOUBLE)
_FONT_WEIGHT = _untyped(pdfium_c.FPDFText_GetFontWeight, _INT)
#: an int (the address), so that the objects of two characters compare
_TEXT_OBJECT = _untyped(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
_CHAR_MATRIX = _untyped(pdfium_c.FPDFText_GetMatrix, _INT)
_FONT_INFO = _untyped(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong)


def _address(handle: Any) -> int:
    """The address a pypdfium2 raw handle points to."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


@dataclass(frozen=True)
class Line:
    """One printed line (or one column's part of it) with its geometry.

    Coordinates are in points from the top-left corner of the page, like
    pdfplumber's: ``top`` grows downwards.
    """

    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    row: int = -1  # pieces of one printed line split at wide gaps share a row (table cells)
    left_edge: float = 0.0  # the left edge of the column the line stands in
    edge: float = 0.0  # the right edge of the column the line stands in

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _with_edges(line: Line, left_edge: float, edge: float, text: str | None = None) -> Line:
    """``line`` with the edges of its column, and other text when given
    (dataclasses.replace, without its cost)."""
    return Line(
        line.text if text is None else text,
        line.page,
        line.x0,
        line.x1,
        line.top,
        line.bottom,
        line.size,
        line.bold,
        line.row,
        left_edge,
        edge,
    )


@dataclass(frozen=True)
class _TableRows:
    """The rows of a ruled table and the box it stands in (top-left coordinates)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    rows: tuple[str, ...]

    def holds(self, line: Line | _TableRows) -> bool:
        middle_x = (line.x0 + line.x1) / 2
        middle_y = (line.top + line.bottom) / 2
        return self.x0 <= middle_x <= self.x1 and self.top <= middle_y <= self.bottom


def read_pdf(path: Path, pages: Sequence[PageRead] | None = None) -> ReadResult:
    """Read a PDF into blocks with page numbers; see the module docstring. ``pages``:
    every page as :func:`read_page_range` read it, when other processes read them
    (the rest is the same: what is found across pages is found here)."""
    document = _open(path)
    try:
        page_count = len(document)
        _check_page_count(path, page_count)
        overloaded = overloaded_pages(path)
        if pages is None or len(pages) != page_count:
            pages = [
                _page_or_none(document, number, path, overloaded)
                for number in range(1, page_count + 1)
            ]
    finally:
        document.close()
    return _assemble(path, page_count, pages, overloaded)


def read_page_range(path: Path, part: int, parts: int) -> list[PageRead]:
    """The pages of the ``part``-th (0-based) of ``parts`` even page ranges of a PDF,
    read as :func:`read_pdf` reads them: how several processes read one PDF, each a
    range, for :func:`read_pdf` to put together."""
    document = _open(path)
    try:
        page_count = len(document)
        _check_page_count(path, page_count)
        overloaded = overloaded_pages(path)
        first = part * page_count // parts + 1
        last = (part + 1) * page_count // parts
        return [
            _page_or_none(document, number, path, overloaded) for number in range(first, last + 1)
        ]
    finally:
        document.close()


def _check_page_count(path: Path, page_count: int) -> None:
    if page_count > MAX_PAGES:
        raise UnreadableDocumentError(
            path, f"{page_count} pages; nvreport reads at most {MAX_PAGES}"
        )
    if page_count == 0:
        raise UnreadableDocumentError(path, "the PDF has no pages (damaged?)")


def _page_or_none(
    document: pdfium.PdfDocument, number: int, path: Path, overloaded: dict[int, int]
) -> PageRead:
    if number in overloaded:  # pdfium would expand its forms until memory ran out
        return PageRead([], 0.0, [], _PageCount())
    return _read_page(document, number, path)


def _assemble(
    path: Path, page_count: int, reads: Sequence[PageRead], overloaded: dict[int, int]
) -> ReadResult:
    """The document from its pages: what only the whole shows (running headers,
    columns, the body size, paragraphs across pages, warnings)."""
    pages: list[list[Line]] = []
    heights: list[float] = []
    tables: dict[int, list[_TableRows]] = {}
    skipped: list[int] = []
    counts: list[_PageCount] = []
    for number, read in enumerate(reads, start=1):
        lines = read.lines
        if lines is None:
            skipped.append(number)
            lines = []
        pages.append(lines)
        heights.append(read.height)
        counts.append(read.count)
        if read.tables:
            tables[number] = read.tables

    if overloaded and len(overloaded) + len(skipped) == page_count:
        raise UnreadableDocumentError(
            path,
            f"every page draws nested forms that expand to more than {MAX_DRAWINGS:,} "
            "drawings (a form bomb?); not read",
        )
    if len(skipped) == page_count:
        raise UnreadableDocumentError(
            path, "no page could be read: every page is damaged or has an absurd size"
        )
    if not any(line.text.strip() for lines in pages for line in lines):
        raise NoTextError(
            path,
            f"no text layer on any of its {page_count} pages (a scanned document?); "
            "it needs OCR before nvreport can read it: run again with --ocr (which needs "
            "tesseract with Swedish language data: apt install tesseract-ocr "
            'tesseract-ocr-swe, and pip install "nvreport[ocr]")',
        )

    pages, running = _drop_running_lines(pages, heights, tables)
    body_size = _body_size(pages)
    items: list[Line | _TableRows] = []
    for number, lines in enumerate(pages, start=1):
        ordered = _column_order(lines)
        items.extend(_merge_tables(_group_rows(ordered), tables.get(number, [])))
    blocks = tuple(_blocks(items, body_size))
    warnings: list[str] = []
    if skipped:
        warnings.append(f"pages skipped as damaged or of an absurd size: {_page_list(skipped)}")
    if overloaded:
        warnings.append(
            f"{_pages(sorted(overloaded))} skipped: drawings nested in drawings (form "
            f"XObjects) that expand to more than {MAX_DRAWINGS:,} drawings, far more than "
            "any report needs (a form bomb?)"
        )
    empty_pages = sum(1 for lines in pages if not lines) - len(skipped) - len(overloaded)
    if empty_pages and empty_pages >= page_count / 2:
        warnings.append(f"{empty_pages} of {page_count} pages have no text (scanned pages?)")
    if garbled := _garbled_pages(pages, counts):
        warnings.append(garbled)
    if reversed_pages := [n for n, count in enumerate(counts, 1) if count.visual_order]:
        warnings.append(
            "right-to-left text stored in display order was put in reading order on "
            f"{_pages(reversed_pages)}; check those passages"
        )
    return ReadResult(
        blocks=blocks,
        pages=page_count,
        warnings=tuple(warnings),
        account=_account(counts, running),
    )


def _page_list(pages: list[int], limit: int = 10) -> str:
    """``[3, 4, 9]`` as "3, 4, 9", the first ``limit`` of them."""
    return ", ".join(map(str, pages[:limit])) + (" …" if len(pages) > limit else "")


def _pages(pages: list[int]) -> str:
    """``[3]`` as "page 3", ``[3, 4, 9]`` as "pages 3, 4, 9"."""
    return ("page " if len(pages) == 1 else "pages ") + _page_list(pages)


@dataclass
class _PageCount:
    """What one page's text layer held and what the reader left out of it (words)."""

    layer: int = 0
    outside: int = 0
    duplicate: int = 0
    unreadable: int = 0
    #: characters the font could not map: U+FFFD, private-use, or glyphs pdfium
    #: found no character for at all
    unmapped_chars: int = 0
    visual_order: bool = False  # right-to-left lines were stored in display order


def _account(counts: list[_PageCount], running: list[tuple[int, int]]) -> TextAccount:
    """The document's :class:`TextAccount` from its pages' counts and the words of
    running headers and footers and page numbers dropped per page."""
    header_footer = sum(found for found, _ in running)
    page_numbers = sum(found for _, found in running)
    page_words = tuple(
        max(0, count.layer - count.outside - count.duplicate - count.unreadable - a - b)
        for count, (a, b) in zip(counts, running, strict=True)
    )
    left_out = (
        ("header_footer", header_footer),
        ("page_number", page_numbers),
        ("outside_page", sum(count.outside for count in counts)),
        ("duplicate", sum(count.duplicate for count in counts)),
        ("unreadable", sum(count.unreadable for count in counts)),
    )
    return TextAccount(
        layer_words=sum(count.layer for count in counts),
        left_out=left_out,
        page_words=page_words,
    )


#: Characters that stand for a glyph the font could not map to text: the
#: replacement character, the private-use areas, and C0/C1 controls. U+F000–F0FF is
#: left out: there Word's Symbol and Wingdings fonts put their bullets and arrows.
_UNMAPPED_CLASS = (
    r"[\ufffd\ue000-\uefff\uf100-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_UNMAPPED = re.compile(_UNMAPPED_CLASS)
#: A whole word made only of such characters: nothing an analyst can read.
_UNMAPPED_WORD = re.compile(rf"(?<!\S){_UNMAPPED_CLASS}+(?!\S)")
#: Share of a page's non-space characters that may be unmapped before the page is
#: named in a warning, and the count from which a page is named whatever its size.
_UNMAPPED_SHARE = 0.01
_UNMAPPED_COUNT = 20


def _garbled_pages(pages: list[list[Line]], counts: list[_PageCount]) -> str | None:
    """A warning naming the pages whose text layer has glyphs the fonts do not map
    to characters, or whose Latin letters look shifted; None when none does.

    Judged per page by unmapped glyphs (replacement and private-use characters,
    glyphs without any character), which works for every script; the share of
    vowels is looked at only in Latin-script text (see :func:`garbled_text`)."""
    unmapped_pages: list[int] = []
    unmapped = 0
    for number, (lines, count) in enumerate(zip(pages, counts, strict=True), start=1):
        characters = sum(len(line.text) - line.text.count(" ") for line in lines)
        characters += count.unmapped_chars
        if count.unmapped_chars and (
            count.unmapped_chars >= _UNMAPPED_COUNT
            or count.unmapped_chars >= _UNMAPPED_SHARE * max(characters, 1)
        ):
            unmapped_pages.append(number)
            unmapped += count.unmapped_chars
    reasons: list[str] = []
    if unmapped_pages:
        reasons.append(
            f"{unmapped} glyphs without a character (unmapped, shown as U+FFFD or "
            f"private-use) on {_pages(unmapped_pages)}"
        )
    page_texts = [" ".join(line.text for line in lines) for lines in pages]
    if unmapped_pages:  # said already: judge the rest of the text without them
        page_texts = [_UNMAPPED.sub("", text) for text in page_texts]
    if why := garbled_text(" ".join(page_texts)):
        shifted = [number for number, text in enumerate(page_texts, 1) if garbled_text(text)]
        where = _pages(shifted) if shifted else "the document as a whole"
        reasons.append(f"{why} (fonts without a map to Unicode?), on {where}")
    if not reasons:
        return None
    return (
        "the text layer looks garbled: "
        + "; ".join(reasons)
        + "; check the text in passages.csv, or run OCR"
    )


_VOWEL = re.compile(r"[aeiouyåäöéüæø]", re.IGNORECASE)
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
#: Characters looked at: enough to judge, few enough to cost nothing.
_SAMPLE = 50_000


def garbled_text(text: str) -> str | None:
    """Why ``text`` looks like a text layer whose fonts map glyphs to the wrong
    characters (None: it looks like text), for text of some length.

    A font without a map to Unicode gives symbols ("#$%&'()"), unmapped glyphs
    (U+FFFD, private-use characters), or letters shifted in the alphabet
    ("Sfhjpofo"). Text in any script has letters or digits in nearly every
    character that is not a space, and few unmapped glyphs. Only in text written
    mostly in Latin letters is the share of vowels looked at: Swedish and English
    have about 36% vowels among their letters, shifted letters far fewer; Chinese,
    Japanese, Korean or Arabic text has no Latin vowels at all and is not judged by
    them.
    """
    sample = "".join(text[:_SAMPLE].split())
    if len(sample) < 200:
        return None
    unmapped = len(_UNMAPPED.findall(sample))
    if unmapped >= _UNMAPPED_COUNT or unmapped >= _UNMAPPED_SHARE * len(sample) > 2:
        return f"{unmapped} of its characters are unmapped glyphs"
    # counted as the regular expressions \w and [^\W\d_] count, without a list of
    # matches: \w is what str.isalnum accepts and "_", \d what str.isdecimal accepts
    alphanumeric = sum(map(str.isalnum, sample))
    word_share = (alphanumeric + sample.count("_")) / len(sample)
    if word_share < 0.5:
        return f"only {word_share:.0%} of its characters are letters or digits"
    letters = alphanumeric - sum(map(str.isdecimal, sample))
    latin = len(_LATIN_LETTER.findall(sample))
    if letters >= 200 and latin >= 0.8 * letters:
        vowel_share = len(_VOWEL.findall(sample)) / latin
        if vowel_share < 0.2:
            return f"only {vowel_share:.0%} of its letters are vowels"
    return None


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise UnreadableDocumentError(
            path, f"cannot open the file: {error.strerror}", transient=True
        ) from None
    if b"%PDF-" not in head:
        raise UnreadableDocumentError(path, "not a PDF file (no %PDF header); is it misnamed?")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedDocumentError(
                path, "the PDF is encrypted with a password; save an unprotected copy"
            ) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedDocumentError(
                path, "the PDF uses an unsupported encryption scheme"
            ) from None
        raise UnreadableDocumentError(
            path, "the PDF is damaged or truncated and cannot be opened"
        ) from None


class PageRead(NamedTuple):
    """One page as :func:`_read_page` found it: its lines (None when the page
    cannot be read or has an absurd size), height, ruled tables and word counts."""

    lines: list[Line] | None
    height: float
    tables: list[_TableRows]
    count: _PageCount


#: How far (points) a line's middle may stand outside the page's crop box and still
#: be read: a glyph touching the edge is printed.
_OUTSIDE_TOLERANCE = 2.0


def _read_page(document: pdfium.PdfDocument, number: int, path: Path) -> PageRead:
    """Read one page: the lines a reader of the printed page sees, in pdfium's
    order, with what its text layer held and what was left out."""
    count = _PageCount()
    try:
        page = document[number - 1]
    except pdfium.PdfiumError:
        return PageRead(None, 0.0, [], count)
    try:
        width, height = page.get_size()  # as displayed: the crop box, turned by /Rotate
        if not (0 < width < _MAX_PAGE_SIDE and 0 < height < _MAX_PAGE_SIDE):
            return PageRead(None, 0.0, [], count)
        turn = _turn(page)
        rulings = _rulings(page, height, turn)
        textpage = page.get_textpage()
        try:
            text, indices = _page_text(textpage)
            count.layer = count_words(text.replace(_LINE_BREAK_HYPHEN, ""))
            count.unmapped_chars = max(0, textpage.count_chars() - _units(text))
            ruled = _MIN_RULINGS_FOR_TABLE <= len(rulings) <= MAX_SEGMENTS
            spans: list[_Span] | None = [] if ruled else None
            geometry = _CharGeometry(textpage, turn, indices)
            lines = _page_lines(geometry, text, number, height, spans)
            count.visual_order = geometry.reordered
            count.duplicate += geometry.duplicate_words
            lines = _visible(lines, width, height, count)
            tables: list[_TableRows] = []
            if spans is not None:
                try:
                    tables = _page_tables(geometry, text, spans, rulings, number, height)
                except Exception:  # the page's text stands as lines: nothing is lost
                    tables = []
        finally:
            textpage.close()
    finally:
        page.close()
    return PageRead(lines, height, tables, count)


def _units(text: str) -> int:
    """How many characters pdfium counts in ``text``: UTF-16 units (counted by the
    codec rather than character by character in Python)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _visible(lines: list[Line], width: float, height: float, count: _PageCount) -> list[Line]:
    """The lines a reader of the page sees, counting in ``count`` the words of the
    others: lines outside the crop box (invisible text below an overfull page, the
    facing page of a spread, the rest of a content stream that several pages show
    through windows), a line drawn again at the same place (a bold effect), and
    words made only of glyphs without a character."""
    kept: list[Line] = []
    seen: set[tuple[str, int, int]] = set()
    low, high = -_OUTSIDE_TOLERANCE, _OUTSIDE_TOLERANCE
    for line in lines:
        middle_x, middle_y = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
        if not (low <= middle_x <= width + high and low <= middle_y <= height + high):
            count.outside += count_words(line.text)
            continue
        # the same text within a point or two of itself: drawn twice
        place = (line.text, round(line.x0 / 2), round(line.top / 2))
        if place in seen:
            count.duplicate += count_words(line.text)
            continue
        seen.add(place)
        if _UNMAPPED.search(line.text):
            count.unmapped_chars += len(_UNMAPPED.findall(line.text))
            cleaned = " ".join(_UNMAPPED_WORD.sub(" ", line.text).split())
            count.unreadable += len(line.text.split()) - len(cleaned.split())
            count.layer += len(line.text.split()) - len(cleaned.split())
            if not cleaned:
                continue
            line = _with_edges(line, line.left_edge, line.edge, cleaned)
        kept.append(line)
    return kept


#: A box (left, right, bottom, top) in a page's own coordinates, turned to the page
#: as displayed (see :func:`_turn`).
_Turn = Callable[[float, float, float, float], tuple[float, float, float, float]]


def _turn(page: pdfium.PdfPage) -> _Turn | None:
    """How to turn boxes in the page's own coordinates (where pdfium gives them) into
    the page as displayed, for a page with /Rotate or whose crop box does not start
    at (0, 0); None for one that needs nothing.

    The displayed page is the crop box: its lower left corner becomes (0, 0), so that
    what lies outside it has coordinates outside (0, 0)–(width, height).
    A landscape table is often drawn sideways on a portrait page that /Rotate
    turns upright: pdfium gives its text in reading order, but the boxes of its
    characters in the page's own coordinates, where its lines run up the page. In
    display coordinates (origin bottom-left, as pdfium's) they run across it again,
    and the layout rules hold."""
    rotation = page.get_rotation() % 360
    x0, y0, x1, y1 = page.get_bbox()  # the crop box, within the media box
    if rotation not in (90, 180, 270):
        if abs(x0) < 0.01 and abs(y0) < 0.01:
            return None
        return lambda left, right, bottom, top: (left - x0, right - x0, bottom - y0, top - y0)
    if rotation == 90:
        return lambda left, right, bottom, top: (bottom - y0, top - y0, x1 - right, x1 - left)
    if rotation == 180:
        return lambda left, right, bottom, top: (x1 - right, x1 - left, y1 - top, y1 - bottom)
    return lambda left, right, bottom, top: (y1 - top, y1 - bottom, left - x0, right - x0)


def _rulings(page: pdfium.PdfPage, page_height: float, turn: _Turn | None = None) -> list[Edge]:
    """The page's (top-level) objects that are rulings: thin horizontal or vertical
    paths, not pictures, as edges along their middle. Raw pdfium calls: no Python
    object per page object, and the page's raw handle (a pypdfium2 object costs a
    Python call per C call: a page printed by Chromium has thousands of objects)."""
    raw = page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw)
    if count < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    get_object, get_type, get_bounds = _GET_OBJECT, _OBJECT_TYPE, pdfium_c.FPDFPageObj_GetBounds
    path_type, page_address = pdfium_c.FPDF_PAGEOBJ_PATH, ctypes.c_void_p(_address(raw))
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    rulings: list[Edge] = []
    for index in range(count):
        address = get_object(page_address, index)
        if not address:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        if get_type(address) != path_type:
            continue
        obj = ctypes.cast(address, pdfium_c.FPDF_PAGEOBJECT)
        if not get_bounds(obj, left, bottom, right, top):
            raise pdfium.PdfiumError("Failed to locate pageobject.")
        if turn is None:
            x0, x1, low, high = left.value, right.value, bottom.value, top.value
        else:
            x0, x1, low, high = turn(left.value, right.value, bottom.value, top.value)
        y0, y1 = page_height - high, page_height - low  # from the top
        if not all(map(math.isfinite, (x0, x1, y0, y1))):
            continue  # a damaged or hostile object
        width, height = x1 - x0, y1 - y0
        if height < 3 and width > 10:
            middle = (y0 + y1) / 2
            rulings.append(Edge(True, x0, middle, x1, middle))
        elif width < 3 and height > 10:
            middle = (x0 + x1) / 2
            rulings.append(Edge(False, middle, y0, middle, y1))
    return rulings


def _page_tables(
    geometry: _CharGeometry,
    text: str,
    spans: list[_Span],
    rulings: list[Edge],
    page: int,
    height: float,
) -> list[_TableRows]:
    """The ruled tables the page's rulings make, each row's cells in order. Only the
    characters of printed lines level with a table are looked at."""
    found = tables(cells(intersections(merge_edges(rulings))))
    if not found:
        return []
    result: list[_TableRows] = []
    for table in found:
        _, top, _, bottom = bounding_box(table)
        level = [
            (start, end)
            for start, end, span_top, span_bottom in spans
            if span_top < bottom + _TABLE_MARGIN and span_bottom > top - _TABLE_MARGIN
        ]
        chars = _page_chars(geometry, text, level, height)
        texts = cell_texts(table, chars)
        lines = cell_lines(table, chars)
        rows = (
            _table_row(texts_of_row)
            for row in table_rows(table)
            for texts_of_row in _unruled_rows(row, lines)
            or [[None if cell is None else texts[cell] for cell in row]]
        )
        kept = tuple(row for row in rows if row)
        if kept:
            result.append(_TableRows(page, *bounding_box(table), kept))
    return result


def _unruled_rows(
    row: list[_Box | None], lines: dict[_Box, list[tuple[float, str]]]
) -> list[list[str | None]]:
    """The rows of data that one ruled row holds when the table draws no rule
    between them: every printed line of the row has text in two or more cells, the
    first filled cell among them (a row's label). A cell whose text merely wraps
    onto more lines than the others leaves the row as it is: []."""
    filled = [cell for cell in row if cell is not None and lines.get(cell)]
    if len(filled) < 2 or all(len(lines[cell]) < 2 for cell in filled):
        return []
    heights = sorted(height for cell in filled for height, _ in lines[cell])
    clusters: list[list[float]] = []
    for height in heights:
        if clusters and height - clusters[-1][-1] < SAME_LINE:
            clusters[-1].append(height)
        else:
            clusters.append([height])
    if len(clusters) < 2:
        return []
    middles = [sum(cluster) / len(cluster) for cluster in clusters]

    def line_at(cell: _Box, middle: float) -> str | None:
        return next(
            (text for height, text in lines[cell] if abs(height - middle) < SAME_LINE), None
        )

    split = [
        [None if cell is None or not lines.get(cell) else line_at(cell, middle) for cell in row]
        for middle in middles
    ]
    label = row.index(filled[0])
    for texts in split:
        if sum(1 for text in texts if text) < 2 or texts[label] is None:
            return []
    return split


def _page_chars(
    geometry: _CharGeometry, text: str, spans: list[tuple[int, int]], height: float
) -> list[Char]:
    """The printed characters of these spans of the page's text, in order, with the
    middle of each one's box (from the top). A hyphen pdfium marks as breaking a word
    at a line end is a hyphen again."""
    chars: list[Char] = []
    for index in (index for start, end in spans for index in range(start, end)):
        char = text[index]
        found = None if char.isspace() else geometry.loose_box(index)
        if found is None:
            continue
        left, right, low, high = found
        x, y = (left + right) / 2, height - (high + low) / 2
        if char == _LINE_BREAK_HYPHEN:
            chars.append(Char(index, "-", x, y, left, right, line_end=True))
        else:
            chars.append(Char(index, char, x, y, left, right))
    return chars


class _CharGeometry:
    """Cached ctypes calls into pdfium for one text page (on its raw handle: a
    pypdfium2 object costs a Python call per C call)."""

    def __init__(
        self,
        textpage: pdfium.PdfTextPage,
        turn: _Turn | None = None,
        indices: list[int] | None = None,
    ) -> None:
        self.textpage = ctypes.c_void_p(_address(textpage.raw))  # alive as long as ``textpage`` is
        self._turn = turn
        self._indices = indices  # pdfium's index of each character, when not its own
        self._box = (ctypes.c_double * 4)()  # left, right, bottom, top
        first, size = ctypes.addressof(self._box), ctypes.sizeof(ctypes.c_double)
        self._box_addresses = tuple(ctypes.c_void_p(first + side * size) for side in range(4))
        self._loose = pdfium_c.FS_RECTF()
        self._loose_address = ctypes.c_void_p(ctypes.addressof(self._loose))
        self._name = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()
        self._name_address = ctypes.c_void_p(ctypes.addressof(self._name))
        self._name_size = ctypes.c_ulong(len(self._name))
        self._flags_address = ctypes.c_void_p(ctypes.addressof(self._flags))
        self._bold_names: dict[bytes, bool] = {}  # font name -> does it say bold
        self._matrix = pdfium_c.FS_MATRIX()
        self._matrix_address = ctypes.c_void_p(ctypes.addressof(self._matrix))
        #: right-to-left lines were found in display order and put in reading order
        self.reordered = False
        #: words of glyphs drawn again over themselves, left out of the lines
        self.duplicate_words = 0

    def box(self, index: int) -> tuple[float, float, float, float]:
        """(left, right, bottom, top) in PDF coordinates (origin bottom-left)."""
        if self._indices is not None:
            index = self._indices[index]
        _CHAR_BOX(self.textpage, index, *self._box_addresses)
        left, right, bottom, top = self._box
        if self._turn is not None:
            return self._turn(left, right, bottom, top)
        return left, right, bottom, top

    def loose_box(self, index: int) -> tuple[float, float, float, float] | None:
        """The box pdfium gives a character for hit tests (the font's full height, not
        the glyph's ink), like :meth:`box`; None when it has none."""
        if self._indices is not None:
            index = self._indices[index]
        box = self._loose
        if not _LOOSE_CHAR_BOX(self.textpage, index, self._loose_address):
            return None
        if self._turn is not None:
            return self._turn(box.left, box.right, box.bottom, box.top)
        return box.left, box.right, box.bottom, box.top

    def pieces(self, start: int, count: int) -> int:
        """How many separate boxes pdfium makes of these characters: it starts a new
        one where there is a gap, so one box means no gap worth measuring."""
        if self._indices is not None:
            end = self._indices[start + count - 1] + 1
            start = self._indices[start]
            count = end - start
        return _COUNT_RECTS(self.textpage, start, count)

    def piece_starts(self, start: int, count: int) -> list[tuple[int, float]]:
        """Where a new text object begins among these characters, as (text index of
        its first character, gap in points from the character before it, between
        their advances: the font's loose boxes), for a
        page that is not turned and whose characters are their own indices; []
        otherwise. Spaces are skipped: only glyphs that touch a new object count."""
        if self._turn is not None or self._indices is not None:
            return []
        found: list[tuple[int, float]] = []
        page, loose, address = self.textpage, self._loose, self._loose_address
        # the text object of each character, asked of pdfium in one pass (a page
        # Chromium prints has an object for nearly every glyph: no Python per call)
        objects = list(map(_TEXT_OBJECT, repeat(page, count), range(start, start + count)))
        right_of = -1, 0.0  # the character whose right edge was asked last, and it
        for offset in range(1, count):
            current, previous = objects[offset], objects[offset - 1]
            if current == previous or not previous or not current:
                continue
            index = start + offset
            if right_of[0] == index - 1:
                before = right_of[1]
            elif _LOOSE_CHAR_BOX(page, index - 1, address):
                before = loose.right
            else:
                continue
            if not _LOOSE_CHAR_BOX(page, index, address):
                continue
            found.append((index, loose.left - before))
            right_of = index, loose.right
        return found

    def size(self, index: int) -> float:
        """The size the character is rendered at: the font size of its ``Tf`` times
        the vertical scale of its matrix (text matrix and page transformation).

        Many producers (Quartz, Distiller, InDesign, iText, PDFium, Excel) write
        ``/F1 1 Tf`` and put the size into the text matrix; the ``Tf`` operand alone
        would give every line size 1."""
        if self._indices is not None:
            index = self._indices[index]
        size = _FONT_SIZE(self.textpage, index)
        if _CHAR_MATRIX(self.textpage, index, self._matrix_address):
            matrix = self._matrix
            scale = math.hypot(matrix.c, matrix.d)
            if math.isfinite(scale) and scale > 0:
                size *= scale
        return round(size, 1) if math.isfinite(size) else 0.0

    def bold(self, index: int) -> bool:
        if self._indices is not None:
            index = self._indices[index]
        if _FONT_WEIGHT(self.textpage, index) >= 600:
            return True
        _FONT_INFO(self.textpage, index, self._name_address, self._name_size, self._flags_address)
        if self._flags.value & _FORCE_BOLD_FLAG:
            return True
        name = self._name.value
        bold = self._bold_names.get(name)
        if bold is None:
            bold = bool(_BOLD_NAME.search(name.decode("latin-1", "replace")))
            self._bold_names[name] = bold
        return bold


def _page_text(textpage: pdfium.PdfTextPage) -> tuple[str, list[int] | None]:
    """The page's text and, when its characters are not one pdfium index each, the
    pdfium index of each (None: each character's index is its own).

    pdfium counts a character outside the Basic Multilingual Plane (an emoji, a
    mathematical letter) as two, its UTF-16 units, and leaves out of the text a
    glyph without a Unicode value (an emoji the font cannot name). Without the map,
    every box after one would be a neighbour's. Such pages are rare, so the map is
    asked of pdfium character by character, there only."""
    text = textpage.get_text_range()
    count = textpage.count_chars()
    if len(text) == count:
        return text, None
    units = accumulate((2 if ord(char) > 0xFFFF else 1 for char in text), initial=0)
    char_index, raw = pdfium_c.FPDFText_GetCharIndexFromTextIndex, textpage.raw
    indices = [char_index(raw, unit) for unit in list(units)[:-1]]
    if all(0 <= index < count for index in indices):
        return text, indices
    return text[:count], None  # no map: the text, with what geometry there is


#: A printed line as characters [start, end) of the page's text, and its top and bottom.
_Span = tuple[int, int, float, float]
#: Lines this close (points) above or below a table may hold characters of its cells.
_TABLE_MARGIN = 6.0


def _page_lines(
    geometry: _CharGeometry,
    text: str,
    page: int,
    height: float,
    spans: list[_Span] | None = None,
) -> list[Line]:
    """The printed lines of one page in pdfium's (content) order. Where each line
    break delimited stretch of the text stands goes to ``spans``, when given (a page
    with ruling lines: for the tables)."""
    lines: list[Line] = []
    start = 0
    for match in [*_LINE_BREAKS.finditer(text), None]:
        end = match.start() if match else len(text)
        pieces = list(_line_pieces(text, start, end, geometry, page, height))
        if pieces:
            lines.extend(pieces)
            if spans is not None:
                top = min(piece.top for piece in pieces)
                spans.append((start, end, top, max(piece.bottom for piece in pieces)))
        if match:
            start = match.end()
    return lines


def _line_pieces(
    text: str, start: int, end: int, geometry: _CharGeometry, page: int, height: float
) -> Iterator[Line]:
    """Cut the characters [start, end) at line-break hyphens and at wide gaps.

    A wide gap separates columns or table cells that the producer wrote on one
    line; the pieces of such a line share a ``row``, so table cells can come out as
    one row. A justified line's stretched word spaces are not wide gaps: a gap
    counts only when it is much wider than the line's narrowest word space.
    """
    gaps, spaces = _wide_gaps(text, start, end, geometry)
    cuts: list[tuple[int, int, bool]] = []  # (start, end, ends with a line-break hyphen)
    piece_start = start
    hyphen = text.find(_LINE_BREAK_HYPHEN, start, end)
    if hyphen >= 0 or gaps:  # else the line is one piece (most lines)
        hyphens = []
        while 0 <= hyphen < end:
            hyphens.append(hyphen)
            hyphen = text.find(_LINE_BREAK_HYPHEN, hyphen + 1, end)
        cut_at = sorted({*hyphens, *gaps}) if hyphens else sorted(gaps)
        for index in cut_at:
            cuts.append((piece_start, index, text[index] == _LINE_BREAK_HYPHEN))
            piece_start = index + 1
    cuts.append((piece_start, end, False))
    row = start if gaps else -1
    for piece_start, piece_end, hyphen in cuts:
        line = _make_line(text, piece_start, piece_end, hyphen, geometry, page, height, row, spaces)
        if line is not None:
            yield line


def _wide_gaps(
    text: str, start: int, end: int, geometry: _CharGeometry
) -> tuple[set[int], tuple[int, ...]]:
    """Indices of the spaces in [start, end) that are gaps between cells or columns,
    and the indices of characters before which the producer moved the pen as far
    as a word space without writing one ("but" … "the"): a space goes there."""
    if end - start < 3:
        return set(), ()
    pieces = geometry.pieces(start, end - start)
    spaces = text.count(" ", start, end)
    unwritten: tuple[int, ...] = ()
    if end - start >= 2 * _LONGEST_WORD and (end - start) / (spaces + 1) > _LONGEST_WORD:
        # a line of run-together "words": spaces made by kerning, not written
        unwritten = _glyph_gaps(text, start, end, geometry)
    if pieces <= 1:
        return set(), unwritten
    if pieces > spaces + 1 and not unwritten:
        # pdfium makes a box per text object; a line with more of them than
        # written word spaces may have a word space where an object begins
        unwritten = _object_gaps(text, start, end, pieces, geometry)
    return _gaps_between_cells(text, start, end, geometry), unwritten


#: Characters per written word beyond which a line is taken to lack its spaces.
_LONGEST_WORD = 20


def _em(index: int, geometry: _CharGeometry) -> float:
    """The font's em at a character, from its loose box (about 1.2 em high): it does
    not depend on how the producer split the size between Tf and the matrix."""
    loose = geometry.loose_box(index)
    height = (loose[3] - loose[2]) if loose else 0.0
    return height / 1.2 if height > 2 else (geometry.size(index) or 10.0)


def _object_gaps(
    text: str, start: int, end: int, pieces: int, geometry: _CharGeometry
) -> tuple[int, ...]:
    """Word spaces where a text object begins at a gap from the glyph before it."""
    starts = geometry.piece_starts(start, end - start)
    if not starts:
        return ()
    em = _em(starts[0][0], geometry)
    usual = 0.0
    if (end - start) / pieces <= 2.5:
        # letter-spaced text set glyph by glyph has a gap at every object: a word
        # space must stand out from them
        usual = sorted(gap for _, gap in starts)[len(starts) // 2]
    return tuple(
        index
        for index, gap in starts
        if not text[index].isspace()
        and not text[index - 1].isspace()
        and text[index - 1] != _LINE_BREAK_HYPHEN
        and gap > usual + _WORD_GAP * em
    )


#: The narrowest gap (share of an em) between the advances of two glyphs taken for
#: a word space: letters of a word touch (kerning moves them a few hundredths), a
#: space is about 0.25 em, and a squeezed justified line keeps more than 0.1.
_WORD_GAP = 0.1


def _glyph_gaps(text: str, start: int, end: int, geometry: _CharGeometry) -> tuple[int, ...]:
    """Word spaces in a line written without them: the gaps between two glyphs'
    advances that are clearly wider than the line's usual gap between letters."""
    boxes = [
        (index, box)
        for index in range(start, end)
        if not text[index].isspace()
        and text[index] != _LINE_BREAK_HYPHEN
        and (box := geometry.loose_box(index)) is not None
    ]
    gaps = [
        (index, box[0] - before[1])
        for (_, before), (index, box) in pairwise(boxes)
        if index - 1 >= start and not text[index - 1].isspace()
    ]
    if len(gaps) < 4:
        return ()
    usual = max(0.0, sorted(gap for _, gap in gaps)[len(gaps) // 2])
    em = _em(start, geometry)
    return tuple(index for index, gap in gaps if gap > usual + _WORD_GAP * em)


def _gaps_between_cells(text: str, start: int, end: int, geometry: _CharGeometry) -> set[int]:
    """Indices of the spaces in [start, end) that are gaps between cells or columns."""
    widths: dict[int, float] = {}
    candidates: list[int] = []
    size = 0.0  # the line's font size, asked of pdfium once
    for index in range(start + 1, end - 1):
        if text[index] != " " or text[index - 1].isspace() or text[index + 1].isspace():
            continue
        width = geometry.box(index + 1)[0] - geometry.box(index - 1)[1]
        widths[index] = width
        size = size or geometry.size(index - 1) or 10.0
        if width > 1.6 * size:
            head = text[start:index].strip()
            if not (len(head) <= 8 and _MARKER.match(head)):
                candidates.append(index)
    if not candidates:
        return set()
    narrow = [width for index, width in widths.items() if index not in candidates]
    normal = min(narrow) if narrow else None
    wide: set[int] = set()
    for index in candidates:
        if (normal is not None and widths[index] >= 2.5 * max(normal, 1.0)) or (
            widths[index] > 3 * size
        ):
            wide.add(index)
    return wide


def _make_line(
    text: str,
    start: int,
    end: int,
    hyphen: bool,
    geometry: _CharGeometry,
    page: int,
    height: float,
    row: int = -1,
    spaces: tuple[int, ...] = (),
) -> Line | None:
    raw = text[start:end]
    stripped = raw.strip()
    hyphen = hyphen or stripped.endswith("\u00ad")
    if not stripped:
        return None
    first = start + (len(raw) - len(raw.lstrip()))
    last = start + len(raw.rstrip()) - 1
    inserted = [index for index in spaces if first < index <= last]
    if inserted:  # word spaces the producer left out; the boxes stay the text's own
        bounds = [first, *inserted, last + 1]
        stripped = " ".join(text[a:b] for a, b in pairwise(bounds))
    # the line's height from the font's (loose) boxes: glyphs of one printed line
    # share it, where their ink (tight boxes) does not
    left, _, bottom_first, top_first = geometry.loose_box(first) or geometry.box(first)
    _, right, bottom_last, top_last = geometry.loose_box(last) or geometry.box(last)
    if right < left:  # drawn right to left
        left, right = min(left, right, geometry.box(last)[0]), max(left, right)
    # the size and weight of the first and last letters (not a bullet or a digit)
    head = next((i for i in range(first, min(last, first + 8) + 1) if text[i].isalpha()), first)
    tail = next((i for i in range(last, max(first, last - 8) - 1, -1) if text[i].isalpha()), last)
    size = geometry.size(head)
    bold = geometry.bold(head)
    if tail != head:
        size = max(size, geometry.size(tail))
        bold = bold and geometry.bold(tail)
    top = height - max(top_first, top_last)
    bottom = height - min(bottom_first, bottom_last)
    if (
        last - first >= 8
        and size > 0
        and (right - left) < _OVERPRINTED * _AVERAGE_ADVANCE * size * (last - first + 1)
    ):
        stripped = _without_overprint(stripped, first, last, text, geometry)
    if _letter_spaced(stripped) and len(stripped) == last - first + 1:
        stripped = _respaced(first, last, text, geometry) or stripped
    if _RIGHT_TO_LEFT.search(stripped):
        stripped = _reading_order(stripped, first, last, text, geometry)
    line_text = normalize_text(stripped)
    if hyphen:
        line_text += "-"
    return Line(line_text, page, left, right, top, bottom, size, bold, row=row)


def _letter_spaced(line: str) -> bool:
    """Does the line look like letter-spaced text that pdfium cut into pieces of
    words ("H åll b ara t ran sp or t er")? Most of its "words" are one or two
    letters."""
    words = line.split()
    if len(words) < 4 or sum(len(word) <= 2 for word in words) * 2 <= len(words) + 1:
        return False
    glyphs = "".join(words)
    return sum(map(str.isalpha, glyphs)) >= 0.9 * len(glyphs)  # words, not symbols


#: How far (share of an em) the gaps between letters of letter-spaced text may
#: differ: tracking is one value for the whole line.
_EVEN_TRACKING = 0.06


def _respaced(first: int, last: int, text: str, geometry: _CharGeometry) -> str | None:
    """The line's glyphs with a space only where the gap between two glyphs'
    advances is clearly wider than the line's usual gap between letters: in
    letter-spaced text every letter stands apart, and pdfium's spaces fall inside
    words. None when the line cannot be measured."""
    glyphs = [
        (index, box)
        for index in range(first, last + 1)
        if not text[index].isspace() and (box := geometry.loose_box(index)) is not None
    ]
    if len(glyphs) < 4:
        return None
    gaps = [box[0] - before[1] for (_, before), (_, box) in pairwise(glyphs)]
    # the usual gap between two letters of one piece
    inside = sorted(
        gap
        for ((index, _), (after, _)), gap in zip(pairwise(glyphs), gaps, strict=True)
        if after == index + 1
    )
    em = _em(first, geometry)
    if len(inside) >= 3:
        usual = inside[len(inside) // 2]
    else:
        # every glyph stands apart: letter-spaced only if a few gaps (the word
        # spaces) are clearly wider than the usual one
        usual = sorted(gaps)[len(gaps) // 2]
        letters = [gap for gap in gaps if gap <= usual + _WORD_GAP * em]
        if (
            len(letters) == len(gaps)  # no word space at all: single letters
            or len(letters) * 3 < len(gaps) * 2  # as many spaces as letters
            or max(letters) - min(letters) > _EVEN_TRACKING * em  # not even tracking
        ):
            return None
    parts = [text[glyphs[0][0]]]
    for (index, _), gap in zip(glyphs[1:], gaps, strict=True):
        if gap > usual + _WORD_GAP * em or gap < -em:  # a word space, or a new line
            parts.append(" ")
        parts.append(text[index])
    return "".join(parts)


#: The average advance of a character of running text, spaces included, in ems
#: (0.45–0.55 in the common fonts), and the share of it below which a line holds
#: more characters than its width can: glyphs drawn over each other.
_AVERAGE_ADVANCE = 0.5
_OVERPRINTED = 0.6


def _without_overprint(line: str, first: int, last: int, text: str, geometry: _CharGeometry) -> str:
    """The line without the glyphs drawn again over themselves (a shadow or bold
    effect drawn as a second copy of the text, a point or two off): a character
    whose box falls where the same character already stands is left out, and the
    words so dropped are counted as duplicates."""
    if len(line) != last - first + 1:
        return line  # word spaces were put in: the indices no longer match
    seen: list[tuple[str, float, float]] = []
    kept: list[str] = []
    for index in range(first, last + 1):
        char = text[index]
        if char.isspace():
            if kept and not kept[-1].isspace():
                kept.append(" ")
            continue
        left, _, bottom, _ = geometry.box(index)
        if any(
            char == other and abs(left - x) < _SAME_PLACE and abs(bottom - y) < _SAME_PLACE
            for other, x, y in seen
        ):
            continue
        seen.append((char, left, bottom))
        kept.append(char)
    result = "".join(kept).strip()
    geometry.duplicate_words += max(0, count_words(line) - count_words(result))
    return result


#: Glyphs closer than this (points) are at the same place.
_SAME_PLACE = 1.5


#: Letters of scripts written right to left (Hebrew, Arabic, Syriac, Thaana, NKo,
#: and their presentation forms).
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LEFT_TO_RIGHT_RUN = re.compile(
    "[^\\s\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]"
    "(?:[^\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]*"
    "[^\\s\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc])?"
)


def _reading_order(line: str, first: int, last: int, text: str, geometry: _CharGeometry) -> str:
    """A line with right-to-left letters in reading (logical) order.

    Most producers store such text in reading order, where one letter of a
    right-to-left word stands left of the one before it. Some (Chromium's print)
    store it in display order, left to right on the page: then the line is read
    backwards, and runs of left-to-right text in it (digits, Latin words) forwards
    again, as a reader of the page reads them."""
    letters = [i for i in range(first, last + 1) if _RIGHT_TO_LEFT.match(text[i])]
    pairs = [
        (a, b)
        for a, b in pairwise(letters)
        if b == a + 1  # two letters of one word
    ][:8]
    if not pairs:
        return line
    rightward = sum(1 for a, b in pairs if geometry.box(b)[0] > geometry.box(a)[0])
    if rightward * 2 <= len(pairs):
        return line  # stored in reading order
    geometry.reordered = True
    backwards = line[::-1]
    return _LEFT_TO_RIGHT_RUN.sub(lambda run: run.group(0)[::-1], backwards)


# --- running headers and footers -------------------------------------------------------


def _fold_digits(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def _drop_running_lines(
    pages: list[list[Line]],
    heights: list[float],
    tables: dict[int, list[_TableRows]] | None = None,
) -> tuple[list[list[Line]], list[tuple[int, int]]]:
    """Remove page numbers and lines repeated in the page margins; return the pages
    and, per page, the words of (running headers and footers, page numbers) removed.
    A line inside a ruled table stays: the table's rows carry its text (a table
    header repeated at the top of every page is not a running header)."""
    tables = tables or {}

    def in_margin(line: Line, height: float) -> bool:
        return line.bottom <= height * _MARGIN_SHARE or line.top >= height * (1 - _MARGIN_SHARE)

    def key(line: Line) -> tuple[str, int]:
        # the same words at the same height: a body line that happens to repeat
        # elsewhere on the page is not a running header
        return _fold_digits(line.text), round(line.top / 6)

    pages_with: Counter[tuple[str, int]] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        pages_with.update({key(line) for line in lines if in_margin(line, height)})
    # a third of the pages: a header that differs between left and right pages
    # ("47700 Federal Register …" and "Federal Register … 47701") is on half each
    threshold = max(2, -(-len(pages) // 3))
    repeated = {found for found, count in pages_with.items() if count >= threshold}
    kept_pages: list[list[Line]] = []
    dropped: list[tuple[int, int]] = []
    for number, (lines, height) in enumerate(zip(pages, heights, strict=True), start=1):
        kept: list[Line] = []
        running = numbers = 0
        held = tables.get(number, [])
        for line in lines:
            if not in_margin(line, height) or any(table.holds(line) for table in held):
                kept.append(line)
            elif _PAGE_NUMBER.match(line.text):
                numbers += count_words(line.text)
            elif key(line) in repeated:
                running += count_words(line.text)
            else:
                kept.append(line)
        kept_pages.append(kept)
        dropped.append((running, numbers))
    return kept_pages, dropped


# --- columns ---------------------------------------------------------------------------


#: Columns looked for inside columns: a page of four columns is cut three times.
_MAX_COLUMN_DEPTH = 4


def _column_order(lines: list[Line], depth: int = 0) -> list[Line]:
    """Order a page's lines column by column, for any number of columns.

    A gutter is an x position in the middle of the text area that no narrow line
    crosses, with lines of column width on both sides standing side by side (a table
    or a short line does not make a column). Lines that cross the gutter (a heading
    over both columns, say) cut the page into bands; each band is read left side
    first, and each side is looked at again for gutters of its own, so three or
    more columns come out one after the other. Pages without a gutter keep pdfium's
    order, which follows the content. Every line gets the edges of its column,
    which tell a paragraph's short last line from a full one.
    """
    if not lines:
        return lines
    left_edge = min(line.x0 for line in lines)
    right_edge = max(line.x1 for line in lines)
    width = right_edge - left_edge
    narrow = [line for line in lines if line.x1 - line.x0 < 0.6 * width]
    gutter = None
    if depth < _MAX_COLUMN_DEPTH:
        gutter = _find_gutter(narrow, left_edge + 0.25 * width, left_edge + 0.75 * width, width)
    if gutter is None:
        return [_with_edges(line, left_edge, right_edge) for line in lines]
    ordered: list[Line] = []
    band: list[Line] = []

    def flush() -> None:
        left = [line for line in band if line.x1 <= gutter]
        right = [line for line in band if line.x1 > gutter]
        for side in (left, right):
            side.sort(key=lambda line: (line.top, line.x0))
            ordered.extend(_column_order(side, depth + 1))
        band.clear()

    for line in sorted(lines, key=lambda line: (line.top, line.x0)):
        if line.x0 < gutter < line.x1:
            flush()
            ordered.append(_with_edges(line, left_edge, right_edge))
        else:
            band.append(line)
    flush()
    return ordered


def _find_gutter(lines: list[Line], low: float, high: float, width: float) -> float | None:
    """The x of an empty vertical strip between two columns of text, if there is one."""
    if len(lines) < 6:
        return None
    spans = sorted((line.x0, line.x1) for line in lines)
    best: tuple[float, float] | None = None
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 > reach:  # an empty vertical strip between reach and x0
            middle = (reach + x0) / 2
            if low <= middle <= high and (best is None or x0 - reach > best[1]):
                best = (middle, x0 - reach)
        reach = max(reach, x1)
    if best is None:
        return None
    gutter = best[0]
    wide = 0.25 * width
    left = [line for line in lines if line.x1 <= gutter and line.x1 - line.x0 >= wide]
    right = [line for line in lines if line.x0 >= gutter and line.x1 - line.x0 >= wide]
    side_by_side = sum(1 for a in left if any(b.top < a.bottom and a.top < b.bottom for b in right))
    return gutter if len(left) >= 3 and len(right) >= 3 and side_by_side >= 2 else None


# --- ruled tables ----------------------------------------------------------------------


def _group_rows(lines: list[Line]) -> list[Line | _TableRows]:
    """Pieces of one printed line split at wide gaps, next to each other in reading
    order, are the cells of a table row without ruling lines."""
    grouped: list[Line | _TableRows] = []
    run: list[Line] = []

    def flush() -> None:
        if len(run) >= 2:
            text = CELL_SEPARATOR.join(line.text for line in run)
            grouped.append(
                _TableRows(
                    run[0].page,
                    min(line.x0 for line in run),
                    min(line.top for line in run),
                    max(line.x1 for line in run),
                    max(line.bottom for line in run),
                    (text,),
                )
            )
        else:
            grouped.extend(run)
        run.clear()

    for line in lines:
        if run and (line.row < 0 or line.row != run[0].row):
            flush()
        if line.row >= 0:
            run.append(line)
        else:
            grouped.append(line)
    flush()
    return grouped


def _table_row(cells: list[str | None]) -> str:
    texts = (normalize_text(cell or "") for cell in cells)
    return CELL_SEPARATOR.join(text for text in texts if text)


def _merge_tables(
    lines: list[Line | _TableRows], tables: list[_TableRows]
) -> list[Line | _TableRows]:
    """Put each ruled table where its first line stood and drop the lines inside it."""
    if not tables:
        return list(lines)
    merged: list[Line | _TableRows] = []
    placed: set[int] = set()
    for line in lines:
        holder = next((i for i, table in enumerate(tables) if table.holds(line)), None)
        if holder is None:
            merged.append(line)
        elif holder not in placed:
            placed.add(holder)
            merged.append(tables[holder])
    for i, table in enumerate(tables):  # a table pdfium saw no text in: keep it anyway
        if i not in placed:
            after = next(
                (
                    k
                    for k, item in enumerate(merged)
                    if isinstance(item, Line) and item.top > table.top
                ),
                len(merged),
            )
            merged.insert(after, table)
    return merged


# --- blocks ----------------------------------------------------------------------------


def _body_size(pages: list[list[Line]]) -> float:
    """The font size most of the text is set in."""
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _heading_levels(items: Iterable[Line | _TableRows], body_size: float) -> dict[float, int]:
    """Heading level per font size: larger sizes are higher levels (1 = top). A
    size used only for lines without a letter or digit (a large decorative "?",
    a quotation mark) is no heading level."""
    sizes = sorted(
        {
            item.size
            for item in items
            if isinstance(item, Line) and item.size >= body_size + 1 and _has_word(item.text)
        },
        reverse=True,
    )
    return {size: level for level, size in enumerate(sizes, start=1)}


@dataclass
class _Draft:
    """A block being assembled from lines."""

    kind: BlockKind
    lines: list[Line]
    level: int | None = None

    @property
    def last(self) -> Line:
        return self.lines[-1]

    def text(self) -> str:
        text = ""
        for line in self.lines:
            if not text:
                text = line.text
            elif text.endswith(("-", "\u2010")):
                text = join_hyphenated(text, line.text)
            else:
                text = f"{text} {line.text}"
        if self.kind is BlockKind.LIST_ITEM:
            text = _BULLET_START.sub("", text, count=1)
        return normalize_text(text)


def _blocks(items: list[Line | _TableRows], body_size: float) -> Iterator[Block]:
    levels = _heading_levels(items, body_size)
    bold_level = len(levels) + 1
    pitch = _typical_pitch(items, body_size)
    draft: _Draft | None = None

    def emit(d: _Draft | None) -> Iterator[Block]:
        if d is None:
            return
        if d.kind is BlockKind.PARAGRAPH and _is_bold_heading(d, body_size):
            d.kind, d.level = BlockKind.HEADING, bold_level
        elif d.kind is BlockKind.LIST_ITEM and (depth := _numbered_heading(d, body_size)):
            d.kind, d.level = BlockKind.HEADING, bold_level + depth - 1
        text = d.text()
        if not text:
            return  # a table of contents is left to the passage splitter, which counts it
        if d.kind is BlockKind.HEADING and len(text.split()) > _MAX_HEADING_WORDS:
            d.kind, d.level = BlockKind.PARAGRAPH, None  # a lead paragraph set large
        if d.kind is not BlockKind.HEADING and d.last.page != d.lines[0].page:
            for part in _at_page_break(d):
                if part_text := part.text():
                    yield Block(part.kind, part_text, part.lines[0].page, part.level)
            return
        yield Block(d.kind, text, d.lines[0].page, d.level)

    for item in items:
        if isinstance(item, _TableRows):
            yield from emit(draft)
            draft = None
            for row in item.rows:
                yield Block(BlockKind.TABLE_ROW, row, item.page)
            continue
        line = item
        kind, level = _line_kind(line, levels, body_size)
        if draft is not None and _continues(draft, line, kind, pitch):
            draft.lines.append(line)
            continue
        yield from emit(draft)
        draft = _Draft(kind, [line], level)
    yield from emit(draft)


#: A section number before a heading: "1.", "2.3", "2.3.1", "1)", "A.", then a
#: capital letter (or a digit) starting the heading's words.
_SECTION_NUMBER = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2}){0,4}\.?|\d{1,2}\)|[A-Z]\.)\s+(?=[A-ZÅÄÖÉ0-9])"
)


def _has_word(text: str) -> bool:
    return any(char.isalnum() for char in text)


#: A heading longer than this many words is a lead paragraph set large.
_MAX_HEADING_WORDS = 30

_NUMBER_ONLY = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,4}\.?|[A-Z]\.)$")


#: Where a sentence ends inside a line and the next begins.
_SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=[A-ZÅÄÖÉ0-9])")


def _at_page_break(draft: _Draft) -> list[_Draft]:
    """A paragraph carried onto a new page, cut after the sentence that crossed the
    page break, so that the sentences after it are quoted with the page they stand
    on; the whole paragraph when the sentence does not end on that page."""
    lines = draft.lines
    turn = next(number for number, line in enumerate(lines) if line.page != lines[0].page)
    for number in range(turn, len(lines)):
        line = lines[number]
        if line.page != lines[turn].page:
            break
        found = _SENTENCE_BREAK.search(line.text)
        if found is None:
            continue
        head, tail = line.text[: found.start() + 1], line.text[found.end() :]
        before = _Draft(
            draft.kind,
            [*lines[:number], _with_edges(line, line.left_edge, line.edge, head)],
            draft.level,
        )
        after_lines = [_with_edges(line, line.left_edge, line.edge, tail), *lines[number + 1 :]]
        after = _Draft(BlockKind.PARAGRAPH, after_lines)
        return [before, after]
    return [draft]


def _line_kind(
    line: Line, levels: dict[float, int], body_size: float
) -> tuple[BlockKind, int | None]:
    if (
        line.size in levels
        and (not _BULLET_START.match(line.text) or _SECTION_NUMBER.match(line.text))
        and _has_word(line.text)
    ):
        # at heading size, "1. Inledning" is a numbered heading, not a list item
        return BlockKind.HEADING, levels[line.size]
    if line.text.startswith(BULLET) or _BULLET_START.match(line.text):
        return BlockKind.LIST_ITEM, 1
    return BlockKind.PARAGRAPH, None


def _continues(draft: _Draft, line: Line, kind: BlockKind, pitch: float) -> bool:
    """Does ``line`` continue the block being assembled?"""
    last = draft.last
    if kind is BlockKind.LIST_ITEM:
        return False  # every bullet starts an item
    if draft.kind is BlockKind.HEADING:
        if len(draft.lines) == 1 and _NUMBER_ONLY.match(last.text):
            # a section number set apart ("4." large, the title beside or under
            # it): the heading is both
            return (
                kind is BlockKind.HEADING
                and line.page == last.page
                and -2 * last.height <= line.top - last.top <= 2.5 * max(last.height, line.size)
            )
        return (
            kind is BlockKind.HEADING
            and line.size == last.size
            and line.page == last.page
            and 0 < line.top - last.top <= 1.6 * max(last.height, line.size)
        )
    if kind is BlockKind.HEADING or (line.bold != last.bold and _is_short(last)):
        return False
    if line.page != last.page or line.top < last.top - 1:
        # a new page or a new column: the paragraph goes on only mid-sentence
        return not last.text.endswith(_SENTENCE_END) and line.text[:1].islower()
    step = line.top - last.top
    if step > 1.35 * pitch + 0.5:
        return False
    if draft.kind is BlockKind.LIST_ITEM:
        # continuation lines of an item are indented under its text
        return line.x0 > draft.lines[0].x0 + 2
    if draft.lines[0].page != line.page and last.text.endswith(_SENTENCE_END):
        # a paragraph carried onto a new page: the sentence that crossed the page
        # break has ended, and what follows is quoted with the page it stands on
        return False
    # the short last line of a paragraph ends it
    return not (last.text.endswith(_SENTENCE_END) and _is_short(last))


def _is_short(line: Line) -> bool:
    """Clearly shorter than its column: more than a quarter of the width left empty."""
    return line.x1 < line.edge - 0.25 * (line.edge - line.left_edge)


def _bold_alone(draft: _Draft, body_size: float, endings: tuple[str, ...]) -> bool:
    """Bold at body size, alone on one or two lines, not ending like a sentence
    (``endings``): set as a low-level heading."""
    return (
        all(line.bold for line in draft.lines)
        and len(draft.lines) <= 2
        and abs(draft.lines[0].size - body_size) < 1
        and not draft.last.text.endswith(endings)
    )


def _is_bold_heading(draft: _Draft, body_size: float) -> bool:
    """Bold at body size, alone on its line(s), not a sentence: a low-level heading."""
    return _bold_alone(draft, body_size, (".", ",", ";")) and len(draft.text()) <= 120


def _numbered_heading(draft: _Draft, body_size: float) -> int:
    """The depth of the section number ("2.3" is 2) when the list item being
    assembled is a numbered heading set in bold at body size, standing alone on one
    or two lines and not a sentence; 0 when it is a list item."""
    found = _SECTION_NUMBER.match(draft.lines[0].text)
    if (
        found is None
        or not _bold_alone(draft, body_size, (".", ",", ";", ":"))
        or sum(len(line.text) for line in draft.lines) > 120
    ):
        return 0
    return number_depth(found.group(0))


def _typical_pitch(items: list[Line | _TableRows], body_size: float) -> float:
    """The usual distance from one body line's top to the next one's."""
    steps: Counter[float] = Counter()
    previous: Line | None = None
    for item in items:
        if not isinstance(item, Line):
            previous = None
            continue
        if (
            previous is not None
            and previous.page == item.page
            and item.size == body_size == previous.size
        ):
            step = float(round(item.top - previous.top))
            if 0 < step < 3 * body_size:
                steps[step] += 1
        previous = item
    return steps.most_common(1)[0][0] if steps else 1.2 * body_size
