"""Reader for web pages saved as ``.html`` / ``.htm``, built on BeautifulSoup.

Bytes are decoded by their byte order mark, else by a ``<meta charset>``
declaration (unless the page declares a single-byte code page but is valid UTF-8,
as pages saved from old templates are: then as UTF-8, with a warning), else as
UTF-8 with a Windows-1252 fallback (and a warning).

Page furniture is dropped before reading: scripts, styles, navigation, page headers
and footers, asides, forms, embedded frames and anything marked ``hidden``,
``aria-hidden="true"`` or ``display: none``. The rest is read in document order:

* ``h1``–``h6`` are headings of level 1–6;
* ``li`` is a list item nested as deep as its ``ul``/``ol`` lists; a nested list
  comes as its own items, after the text of the item that holds it;
* each ``tr`` of a table is one row block, its ``th``/``td`` cells joined by
  :data:`~nvreport.models.CELL_SEPARATOR` (a table whose cells hold headings is a
  layout table and is read as ordinary content instead);
* the text of ``p``, ``div``, ``section``, ``blockquote`` and other block elements is
  a paragraph, each piece of text once, cut wherever a block element starts or ends.

The text layer of a page is its visible text, the furniture above dropped: the
reader's :class:`~nvreport.models.TextAccount` counts its words apart from the
blocks, so text the walk did not reach (text loose in a table, outside its cells)
shows. Nothing is left out for a reason, and there are no pages.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from nvreport.errors import UnreadableDocumentError
from nvreport.ingest.normalize import count_words, normalize_text
from nvreport.ingest.readers.text import WINDOWS_1252_WARNING, decode_windows_1252
from nvreport.models import CELL_SEPARATOR, Block, BlockKind, ReadResult, TextAccount

_DROPPED = frozenset(
    {
        "head",
        "title",
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "canvas",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "iframe",
        "object",
        "embed",
        "audio",
        "video",
        "dialog",
    }
)
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_LISTS = frozenset({"ul", "ol", "menu"})
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup"})
_BLOCKS = frozenset(
    {
        "html",
        "body",
        "main",
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "dl",
        "dd",
        "dt",
        "pre",
        "figure",
        "figcaption",
        "address",
        "center",
        "details",
        "summary",
        "fieldset",
        "legend",
        "hr",
        "li",
        *_HEADINGS,
        *_LISTS,
        *_TABLE_PARTS,
        "table",
    }
)
_INVISIBLE_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SNIFF_BYTES = 4096
# Browsers read pages labelled Latin-1 or ASCII as Windows-1252; so do we.
_AS_WINDOWS_1252 = frozenset({"iso8859-1", "ascii", "cp1252"})


def read_html(path: Path) -> ReadResult:
    """Read the visible text of an HTML page into blocks.

    An empty page gives an empty result. Raises :class:`UnreadableDocumentError`
    for a file that cannot be opened or parsed.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocumentError(
            path, f"cannot open the file ({exc.strerror or exc})", transient=True
        ) from exc
    text, warnings = decode_html(data)
    try:
        soup = BeautifulSoup(text, "html.parser")
        walker = _Walker()
        walker.walk(soup)
        account = TextAccount(layer_words=count_words(normalize_text(_inline_text(soup))))
    except RecursionError as exc:
        raise UnreadableDocumentError(path, "HTML nested too deeply to read") from exc
    except Exception as exc:
        raise UnreadableDocumentError(path, f"could not parse the HTML ({exc})") from exc
    return ReadResult(
        blocks=tuple(walker.blocks), pages=None, warnings=tuple(warnings), account=account
    )


def decode_html(data: bytes) -> tuple[str, list[str]]:
    """Decode an HTML file by BOM, then ``<meta charset>`` (but UTF-8 bytes under a
    declared single-byte code page as UTF-8), then UTF-8 or Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), []
    declared = _declared_encoding(data)
    if declared is not None and declared != "utf-8" and not declared.startswith("utf-16"):
        if not data.isascii():
            try:  # saved as UTF-8 under an old template's declaration: "GÃ¤vleborg"
                return data.decode("utf-8"), [f"declared as {declared} but is UTF-8; read as UTF-8"]
            except UnicodeDecodeError:
                pass
        if declared in _AS_WINDOWS_1252:
            return decode_windows_1252(data), []
        return data.decode(declared, errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return decode_windows_1252(data), [WINDOWS_1252_WARNING]


def _declared_encoding(data: bytes) -> str | None:
    """The codec named by a ``<meta charset>`` near the top of the page, if Python knows it."""
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _is_dropped(tag: Tag) -> bool:
    if tag.name in _DROPPED or tag.has_attr("hidden"):
        return True
    if str(tag.get("aria-hidden", "")).strip().lower() == "true":
        return True
    return bool(_INVISIBLE_STYLE.search(str(tag.get("style", ""))))


def _is_text(node: object) -> bool:
    """A text node that is page text (not a comment, doctype or CDATA section)."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


