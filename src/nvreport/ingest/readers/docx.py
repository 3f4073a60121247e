"""Reader for Word documents (``.docx``), built on python-docx.

The body is read in document order, paragraphs and tables interleaved, including
what sits inside content controls (``w:sdt``, where Word keeps tables of contents).
Text boxes (fact boxes, quotes) are read right after the paragraph (or table row)
they are anchored in, each once, their headings as paragraphs; footnotes and
endnotes right after the paragraph (or table row) that first refers to them, as a
PDF export prints them on the same page. Headers, footers and comments are left out.

* Paragraphs styled "Heading N", "Rubrik N", "Title" or "Rubrik" (by name or style
  id, also through the style they are based on), or carrying an outline level, are
  headings. A heading that Word numbers (through its style's or its own numbering,
  see :class:`_Numbering`) gets its number as Word shows it: "2.3 Mobila team".
  Table-of-contents entries (styles "TOC …", "Innehåll …") are dropped.
* A body paragraph set larger than body text, or short and all in bold, standing
  alone before body text (or numbered: "1.", "2.3", "1)", "A."), is a heading too.
* Paragraphs with Word numbering (their own or their style's), with a list style
  ("List Paragraph", "Liststycke", "Punktlista", …), or starting with a typed
  bullet are list items, nested by their numbering level.
* Each table row is one block, its cells joined by
  :data:`~nvreport.models.CELL_SEPARATOR`; a cell spanning several columns counts
  once and a table nested in a cell is flattened into the cell's text.

The result's account counts the words of every paragraph read (see :func:`_account`).

Before python-docx opens a file it is checked with :mod:`zipfile`, so that encrypted
documents (which are OLE compound files, not zip archives) and zip bombs are refused
with a clear reason: every member counts, whatever its name. python-docx is then given
only the parts this reader uses, each unpacked through a capped stream; the others
(pictures, headers, footers, comments) stay packed. A refusal by a limit, and running
out of memory, are ``transient`` failures: not the file's fault, not cached.
A malformed formatting value (``w:sz="22.5"``) is ignored, never fatal.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import docx
import docx.package
from docx.exceptions import InvalidXmlError
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.package import Unmarshaller
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.part import Part, PartFactory
from docx.opc.pkgreader import PackageReader, _ContentTypeMap
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from nvreport.errors import EncryptedDocumentError, UnreadableDocumentError
from nvreport.ingest.normalize import BULLET, count_words, normalize_text, number_depth
from nvreport.ingest.readers.formatting import (
    BOLD,
    BOLD_HEADING_WORDS,
    NUMBERED_HEADING,
    STYLED,
    bold_headings,
)
from nvreport.models import CELL_SEPARATOR, Block, BlockKind, ReadResult, TextAccount

# Limits against zip bombs, uncompressed: the parts that are parsed (XML), the main
# part, and the whole package, pictures included (python-docx holds every part in
# memory; a report full of photographs is large, but its pictures barely compress).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_DOCUMENT_XML_BYTES = 100 * 1024 * 1024
MAX_PACKAGE_BYTES = 1024 * 1024 * 1024
# A part larger than a megabyte that unpacks to more than this many times its packed
# size is no picture, and more than any text needs.
MAX_PART_RATIO = 200
_PARSED_SUFFIXES = (".xml", ".rels")
# A member that unpacks to more than this many times its packed size is text (XML),
# whatever its name: pictures, the only large binaries of a report, barely pack.
_TEXT_RATIO = 2
_CHUNK = 1024 * 1024
# The parts this reader reads; the others (pictures, headers, footers, comments,
# settings, ...) are left packed.
_READ_CONTENT_TYPES = frozenset(
    {
        CONTENT_TYPE.WML_DOCUMENT_MAIN,
        CONTENT_TYPE.WML_STYLES,
        CONTENT_TYPE.WML_NUMBERING,
        CONTENT_TYPE.WML_FOOTNOTES,
        CONTENT_TYPE.WML_ENDNOTES,
    }
)
_XML_ERR_NO_MEMORY = 2  # libxml2's error code
# What python-docx raises, when it first reads it, for a value it cannot convert
# (``w:sz="22.5"``, ``w:b w:val=""``).
_MALFORMED = (ValueError, TypeError, InvalidXmlError)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCUMENT_PART = "word/document.xml"

_MC_ALTERNATE_CONTENT = (
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
)
_W_P = qn("w:p")
_W_TXBX_CONTENT = qn("w:txbxContent")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W_TBL = qn("w:tbl")
_W_SDT = qn("w:sdt")
_W_SDT_CONTENT = qn("w:sdtContent")
_W_CUSTOM_XML = qn("w:customXml")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_W_R = qn("w:r")
_W_T = qn("w:t")
_W_RPR = qn("w:rPr")
_W_B = qn("w:b")
_W_SZ = qn("w:sz")
_W_RSTYLE = qn("w:rStyle")
_W_VANISH = qn("w:vanish")
_W_PPR = qn("w:pPr")
_W_NUMPR = qn("w:numPr")
_W_NUMID = qn("w:numId")
_W_ILVL = qn("w:ilvl")
_W_OUTLINE_LVL = qn("w:outlineLvl")
_W_VAL = qn("w:val")
_W_ABSTRACT_NUM = qn("w:abstractNum")
_W_ABSTRACT_NUM_ID = qn("w:abstractNumId")  # the attribute of w:abstractNum
_W_ABSTRACT_NUM_ID_ELEMENT = qn("w:abstractNumId")  # the child of w:num
_W_NUM = qn("w:num")
_W_NUM_ID_ATTRIBUTE = qn("w:numId")
_W_LVL = qn("w:lvl")
_W_LVL_OVERRIDE = qn("w:lvlOverride")
_W_START = qn("w:start")
_W_START_OVERRIDE = qn("w:startOverride")
_W_NUM_FMT = qn("w:numFmt")
_W_LVL_TEXT = qn("w:lvlText")
_W_IS_LGL = qn("w:isLgl")
_W_PSTYLE = qn("w:pStyle")
_LEVELS = 9  # numbering levels Word has: w:ilvl 0 to 8
_PLACEHOLDER = re.compile(r"%([1-9])")
_W_ID = qn("w:id")
_W_TYPE = qn("w:type")
# A note's reference in the body, and the notes themselves in their own parts.
_NOTE_REFERENCES = (qn("w:footnoteReference"), qn("w:endnoteReference"))
_NOTE_PARTS = {
    RELATIONSHIP_TYPE.FOOTNOTES: (qn("w:footnote"), qn("w:footnoteReference")),
    RELATIONSHIP_TYPE.ENDNOTES: (qn("w:endnote"), qn("w:endnoteReference")),
}
_SPACES = frozenset({qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")})
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
# Subtrees that hold no reading text: properties, deleted text, text boxes, drawings.
_NO_TEXT = frozenset(
    qn(tag)
    for tag in (
        "w:pPr",
        "w:rPr",
        "w:sdtPr",
        "w:sdtEndPr",
        "w:del",
        "w:moveFrom",
        "w:txbxContent",
        "w:drawing",
        "w:pict",
        "w:object",
        "w:instrText",
    )
)
_CONTAINERS = frozenset({_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML})

_TOC_ENTRY = re.compile(r"\t\s*\d{1,4}\s*$")
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "rubrik"})
_TOC_STYLE = re.compile(r"^(?:toc|innehåll)", re.IGNORECASE)
_LIST_STYLE_LEVEL = re.compile(r"\s([2-9])$")
_TYPED_MARKER = re.compile(r"^(?:[•\-–*]|\d{1,3}[.)]|[a-zåäö]\))\s+")
_BODY_TEXT_OUTLINE_LEVEL = 9
_MAX_STYLE_DEPTH = 16  # styles based on styles: stop at a cycle or a silly chain


def read_docx(path: Path) -> ReadResult:
    """Read the body of a Word document into blocks.

    Raises :class:`EncryptedDocumentError` for a password-protected (or old binary)
    Word file and :class:`UnreadableDocumentError` for anything that is not a sound
    ``.docx`` package; one that a limit refused (a zip bomb) or that ran out of
    memory is raised ``transient``, as it is no fault of the file's own content
    that other limits might not find.
    """
    try:
        document = _open_document(path)
        extras = _Extras(document)
        blocks = tuple(_read_body(document, extras))
        account = _account(document, extras)
    except UnreadableDocumentError:
        raise
    except Exception as exc:
        if _out_of_memory(exc):
            raise _memory_error(path) from None
        raise UnreadableDocumentError(
            path, f"not a valid Word document ({_describe(exc)})"
        ) from exc
    return ReadResult(blocks=blocks, pages=None, warnings=tuple(extras.warnings), account=account)


def _memory_error(path: Path) -> UnreadableDocumentError:
    return UnreadableDocumentError(
        path,
        "too large to read: it ran out of memory (the memory limit of a worker) while "
        "unpacking its XML",
        transient=True,
    )


def _out_of_memory(exc: BaseException) -> bool:
    """Did lxml fail for want of memory? libxml2 then reports no error of the file's
    own ("unknown error") or its out-of-memory error (code 2)."""
    if isinstance(exc, MemoryError):
        return True
    if not isinstance(exc, etree.XMLSyntaxError):
        return False
    message = str(exc).lower()
    return exc.code == _XML_ERR_NO_MEMORY or "unknown error" in message or "memory" in message


def _account(document: Any, extras: _Extras) -> TextAccount:
    """The words of every paragraph the reader looks at (body, tables, text boxes
    once, footnotes and endnotes), and the numbers Word's numbering shows before the
    headings, which the reader writes into their text; the words of the table of
    contents that the reader drops (by its styles or its tab before a page number)
    are left out as "contents"."""
    paragraphs = [
        p for p in document.element.body.iter(_W_P) if not _in_fallback(p, document.element.body)
    ]
    for note in extras.notes.values():
        paragraphs.extend(note.iter(_W_P))
    words = sum(count_words(paragraph_text(p)) for p in paragraphs) + extras.number_words
    left_out = (("contents", extras.contents_words),) if extras.contents_words else ()
    return TextAccount(layer_words=words, left_out=left_out)


def _within(element: Any, tag: str, top: Any) -> bool:
    """Does ``element`` stand inside an element ``tag`` below ``top``?"""
    for ancestor in element.iterancestors():
        if ancestor is top:
            return False
        if ancestor.tag == tag:
            return True
    return False


def _in_fallback(element: Any, top: Any) -> bool:
    """Is ``element`` in the fallback copy of something Word writes twice (a text box)?"""
    return _within(element, _MC_FALLBACK, top)


def _open_document(path: Path) -> Any:
    """The python-docx document of ``path``, its parts read by :class:`_Package`,
    after :func:`_check_members` has found the archive sound."""
    try:
        with path.open("rb") as file:
            signature = file.read(len(OLE_SIGNATURE))
    except OSError as exc:
        raise UnreadableDocumentError(
            path, f"cannot open the file ({exc.strerror or exc})", transient=True
        ) from exc
    if signature == OLE_SIGNATURE:
        raise EncryptedDocumentError(
            path,
            "encrypted or password-protected Word document (or an old .doc file saved as .docx)",
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableDocumentError(
            path, "not a valid Word document (not a zip archive)"
        ) from exc
    with archive:
        _check_members(path, archive.infolist())
        package = _Package(path, archive)
        relationships = PackageReader._srels_for(package, PACKAGE_URI)
        parts = PackageReader._load_serialized_parts(package, relationships, package.content_types)
        reader = PackageReader(package.content_types, relationships, parts)
        opc = docx.package.Package()
        Unmarshaller.unmarshal(reader, opc, _part_factory)
    main = opc.main_document_part
    if main.content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise UnreadableDocumentError(
            path, "not a valid Word document (its main part is not a Word document body)"
        )
    return main.document


def _check_members(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb by the sizes its members declare, every member whatever its
    name or content type: the whole package, the XML (the parts named as XML and any
    part that packs as tightly as text does: a header may be named ``.bin``), the
    main part, and any large part packed more densely than a picture can be."""
    main = next((member for member in members if member.filename == _DOCUMENT_PART), None)
    if main is None:
        raise UnreadableDocumentError(
            path, f"not a valid Word document ({_DOCUMENT_PART} is missing)"
        )
    total = sum(member.file_size for member in members)
    textual = sum(member.file_size for member in members if _is_textual(member))
    dense = next(
        (
            member
            for member in members
            if member.file_size > 1024 * 1024
            and member.file_size > MAX_PART_RATIO * max(member.compress_size, 1)
        ),
        None,
    )
    if total > MAX_PACKAGE_BYTES:
        limit = f"more than the limit of {_megabytes(MAX_PACKAGE_BYTES)} for a whole package"
    elif textual > MAX_UNCOMPRESSED_BYTES:
        limit = (
            f"{_megabytes(textual)} of them XML or text, more than the limit of "
            f"{_megabytes(MAX_UNCOMPRESSED_BYTES)}"
        )
    elif main.file_size > MAX_DOCUMENT_XML_BYTES:
        limit = (
            f"{_megabytes(main.file_size)} of them in {_DOCUMENT_PART}, more than the limit "
            f"of {_megabytes(MAX_DOCUMENT_XML_BYTES)}"
        )
    elif dense is not None:
        ratio = dense.file_size // max(dense.compress_size, 1)
        limit = (
            f"{dense.filename} unpacks to {ratio:,} times its packed size, more than the "
            f"limit of {MAX_PART_RATIO} times"
        )
    else:
        return
    raise UnreadableDocumentError(
        path,
        f"looks like a zip bomb: it would unpack to {_megabytes(total)}, {limit}",
        transient=True,
    )


