"""PDF reader: pdfium's text layer and geometry, ruled tables included.

pdfium (through pypdfium2) gives the text of a page in content order with its line
breaks, at hundreds of pages per second. From it we take one :class:`Line` per
printed line, with its box, font size and weight (boxes as the page is displayed,
turned by its /Rotate: :func:`_turn`; looked up through a map on the rare page
where pdfium's character indices are not the text's: :func:`_page_text`), and then
do the layout work ourselves, in plain functions over lines:

1. split lines at wide gaps, so that producers that write two columns line by line
   across the page still give one line per column (:func:`_page_lines`);
2. drop running headers and footers: lines in the top or bottom eighth of the page
   that repeat at the same height, digits folded, on at least half of the pages,
   and page numbers
   (:func:`_drop_running_lines`);
3. put two-column pages in column order (:func:`_column_order`);
4. replace the lines of ruled tables by their rows, cells in order, on the pages
   that have enough ruling lines to hold a table (:func:`_page_tables`, with the
   lattice method of :mod:`nvreport.readers.pdf_tables`);
5. group lines into headings (by font size and weight), paragraphs and list items,
   joining words hyphenated across lines (:func:`_blocks`).
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from nvreport.errors import EncryptedDocumentError, NoTextError, UnreadableDocumentError
from nvreport.models import CELL_SEPARATOR, Block, BlockKind, ReadResult
from nvreport.normalize import BULLET, normalize_text
from nvreport.readers.hyphenation import join_hyphenated
from nvreport.readers.pdf_tables import (
    MAX_SEGMENTS,
    Char,
    Edge,
    bounding_box,
    cell_texts,
    cells,
    intersections,
    merge_edges,
    table_rows,
    tables,
)

# pdfium's marker for a hyphen at a line break: it joins the two lines and puts this
# character where the hyphen was.
_LINE_BREAK_HYPHEN = "\ufffe"
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_MARGIN_SHARE = 1 / 8  # running headers and footers live in the top and bottom eighth
_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|page|s\.)\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:\(|av|/|of)\s*\d{1,4}\s*\)?)?$",
    re.IGNORECASE,
)
_TOC_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d{1,4}$")
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


def _by_address(function: Any, restype: Any, *argtypes: Any) -> Any:
    """A pypdfium2 raw binding that takes its pointers as plain integers.

    ctypes checks and converts every typed pointer argument on every call; the
    readers call pdfium thousands of times a page (a page Chromium prints has one
    object per run of glyphs), and that checking cost more than pdfium's work."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_POINTER, _INT, _DOUBLE = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
_GET_OBJECT = _by_address(pdfium_c.FPDFPage_GetObject, _POINTER, _POINTER, _INT)
_OBJECT_TYPE = _by_address(pdfium_c.FPDFPageObj_GetType, _INT, _POINTER)
_CHAR_BOX = _by_address(
    pdfium_c.FPDFText_GetCharBox, _INT, _POINTER, _INT, _POINTER, _POINTER, _POINTER, _POINTER
)
_LOOSE_CHAR_BOX = _by_address(pdfium_c.FPDFText_GetLooseCharBox, _INT, _POINTER, _INT, _POINTER)
_COUNT_RECTS = _by_address(pdfium_c.FPDFText_CountRects, _INT, _POINTER, _INT, _INT)
_FONT_SIZE = _by_address(pdfium_c.FPDFText_GetFontSize, _DOUBLE, _POINTER, _INT)
_FONT_WEIGHT = _by_address(pdfium_c.FPDFText_GetFontWeight, _INT, _POINTER, _INT)
_FONT_INFO = _by_address(
    pdfium_c.FPDFText_GetFontInfo,
    ctypes.c_ulong,
    _POINTER,
    _INT,
    _POINTER,
    ctypes.c_ulong,
    _POINTER,
)


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


