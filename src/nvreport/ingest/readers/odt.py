"""Reader for OpenDocument text (``.odt``: LibreOffice, OpenOffice, Google Docs, Word's
"Save as ODF").

The document's ``content.xml`` is read in document order:

* ``text:h`` elements are headings at their ``text:outline-level``, with the number
  LibreOffice shows before them (``text:number``: "2.3 Mobila team"); so is a
  paragraph whose style (or the style it is based on) carries an outline level or
  is a title ("Title", "Rubrik"); so is a paragraph set in large or bold type, by
  the DOCX reader's rule (:mod:`nvreport.ingest.readers.formatting`).
* Paragraphs in ``text:list`` are list items, nested by the depth of their lists; a
  paragraph typed with a bullet ("• …") is a list item too.
* Each table row is one block, its cells joined by
  :data:`~nvreport.models.CELL_SEPARATOR`; a cell covered by a spanning cell
  counts once, and a table nested in a cell is flattened into the cell's text.
* Text frames (fact boxes) are read right after the paragraph they are anchored in,
  footnotes and endnotes right after the paragraph that refers to them, as a PDF
  export prints them on that page. A table of contents or other index is left out
  (its words counted as ``contents``); so are comments, text deleted with change
  tracking, hidden text, and headers and footers (which live in ``styles.xml``).

The result's account counts the words of every paragraph and heading read, the table
of contents included (then left out as ``contents``).

The package is checked before anything is unpacked, with the limits of the DOCX
reader (:mod:`nvreport.ingest.readers.docx`): declared sizes of every member, and
the XML parts read through a capped stream. XML is parsed without resolving
entities or loading anything from outside. An encrypted (password-protected)
document says so.

The format is read directly with lxml rather than through an ODF library: the parts
read here are a small, documented subset of ODF, and this keeps the zip-bomb and
XML-entity guards of the DOCX reader in one place, under nvreport's control.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from nvreport.errors import EncryptedDocumentError, UnreadableDocumentError
from nvreport.ingest.normalize import BULLET, count_words, normalize_text
from nvreport.ingest.readers.formatting import STYLED, bold_headings, formatted_block
from nvreport.models import CELL_SEPARATOR, Block, BlockKind, ReadResult, TextAccount

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"


def _t(name: str) -> str:
    return f"{{{_TEXT}}}{name}"


_H, _P, _LIST, _LIST_ITEM, _LIST_HEADER = (
    _t("h"),
    _t("p"),
    _t("list"),
    _t("list-item"),
    _t("list-header"),
)
_SECTION, _NOTE, _NOTE_BODY = _t("section"), _t("note"), _t("note-body")
_S, _TAB, _LINE_BREAK, _NUMBER = _t("s"), _t("tab"), _t("line-break"), _t("number")
_SPAN = _t("span")
_OUTLINE_LEVEL, _STYLE_NAME = _t("outline-level"), _t("style-name")
_TABLE_TABLE = f"{{{_TABLE}}}table"
_TABLE_ROW = f"{{{_TABLE}}}table-row"
_TABLE_CELL = f"{{{_TABLE}}}table-cell"
_TABLE_COVERED = f"{{{_TABLE}}}covered-table-cell"
#: elements that only group rows (or columns) of a table
_ROW_GROUPS = frozenset(
    f"{{{_TABLE}}}{name}"
    for name in ("table-header-rows", "table-rows", "table-row-group", "table-header-columns")
)
_FRAME = f"{{{_DRAW}}}frame"
_TEXT_BOX = f"{{{_DRAW}}}text-box"
_BODY = f"{{{_OFFICE}}}body"
_OFFICE_TEXT = f"{{{_OFFICE}}}text"
#: indexes: their words are counted as contents and left out
_INDEXES = frozenset(
    _t(name)
    for name in (
        "table-of-content",
        "alphabetical-index",
        "illustration-index",
        "table-index",
        "object-index",
        "user-index",
        "bibliography",
    )
)
#: never read, nor counted: comments, deleted text kept for change tracking, hidden
#: and conditional text, declarations, forms, pictures' titles and descriptions
_SKIPPED = frozenset(
    {
        f"{{{_OFFICE}}}annotation",
        f"{{{_OFFICE}}}annotation-end",
        f"{{{_OFFICE}}}forms",
        _t("tracked-changes"),
        _t("hidden-text"),
        _t("hidden-paragraph"),
        _t("sequence-decls"),
        _t("variable-decls"),
        _t("user-field-decls"),
        _t("dde-connection-decls"),
        "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}title",
        "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}desc",
    }
)
_TITLE_STYLES = frozenset({"title", "rubrik"})
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*([1-9])$", re.IGNORECASE)
_LIST_STYLE_LEVEL = re.compile(r"^(?:list|lista|punktlista|numrerad lista)\b.*\s([2-9])$", re.I)
_MAX_STYLE_DEPTH = 16
_MAX_LEVEL = 10
_MIMETYPE = "application/vnd.oasis.opendocument.text"
_CONTENT = "content.xml"
_STYLES = "styles.xml"
_MANIFEST = "META-INF/manifest.xml"


def read_odt(path: Path) -> ReadResult:
    """Read the body of an OpenDocument text into blocks.

    Raises :class:`EncryptedDocumentError` for a password-protected document and
    :class:`UnreadableDocumentError` for anything that is not a sound ``.odt``
    package (a limit's refusal, ``transient``, as the DOCX reader's is)."""
    content, styles_xml = _unpack(path)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(content, parser)
        style_root = etree.fromstring(styles_xml, parser) if styles_xml else None
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocumentError(
            path, f"not a valid OpenDocument text (content.xml: {exc.msg})"
        ) from None
    text = root.find(f"{_BODY}/{_OFFICE_TEXT}")
    if text is None:
        raise UnreadableDocumentError(
            path, "not an OpenDocument text (no text body; a spreadsheet or presentation?)"
        )
    reader = _Reader(_Styles(root, style_root))
    blocks = tuple(reader.read(text))
    account = TextAccount(
        layer_words=reader.words + reader.contents_words,
        left_out=(("contents", reader.contents_words),) if reader.contents_words else (),
    )
    return ReadResult(blocks=blocks, pages=None, warnings=(), account=account)


def _unpack(path: Path) -> tuple[bytes, bytes | None]:
    """``content.xml`` and ``styles.xml`` (None if absent) of the package at ``path``,
    after checking that it is a sound, unencrypted ODF text and no zip bomb."""
    from nvreport.ingest.readers.docx import (
        MAX_DOCUMENT_XML_BYTES,
        MAX_PACKAGE_BYTES,
        MAX_PART_RATIO,
        MAX_UNCOMPRESSED_BYTES,
        OLE_SIGNATURE,
    )

    try:
        with path.open("rb") as handle:
            signature = handle.read(len(OLE_SIGNATURE))
    except OSError as exc:
        raise UnreadableDocumentError(
            path, f"cannot open the file ({exc.strerror or exc})", transient=True
        ) from exc
    if signature == OLE_SIGNATURE:
        raise UnreadableDocumentError(
            path, "not an OpenDocument text (an old binary Word file saved as .odt?)"
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableDocumentError(
            path, "not a valid OpenDocument text (not a zip archive)"
        ) from None
    with archive:
        members = {member.filename: member for member in archive.infolist()}
        if _CONTENT not in members:
            raise UnreadableDocumentError(
                path, f"not a valid OpenDocument text ({_CONTENT} is missing)"
            )
        total = sum(member.file_size for member in members.values())
        parsed = sum(member.file_size for name, member in members.items() if name.endswith(".xml"))
        dense = [
            name
            for name, member in members.items()
            if member.file_size > 1024 * 1024
            and member.file_size > MAX_PART_RATIO * max(member.compress_size, 1)
        ]
        if (
            total > MAX_PACKAGE_BYTES
            or parsed > MAX_UNCOMPRESSED_BYTES
            or members[_CONTENT].file_size > MAX_DOCUMENT_XML_BYTES
            or dense
        ):
            raise UnreadableDocumentError(
                path,
                f"looks like a zip bomb: it would unpack to {total / 2**20:,.0f} MB, more "
                "than the limits of the DOCX reader allow (see the README's Bad input)",
                transient=True,
            )
        manifest = _member(archive, members.get(_MANIFEST), MAX_DOCUMENT_XML_BYTES, path)
        if manifest and b"encryption-data" in manifest:
            raise EncryptedDocumentError(path, "encrypted or password-protected document")
        mimetype = _member(archive, members.get("mimetype"), 1024, path)
        if mimetype is not None and mimetype.strip() != _MIMETYPE.encode():
            kind = mimetype.decode("ascii", "replace").strip()
            raise UnreadableDocumentError(
                path, f"not an OpenDocument text (its type is {kind or 'empty'})"
            )
        content = _member(archive, members[_CONTENT], MAX_DOCUMENT_XML_BYTES, path)
        styles = _member(archive, members.get(_STYLES), MAX_DOCUMENT_XML_BYTES, path)
    assert content is not None
    return content, styles


def _member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo | None, limit: int, path: Path
) -> bytes | None:
    """The member's bytes, unpacked through a stream that stops at ``limit`` (its
    declared size may lie); None for a member that is not there."""
    if member is None:
        return None
    try:
        with archive.open(member) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UnreadableDocumentError(
            path, f"not a valid OpenDocument text ({member.filename} cannot be unpacked: {exc})"
        ) from None
    if len(data) > limit:
        raise UnreadableDocumentError(
            path,
            f"looks like a zip bomb: {member.filename} unpacks to more than "
            f"{limit / 2**20:,.0f} MB",
            transient=True,
        )
    return data


class _Styles:
    """Paragraph styles by name: what they are based on, their outline level, their
    display name; from the automatic styles of content.xml and the styles of styles.xml."""

    def __init__(self, content: Any, styles: Any) -> None:
        self.parent: dict[str, str] = {}
        self.outline: dict[str, int] = {}
        self.names: dict[str, str] = {}
        #: (family, name) -> (bold, points) its text properties set (None: not set)
        self.text: dict[tuple[str, str], tuple[bool | None, float | None]] = {}
        self.text_parent: dict[tuple[str, str], str] = {}
        self.default: tuple[bool | None, float | None] = (None, None)
        for root in (styles, content):
            if root is None:
                continue
            for style in root.iter(f"{{{_STYLE}}}default-style"):
                if style.get(f"{{{_STYLE}}}family") == "paragraph":
                    self.default = _text_properties(style)
            for style in root.iter(f"{{{_STYLE}}}style"):
                family = style.get(f"{{{_STYLE}}}family")
                name = style.get(f"{{{_STYLE}}}name")
                if family not in ("paragraph", "text") or not name:
                    continue
                self.text[family, name] = _text_properties(style)
                if parent := style.get(f"{{{_STYLE}}}parent-style-name"):
                    self.text_parent[family, name] = parent
                if family != "paragraph":
                    continue
                parent = style.get(f"{{{_STYLE}}}parent-style-name")
                if parent:
                    self.parent[name] = parent
                level = _int(style.get(f"{{{_STYLE}}}default-outline-level"))
                if level:
                    self.outline[name] = level
                self.names[name] = style.get(f"{{{_STYLE}}}display-name") or name.replace(
                    "_20_", " "
                )

    def formatting(self, paragraph: str | None, span: str | None) -> tuple[bool, float | None]:
        """(bold, points) of text in a span of style ``span`` (None: none) in a
        paragraph of style ``paragraph``: the first style up the chains that sets each."""
        bold: bool | None = None
        size: float | None = None
        for family, name in (("text", span), ("paragraph", paragraph)):
            seen = 0
            while name and seen < _MAX_STYLE_DEPTH and (bold is None or size is None):
                found_bold, found_size = self.text.get((family, name), (None, None))
                bold = found_bold if bold is None else bold
                size = found_size if size is None else size
                name = self.text_parent.get((family, name))
                seen += 1
        bold = self.default[0] if bold is None else bold
        size = self.default[1] if size is None else size
        return bool(bold), size

    def list_level(self, name: str | None) -> int:
        """The level a list style's name gives ("List Bullet 2", "Punktlista 3": 2,
        3), as Word's list styles come out of a conversion; 1 for any other."""
        seen = 0
        while name and seen < _MAX_STYLE_DEPTH:
            display = self.names.get(name, name.replace("_20_", " ")).strip()
            if match := _LIST_STYLE_LEVEL.match(display):
                return int(match.group(1))
            name = self.parent.get(name)
            seen += 1
        return 1

    def heading_level(self, name: str | None) -> int | None:
        """The heading level a paragraph of this style has: its (inherited) outline
        level, a "Heading N"/"Rubrik N" name, or 1 for a title; None for body text."""
        seen = 0
        while name and seen < _MAX_STYLE_DEPTH:
            if name in self.outline:
                return min(self.outline[name], _MAX_LEVEL)
            display = self.names.get(name, name.replace("_20_", " ")).strip()
            if match := _HEADING_STYLE.match(display):
                return int(match.group(1))
            if display.casefold() in _TITLE_STYLES:
                return 1
            name = self.parent.get(name)
            seen += 1
        return None