def _is_textual(member: zipfile.ZipInfo) -> bool:
    """Is the member XML by its name, or packed as tightly as only text packs?"""
    return (
        member.filename.lower().endswith(_PARSED_SUFFIXES)
        or member.file_size > _TEXT_RATIO * member.compress_size
    )


class _Package:
    """The zip archive as python-docx reads it (the interface of its
    ``PhysPkgReader``), but reading only the parts this reader uses, each through a
    capped stream: a member that unpacks to more than it declares, or parts that
    together unpack to more than :data:`MAX_UNCOMPRESSED_BYTES`, stop the reading.
    Every other part (pictures, headers, footers, comments, ...) is left packed."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        self.unpacked = 0
        self.content_types = _ContentTypeMap.from_xml(self.blob_for(CONTENT_TYPES_URI))

    def _read(self, partname: Any) -> bool:
        if partname == CONTENT_TYPES_URI or partname.endswith(".rels"):
            return True
        try:
            return self.content_types[partname] in _READ_CONTENT_TYPES
        except KeyError:
            return False

    def blob_for(self, partname: Any) -> bytes:
        member = self.archive.getinfo(partname.membername)  # KeyError: missing, as python-docx
        if not self._read(partname):
            return b""
        chunks = []
        size = 0
        with self.archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                self.unpacked += len(chunk)
                if size > member.file_size:
                    raise UnreadableDocumentError(
                        self.path,
                        f"looks like a zip bomb: {member.filename} unpacks to more than the "
                        f"{_megabytes(member.file_size)} it declares",
                        transient=True,
                    )
                if self.unpacked > MAX_UNCOMPRESSED_BYTES:
                    raise UnreadableDocumentError(
                        self.path,
                        "looks like a zip bomb: its XML unpacks to more than the limit of "
                        f"{_megabytes(MAX_UNCOMPRESSED_BYTES)}",
                        transient=True,
                    )
                chunks.append(chunk)
        return b"".join(chunks)

    def rels_xml_for(self, partname: Any) -> bytes | None:
        if partname != PACKAGE_URI and not self._read(partname):
            return None  # the relationships of a part left packed are not followed
        try:
            return self.blob_for(partname.rels_uri)
        except KeyError:
            return None

    def close(self) -> None:
        pass


def _part_factory(partname: Any, content_type: str, reltype: str, blob: bytes, package: Any) -> Any:
    """python-docx's part for the parts this reader uses, a bare part for the rest."""
    if content_type in _READ_CONTENT_TYPES:
        return PartFactory(partname, content_type, reltype, blob, package)
    return Part(partname, content_type, blob, package)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _describe(exc: BaseException) -> str:
    """What is wrong with the file, in plain words, short enough for
    ``documents.csv``: no exception names, no Python phrasing."""
    if isinstance(exc, etree.XMLSyntaxError):
        message = (exc.msg or "").strip().splitlines()
        where = f" (line {exc.lineno})" if exc.lineno else ""
        detail = _shortened(_LXML_SOURCE.sub("", message[0]) if message else "")
        return f"broken XML{where}: {detail}" if detail else f"broken XML{where}"
    if isinstance(exc, KeyError):
        return "a part it refers to is missing, or has no content type"
    if isinstance(exc, zipfile.BadZipFile | EOFError | zipfile.LargeZipFile):
        return "a part of its zip archive is damaged"
    if isinstance(exc, _MALFORMED):
        return "a value in its XML is malformed"
    return "its content could not be understood"


