"""Reader for plain text (``.txt``) and Markdown (``.md``) reports.

Bytes are decoded as UTF-8 (with or without a byte order mark), as UTF-16 when the
file starts with a UTF-16 byte order mark, and otherwise as Windows-1252 with a
warning. The text is then read line by line:

* a blank line ends a paragraph; the lines of a paragraph are joined with a space,
  or without one where a word was hyphenated at the line end (:func:`join_hyphenated`);
* lines starting with ``- ``, ``* ``, ``+ ``, ``• ``, ``– ``, ``1. ``, ``1) `` or
  ``a) `` are list items, nested by their indentation; lines right after an item, or
  indented under it after a blank line, continue it;
* lines of ``===`` or ``---`` under a paragraph make it a heading (level 1 and 2);
  other rule lines (``---``, ``***``, ``___``) are dropped.

Markdown adds ``#`` headings, ``|`` tables (one block per row, separator rows
dropped), block quotes and code fences, and loses its emphasis markers (``**``,
``__``, backticks) and link targets. Plain text adds numbered section headings: a
short line such as ``2.1 Fast vårdkontakt`` standing alone between blank lines and
followed by a paragraph is a heading whose level is the number of numeric parts.

The text layer of such a file is its text without the syntax (list markers, ``#``,
rule lines, table separators, link targets, a code fence's info string): the
reader's :class:`~nvreport.models.TextAccount` counts its words, line by line,
apart from the blocks, so a line the parser lost would show. Nothing is left out
for a reason, and there are no pages.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from nvreport.errors import UnreadableDocumentError
from nvreport.ingest.normalize import BULLET, count_words, normalize_text
from nvreport.ingest.readers.hyphenation import HYPHENS, join_hyphenated
from nvreport.models import CELL_SEPARATOR, Block, BlockKind, ReadResult, TextAccount

WINDOWS_1252_WARNING = "not valid UTF-8; read as Windows-1252"
UTF16_WARNING = "no byte order mark; read as UTF-16 by its zero bytes"

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_TAB_WIDTH = 4
_MAX_HEADING_LENGTH = 80  # a numbered line this long or longer is a sentence, not a title

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(={3,}|-{3,})[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>\d{1,3}[.)]|[a-zåäö]\)|\S)[ \t]+(?P<text>\S.*)$"
)
_LIST_MARKERS = frozenset("-*+–")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BLOCK_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_TABLE_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_TABLE_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_SECTION_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,5})\.?[ \t]+(\S)")
_NOT_A_TITLE_END = ".:;,"

# Neither a text nor a target may hold a bracket of its own kind: each search then
# stops at the next one, where "[" or "](" without an end would scan to the end of
# the text from each of thousands of them.
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")
_EMPHASIS = re.compile(r"\*\*|__|`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")


def read_text(path: Path) -> ReadResult:
    """Read a ``.txt`` or ``.md`` file into blocks.

    Raises :class:`UnreadableDocumentError` for a file that cannot be opened, a
    binary file, or a UTF-16 file with broken content.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocumentError(
            path, f"cannot open the file ({exc.strerror or exc})", transient=True
        ) from exc
    text, warnings = decode_text(path, data)
    markdown = path.suffix.lower() in _MARKDOWN_SUFFIXES
    lines = _split_lines(text)
    blocks = _Parser(lines, markdown=markdown).parse()
    account = TextAccount(layer_words=layer_words(lines, markdown))
    return ReadResult(blocks=tuple(blocks), pages=None, warnings=tuple(warnings), account=account)