class _Walker:
    """Collects blocks while walking the tree; text gathers in a buffer until a block ends.

    The walk keeps its own stack rather than recursing: pages with thousands of
    unclosed ``<p>`` or ``<li>`` tags nest that deep in the parsed tree.
    """

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []

    def flush(self, kind: BlockKind, level: int | None) -> None:
        text = normalize_text("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.blocks.append(Block(kind, text, level=level))

    def walk(self, root: Tag) -> None:
        """Read everything under ``root``; text outside any block becomes a paragraph."""
        # Each entry is (action, node or text, kind, level, depth). ``kind``/``level``
        # say what loose text becomes; ``depth`` counts the lists around the node.
        stack: list[tuple[str, Any, BlockKind, int | None, int]] = []
        _push_children(stack, root, BlockKind.PARAGRAPH, None, 0)
        while stack:
            action, node, kind, level, depth = stack.pop()
            if action == "text":
                self.buffer.append(node)
            elif action == "flush":
                self.flush(kind, level)
            else:
                self._visit(stack, node, kind, level, depth)
        self.flush(BlockKind.PARAGRAPH, None)

    def _visit(
        self,
        stack: list[tuple[str, Any, BlockKind, int | None, int]],
        node: Any,
        kind: BlockKind,
        level: int | None,
        depth: int,
    ) -> None:
        if _is_text(node):
            self.buffer.append(str(node))
            return
        if not isinstance(node, Tag) or _is_dropped(node):
            return
        name = node.name
        if name == "br":
            self.buffer.append(" ")
            return
        if name == "table" and not _is_layout_table(node):
            self.flush(kind, level)
            self._table(node)
            return
        inner_kind, inner_level, inner_depth = kind, level, depth
        if name in _HEADINGS:
            inner_kind, inner_level = BlockKind.HEADING, _HEADINGS[name]
        elif name == "li":
            inner_kind, inner_level = BlockKind.LIST_ITEM, max(depth, 1)
        elif name in _LISTS:
            inner_depth = depth + 1
        elif name not in _BLOCKS:  # inline: its text runs on in the current block
            _push_children(stack, node, kind, level, depth)
            return
        elif kind is not BlockKind.PARAGRAPH:
            # A paragraph inside a list item or a heading stays part of it.
            self.buffer.append(" ")
            stack.append(("text", " ", kind, level, depth))
            _push_children(stack, node, kind, level, depth)
            return
        self.flush(kind, level)
        stack.append(("flush", None, inner_kind, inner_level, inner_depth))
        _push_children(stack, node, inner_kind, inner_level, inner_depth)

    def _table(self, table: Tag) -> None:
        for caption in table.find_all("caption", recursive=False):
            text = normalize_text(_inline_text(caption))
            if text:
                self.blocks.append(Block(BlockKind.PARAGRAPH, text))
        for row in _own_rows(table):
            cells = (
                normalize_text(_inline_text(cell))
                for cell in row.find_all(["td", "th"], recursive=False)
                if not _is_dropped(cell)
            )
            text = CELL_SEPARATOR.join(cell for cell in cells if cell)
            if text:
                self.blocks.append(Block(BlockKind.TABLE_ROW, text))


def _push_children(
    stack: list[tuple[str, Any, BlockKind, int | None, int]],
    node: Tag,
    kind: BlockKind,
    level: int | None,
    depth: int,
) -> None:
    """Schedule the children of ``node`` so that they are visited in document order."""
    stack.extend(("node", child, kind, level, depth) for child in reversed(node.contents))


def _own_rows(table: Tag) -> list[Tag]:
    """The rows of ``table`` itself, not of tables nested in its cells."""
    return [
        row
        for row in table.find_all("tr")
        if row.find_parent("table") is table and not _has_dropped_ancestor(row, table)
    ]


def _has_dropped_ancestor(tag: Tag, stop: Tag) -> bool:
    node = tag
    while node is not None and node is not stop:
        if _is_dropped(node):
            return True
        node = node.parent
    return False


def _is_layout_table(table: Tag) -> bool:
    """A table used to lay out a page: its cells hold headings."""
    return table.find(list(_HEADINGS)) is not None


def _inline_text(tag: Tag) -> str:
    """All visible text under ``tag``, with a space wherever a block element breaks it."""
    parts: list[str] = []
    stack: list[Any] = list(reversed(tag.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            parts.append(node)  # a space scheduled around a block element
        elif _is_text(node):
            parts.append(str(node))
        elif isinstance(node, Tag) and not _is_dropped(node):
            if node.name == "br" or node.name in _BLOCKS:
                parts.append(" ")
                stack.append(" ")
            stack.extend(reversed(node.contents))
    return "".join(parts)