_LXML_SOURCE = re.compile(r"\s*\(<string>, line \d+\)\s*$")


def _shortened(line: str) -> str:
    return line if len(line) <= 160 else line[:157] + "..."


# -- body ----------------------------------------------------------------------


class _Extras:
    """What a document holds beside its body text, found once per document: the text
    boxes by the paragraph that anchors each, and the footnotes and endnotes by
    their reference's tag and id (each read once, where it is first referred to)."""

    def __init__(self, document: Any) -> None:
        self.boxes = _text_boxes(document.element.body)
        self.warnings: list[str] = []
        self.numbering = _Numbering(document)
        self.contents_words = 0  # words of the table of contents dropped by its style
        self.number_words = 0  # words of the heading numbers written into their text
        self.notes: dict[tuple[str, str], Any] = {}
        for relationship in document.part.rels.values():
            kinds = _NOTE_PARTS.get(relationship.reltype)
            if kinds is None or relationship.is_external:
                continue
            try:
                self.notes.update(_notes(relationship.target_part, *kinds))
            except Exception as exc:  # the body is still worth reading
                name = str(getattr(relationship.target_part, "partname", "a notes part"))
                self.warnings.append(
                    f"its footnotes or endnotes could not be read ({name.lstrip('/')}: "
                    f"{_describe(exc)})"
                )
        self._read_notes: set[tuple[str, str]] = set()

    def boxes_in(self, row: Any) -> list[Any]:
        """The text boxes anchored in a table row's paragraphs (not in those of its
        text boxes, which their own paragraphs take), in order."""
        if not self.boxes:
            return []
        return [
            box
            for paragraph in row.iter(_W_P)
            if paragraph in self.boxes and not _in_box_below(paragraph, row)
            for box in self.boxes[paragraph]
        ]

    def notes_in(self, element: Any) -> list[Any]:
        """The notes first referred to in ``element``, in order; not those referred to
        in its text boxes, which their own paragraphs take."""
        if not self.notes:
            return []
        found = []
        for reference in element.iter(*_NOTE_REFERENCES):
            if _in_box_below(reference, element):
                continue
            key = (reference.tag, reference.get(_W_ID, ""))
            note = self.notes.get(key)
            if note is not None and key not in self._read_notes:
                self._read_notes.add(key)
                found.append(note)
        return found