def layer_words(lines: list[str], markdown: bool) -> int:
    """The words of a text file's lines, without the syntax the reader takes off
    (see the module's description), with words hyphenated across lines joined as
    the reader joins them: what the reader should pass on in its blocks."""
    total = 0
    run: list[str] = []  # the lines of the paragraph being collected

    def flush() -> None:
        nonlocal total
        if run:
            total += count_words(normalize_text(join_lines(run)))
            run.clear()

    fence: str | None = None
    for raw_line in lines:
        line = raw_line.expandtabs(_TAB_WIDTH).rstrip()
        stripped = line.strip()
        if markdown and fence is not None:
            if stripped.startswith(fence):
                fence = None
                flush()
            elif stripped:
                run.append(_clean_markdown(line))
            else:
                flush()
            continue
        if markdown and (opening := _FENCE.match(line)):
            fence = opening.group(1)
            flush()
            continue
        if markdown:
            line = _BLOCK_QUOTE.sub("", line)
            stripped = line.strip()
        if not stripped or _SETEXT_UNDERLINE.match(line) or _RULE.match(line):
            flush()
            continue
        if markdown and (heading := _ATX_HEADING.match(line)):
            flush()
            total += count_words(_clean_markdown(heading.group(2) or ""))
            continue
        if markdown and "|" in stripped:  # a table row: cells, no line joining
            flush()
            total += count_words(_clean_markdown(stripped))
            continue
        item = _list_item(line)
        if item is not None:
            flush()
            line = item[1]
        run.append(_clean_markdown(line) if markdown else line)
    flush()
    return total


