"""Data that crosses a stage boundary.

discover -> :class:`SourceFile`; read -> :class:`ReadResult` made of :class:`Block`;
metadata -> :class:`DocumentMeta`; passages -> :class:`Passage`. Every class here is
a small frozen dataclass so stages can be tested without each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class BlockKind(str, Enum):
    """What a block of text is in its document."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


class DocumentStatus(str, Enum):
    """Outcome of reading one input file, as written to ``documents.csv``."""

    OK = "ok"
    WARNING = "warning"
    NO_TEXT = "no_text"
    ERROR = "error"
    IGNORED = "ignored"


@dataclass(frozen=True)
class SourceFile:
    """One file found under the input folder.

    ``relpath`` is the path relative to the input folder with ``/`` separators; it
    is what every output calls ``file``.
    """

    path: Path
    relpath: str
    #: a PDF whose pages without a text layer are read by OCR (``--ocr``)
    ocr: bool = False

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def read_as(self) -> str:
        """What the file is read as, for the cache: its suffix, and ``+ocr`` when
        its pages without text are read by OCR (which reads other text)."""
        return self.suffix + "+ocr" if self.ocr else self.suffix


@dataclass(frozen=True)
class Block:
    """A unit of text as a reader found it, in reading order.

    ``page`` is 1-based for paged formats (PDF) and ``None`` otherwise. ``level`` is
    the heading level (1 = top) for headings and the nesting depth (1 = top) for list
    items; ``None`` for other kinds. For a table row, ``text`` holds the cells joined
    by :data:`CELL_SEPARATOR`, in column order.
    """

    kind: BlockKind
    text: str
    page: int | None = None
    level: int | None = None


CELL_SEPARATOR = " | "


#: Why words of a document's text layer are not in its blocks, in the order the
#: outputs list them: a running header or footer, a page number, a table of contents
#: (left out by the passage splitter, not the reader), text outside the page's crop
#: box, a glyph drawn again at the same place, glyphs without a character (unmapped).
LEFT_OUT_REASONS = (
    "header_footer",
    "page_number",
    "contents",
    "outside_page",
    "duplicate",
    "unreadable",
)


@dataclass(frozen=True)
class TextAccount:
    """Where the words of a document's text layer went, as a reader counts them.

    ``layer_words`` counts the words of the whole text layer (every page's text as
    the PDF holds it; every paragraph of a DOCX's XML), counted like
    :func:`nvreport.ingest.normalize.count_words` after joining words hyphenated across
    lines. ``left_out`` gives (reason, words) for reasons of
    :data:`LEFT_OUT_REASONS` that the reader applied. ``page_words`` gives, for
    paged formats, the words per page (index 0 = page 1) that the reader passed on
    in its blocks: what a page should yield in passages.
    """

    layer_words: int
    left_out: tuple[tuple[str, int], ...] = ()
    page_words: tuple[int, ...] = ()

    def left_out_words(self, reason: str) -> int:
        return sum(words for found, words in self.left_out if found == reason)


@dataclass(frozen=True)
class ReadResult:
    """What a reader returns for one file.

    ``pages`` is the page count for paged formats, else ``None``. ``warnings`` are
    human-readable Swedish-agnostic messages (English, like all CLI messages) about
    things the reader noticed but could work around. ``account`` tells where the
    words of the text layer went (see :class:`TextAccount`).
    """

    blocks: tuple[Block, ...]
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    #: where the words of the text layer went; None for a reader that cannot tell
    account: TextAccount | None = None
    #: the pages read by OCR (1-based), whose words are in ``account`` as text layer
    ocr_pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class DocumentMeta:
    """Who wrote a report, and when, with how each field was found.

    Each ``*_source`` is one of ``manifest``, ``filename``, ``folder``, ``text`` or
    ``unknown``. Unknown values are empty strings (``year`` is ``None``).
    """

    actor: str = ""
    actor_type: str = ""
    lan: str = ""
    year: int | None = None
    actor_source: str = "unknown"
    actor_type_source: str = "unknown"
    lan_source: str = "unknown"
    year_source: str = "unknown"


@dataclass(frozen=True)
class Passage:
    """One paragraph, heading, list item or table row of a document.

    ``section`` is the heading path (``" > "``-joined) the passage stands in;
    ``context`` is the lead-in sentence for a list item, else empty; ``index`` is the
    0-based position within the document.
    """

    doc_id: str
    index: int
    kind: BlockKind
    text: str
    page: int | None
    section: str
    context: str
    word_count: int


@dataclass
class DocumentRecord:
    """Everything the run knows about one input file, for ``documents.csv``."""

    source: SourceFile
    status: DocumentStatus
    message: str = ""
    doc_id: str = ""
    sha256: str = ""
    size: int = 0
    pages: int | None = None
    passages: int = 0
    words: int = 0
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    #: the pages read by OCR (``--ocr``), 1-based
    ocr_pages: tuple[int, ...] = ()
    #: the failure may not happen again (a time or memory limit, a worker that died,
    #: a file that could not be opened): it is not kept in the cache, such a run is not
    #: kept for reuse, and the next run tries the file again
    retry: bool = False
    #: where the words of the text layer went, the contents left out by the passage
    #: splitter included; None when the reader cannot tell (or the file was not read)
    account: TextAccount | None = None
    #: pages or words of the text layer did not reach a passage (the loss warnings of
    #: the text accounting fired): what the report says is known only in part, so a
    #: theme it does not mention is not known to be absent
    partly_read: bool = False