class _Level(NamedTuple):
    start: int
    fmt: str
    text: str
    legal: bool  # w:isLgl: every level shown in decimal


class _Numbering:
    """Word's numbering definitions (``numbering.xml``) and the counters of the lists
    they number, kept in document order, so that a numbered heading can be given
    its number as Word shows it ("2.3").

    A paragraph is numbered by the ``w:numPr`` of its own properties or of its style
    chain; its level is its ``w:ilvl``, else the style's, else the level of the
    abstract numbering that names its style (``w:pStyle``). Lists that share an
    abstract numbering count on together, as in Word; a ``w:startOverride`` restarts
    a list where its instance is first used; a level resets the deeper ones.
    """

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}  # abstractNumId -> ilvl -> level
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstract, starts)
        self.by_style: dict[str, int] = {}  # style id -> ilvl, from lvl/pStyle
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return  # a document without numbering
        for abstract in root.iterchildren(_W_ABSTRACT_NUM):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iterchildren(_W_LVL):
                ilvl = _int_attribute(lvl, _W_ILVL)
                if ilvl is None or not 0 <= ilvl < _LEVELS:
                    continue
                levels[ilvl] = _Level(
                    _child_int(lvl, _W_START, 1),
                    _child_value(lvl, _W_NUM_FMT) or "decimal",
                    _child_value(lvl, _W_LVL_TEXT) or "",
                    lvl.find(_W_IS_LGL) is not None,
                )
                style = _child_value(lvl, _W_PSTYLE)
                if style:
                    self.by_style[style] = ilvl
            self.levels[abstract.get(_W_ABSTRACT_NUM_ID, "")] = levels
        for num in root.iterchildren(_W_NUM):
            link = num.find(_W_ABSTRACT_NUM_ID_ELEMENT)
            starts = {}
            for override in num.iterchildren(_W_LVL_OVERRIDE):
                ilvl = _int_attribute(override, _W_ILVL)
                start = override.find(_W_START_OVERRIDE)
                if ilvl is not None and start is not None and _int_value(start) is not None:
                    starts[ilvl] = _int_value(start)
            abstract_id = link.get(_W_VAL, "") if link is not None else ""
            self.instances[num.get(_W_NUM_ID_ATTRIBUTE, "")] = (abstract_id, starts)

    def number(self, paragraph: Paragraph, styles: list[Any]) -> str:
        """Count the paragraph in its list, if Word numbers it, and give the number
        Word shows before it ("" for none, or a bullet)."""
        if not self.instances:
            return ""
        found = _num_pr(paragraph, styles)
        if found is None:
            return ""
        num_id, ilvl = found
        instance = self.instances.get(num_id)
        if instance is None:
            return ""
        abstract_id, starts = instance
        levels = self.levels.get(abstract_id, {})
        if ilvl is None:
            style_id = next((style.style_id for style in styles if style.style_id), None)
            ilvl = self.by_style.get(style_id or "", 0)
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * _LEVELS)
        if num_id not in self.used:
            self.used.add(num_id)
            for restarted in starts:
                counters[restarted] = None
        start = starts.get(ilvl, levels[ilvl].start)
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        level = levels[ilvl]
        if level.fmt in ("bullet", "none") and "%" not in level.text:
            return ""

        def shown(match: re.Match[str]) -> str:
            which = int(match.group(1)) - 1
            if which not in levels:
                return ""
            value = counters[which]
            if value is None:
                value = starts.get(which, levels[which].start)
            return _formatted(value, "decimal" if level.legal else levels[which].fmt)

        return normalize_text(_PLACEHOLDER.sub(shown, level.text))