def _with_edges(line: Line, left_edge: float, edge: float) -> Line:
    """``line`` with the edges of its column (dataclasses.replace, without its cost)."""
    return Line(
        line.text,
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


def read_pdf(path: Path) -> ReadResult:
    """Read a PDF into blocks with page numbers; see the module docstring."""
    document = _open(path)
    try:
        page_count = len(document)
        if page_count > MAX_PAGES:
            raise UnreadableDocumentError(
                path, f"{page_count} pages; nvreport reads at most {MAX_PAGES}"
            )
        if page_count == 0:
            raise UnreadableDocumentError(path, "the PDF has no pages (damaged?)")
        pages: list[list[Line]] = []
        heights: list[float] = []
        tables: dict[int, list[_TableRows]] = {}
        skipped: list[int] = []
        for number in range(1, page_count + 1):
            lines, height, found = _read_page(document, number, path)
            if lines is None:
                skipped.append(number)
                lines = []
            pages.append(lines)
            heights.append(height)
            if found:
                tables[number] = found
    finally:
        document.close()

    if len(skipped) == page_count:
        raise UnreadableDocumentError(
            path, "no page could be read: every page is damaged or has an absurd size"
        )
    if not any(line.text.strip() for lines in pages for line in lines):
        raise NoTextError(
            path,
            f"no text layer on any of its {page_count} pages (a scanned document?); "
            "it needs OCR before nvreport can read it",
        )

    pages = _drop_running_lines(pages, heights)
    body_size = _body_size(pages)
    items: list[Line | _TableRows] = []
    for number, lines in enumerate(pages, start=1):
        ordered = _column_order(lines)
        items.extend(_merge_tables(_group_rows(ordered), tables.get(number, [])))
    blocks = tuple(_blocks(items, body_size))
    warnings: list[str] = []
    if skipped:
        listed = ", ".join(map(str, skipped[:10])) + (" …" if len(skipped) > 10 else "")
        warnings.append(f"pages skipped as damaged or of an absurd size: {listed}")
    empty_pages = sum(1 for lines in pages if not lines) - len(skipped)
    if empty_pages and empty_pages >= page_count / 2:
        warnings.append(f"{empty_pages} of {page_count} pages have no text (scanned pages?)")
    if garbled := garbled_text(" ".join(block.text for block in blocks)):
        warnings.append(
            f"the text layer looks garbled ({garbled}): its fonts may lack a map to "
            "Unicode; check the text in passages.csv, or run OCR"
        )
    return ReadResult(blocks=blocks, pages=page_count, warnings=tuple(warnings))


_VOWEL = re.compile(r"[aeiouyåäöéüæø]", re.IGNORECASE)
#: Characters looked at: enough to judge, few enough to cost nothing.
_SAMPLE = 50_000


def garbled_text(text: str) -> str | None:
    """Why ``text`` looks like a text layer whose fonts map glyphs to the wrong
    characters (None: it looks like text), for text of some length.

    A font without a map to Unicode gives symbols ("#$%&'()"), another script
    ("Ρεγιονεν"), or letters shifted in the alphabet ("Sfhjpofo"). Swedish (and
    English) text has about 36% vowels among its letters and letters or digits in
    nearly every character that is not a space; garbled text falls far below.
    """
    sample = "".join(text[:_SAMPLE].split())
    if len(sample) < 200:
        return None
    # counted as the regular expressions \w and [^\W\d_] count, without a list of
    # matches: \w is what str.isalnum accepts and "_", \d what str.isdecimal accepts
    alphanumeric = sum(map(str.isalnum, sample))
    word_share = (alphanumeric + sample.count("_")) / len(sample)
    if word_share < 0.5:
        return f"only {word_share:.0%} of its characters are letters or digits"
    letters = alphanumeric - sum(map(str.isdecimal, sample))
    if letters >= 200:
        vowel_share = len(_VOWEL.findall(sample)) / letters
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


def _read_page(
    document: pdfium.PdfDocument, number: int, path: Path
) -> tuple[list[Line] | None, float, list[_TableRows]]:
    """Return a page's lines (None when the page cannot be read or has an absurd
    size), its height, and its ruled tables."""
    try:
        page = document[number - 1]
    except pdfium.PdfiumError:
        return None, 0.0, []
    try:
        width, height = page.get_size()  # as displayed: turned by the page's /Rotate
        if not (0 < width < _MAX_PAGE_SIDE and 0 < height < _MAX_PAGE_SIDE):
            return None, 0.0, []
        turn = _turn(page)
        rulings = _rulings(page, height, turn)
        textpage = page.get_textpage()
        try:
            text, indices = _page_text(textpage)
            ruled = _MIN_RULINGS_FOR_TABLE <= len(rulings) <= MAX_SEGMENTS
            spans: list[_Span] | None = [] if ruled else None
            geometry = _CharGeometry(textpage, turn, indices)
            lines = _page_lines(geometry, text, number, height, spans)
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
    return lines, height, tables


#: A box (left, right, bottom, top) in a page's own coordinates, turned to the page
#: as displayed (see :func:`_turn`).
_Turn = Callable[[float, float, float, float], tuple[float, float, float, float]]


def _turn(page: pdfium.PdfPage) -> _Turn | None:
    """How to turn boxes in the page's own coordinates (where pdfium gives them) into
    the page as displayed, for a page with /Rotate; None for one without.

    A landscape table is often drawn sideways on a portrait page that /Rotate
    turns upright: pdfium gives its text in reading order, but the boxes of its
    characters in the page's own coordinates, where its lines run up the page. In
    display coordinates (origin bottom-left, as pdfium's) they run across it again,
    and the layout rules hold."""
    rotation = page.get_rotation() % 360
    if rotation not in (90, 180, 270):
        return None
    x0, y0, x1, y1 = page.get_mediabox()
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
    path_type, page_address = pdfium_c.FPDF_PAGEOBJ_PATH, _address(raw)
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
        texts = cell_texts(table, _page_chars(geometry, text, level, height))
        rows = (
            _table_row([None if cell is None else texts[cell] for cell in row])
            for row in table_rows(table)
        )
        kept = tuple(row for row in rows if row)
        if kept:
            result.append(_TableRows(page, *bounding_box(table), kept))
    return result


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
        self.textpage = _address(textpage.raw)  # alive as long as ``textpage`` is
        self._turn = turn
        self._indices = indices  # pdfium's index of each character, when not its own
        self._box = (ctypes.c_double * 4)()  # left, right, bottom, top
        first, size = ctypes.addressof(self._box), ctypes.sizeof(ctypes.c_double)
        self._box_addresses = tuple(first + side * size for side in range(4))
        self._loose = pdfium_c.FS_RECTF()
        self._loose_address = ctypes.addressof(self._loose)
        self._name = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()
        self._name_address = ctypes.addressof(self._name)
        self._flags_address = ctypes.addressof(self._flags)
        self._bold_names: dict[bytes, bool] = {}  # font name -> does it say bold

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

    def size(self, index: int) -> float:
        if self._indices is not None:
            index = self._indices[index]
        return round(_FONT_SIZE(self.textpage, index), 1)

    def bold(self, index: int) -> bool:
        if self._indices is not None:
            index = self._indices[index]
        if _FONT_WEIGHT(self.textpage, index) >= 600:
            return True
        _FONT_INFO(self.textpage, index, self._name_address, len(self._name), self._flags_address)
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
    gaps = _wide_gaps(text, start, end, geometry)
    cuts: list[tuple[int, int, bool]] = []  # (start, end, ends with a line-break hyphen)
    piece_start = start
    hyphen = text.find(_LINE_BREAK_HYPHEN, start, end)
    if hyphen >= 0 or gaps:  # else the line is one piece (most lines)
        hyphens = [i for i in range(hyphen, end) if text[i] == _LINE_BREAK_HYPHEN]
        cut_at = sorted({*hyphens, *gaps}) if hyphen >= 0 else sorted(gaps)
        for index in cut_at:
            cuts.append((piece_start, index, text[index] == _LINE_BREAK_HYPHEN))
            piece_start = index + 1
    cuts.append((piece_start, end, False))
    row = start if gaps else -1
    for piece_start, piece_end, hyphen in cuts:
        line = _make_line(text, piece_start, piece_end, hyphen, geometry, page, height, row)
        if line is not None:
            yield line


def _wide_gaps(text: str, start: int, end: int, geometry: _CharGeometry) -> set[int]:
    """Indices of the spaces in [start, end) that are gaps between cells or columns."""
    if end - start < 3 or geometry.pieces(start, end - start) <= 1:
        return set()
    widths: dict[int, float] = {}
    candidates: list[int] = []
    for index in range(start + 1, end - 1):
        if text[index] != " " or text[index - 1].isspace() or text[index + 1].isspace():
            continue
        width = geometry.box(index + 1)[0] - geometry.box(index - 1)[1]
        widths[index] = width
        size = geometry.size(index - 1) or 10.0
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
        size = geometry.size(index - 1) or 10.0
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
) -> Line | None:
    raw = text[start:end]
    stripped = raw.strip()
    hyphen = hyphen or stripped.endswith("\u00ad")
    if not stripped:
        return None
    first = start + (len(raw) - len(raw.lstrip()))
    last = start + len(raw.rstrip()) - 1
    left, _, bottom_first, top_first = geometry.box(first)
    _, right, bottom_last, top_last = geometry.box(last)
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
    line_text = normalize_text(stripped)
    if hyphen:
        line_text += "-"
    return Line(line_text, page, left, right, top, bottom, size, bold, row=row)