def decode_text(path: Path, data: bytes) -> tuple[str, list[str]]:
    """Decode the bytes of a text file; return the text and any warnings.

    UTF-16 is known by its byte order mark, or without one by its zero bytes (with
    a warning); any other NUL byte means the file is binary. Bytes that are not
    UTF-8 are read as Windows-1252, with a warning.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise UnreadableDocumentError(
                path, "not valid UTF-16 text despite its byte order mark"
            ) from exc
    if b"\x00" in data:
        text = _utf16_without_mark(data)
        if text is None:
            raise UnreadableDocumentError(path, "binary file, not text")
        return text, [UTF16_WARNING]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return decode_windows_1252(data), [WINDOWS_1252_WARNING]


def _utf16_without_mark(data: bytes) -> str | None:
    """The text of UTF-16 without a byte order mark, as some exporters write it, or
    None when the bytes are not that. Text in a Latin script has a NUL in every
    other byte (the high byte of its characters): the odd bytes in little-endian
    order, the even ones in big-endian order."""
    if len(data) % 2 or len(data) < 4:
        return None
    for encoding, high in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if high.count(0) >= 0.6 * len(high):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if "\x00" in text else text
    return None


def decode_windows_1252(data: bytes) -> str:
    """Decode as Windows-1252; its five unassigned bytes become U+FFFD."""
    return data.decode("cp1252", errors="replace")


def _split_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return text.split("\n")


@dataclass
class _RawBlock:
    """A block while its lines are still being collected."""

    kind: BlockKind
    lines: list[str]
    first: int  # index of the first source line
    last: int  # index of the last source line
    level: int | None = None
    indent: int = 0  # list items: column of the marker
    ordered: bool = False  # list items: numbered rather than bulleted
    done: bool = False  # the text is final (table rows): no line joining, no clean-up

    def add(self, index: int, line: str) -> None:
        self.lines.append(line)
        self.last = index


@dataclass
class _Parser:
    lines: list[str]
    markdown: bool
    blocks: list[_RawBlock] = field(default_factory=list)
    current: _RawBlock | None = None
    after_blank: bool = False  # a blank line came since the current block's last line
    list_indents: list[int] = field(default_factory=list)
    in_table: bool = False
    fence: str | None = None

    def parse(self) -> list[Block]:
        for index, raw_line in enumerate(self.lines):
            line = raw_line.expandtabs(_TAB_WIDTH).rstrip()
            if self.markdown and self._markdown_code(index, line):
                continue
            if self.markdown:
                line = _BLOCK_QUOTE.sub("", line)
            if line.strip():
                self._line(index, line)
            else:
                self._blank()
        self._close()
        if not self.markdown:
            self._find_numbered_headings()
        return [block for raw in self.blocks if (block := self._finish(raw))]

    # -- lines ------------------------------------------------------------------

    def _markdown_code(self, index: int, line: str) -> bool:
        """Handle code fences; return True when ``line`` has been dealt with."""
        stripped = line.strip()
        if self.fence is not None:
            if stripped.startswith(self.fence):
                self.fence = None
                self._close()
            elif stripped:
                self._paragraph_line(index, line)
            else:
                self._blank()
            return True
        match = _FENCE.match(line)
        if match:
            self._close()
            self.fence = match.group(1)
            return True
        return False

    def _blank(self) -> None:
        self.in_table = False
        if self.current is not None and self.current.kind is BlockKind.LIST_ITEM:
            self.after_blank = True  # an indented line may still continue the item
        else:
            self._close()

    def _line(self, index: int, line: str) -> None:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if self.markdown and self._markdown_line(index, line, stripped):
            return
        if _SETEXT_UNDERLINE.match(line) or _RULE.match(line):
            current = self.current
            if (
                _SETEXT_UNDERLINE.match(line)
                and current is not None
                and current.kind is BlockKind.PARAGRAPH
            ):
                current.kind = BlockKind.HEADING
                current.level = 1 if stripped.startswith("=") else 2
                self.list_indents.clear()
            self._close()
            return
        item = _list_item(line)
        if item is not None:
            marker, text = item
            self._close()
            self.current = _RawBlock(
                BlockKind.LIST_ITEM,
                [text],
                index,
                index,
                level=self._list_level(indent),
                indent=indent,
                ordered=marker[0].isalnum(),
            )
            return
        current = self.current
        if current is not None and current.kind is BlockKind.LIST_ITEM:
            if not self.after_blank or indent > current.indent:
                current.add(index, line)
                self.after_blank = False
                return
            self._close()
        self._paragraph_line(index, line)

    def _markdown_line(self, index: int, line: str, stripped: str) -> bool:
        """Markdown-only syntax; return True when ``line`` has been dealt with."""
        if self.in_table:
            if "|" in stripped:
                self._table_row(index, stripped)
                return True
            self.in_table = False
        heading = _ATX_HEADING.match(line)
        if heading:
            self._close()
            self.list_indents.clear()
            text = heading.group(2) or ""
            self.blocks.append(
                _RawBlock(BlockKind.HEADING, [text], index, index, level=len(heading.group(1)))
            )
            return True
        if stripped.startswith("|"):
            self._close()
            self.in_table = True
            self._table_row(index, stripped)
            return True
        current = self.current
        if (
            current is not None
            and current.kind is BlockKind.PARAGRAPH
            and len(current.lines) == 1
            and "|" in current.lines[0]
            and "|" in stripped
            and _is_separator_row(_table_cells(stripped))
        ):
            # A table without outer pipes: "a | b" above "--|--".
            header = current.lines[0].strip()
            self.current = None
            self.in_table = True
            self._table_row(current.first, header)
            return True
        return False

    def _paragraph_line(self, index: int, line: str) -> None:
        current = self.current
        if current is not None and current.kind is BlockKind.PARAGRAPH:
            current.add(index, line)
            return
        self._close()
        self.list_indents.clear()
        self.current = _RawBlock(BlockKind.PARAGRAPH, [line], index, index)

    def _table_row(self, index: int, line: str) -> None:
        cells = _table_cells(line)
        if _is_separator_row(cells):
            return
        texts = (normalize_text(_clean_markdown(cell)) for cell in cells)
        row = CELL_SEPARATOR.join(text for text in texts if text)
        if row:
            self.blocks.append(_RawBlock(BlockKind.TABLE_ROW, [row], index, index, done=True))

    def _list_level(self, indent: int) -> int:
        """Nesting depth of a list item whose marker is at column ``indent``.

        Each deeper indentation seen opens a level, whatever its width (2 or 4
        spaces); returning to an earlier indentation returns to its level.
        """
        indents = self.list_indents
        while indents and indents[-1] > indent:
            indents.pop()
        if not indents or indents[-1] < indent:
            indents.append(indent)
        return len(indents)

    def _close(self) -> None:
        if self.current is not None:
            self.blocks.append(self.current)
            self.current = None
        self.after_blank = False

    # -- plain-text headings ----------------------------------------------------

    def _find_numbered_headings(self) -> None:
        """Turn lone numbered lines followed by a paragraph into headings."""
        is_heading = [False] * (len(self.blocks) + 1)
        for position in range(len(self.blocks) - 1, -1, -1):
            raw = self.blocks[position]
            level = self._section_level(position)
            if level is None or position + 1 >= len(self.blocks):
                continue
            following = self.blocks[position + 1]
            if following.kind is BlockKind.PARAGRAPH or is_heading[position + 1]:
                is_heading[position] = True
                raw.kind = BlockKind.HEADING
                raw.level = level
                raw.lines = [self.lines[raw.first].strip()]

    def _section_level(self, position: int) -> int | None:
        """The heading level of block ``position`` if it looks like a section title."""
        raw = self.blocks[position]
        if raw.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) or raw.first != raw.last:
            return None
        line = self.lines[raw.first].strip()
        match = _SECTION_NUMBER.match(line)
        if not match or not match.group(2).isupper():
            return None
        if len(line) >= _MAX_HEADING_LENGTH or line[-1] in _NOT_A_TITLE_END:
            return None
        if not (self._blank_at(raw.first - 1) and self._blank_at(raw.last + 1)):
            return None
        if raw.kind is BlockKind.LIST_ITEM and position > 0:
            previous = self.blocks[position - 1]
            if previous.kind is BlockKind.LIST_ITEM and previous.ordered:
                return None  # the next item of a numbered list, not a section
        return match.group(1).count(".") + 1

    def _blank_at(self, index: int) -> bool:
        return index < 0 or index >= len(self.lines) or not self.lines[index].strip()

    # -- output -----------------------------------------------------------------

    def _finish(self, raw: _RawBlock) -> Block | None:
        if raw.done:
            text = raw.lines[0]
        else:
            text = join_lines(raw.lines)
            if self.markdown:
                text = _clean_markdown(text)
            text = normalize_text(text)
        if not text:
            return None
        return Block(kind=raw.kind, text=text, page=None, level=raw.level)


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph with spaces, mending line-break hyphens.

    The pieces are joined once at the end: a paragraph of a million lines must not
    be copied a million times. A hyphenated join looks at the last word only."""
    pieces: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not pieces:
            pieces.append(line)
        elif pieces[-1][-1] in HYPHENS:
            last = pieces.pop()
            word = last.rsplit(None, 1)[-1]
            pieces.append(last[: len(last) - len(word)])
            pieces.append(join_hyphenated(word, line))
        else:
            pieces.append(" ")
            pieces.append(line)
    return "".join(pieces)


def _list_item(line: str) -> tuple[str, str] | None:
    """``(marker, text)`` if ``line`` starts a list item."""
    match = _LIST_ITEM.match(line)
    if not match:
        return None
    marker = match.group("marker")
    if len(marker) == 1 and marker not in _LIST_MARKERS and normalize_text(marker) != BULLET:
        return None
    return marker, match.group("text")


def _table_cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _TABLE_CELL_SPLIT.split(line)]


def _is_separator_row(cells: list[str]) -> bool:
    cells = [cell.replace(" ", "") for cell in cells]
    return any(cells) and all(not cell or _TABLE_SEPARATOR_CELL.match(cell) for cell in cells)


def _clean_markdown(text: str) -> str:
    """Drop emphasis markers and link targets, keeping the words."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return _ESCAPE.sub(r"\1", text)