def _num_pr(paragraph: Paragraph, styles: list[Any]) -> tuple[str, int | None] | None:
    """(numId, ilvl or None) of the paragraph's numbering, from its own properties
    or its style chain; None when it has none or numbering is switched off."""
    ilvl: int | None = None
    for ppr in _properties(paragraph, styles):
        numbering = ppr.find(_W_NUMPR)
        if numbering is None:
            continue
        level = numbering.find(_W_ILVL)
        if ilvl is None and level is not None:
            ilvl = _int_value(level)
        num_id = numbering.find(_W_NUMID)
        if num_id is None:
            continue  # a level without a list: the list comes from the style
        if _int_value(num_id) == 0:
            return None
        return num_id.get(_W_VAL, ""), ilvl
    return None


def _formatted(value: int, fmt: str) -> str:
    if fmt in ("upperLetter", "lowerLetter") and value > 0:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


def _roman(value: int) -> str:
    found = []
    for amount, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, value = divmod(value, amount)
        found.append(letters * count)
    return "".join(found)


def _int_attribute(element: Any, name: str) -> int | None:
    try:
        return int(element.get(name))
    except (TypeError, ValueError):
        return None


def _child_value(element: Any, tag: str) -> str | None:
    child = element.find(tag)
    return child.get(_W_VAL) if child is not None else None