# --- running headers and footers -------------------------------------------------------


def _fold_digits(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def _drop_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Remove page numbers and lines repeated in the page margins."""

    def in_margin(line: Line, height: float) -> bool:
        return line.bottom <= height * _MARGIN_SHARE or line.top >= height * (1 - _MARGIN_SHARE)

    def key(line: Line) -> tuple[str, int]:
        # the same words at the same height: a body line that happens to repeat
        # elsewhere on the page is not a running header
        return _fold_digits(line.text), round(line.top / 6)

    pages_with: Counter[tuple[str, int]] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        pages_with.update({key(line) for line in lines if in_margin(line, height)})
    threshold = max(2, (len(pages) + 1) // 2)
    repeated = {found for found, count in pages_with.items() if count >= threshold}
    return [
        [
            line
            for line in lines
            if not (
                in_margin(line, height) and (key(line) in repeated or _PAGE_NUMBER.match(line.text))
            )
        ]
        for lines, height in zip(pages, heights, strict=True)
    ]


# --- columns ---------------------------------------------------------------------------


def _column_order(lines: list[Line]) -> list[Line]:
    """Order a page's lines column by column when the page has two columns.

    A gutter is an x position in the middle of the text area that no narrow line
    crosses, with lines of column width on both sides standing side by side (a table
    or a short line does not make a column). Lines that cross the gutter (a heading
    over both columns, say) cut the page into bands; each band is read left column
    first. Pages without a gutter keep pdfium's order, which follows the content.
    Every line gets the edges of its column, which tell a paragraph's short last line
    from a full one.
    """
    if not lines:
        return lines
    left_edge = min(line.x0 for line in lines)
    right_edge = max(line.x1 for line in lines)
    width = right_edge - left_edge
    narrow = [line for line in lines if line.x1 - line.x0 < 0.6 * width]
    gutter = _find_gutter(narrow, left_edge + 0.3 * width, left_edge + 0.7 * width, width)
    if gutter is None:
        return [_with_edges(line, left_edge, right_edge) for line in lines]
    left_end = max((line.x1 for line in lines if line.x1 <= gutter), default=gutter)
    right_start = min((line.x0 for line in lines if line.x0 >= gutter), default=gutter)
    ordered: list[Line] = []
    band: list[Line] = []

    def flush() -> None:
        left = [_with_edges(line, left_edge, left_end) for line in band if line.x1 <= gutter]
        right = [_with_edges(line, right_start, right_edge) for line in band if line.x1 > gutter]
        ordered.extend(sorted(left, key=lambda line: (line.top, line.x0)))
        ordered.extend(sorted(right, key=lambda line: (line.top, line.x0)))
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
    wide = 0.3 * width
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
    """Heading level per font size: larger sizes are higher levels (1 = top)."""
    sizes = sorted(
        {item.size for item in items if isinstance(item, Line) and item.size >= body_size + 1},
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
        text = d.text()
        if not text or _TOC_LEADER.search(text):
            return
        kind, level = d.kind, d.level
        if kind is BlockKind.PARAGRAPH and _is_bold_heading(d, body_size):
            kind, level = BlockKind.HEADING, bold_level
        yield Block(kind, text, d.lines[0].page, level)

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


def _line_kind(
    line: Line, levels: dict[float, int], body_size: float
) -> tuple[BlockKind, int | None]:
    if line.size in levels and not _BULLET_START.match(line.text):
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
    # the short last line of a paragraph ends it
    return not (last.text.endswith(_SENTENCE_END) and _is_short(last))


def _is_short(line: Line) -> bool:
    """Clearly shorter than its column: more than a quarter of the width left empty."""
    return line.x1 < line.edge - 0.25 * (line.edge - line.left_edge)


def _is_bold_heading(draft: _Draft, body_size: float) -> bool:
    """Bold at body size, alone on its line(s), not a sentence: a low-level heading."""
    return (
        all(line.bold for line in draft.lines)
        and len(draft.lines) <= 2
        and abs(draft.lines[0].size - body_size) < 1
        and not draft.last.text.endswith((".", ",", ";"))
        and len(draft.text()) <= 120
    )


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
