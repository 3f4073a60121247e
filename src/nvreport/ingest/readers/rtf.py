"""Reader for Rich Text Format (``.rtf``: WordPad, Word's "Save as RTF", LibreOffice).

RTF is read token by token, keeping the state a word processor keeps (groups,
paragraph and character properties, code pages), so that its structure survives:

* A paragraph whose style is a heading in the style sheet ("heading 2", "Rubrik 2",
  or a style with an outline level), or that carries an outline level itself
  (``\\outlinelevel1``), is a heading at that level; a title style is level 1; so is
  a paragraph set in large or bold type (``\\fs``, ``\\b``), by the DOCX reader's
  rule (:mod:`nvreport.ingest.readers.formatting`).
* A paragraph in a list (``\\ls``/``\\ilvl``, Word's older ``\\pnlvl``, or with the
  list text LibreOffice and Word write before it) is a list item, nested by its
  level; one typed with a bullet ("• …") is too.
* Each table row (paragraphs ``\\intbl`` up to ``\\row``) is one block, its cells
  joined by :data:`~nvreport.models.CELL_SEPARATOR`; a table nested in a cell is
  flattened into the cell's text.
* Footnotes and endnotes are read right after the paragraph that refers to them.
  Headers, footers, comments, pictures, field instructions, hidden text and text
  deleted with change tracking are left out; a table of contents (a ``TOC`` field,
  or paragraphs in "toc N"/"Innehåll N" styles) is left out and its words counted
  as ``contents``.

Text is decoded as the file says: ``\\uN`` characters (skipping their ``\\ucN``
fallbacks), and ``\\'hh`` bytes in the code page of the current font's character
set, else the document's ``\\ansicpg`` (Windows-1252 by default). The result's
account counts the words of every paragraph read.

Written for nvreport rather than taken from a library: the RTF libraries on PyPI
either give plain text only (so headings, list levels and table rows are lost, and a
literal "|" cannot be told from a cell boundary) or are built to unpack e-mail
bodies and bring that machinery with them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from nvreport.errors import UnreadableDocumentError
from nvreport.ingest.normalize import BULLET, count_words, normalize_text
from nvreport.ingest.readers.formatting import STYLED, bold_headings, formatted_block
from nvreport.models import CELL_SEPARATOR, Block, BlockKind, ReadResult, TextAccount

#: An RTF file larger than this is refused (a report with pictures is a few tens of
#: megabytes; RTF stores pictures as hexadecimal text).
MAX_RTF_BYTES = 512 * 1024 * 1024

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word, its parameter, its delimiter
    rb"|\\'([0-9a-fA-F]{2})"  # a byte in the current code page
    rb"|\\([^a-zA-Z])"  # control symbol
    rb"|([{}])"
    rb"|[\r\n]+"
    rb"|([^\\{}\r\n]+)"  # text
)

#: Destinations whose text is not the document's: tables of the file, pictures,
#: headers and footers, comments, list markers, fields' instructions, shapes.
_SKIPPED_DESTINATIONS = frozenset(
    {
        "colortbl",
        "info",
        "pict",
        "object",
        "objdata",
        "header",
        "headerl",
        "headerr",
        "headerf",
        "footer",
        "footerl",
        "footerr",
        "footerf",
        "annotation",
        "atnauthor",
        "atndate",
        "atnid",
        "atnref",
        "atntime",
        "atnicn",
        "pntext",
        "pntxta",
        "pntxtb",
        "listtext",
        "listtable",
        "listoverridetable",
        "revtbl",
        "rsidtbl",
        "xe",
        "tc",
        "txe",
        "rxe",
        "template",
        "nonshppict",
        "shp",
        "shpinst",
        "shprslt",
        "sp",
        "sn",
        "sv",
        "filetbl",
        "datafield",
        "themedata",
        "colorschememapping",
        "latentstyles",
        "datastore",
        "xmlnstbl",
        "ftnsep",
        "ftnsepc",
        "ftncn",
        "aftnsep",
        "aftnsepc",
        "aftncn",
        "generator",
        "userprops",
        "docvar",
        "mmathPr",
        "pgdsctbl",
    }
)
_LIST_MARKERS = frozenset({"pntext", "listtext"})
_CHARACTERS = {
    "emdash": "\u2014",
    "endash": "\u2013",
    "bullet": BULLET,
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
    "emspace": " ",
    "enspace": " ",
    "qmspace": " ",
    "tab": " ",
    "line": " ",
    "page": " ",
    "column": " ",
}
_SYMBOLS = {"~": " ", "_": "-", "-": "", "{": "{", "}": "}", "\\": "\\"}
#: \fcharset values to Python codecs
_CHARSETS = {
    0: "cp1252",
    77: "mac_roman",
    128: "cp932",
    129: "cp949",
    134: "gbk",
    136: "big5",
    161: "cp1253",
    162: "cp1254",
    163: "cp1258",
    177: "cp1255",
    178: "cp1256",
    186: "cp1257",
    204: "cp1251",
    222: "cp874",
    238: "cp1250",
}
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "rubrik"})
_TOC_STYLE = re.compile(r"^(?:toc|innehåll|index)\s*\d", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^(?:list|lista|punktlista|numrerad lista)\b(?:.*\s([2-9]))?$", re.I)
_MAX_LEVEL = 9
_MAX_DEPTH = 1000  # groups nested deeper than any word processor writes


@dataclass
class _Style:
    name: str = ""
    outline: int | None = None  # 0-based, as RTF counts
    based_on: int | None = None


@dataclass
class _State:
    """What a group carries: copied at ``{``, dropped at ``}``."""

    skip: bool = False  # inside a destination that is not read
    star: bool = False  # "\*" opened this group: an unknown destination is skipped
    table: str = ""  # "fonttbl" or "stylesheet" while reading those tables
    note: bool = False  # inside a footnote or endnote
    instruction: bool = False  # inside a field's instruction
    toc: bool = False  # inside the result of a TOC field
    codec: str = "cp1252"
    uc: int = 1  # fallback characters after \uN
    hidden: bool = False
    bold: bool = False
    size: int | None = None  # half-points, as \\fs gives it
    # paragraph properties
    style: int = 0
    outline: int | None = None
    in_table: bool = False
    in_list: bool = False
    list_level: int = 0  # 0-based

    def reads_text(self) -> bool:
        return not (self.skip or self.hidden or self.table or self.instruction)


@dataclass
class _Paragraph:
    parts: list[str] = field(default_factory=list)
    list_marker: bool = False  # a list text ("•\t") was written before it
    #: (bold, size in half-points) of each part with text: for headings by formatting
    runs: list[tuple[bool, int | None]] = field(default_factory=list)


class _Reader:
    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.data = data
        self.ansi = "cp1252"
        self.fonts: dict[int, str] = {}
        self.styles: dict[int, _Style] = {}
        #: blocks with their tags for :func:`bold_headings`
        self.found: list[tuple[Block, str]] = []
        self.notes: list[Block] = []  # the notes of the paragraph being read
        self.words = 0
        self.contents_words = 0
        self.body = _Paragraph()
        self.note = _Paragraph()
        self.cells: list[str] = []
        self.cell: list[str] = []
        self.pending = bytearray()  # bytes of the current code page, not yet decoded
        self.skip_fallback = 0
        # the entry of the font table or style sheet being read
        self.entry_number: int | None = None
        self.entry_charset: int | None = None
        self.entry_style = _Style()
        self.entry_text: list[str] = []
        self.instruction: list[str] = []

    # -- the token loop -------------------------------------------------------------

    def read(self) -> None:
        data, state = self.data, _State()
        stack: list[_State] = []
        position, size = 0, len(data)
        match = _TOKEN.match
        while position < size:
            found = match(data, position)
            if found is None:  # a lone backslash at the end of the file
                break
            position = found.end()
            word, parameter, byte, symbol, brace, text = found.groups()
            if text is not None:
                self._text(state, text)
            elif word is not None:
                name = word.decode("ascii")
                value = int(parameter) if parameter is not None else None
                if name == "bin" and value:
                    position += max(0, value)  # binary data: skipped whole
                    continue
                self._control(state, name, value)
                state.star = False
            elif byte is not None:
                if self.skip_fallback:
                    self.skip_fallback -= 1
                elif state.reads_text():
                    self.pending.append(int(byte, 16))
            elif brace == b"{":
                self._flush(state)
                if len(stack) >= _MAX_DEPTH:
                    raise UnreadableDocumentError(
                        self.path, "groups nested too deeply to read (damaged?)"
                    )
                stack.append(state)
                state = replace(state, star=False)
                if state.table:
                    self._new_entry()
            elif brace == b"}":
                self._flush(state)
                if stack:
                    outer = stack.pop()
                    if state.note and not outer.note:
                        self._end_note()
                    state = outer
            elif symbol is not None:
                self._symbol(state, symbol.decode("latin-1"))
        self._flush(state)
        self._end_paragraph(state)
        if self.cells or self.cell:
            self._end_row()

    def _text(self, state: _State, text: bytes) -> None:
        if self.skip_fallback:
            dropped = min(self.skip_fallback, len(text))
            self.skip_fallback -= dropped
            text = text[dropped:]
        if state.table:
            if not state.skip:
                self._entry_text(state.table, text.decode("latin-1"))
        elif state.instruction:
            self.instruction.append(text.decode("latin-1"))
        elif state.reads_text():
            self.pending.extend(text)

    def _flush(self, state: _State) -> None:
        """Decode the bytes gathered in the current code page."""
        if self.pending:
            self._put(state, codecs.decode(bytes(self.pending), state.codec, "replace"))
            self.pending.clear()

    def _put(self, state: _State, text: str) -> None:
        if state.reads_text():
            paragraph = self.note if state.note else self.body
            paragraph.parts.append(text)
            if not text.isspace():
                paragraph.runs.append((state.bold, state.size))

    def _symbol(self, state: _State, symbol: str) -> None:
        if symbol == "*":  # an ignorable destination: skipped unless it is known
            state.skip = state.star = True
        elif symbol in _SYMBOLS:
            if self.skip_fallback:
                self.skip_fallback -= 1
                return
            self._flush(state)
            self._put(state, _SYMBOLS[symbol])

    def _control(self, state: _State, name: str, value: int | None) -> None:
        if name == "u" and value is not None:
            self._flush(state)
            self._put(state, _character(value))
            self.skip_fallback = state.uc
            return
        self.skip_fallback = 0
        if name in _CHARACTERS:
            self._flush(state)
            self._put(state, _CHARACTERS[name])
        elif name == "fldinst":
            if state.star:
                state.skip = False
            state.instruction = True
            self.instruction = []
        elif name in ("fonttbl", "stylesheet"):
            state.table, state.skip = name, False
            self._new_entry()
        elif state.table:
            self._entry_control(state, name, value)
        elif name in _SKIPPED_DESTINATIONS:
            if name in _LIST_MARKERS and not state.skip:
                self.body.list_marker = True
            state.skip = True
        elif name in ("footnote", "endnote"):
            self._flush(state)
            state.note = True
            state.hidden = False
        elif name == "fldrslt":
            if "".join(self.instruction).strip().upper().startswith("TOC"):
                state.toc = True
        elif name == "ansicpg" and value:
            self.ansi = _codec(f"cp{value}") or self.ansi
            state.codec = self.ansi
        elif name in ("mac", "pc", "pca"):
            self.ansi = {"mac": "mac_roman", "pc": "cp437", "pca": "cp850"}[name]
            state.codec = self.ansi
        elif name == "uc" and value is not None:
            state.uc = max(0, value)
        elif name == "f" and value is not None:
            self._flush(state)
            state.codec = self.fonts.get(value, self.ansi)
        elif name in ("v", "deleted"):  # hidden text; text deleted with change tracking
            self._flush(state)
            state.hidden = value != 0
        elif name in ("b", "fs", "plain"):
            self._flush(state)
            if name == "b":
                state.bold = value != 0
            elif name == "fs":
                state.size = value
            else:  # back to the default character formatting
                state.bold, state.size, state.hidden = False, None, False
        else:
            self._paragraph_control(state, name, value)

    def _paragraph_control(self, state: _State, name: str, value: int | None) -> None:
        if name == "pard":
            self._flush(state)
            state.style, state.outline, state.in_table = 0, None, False
            state.in_list, state.list_level = False, 0
        elif name == "s" and value is not None:
            state.style = value
        elif name == "outlinelevel" and value is not None:
            state.outline = value
        elif name == "intbl":
            state.in_table = True
        elif name == "ilvl" and value is not None:
            state.list_level = max(0, value)
        elif name == "ls" and value is not None and value > 0:
            state.in_list = True
        elif name == "pnlvl" and value is not None:
            state.in_list, state.list_level = True, max(0, value - 1)
        elif name in ("pnlvlblt", "pnlvlbody"):
            state.in_list = True
        elif name in ("par", "sect"):
            self._flush(state)
            self._end_paragraph(state)
        elif name == "cell":
            self._flush(state)
            self._end_cell()
        elif name == "nestcell":  # a table in a cell: its cells run on in the outer cell
            self._flush(state)
            self._paragraph_into_cell()
        elif name == "row":
            self._flush(state)
            self._end_row()

    # -- the font table and style sheet ------------------------------------------------

    def _new_entry(self) -> None:
        self.entry_number, self.entry_charset = None, None
        self.entry_style, self.entry_text = _Style(), []

    def _entry_control(self, state: _State, name: str, value: int | None) -> None:
        if state.table == "fonttbl":
            if name == "f" and value is not None:
                self.entry_number = value
            elif name == "fcharset" and value is not None:
                self.entry_charset = value
        elif name == "s" and value is not None:
            self.entry_number = value
        elif name in ("cs", "ds", "ts"):  # character, section and table styles
            state.skip = True
        elif name == "outlinelevel" and value is not None:
            self.entry_style.outline = value
        elif name == "sbasedon" and value is not None:
            self.entry_style.based_on = value

    def _entry_text(self, table: str, text: str) -> None:
        """Text of a table entry: a name, ended by ";" (then the entry is complete)."""
        while ";" in text:
            name, text = text.split(";", 1)
            self.entry_text.append(name)
            self._commit_entry(table)
        self.entry_text.append(text)

    def _commit_entry(self, table: str) -> None:
        if table == "fonttbl":
            codec = _CHARSETS.get(self.entry_charset) if self.entry_charset is not None else None
            if self.entry_number is not None and codec:
                self.fonts[self.entry_number] = codec
        else:  # a paragraph style; one without a number is the default style, 0
            number = 0 if self.entry_number is None else self.entry_number
            self.entry_style.name = "".join(self.entry_text).strip()
            self.styles.setdefault(number, self.entry_style)
        self._new_entry()

    # -- paragraphs, cells and rows ---------------------------------------------------

    def _end_paragraph(self, state: _State) -> None:
        if state.note:
            self._end_note()
            return
        text = _text_of(self.body.parts)
        paragraph, self.body = self.body, _Paragraph()
        if state.in_table:
            if text:
                self.cell.append(text)
            return
        if self.cells or self.cell:  # a table that did not end with \row
            self._end_row()
        if text:
            self._block(state, text, paragraph)
        self._notes()

    def _notes(self) -> None:
        self.found.extend((note, "") for note in self.notes)
        self.notes.clear()

    def _block(self, state: _State, text: str, paragraph: _Paragraph) -> None:
        words = count_words(text)
        styles = self._style_chain(state.style)
        if state.toc or any(_TOC_STYLE.match(style.name) for style in styles[:1]):
            self.contents_words += words
            return
        self.words += words
        heading = self._heading_level(state, styles)
        if heading is not None:
            self.found.append((Block(BlockKind.HEADING, text, level=heading), STYLED))
            return
        level = self._list_level(state, styles, paragraph.list_marker, text)
        if level is not None:
            if text.startswith(BULLET + " ") and len(text) > 2:
                text = text[2:]
            self.found.append((Block(BlockKind.LIST_ITEM, text, level=level), ""))
            return
        runs = paragraph.runs
        sizes = [size for _, size in runs if size is not None]
        size = max(sizes) / 2 if runs and len(sizes) == len(runs) else None
        self.found.append(formatted_block(text, size, bool(runs) and all(b for b, _ in runs)))

    def _end_note(self) -> None:
        text = _text_of(self.note.parts)
        self.note = _Paragraph()
        if text:
            self.words += count_words(text)
            self.notes.append(Block(BlockKind.PARAGRAPH, text))

    def _paragraph_into_cell(self) -> None:
        text = _text_of(self.body.parts)
        self.body = _Paragraph()
        if text:
            self.cell.append(text)

    def _end_cell(self) -> None:
        self._paragraph_into_cell()
        self.cells.append(" ".join(self.cell))
        self.cell = []

    def _end_row(self) -> None:
        self._paragraph_into_cell()
        if self.cell:
            self.cells.append(" ".join(self.cell))
            self.cell = []
        cells = [cell for cell in self.cells if cell]
        self.cells = []
        if cells:
            self.words += sum(count_words(cell) for cell in cells)
            self.found.append((Block(BlockKind.TABLE_ROW, CELL_SEPARATOR.join(cells)), ""))
        self._notes()

    def _style_chain(self, number: int) -> list[_Style]:
        chain: list[_Style] = []
        current: int | None = number
        while current is not None and current in self.styles and len(chain) < _MAX_LEVEL * 2:
            chain.append(self.styles[current])
            following = self.styles[current].based_on
            current = None if following == current else following
        return chain

    def _heading_level(self, state: _State, styles: list[_Style]) -> int | None:
        if state.outline is not None and 0 <= state.outline < _MAX_LEVEL:
            return state.outline + 1
        for style in styles:
            if style.outline is not None and 0 <= style.outline < _MAX_LEVEL:
                return style.outline + 1
            if match := _HEADING_STYLE.match(style.name):
                return int(match.group(1))
            if style.name.casefold() in _TITLE_STYLES:
                return 1
        return None

    def _list_level(
        self, state: _State, styles: list[_Style], marker: bool, text: str
    ) -> int | None:
        named = next((_LIST_STYLE.match(style.name) for style in styles[:1]), None)
        if state.in_list:
            if state.list_level == 0 and named:  # a Word list style's level ("List Bullet 2")
                return int(named.group(1) or 1)
            return min(state.list_level, _MAX_LEVEL - 1) + 1
        if named:
            return int(named.group(1) or 1)
        if marker or (text.startswith(BULLET + " ") and len(text) > 2):
            return 1
        return None


def _character(value: int) -> str:
    """The character of ``\\uN``: N is a signed 16-bit number, a UTF-16 code unit
    (an emoji comes as two, a surrogate pair, joined in :func:`_text_of`)."""
    value = value + 65536 if value < 0 else value
    return chr(value) if 0 <= value <= 0xFFFF else "\ufffd"


def _text_of(parts: list[str]) -> str:
    """A paragraph's text from its parts: surrogate pairs joined into their character,
    a lone surrogate replaced (no UTF-8 file could hold it), then normalised."""
    text = "".join(parts)
    if any("\ud800" <= character <= "\udfff" for character in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return normalize_text(text)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def read_rtf(path: Path) -> ReadResult:
    """Read an RTF file into blocks. Raises :class:`UnreadableDocumentError` for a
    file that cannot be opened, is not RTF, or is too large."""
    try:
        size = path.stat().st_size
        if size > MAX_RTF_BYTES:
            raise UnreadableDocumentError(
                path,
                f"{size / 2**20:,.0f} MB; nvreport reads RTF files of at most "
                f"{MAX_RTF_BYTES / 2**20:,.0f} MB",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocumentError(
            path, f"cannot open the file ({exc.strerror or exc})", transient=True
        ) from exc
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise UnreadableDocumentError(path, "not an RTF file (it does not start with {\\rtf)")
    reader = _Reader(path, data)
    reader.read()
    account = TextAccount(
        layer_words=reader.words + reader.contents_words,
        left_out=(("contents", reader.contents_words),) if reader.contents_words else (),
    )
    blocks = tuple(bold_headings(reader.found))
    return ReadResult(blocks=blocks, pages=None, warnings=(), account=account)