def _child_int(element: Any, tag: str, default: int) -> int:
    child = element.find(tag)
    value = _int_value(child) if child is not None else None
    return default if value is None else value


def _in_box_below(reference: Any, element: Any) -> bool:
    """Does ``reference`` sit in a text box inside ``element``?"""
    return _within(reference, _W_TXBX_CONTENT, element)


def _notes(part: Any, note_tag: str, reference_tag: str) -> dict[tuple[str, str], Any]:
    """The notes in a footnotes or endnotes part by (reference tag, id), leaving out
    the separators Word keeps among them."""
    root = getattr(part, "element", None)
    if root is None:
        root = parse_xml(part.blob)
    return {
        (reference_tag, note.get(_W_ID, "")): note
        for note in root.iterchildren(note_tag)
        if note.get(_W_TYPE, "normal") == "normal"
    }


def _read_body(document: Any, extras: _Extras) -> Iterator[Block]:
    """The blocks of the body, a short paragraph all in bold made a heading where it
    stands alone (after no such paragraph) before a paragraph or list item that is
    not bold: a level below the deepest Word heading level in use, or 1 when the
    document has none."""
    chains: dict[str | None, list[Any]] = {}  # style id -> style chain, for this document
    found = list(_blocks_under(document.element.body, document, chains, extras))
    yield from bold_headings(found)


def _blocks_under(
    element: Any,
    parent: Any,
    chains: dict[str | None, list[Any]],
    extras: _Extras,
    in_box: bool = False,
    in_note: bool = False,
) -> Iterator[tuple[Block, str]]:
    """The blocks of the paragraphs and tables under ``element``; the text boxes a
    paragraph anchors come right after it, then the notes it refers to, their
    headings as paragraphs (a box's title names the box, not a section of the
    report). A note's own references are not followed: Word makes none, and a
    file whose notes refer to each other in a long chain is a hostile one. Each
    block comes with its tag (see :func:`_paragraph_block`)."""

    def inserts(anchor: Any, boxes: list[Any]) -> Iterator[tuple[Block, str]]:
        for box in boxes:
            yield from _blocks_under(box, parent, chains, extras, True, in_note)
        for note in () if in_note else extras.notes_in(anchor):
            yield from _blocks_under(note, parent, chains, extras, True, True)

    for item in _block_items(element, parent):
        if isinstance(item, Table):
            for row, row_block in _table_blocks(item):
                if row_block is not None:
                    yield row_block, ""
                yield from inserts(row, extras.boxes_in(row))
            continue
        found = _paragraph_block(item, chains, extras)
        if found is not None:
            block, tag = found
            if in_box and (block.kind is BlockKind.HEADING or tag == BOLD):
                block, tag = Block(BlockKind.PARAGRAPH, block.text), ""
            yield block, tag
        yield from inserts(item._p, extras.boxes.get(item._p, []))


def _text_boxes(body: Any) -> dict[Any, list[Any]]:
    """The text boxes (``w:txbxContent``) under ``body`` by the paragraph that
    anchors each (the nearest ``w:p`` above it: a box inside a box hangs on a
    paragraph of the outer box), each once: Word writes a box twice, as DrawingML
    and as a VML fallback. Looked up once per document, as most have none."""
    anchors: dict[Any, list[Any]] = {}
    for box in body.iter(_W_TXBX_CONTENT):
        for ancestor in box.iterancestors():
            if ancestor.tag == _MC_FALLBACK:
                break
            if ancestor.tag == _W_P:
                anchors.setdefault(ancestor, []).append(box)
                break
    return anchors


def _block_items(element: Any, parent: Any) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables under ``element``, in document order, through content controls."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == _W_P:
            yield Paragraph(child, parent)
        elif tag == _W_TBL:
            yield Table(child, parent)
        elif tag in _CONTAINERS:
            yield from _block_items(child, parent)


def _paragraph_block(
    paragraph: Paragraph, chains: dict[str | None, list[Any]], extras: _Extras
) -> tuple[Block, str] | None:
    """The paragraph's block and its tag, or None for a paragraph without text or
    one of the table of contents (whose words ``extras`` counts). A numbered Word
    heading gets its number as Word shows it in front of its text."""
    raw = paragraph_text(paragraph._p)
    if _TOC_ENTRY.search(raw):
        # a table of contents typed or generated without TOC styles
        extras.contents_words += count_words(raw)
        return None
    text = normalize_text(raw)
    style_id = paragraph._p.style  # the pStyle value, or None for the default style
    if style_id not in chains:
        # python-docx finds the default style by scanning every style, per paragraph
        try:
            chains[style_id] = _style_chain(paragraph)
        except _MALFORMED:  # a style with a malformed value: the paragraph reads as body text
            chains[style_id] = []
    styles = chains[style_id]
    names = [name for style in styles for name in _style_names(style)]
    if styles and any(_TOC_STYLE.match(name) for name in _style_names(styles[0])):
        extras.contents_words += count_words(text)
        return None
    number = extras.numbering.number(paragraph, styles)  # counts even an empty paragraph
    if not text:
        return None
    level = _heading_level(paragraph, styles, names)
    if level is not None:
        if number and not _starts_with_number(text, number):
            text = f"{number} {text}"
            extras.number_words += count_words(number)
        return Block(BlockKind.HEADING, text, level=level), STYLED
    level = _list_level(paragraph, styles, names, text)
    if level is not None:
        text = _TYPED_MARKER.sub("", text, count=1)
        return (Block(BlockKind.LIST_ITEM, text, level=level), "") if text else None
    return _formatted_heading(paragraph, text, styles)