def _text_properties(style: Any) -> tuple[bool | None, float | None]:
    """(bold, points) a style's text properties set; None for what they do not (a
    size in per cent of the parent's is not known here)."""
    properties = style.find(f"{{{_STYLE}}}text-properties")
    if properties is None:
        return None, None
    weight = properties.get(f"{{{_FO}}}font-weight")
    bold = None if weight is None else weight == "bold" or (weight.isdigit() and int(weight) >= 600)
    size = properties.get(f"{{{_FO}}}font-size", "")
    points = None
    if size.endswith("pt"):
        try:
            points = float(size[:-2])
        except ValueError:
            points = None
    return bold, points


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class _Reader:
    """Walks the text body in document order, yielding blocks, and counts words."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.words = 0
        self.contents_words = 0
        #: inside a text frame or note: its headings and bold lines are paragraphs
        #: (a fact box's title is no section of the report), as in the DOCX reader
        self.in_frame = 0

    def read(self, body: Any) -> list[Block]:
        return bold_headings(list(self._children(body, list_depth=0)))

    def _children(self, element: Any, list_depth: int) -> Iterator[tuple[Block, str]]:
        for child in element:
            yield from self._element(child, list_depth)

    def _element(self, element: Any, list_depth: int) -> Iterator[tuple[Block, str]]:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        if tag in _INDEXES:
            self.contents_words += sum(
                count_words(normalize_text(_inline(p)[0])) for p in _paragraphs(element)
            )
        elif tag in (_H, _P):
            yield from self._paragraph(element, list_depth)
        elif tag == _LIST:
            yield from self._list(element, list_depth + 1)
        elif tag == _TABLE_TABLE:
            yield from self._table(element)
        elif tag in (_SECTION, _TEXT_BOX):
            yield from self._children(element, list_depth)
        elif tag == _FRAME:
            for box in element:
                if box.tag == _TEXT_BOX:
                    yield from self._framed(box)

    def _framed(self, element: Any) -> Iterator[tuple[Block, str]]:
        """The blocks of a text frame's box or a note's body."""
        self.in_frame += 1
        try:
            yield from self._children(element, 0)
        finally:
            self.in_frame -= 1

    def _list(self, element: Any, depth: int) -> Iterator[tuple[Block, str]]:
        for item in element:
            if item.tag in (_LIST_ITEM, _LIST_HEADER):
                yield from self._children(item, depth)

    def _paragraph(self, element: Any, list_depth: int) -> Iterator[tuple[Block, str]]:
        raw, anchored, spans = _inline(element)
        text = normalize_text(raw)
        number = ""
        for found in element.iter(_NUMBER):  # the number LibreOffice shows before a heading
            number = normalize_text("".join(found.itertext()))
            break
        level: int | None = None
        if element.tag == _H:
            level = min(_int(element.get(_OUTLINE_LEVEL)) or 1, _MAX_LEVEL)
        elif list_depth == 0:
            level = self.styles.heading_level(element.get(_STYLE_NAME))
        self.words += count_words(text) + (count_words(number) if level and number else 0)
        if text:
            if level is not None and self.in_frame:
                yield Block(BlockKind.PARAGRAPH, text), ""
            elif level is not None:
                heading = f"{number} {text}" if number and not text.startswith(number) else text
                yield Block(BlockKind.HEADING, heading, level=level), STYLED
            elif list_depth:
                if list_depth == 1:  # a Word list style's level, lost in conversion
                    list_depth = self.styles.list_level(element.get(_STYLE_NAME))
                yield Block(BlockKind.LIST_ITEM, _unbulleted(text), level=list_depth), ""
            elif text.startswith(BULLET + " ") and len(text) > 2:
                yield Block(BlockKind.LIST_ITEM, _unbulleted(text), level=1), ""
            elif self.in_frame:
                yield Block(BlockKind.PARAGRAPH, text), ""
            else:
                style = element.get(_STYLE_NAME)
                runs = [self.styles.formatting(style, span) for span in spans]
                sizes = [size for _, size in runs if size is not None]
                size = max(sizes) if runs and len(sizes) == len(runs) else None
                yield formatted_block(text, size, bool(runs) and all(b for b, _ in runs))
        for inner in anchored:  # text frames and notes, after their paragraph
            if inner.tag == _NOTE:
                body = inner.find(_NOTE_BODY)
                if body is not None:
                    yield from self._framed(body)
            else:
                yield from self._element(inner, 0)

    def _table(self, table: Any) -> Iterator[tuple[Block, str]]:
        for row in _rows(table):
            cells = []
            for cell in row:
                if cell.tag != _TABLE_CELL:  # covered cells: their text is the spanning cell's
                    continue
                paragraphs = [normalize_text(_inline(p)[0]) for p in _paragraphs(cell)]
                self.words += sum(count_words(text) for text in paragraphs)
                text = " ".join(text for text in paragraphs if text)
                if text:
                    cells.append(text)
            if cells:
                yield Block(BlockKind.TABLE_ROW, CELL_SEPARATOR.join(cells)), ""


def _unbulleted(text: str) -> str:
    return text[2:] if text.startswith(BULLET + " ") and len(text) > 2 else text


def _rows(table: Any) -> Iterator[Any]:
    """The rows of ``table`` itself (through its row groups), not of nested tables."""
    for child in table:
        if child.tag == _TABLE_ROW:
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)


def _paragraphs(element: Any) -> Iterator[Any]:
    """Every paragraph and heading under ``element`` that is read, in order, each
    once: those in nested tables too, and those of the notes and frames anchored in
    a paragraph (which :func:`_inline` leaves out of its text)."""
    for child in element:
        if not isinstance(child.tag, str) or child.tag in _SKIPPED:
            continue
        if child.tag in (_H, _P):
            yield child
            for inner in _inline(child)[1]:
                yield from _paragraphs(inner)
        else:
            yield from _paragraphs(child)


def _inline(paragraph: Any) -> tuple[str, list[Any], list[str | None]]:
    """The text of a paragraph (spaces, tabs and line breaks as spaces), the text
    frames and notes anchored in it, which are read after it, and the style of the
    span (None: no span) of each piece of its text, for headings by formatting."""
    parts: list[str] = []
    anchored: list[Any] = []
    spans: list[str | None] = []

    def put(text: str | None, span: str | None) -> None:
        if text:
            parts.append(text)
            if not text.isspace():
                spans.append(span)

    def walk(element: Any, span: str | None) -> None:
        put(element.text, span)
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED or tag == _NUMBER:
                pass
            elif tag in (_NOTE, _FRAME):  # read after the paragraph; its mark stays out
                anchored.append(child)
            elif tag == _S:
                parts.append(" " * max(1, min(_int(child.get(_t("c"))) or 1, 100)))
            elif tag in (_TAB, _LINE_BREAK):
                parts.append(" ")
            else:
                walk(child, child.get(_STYLE_NAME) if tag == _SPAN else span)
            put(child.tail, span)

    walk(paragraph, None)
    return "".join(parts), anchored, spans