def _starts_with_number(text: str, number: str) -> bool:
    first = text.split(" ", 1)[0]
    return first.rstrip(".):") == number.rstrip(".):")


def _formatted_heading(
    paragraph: Paragraph, text: str, styles: list[Any]
) -> tuple[Block, str] | None:
    """A heading made by direct formatting in a body style, as title pages and
    many reports have them: not a sentence, and set at least 2 pt above 11 pt body
    text (larger type is a higher level), or short and all bold: numbered ("1.",
    "2.3", "1)", "A.") at its number's depth, else a candidate for :func:`_read_body`."""
    paragraph_block = Block(BlockKind.PARAGRAPH, text), ""
    if len(text) > 120 or text.endswith((".", ",", ";", ":")):
        return paragraph_block
    runs = [run for run in paragraph.runs if paragraph_text(run._r).strip()]
    if not runs:
        return paragraph_block
    sizes = [size for run in runs if (size := _font_size(run._r.find(_W_RPR))) is not None]
    size = max(sizes) if len(sizes) == len(runs) else 0.0
    for least, level in ((20, 1), (16, 2), (13, 3)):
        if size >= least:
            return Block(BlockKind.HEADING, text, level=level), ""
    if len(text.split()) > BOLD_HEADING_WORDS or not _all_bold(paragraph, runs, styles):
        return paragraph_block
    numbered = NUMBERED_HEADING.match(text)
    if numbered is not None:
        depth = number_depth(numbered.group(1) or "") or 1
        return Block(BlockKind.HEADING, text, level=depth), ""
    return Block(BlockKind.PARAGRAPH, text), BOLD


def _all_bold(paragraph: Paragraph, runs: list[Any], styles: list[Any]) -> bool:
    """Is every run bold: by its own properties, else its character style (and the
    styles that is based on), else the paragraph's style chain?"""
    style_bold = next((bold for style in styles if (bold := _style_bold(style)) is not None), None)
    for run in runs:
        rpr = run._r.find(_W_RPR)
        bold = _on_off(rpr, _W_B)
        if bold is None and rpr is not None and rpr.find(_W_RSTYLE) is not None:
            try:
                style = run.style
            except _MALFORMED:  # a character style with a malformed value: not bold by it
                style = None
            seen = 0
            while style is not None and bold is None and seen < _MAX_STYLE_DEPTH:
                bold = _style_bold(style)
                try:
                    style = style.base_style
                except _MALFORMED:
                    style = None
                seen += 1
        if bold is None:
            bold = style_bold
        if not bold:
            return False
    return True


def _style_bold(style: Any) -> bool | None:
    return _on_off(style.element.find(_W_RPR), _W_B)


def _on_off(rpr: Any, tag: str) -> bool | None:
    """A run property that is on or off (``w:b``): None when ``rpr`` does not set it.
    A value Word does not write (``w:val=""``) is ignored, as if the element had
    none: then it is on."""
    element = rpr.find(tag) if rpr is not None else None
    if element is None:
        return None
    return str(element.get(_W_VAL, "")).strip().lower() not in {"0", "false", "off"}


def _font_size(rpr: Any) -> float | None:
    """The point size a run's properties set (``w:sz``, in half points), or None
    when they set none or one that is not a positive number (``w:sz="abc"``)."""
    element = rpr.find(_W_SZ) if rpr is not None else None
    if element is None:
        return None
    try:
        half_points = float(element.get(_W_VAL, ""))
    except ValueError:
        return None
    return half_points / 2 if 0 < half_points < 10_000 else None


def _style_chain(paragraph: Paragraph) -> list[Any]:
    """The paragraph's style and the styles it is based on, nearest first."""
    chain: list[Any] = []
    style = paragraph.style
    while style is not None and len(chain) < _MAX_STYLE_DEPTH:
        if any(style.element is seen.element for seen in chain):
            break
        chain.append(style)
        style = style.base_style
    return chain


def _style_names(style: Any) -> list[str]:
    return [name.strip() for name in (style.name, style.style_id) if name]


def _heading_level(paragraph: Paragraph, styles: list[Any], names: list[str]) -> int | None:
    for name in names:
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        if name.lower() in _TITLE_STYLES:
            return 1
    for ppr in _properties(paragraph, styles):
        outline = ppr.find(_W_OUTLINE_LVL)
        if outline is not None:
            value = _int_value(outline)
            if value is None or value >= _BODY_TEXT_OUTLINE_LEVEL:
                return None  # explicitly body text
            return value + 1
    return None


def _list_level(paragraph: Paragraph, styles: list[Any], names: list[str], text: str) -> int | None:
    # "List Bullet 2" and its kin number at level 0 of a list of their own: the
    # digit in the name is the better depth.
    named_level = next((_named_list_level(name) for name in names if "list" in name.lower()), None)
    for ppr in _properties(paragraph, styles):
        numbering = ppr.find(_W_NUMPR)
        if numbering is None:
            continue
        num_id = numbering.find(_W_NUMID)
        if num_id is not None and _int_value(num_id) == 0:
            break  # numbering switched off for this paragraph
        ilvl = numbering.find(_W_ILVL)
        level = ((_int_value(ilvl) if ilvl is not None else None) or 0) + 1
        return max(level, named_level or 1)
    if named_level is not None:
        return named_level
    if text.startswith(BULLET + " "):
        return 1
    return None


def _named_list_level(name: str) -> int:
    match = _LIST_STYLE_LEVEL.search(name)
    return int(match.group(1)) if match else 1


def _properties(paragraph: Paragraph, styles: list[Any]) -> Iterator[Any]:
    """Paragraph properties, the paragraph's own first, then its styles'."""
    ppr = paragraph._p.find(_W_PPR)
    if ppr is not None:
        yield ppr
    for style in styles:
        ppr = style.element.find(_W_PPR)
        if ppr is not None:
            yield ppr


def _int_value(element: Any) -> int | None:
    try:
        return int(element.get(_W_VAL))
    except (TypeError, ValueError):
        return None


def paragraph_text(p: Any) -> str:
    """The visible text of a ``w:p`` element: runs, hyperlinks, fields, insertions.

    Deleted text, hidden runs, text boxes and field codes are left out; tabs and
    line breaks become spaces.
    """
    parts: list[str] = []
    _collect_text(p, parts)
    return "".join(parts)


def _collect_text(element: Any, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _NO_TEXT:
            continue
        if tag == _W_T:
            parts.append(child.text or "")
            # the text after an entity reference that is not resolved (never is:
            # no DTD is loaded) is the reference's tail; the reference itself is left out
            parts.extend(reference.tail or "" for reference in child)
        elif tag in _SPACES:
            parts.append(" ")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _W_R and _is_hidden(child):
            continue
        elif tag == _MC_ALTERNATE_CONTENT:
            # Choice and Fallback hold the same content twice: read the first only.
            first = next(iter(child.iterchildren()), None)
            if first is not None:
                _collect_text(first, parts)
        else:
            _collect_text(child, parts)


def _is_hidden(run: Any) -> bool:
    rpr = run.find(_W_RPR)
    vanish = rpr.find(_W_VANISH) if rpr is not None else None
    if vanish is None:
        return False
    return vanish.get(_W_VAL, "true").lower() not in {"0", "false", "off"}


# -- tables --------------------------------------------------------------------


def _table_blocks(table: Table) -> Iterator[tuple[Any, Block | None]]:
    """Each row's ``w:tr`` and its block (None for a row without text of its own,
    which may still anchor a text box or refer to a note)."""
    for row in table.rows:
        cells = [normalize_text(_container_text(tc)) for tc in _row_cells(row)]
        text = CELL_SEPARATOR.join(cell for cell in cells if cell)
        yield row._tr, Block(BlockKind.TABLE_ROW, text) if text else None


def _row_cells(row: Any) -> list[Any]:
    """The ``w:tc`` elements of a row, a cell spanning several columns once, and a
    cell merged over several rows (``w:vMerge``) only in the row it starts in:
    python-docx hands the top cell back again for each row it spans below."""
    own = list(_cell_elements(row._tr))
    try:
        tcs = [cell._tc for cell in row.cells]
    except Exception:
        # python-docx gives up on some malformed grids; the raw cells still read.
        tcs = own
    unique: list[Any] = []
    for tc in tcs:
        if any(tc is cell for cell in own) and not any(tc is seen for seen in unique):
            unique.append(tc)
    return unique


def _cell_elements(element: Any) -> Iterator[Any]:
    for child in element.iterchildren():
        if child.tag == _W_TC:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _cell_elements(child)


def _container_text(element: Any) -> str:
    """Text of a cell: its paragraphs joined by spaces, nested tables flattened."""
    parts: list[str] = []
    for child in element.iterchildren():
        tag = child.tag
        if tag == _W_P:
            parts.append(paragraph_text(child))
        elif tag == _W_TBL:
            for tr in child.iterchildren(_W_TR):
                parts.extend(_container_text(tc) for tc in _cell_elements(tr))
        elif tag in _CONTAINERS:
            parts.append(_container_text(child))
    return " ".join(part for part in parts if part.strip())
